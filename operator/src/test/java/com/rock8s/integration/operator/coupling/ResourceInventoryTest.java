package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.configMap;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.InventoryItem;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Objects applied for a coupling carry labels naming it and are listed in the plug's inventory; decoupling deletes
 * exactly the listed, non-retained objects, even those whose names came from inputs that have since changed.
 */
class ResourceInventoryTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void decouplingDeletesExactlyTheNonRetainedInventory() {
        String ns = cluster.newNamespace("inventory");
        Resource retained = CouplingLifecycleTest.configMapResource("keep-{{ plug.metadata.name }}", "kept");
        retained.setRetainWhenDecoupled(true);
        cluster.create(socket(ns, "db", s -> s.setResources(List.of(
                CouplingLifecycleTest.configMapResource("grant-{{ plugConfig.database }}", "{{ plugConfig.database }}"),
                retained))));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfig(Map.of("database", "orders"))));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        ConfigMap grant = configMapNamed(ns, "grant-orders");
        assertThat(grant.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "integration-operator")
                .containsEntry("integration.rock8s.com/owner", "socket")
                .containsEntry("integration.rock8s.com/plug-uid", plug.getMetadata().getUid())
                .containsEntry("integration.rock8s.com/socket-uid", cluster.socket(ns, "db").getMetadata().getUid());
        assertThat(cluster.plug(ns, "app").getStatus().getInventory())
                .extracting(InventoryItem::getName, InventoryItem::getRetain)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("grant-orders", null),
                        org.assertj.core.groups.Tuple.tuple("keep-app", true));

        // A config change renames the grant: the old one is still listed, so it cannot be orphaned.
        cluster.client().resources(Plug.class).inNamespace(ns).withName("app").edit(p -> {
            p.getSpec().setConfig(Map.of("database", "invoices"));
            return p;
        });
        await().atMost(TIMEOUT).until(() -> configMapNamed(ns, "grant-invoices") != null);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.plug(ns, "app").getStatus().getInventory())
                .extracting(InventoryItem::getName)
                .containsExactlyInAnyOrder("grant-orders", "grant-invoices", "keep-app"));
        cluster.create(configMap(ns, "grant-foreign", Map.of("database", "not ours")));

        cluster.client().resource(plug).delete();
        await().atMost(TIMEOUT).until(() -> cluster.plug(ns, "app") == null);
        assertThat(configMapNamed(ns, "grant-orders")).isNull();
        assertThat(configMapNamed(ns, "grant-invoices")).isNull();
        assertThat(configMapNamed(ns, "keep-app")).as("retainWhenDecoupled").isNotNull();
        assertThat(configMapNamed(ns, "grant-foreign")).as("not applied by the operator").isNotNull();
    }

    private static ConfigMap configMapNamed(String ns, String name) {
        return cluster.client().configMaps().inNamespace(ns).withName(name).get();
    }
}
