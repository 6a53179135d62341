package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Restarts must not replay events, and one socket shared by hundreds of plugs must stay exact and cheap. */
class RestartAndScaleTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void restartFiresNothingForUnchangedPairsAndUpdatedOnceForPairsChangedWhileDown() {
        String ns = cluster.newNamespace("restart");
        Socket socket = cluster.create(socket(ns, "db", s -> s.setResources(List.of(
                CouplingLifecycleTest.configMapResource("grant-{{ plug.metadata.name }}",
                        "{{ plugConfig.database }}")))));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfig(Map.of("database", "orders"))));
        Socket otherSocket = cluster.create(socket(ns, "cache", none()));
        Plug otherPlug = cluster.create(plug(ns, "worker", null, "cache", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")) && coupled(cluster.plug(ns, "worker")));
        String grantVersion = grant(ns).getMetadata().getResourceVersion();

        cluster.stopOperator();
        cluster.client().resources(Socket.class).inNamespace(ns).withName("cache").edit(s -> {
            s.getSpec().setConfig(Map.of("size", "large"));
            return s;
        });
        cluster.startOperator();

        // A pair created after the restart couples: the new operator has gone through its caches.
        cluster.create(socket(ns, "probe-socket", none()));
        cluster.create(plug(ns, "probe", null, "probe-socket", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "probe")));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.eventCount(otherPlug, "Updated")).isEqualTo(1);
            assertThat(cluster.eventCount(otherSocket, "Updated")).isEqualTo(1);
        });

        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (var object : List.of(plug, socket)) {
                assertThat(cluster.eventCount(object, "Created")).as("Created on %s", object.getKind()).isEqualTo(1);
                assertThat(cluster.eventCount(object, "Coupled")).as("Coupled on %s", object.getKind()).isEqualTo(1);
                assertThat(cluster.eventCount(object, "Updated")).as("Updated on %s", object.getKind()).isZero();
            }
            assertThat(cluster.eventCount(otherPlug, "Coupled")).isEqualTo(1);
        });
        assertThat(grant(ns).getMetadata().getResourceVersion()).as("the templated resource was not re-applied")
                .isEqualTo(grantVersion);
    }

    @Test
    void fiveHundredPlugsInFiftyNamespacesOnOneSocketAllCoupleAndTheSocketListsExactlyThem() {
        String socketNs = cluster.newNamespace("shared");
        cluster.create(socket(socketNs, "db", none()));
        int writesBefore = cluster.operator().socketStatusWrites();
        Set<String> uids = new HashSet<>();
        List<String[]> names = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            String ns = cluster.newNamespace("tenant-" + n);
            IntStream.range(0, 10).forEach(i -> {
                Plug created = cluster.create(plug(ns, "app-" + i, socketNs, "db", none()));
                uids.add(created.getMetadata().getUid());
                names.add(new String[] {ns, "app-" + i});
            });
        }

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Socket socket = cluster.socket(socketNs, "db");
            assertThat(socket.getStatus().getCoupledPlugCount()).isEqualTo(500);
            assertThat(socket.getStatus().getCoupledPlugs()).extracting(ObjectRef::getUid)
                    .containsExactlyInAnyOrderElementsOf(uids);
        });
        assertThat(names).allSatisfy(n -> assertThat(coupled(cluster.plug(n[0], n[1])))
                .as("%s/%s coupled", n[0], n[1]).isTrue());
        int writes = cluster.operator().socketStatusWrites() - writesBefore;
        System.out.printf("socket status writes for 500 plugs: %d%n", writes);
        assertThat(writes).as("socket status writes are coalesced").isLessThan(250);
    }

    private static ConfigMap grant(String ns) {
        return cluster.client().configMaps().inNamespace(ns).withName("grant-app").get();
    }
}
