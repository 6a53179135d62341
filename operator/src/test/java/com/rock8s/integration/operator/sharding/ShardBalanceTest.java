package com.rock8s.integration.operator.sharding;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.testing.Replica;
import com.rock8s.integration.operator.testing.Shards;
import com.rock8s.integration.operator.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shards spread over replicas: balanced, each replica caching only its own shards' objects, rebalanced on scale-out
 * and handed over at once on graceful shutdown. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardBalanceTest {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.replicas(2);

    private static final List<String[]> plugs = new ArrayList<>();
    private static String socketNamespace;

    @Test
    @Order(1)
    void twoReplicasSplitTheShardsAndCoupleEveryPlug() {
        socketNamespace = cluster.newNamespace("db");
        cluster.create(socket(socketNamespace, "db", none()));
        for (int n = 0; n < 24; n++) {
            String ns = cluster.newNamespace("team");
            for (int i = 0; i < 2; i++) {
                cluster.create(plug(ns, "app-" + i, socketNamespace, "db", none()));
                plugs.add(new String[] {ns, "app-" + i});
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Shards.assertBalanced(cluster, cluster.replicas().values());
            assertThat(plugs).allSatisfy(p -> assertThat(coupled(cluster.plug(p[0], p[1])))
                    .as("%s/%s coupled", p[0], p[1]).isTrue());
        });
        Shards.assertCachesHoldOnlyOwnShards(cluster.replicas().values());
        assertThat(Shards.cachedTotal(cluster.replicas().values(), Plug.class, cluster.namespaces())).isEqualTo(plugs.size());
        assertThat(Shards.cachedTotal(cluster.replicas().values(), Socket.class, cluster.namespaces())).isEqualTo(1);
        assertThat(cluster.socket(socketNamespace, "db").getStatus().getCoupledPlugCount()).isEqualTo(plugs.size());
        assertThat(cluster.client().resources(Plug.class).inAnyNamespace().list().getItems().stream()
                .filter(p -> cluster.namespaces().contains(p.getMetadata().getNamespace())).toList())
                .allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                        .containsEntry("integration.rock8s.com/shard",
                                String.valueOf(cluster.replicas().values().iterator().next().runtime()
                                        .shardOf(p.getMetadata().getNamespace()))));
    }

    @Test
    @Order(2)
    void aThirdReplicaTakesItsShareAndEveryObjectIsStillCachedExactlyOnce() {
        cluster.startReplica("replica-2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Shards.assertBalanced(cluster, cluster.replicas().values());
            assertThat(cluster.replicas().values()).allSatisfy(r -> assertThat(r.runtime().servedShards())
                    .hasSizeBetween(5, 6));
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Shards.assertCachesHoldOnlyOwnShards(cluster.replicas().values());
            assertThat(Shards.cachedTotal(cluster.replicas().values(), Plug.class, cluster.namespaces())).isEqualTo(plugs.size());
        });
        assertThat(cluster.audit().overlaps()).isEmpty();
    }

    @Test
    @Order(3)
    void aGracefulShutdownHandsItsShardsOverWithinAboutOneRetryPeriod() {
        Replica leaving = cluster.replicas().get("replica-0");
        leaving.stop();
        cluster.removeReplica(leaving);
        long stopped = System.nanoTime();
        // Under the lease duration: released leases are taken at the others' next retries, not after expiry.
        await().atMost(cluster.sharding().leaseDuration().minusSeconds(1)).untilAsserted(() -> assertThat(
                Shards.leaseHolders(cluster))
                .hasSize(cluster.sharding().shards())
                .allSatisfy((shard, holder) -> assertThat(holder).isIn(cluster.replicas().keySet())));
        Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf("graceful handover of replica-0's shards took %d ms%n", handover.toMillis());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                Shards.assertBalanced(cluster, cluster.replicas().values()));
        String ns = plugs.get(0)[0];
        cluster.create(plug(ns, "after-handover", socketNamespace, "db", none()));
        await().atMost(Duration.ofSeconds(20)).until(() -> coupled(cluster.plug(ns, "after-handover")));
        assertThat(cluster.audit().overlaps()).isEmpty();
    }

    @Test
    @Order(4)
    void aSocketBeingDeletedDropsListedPlugsThatAreGoneWhicheverReplicaServesThem() {
        String ns = cluster.newNamespace("ghost-socket");
        cluster.create(socket(ns, "db", none()));
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.socket(ns, "db").getStatus() != null);
        // As a listing removal lost in a shard handover leaves it (found by the load test): the socket names plugs
        // that no longer exist, in namespaces of every shard, so some are served by another replica than the socket's.
        List<ObjectRef> ghosts = new ArrayList<>();
        for (String[] p : plugs.subList(0, 8)) {
            ghosts.add(new ObjectRef("integration.rock8s.com/v1beta1", "Plug", "ghost", p[0], "uid-of-" + p[0]));
        }
        cluster.client().resources(Socket.class).inNamespace(ns).withName("db").editStatus(s -> {
            s.getStatus().setCoupledPlugs(ghosts);
            s.getStatus().setCoupledPlugCount(ghosts.size());
            return s;
        });

        cluster.client().resources(Socket.class).inNamespace(ns).withName("db").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.socket(ns, "db") == null);
    }
}
