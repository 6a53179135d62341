package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.configMap;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.FieldRef;
import com.rock8s.integration.operator.api.Target;
import com.rock8s.integration.operator.api.Var;
import com.rock8s.integration.operator.testing.RequestRecorder;
import com.rock8s.integration.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Var lookups and templated objects reach the API as the owner's service account, never as the operator. */
class ImpersonationTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    void varsAndResourcesAreReadAndAppliedAsTheOwnersServiceAccount() {
        List<RequestRecorder.Request> requests = new CopyOnWriteArrayList<>();
        Consumer<RequestRecorder.Request> listener = requests::add;
        cluster.requests().addListener(listener);
        try {
            String ns = cluster.newNamespace("impersonate");
            cluster.create(configMap(ns, "settings", Map.of("tier", "gold")));
            cluster.create(socket(ns, "db", s -> {
                s.setServiceAccountName("db-admin");
                s.setResources(List.of(CouplingLifecycleTest.configMapResource("grant-{{ plug.metadata.name }}",
                        "{{ plugConfig.tier }}")));
            }));
            cluster.create(plug(ns, "app", null, "db", p -> {
                p.setVars(List.of(var("tier", "settings", "data.tier")));
                p.setConfigTemplate(Map.of("tier", "{{ vars.tier }}"));
            }));
            await().atMost(Duration.ofSeconds(20)).until(() -> coupled(cluster.plug(ns, "app")));
            assertThat(cluster.client().configMaps().inNamespace(ns).withName("grant-app").get().getData())
                    .containsEntry("database", "gold");

            assertThat(requests).filteredOn(r -> r.path().endsWith("/namespaces/" + ns + "/configmaps/settings")
                            && "GET".equals(String.valueOf(r.method())))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.impersonateUser())
                            .isEqualTo("system:serviceaccount:" + ns + ":default"));
            assertThat(requests).filteredOn(r -> r.path().endsWith("/namespaces/" + ns + "/configmaps/grant-app")
                            && "PATCH".equals(String.valueOf(r.method())))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.impersonateUser())
                            .isEqualTo("system:serviceaccount:" + ns + ":db-admin"));
        } finally {
            cluster.requests().removeListener(listener);
        }
    }

    private static Var var(String name, String configMap, String fieldPath) {
        Target target = new Target();
        target.setApiVersion("v1");
        target.setKind("ConfigMap");
        target.setName(configMap);
        FieldRef fieldRef = new FieldRef();
        fieldRef.setFieldPath(fieldPath);
        Var var = new Var();
        var.setName(name);
        var.setObjref(target);
        var.setFieldref(fieldRef);
        return var;
    }
}
