package com.rock8s.integration.operator.resource;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.condition;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the API server itself decides about the objects a coupling applies: who may create them (the owner's service
 * account, under the server's RBAC) and which fields the operator owns (server-side apply field management).
 */
class AppliedObjectsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    void aServiceAccountWithoutRightsGetsResourceForbiddenAndNothingIsCreatedUntilItIsGranted() {
        String ns = cluster.newNamespaceWithoutGrants("no-rights");
        cluster.create(socket(ns, "db", s -> s.setResources(List.of(configMap("grant-{{ plug.metadata.name }}",
                Map.of("database", "orders"))))));
        var plug = cluster.create(plug(ns, "app", null, "db", p -> { }));

        await().atMost(TIMEOUT).until(() -> "ResourceForbidden".equals(readyReason(cluster.plug(ns, "app"))));
        assertThat(condition(cluster.plug(ns, "app"), Conditions.READY).orElseThrow().getMessage())
                .contains("system:serviceaccount:" + ns + ":default may not apply ConfigMap " + ns + "/grant-app")
                .contains("RoleBinding");
        await().atMost(TIMEOUT).until(() -> cluster.eventCount(plug, "ResourceForbidden") >= 1);
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("grant-app").get())
                .as("the API server refused the owner's identity; the operator did not create it as itself")
                .isNull();

        TestCluster.grantServiceAccountsEdit(cluster.client(), ns);
        await().atMost(Duration.ofSeconds(60)).until(() -> coupled(cluster.plug(ns, "app")));
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("grant-app").get().getData())
                .containsEntry("database", "orders");
    }

    @Test
    void aTemplateThatDropsAFieldRemovesItFromTheAppliedObjectAndKeepsOtherManagersFields() {
        String ns = cluster.newNamespace("field-ownership");
        cluster.create(socket(ns, "db", s -> s.setResources(List.of(configMap("settings",
                Map.of("host", "db.local", "port", "5432"))))));
        cluster.create(plug(ns, "app", null, "db", p -> { }));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        assertThat(settings(ns).getData()).containsOnlyKeys("host", "port");

        // Another field manager adds a key of its own.
        cluster.client().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(ns)
                .endMetadata().addToData("owner-note", "kept").build()).fieldManager("someone-else")
                .serverSideApply();

        cluster.client().resources(Socket.class).inNamespace(ns).withName("db").edit(s -> {
            s.getSpec().setResources(List.of(configMap("settings", Map.of("host", "db.local"))));
            return s;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(settings(ns).getData())
                .as("port was the operator's and its template no longer sets it; owner-note belongs to someone else")
                .containsOnlyKeys("host", "owner-note"));
        assertThat(settings(ns).getMetadata().getManagedFields()).extracting(f -> f.getManager())
                .contains(ResourceApplier.FIELD_MANAGER, "someone-else");
    }

    private static ConfigMap settings(String ns) {
        return cluster.client().configMaps().inNamespace(ns).withName("settings").get();
    }

    private static Resource configMap(String name, Map<String, String> data) {
        Resource resource = new Resource();
        resource.setWhen(List.of(When.COUPLED, When.UPDATED));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", "v1");
        object.put("kind", "ConfigMap");
        object.put("metadata", Map.of("name", name));
        object.put("data", data);
        resource.setTemplate(Serialization.jsonMapper().valueToTree(object));
        return resource;
    }
}
