package com.rock8s.integration.operator.sharding;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.testing.Replica;
import com.rock8s.integration.operator.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While 500 plugs in 50 namespaces couple (the real API server on a 2-core machine couples some 20 a second, so
 * creating them spans the five crash rounds), a random replica crashes and a new one starts every few seconds. In the
 * end every plug is coupled, the socket lists exactly them, and no namespace was ever worked on by two replicas at
 * the same time.
 */
class ShardChaosTest {
    private static final int NAMESPACES = 50;
    private static final int PLUGS_PER_NAMESPACE = 10;

    @RegisterExtension
    static final TestCluster cluster = TestCluster.replicas(3);

    @Test
    void crashesAndNewReplicasWhilePlugsCoupleLoseNothingAndNeverOverlap() {
        String socketNamespace = cluster.newNamespace("db");
        cluster.create(socket(socketNamespace, "db", none()));
        List<String> namespaces = IntStream.range(0, NAMESPACES).mapToObj(i -> cluster.newNamespace("tenant")).toList();
        Set<String> uids = ConcurrentHashMap.newKeySet();
        CompletableFuture<Void> creating = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < PLUGS_PER_NAMESPACE; i++) {
                for (String ns : namespaces) {
                    Plug created = cluster.create(plug(ns, "app-" + i, socketNamespace, "db", none()));
                    uids.add(created.getMetadata().getUid());
                }
            }
        });

        List<String> crashed = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
            List<Replica> alive = new ArrayList<>(cluster.replicas().values());
            Replica victim = alive.get(ThreadLocalRandom.current().nextInt(alive.size()));
            victim.crash();
            cluster.removeReplica(victim);
            crashed.add(victim.identity());
            cluster.startReplica("replica-" + (3 + round));
        }
        creating.join();
        System.out.printf("chaos: crashed %s while creating %d plugs%n", crashed, uids.size());

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<Plug> plugs = cluster.client().resources(Plug.class).inAnyNamespace().list().getItems().stream()
                    .filter(p -> namespaces.contains(p.getMetadata().getNamespace())).toList();
            assertThat(plugs).hasSize(NAMESPACES * PLUGS_PER_NAMESPACE).allSatisfy(p -> assertThat(coupled(p))
                    .as("%s/%s coupled", p.getMetadata().getNamespace(), p.getMetadata().getName()).isTrue());
            Socket socket = cluster.socket(socketNamespace, "db");
            assertThat(socket.getStatus().getCoupledPlugCount()).isEqualTo(NAMESPACES * PLUGS_PER_NAMESPACE);
            assertThat(socket.getStatus().getCoupledPlugs()).extracting(ObjectRef::getUid)
                    .containsExactlyInAnyOrderElementsOf(uids);
        });
        assertThat(cluster.audit().overlaps()).isEmpty();
        assertThat(cluster.audit().spans().stream().map(s -> s.replica()).distinct())
                .as("replicas that reconciled").hasSizeGreaterThanOrEqualTo(6);
    }
}
