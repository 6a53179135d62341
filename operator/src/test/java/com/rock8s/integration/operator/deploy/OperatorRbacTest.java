package com.rock8s.integration.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.testing.RequestRecorder;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole and the lease Role of deploy/kustomize grant exactly what the operator calls: every request it made
 * during {@link OperatorCallRecording}'s scenario is granted, and every granted permission was used. When the operator
 * starts making new calls (or stops), the failure prints the rules to paste into deploy/kustomize/clusterrole.yaml or
 * role-leases.yaml and the chart's copies. The operator ran against a real API server with its ServiceAccount's token,
 * so the server itself also refused anything the roles lack ({@link #theServerRefusedNothingTheOperatorAskedFor}).
 */
class OperatorRbacTest {
    /**
     * Resources the operator uses only in its own namespace ({@code POD_NAMESPACE}); the Role grants them there. Every
     * other resource is granted cluster-wide by the ClusterRole. Add a {@code group/resource} here when the operator
     * starts using another resource in its own namespace only.
     */
    static final Set<String> OWN_NAMESPACE_RESOURCES = Set.of("coordination.k8s.io/leases");

    /** Non-resource URLs every authenticated user may read (the default system:discovery and public-info roles). */
    private static final Pattern DISCOVERY = Pattern.compile("/(api|apis|version|openapi)(/.*)?|/healthz|/livez|/readyz");

    private static OperatorCallRecording.Recording recording;
    private static List<ApiCall> calls;
    private static Map<String, Map<String, Object>> rendered;

    @BeforeAll
    static void recordTheOperatorAndRenderTheBase() throws Exception {
        recording = OperatorCallRecording.record();
        calls = recording.calls();
        rendered = Manifests.byKindAndName(Kustomize.render(TestCluster.repositoryRoot().resolve("deploy/kustomize")));
    }

    @Test
    void theScenarioExercisedTheOperator() {
        assertThat(OperatorCallRecording.permissions(calls)).as("recorded permissions").contains(
                new Permission("integration.rock8s.com", "plugs", "watch"),
                new Permission("", "events", "create"));
        assertThat(calls).as("templated objects applied as the owners' service accounts")
                .anyMatch(c -> c.impersonatedAs().isPresent());
        assertThat(recording.requests()).as("the server answered the interfered writes with a real 409 Conflict")
                .anySatisfy(r -> assertThat(r).extracting(RequestRecorder.Request::method,
                                RequestRecorder.Request::path, RequestRecorder.Request::status)
                        .containsExactly("PUT", "/apis/integration.rock8s.com/v1beta1/namespaces/foo-namespace/sockets/foo/status", 409))
                .anySatisfy(r -> assertThat(r).extracting(RequestRecorder.Request::method,
                                RequestRecorder.Request::path, RequestRecorder.Request::status)
                        .containsExactly("PATCH", "/apis/integration.rock8s.com/v1beta1/namespaces/default/plugs/consumer", 409));
    }

    @Test
    void theServerRefusedNothingTheOperatorAskedFor() {
        assertThat(recording.requests()).as("requests the API server refused for lack of rights (401/403); the "
                        + "operator authenticated with its ServiceAccount token, bound to the shipped roles")
                .filteredOn(r -> r.status() == 401 || r.status() == 403)
                .isEmpty();
    }

    /**
     * The roles are not merely sufficient but tight on the server: with the very token the scenario passed with,
     * requests just outside them are Forbidden, while requests inside them (the control) succeed.
     */
    @Test
    void requestsOutsideTheShippedRolesAreForbiddenForTheSameToken() {
        TestCluster.Access api = TestCluster.access();
        String namespace = "rbac-outside-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        try (KubernetesClient admin = api.newAdminClient();
             KubernetesClient operator = new KubernetesClientBuilder().withConfig(api.operator()).build()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
            try {
                admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                        .withName("s").endMetadata().addToStringData("k", "v").build()).create();
                admin.resource(Manifests.typed(Map.of("apiVersion", "integration.rock8s.com/v1beta1", "kind", "Plug",
                        "metadata", Map.of("name", "p", "namespace", namespace),
                        "spec", Map.of("socket", Map.of("name", "s"))), Plug.class)).create();

                // inside the roles: the same token reads what the operator reads
                assertThat(operator.secrets().inAnyNamespace().list().getItems())
                        .anyMatch(x -> x.getMetadata().getNamespace().equals(namespace));
                assertThat(operator.resources(Plug.class).inNamespace(namespace).withName("p").get()).isNotNull();

                assertForbidden("create a Deployment", () -> operator.apps().deployments().inNamespace(namespace)
                        .resource(new DeploymentBuilder().withNewMetadata().withName("d").endMetadata()
                                .withNewSpec().withNewSelector().addToMatchLabels("a", "b").endSelector()
                                .withNewTemplate().withNewMetadata().addToLabels("a", "b").endMetadata()
                                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer()
                                .endSpec().endTemplate().endSpec().build()).create());
                assertForbidden("get a Secret by name (list and watch only)", () -> operator.secrets()
                        .inNamespace(namespace).withName("s").get());
                assertForbidden("list nodes", () -> operator.nodes().list());
                assertForbidden("delete a Plug", () -> operator.resources(Plug.class).inNamespace(namespace)
                        .withName("p").delete());
                Plug stored = admin.resources(Plug.class).inNamespace(namespace).withName("p").get();
                assertForbidden("update a Plug (patch only; update is for status)", () -> operator.resource(stored)
                        .update());
                assertForbidden("create a ConfigMap", () -> operator.configMaps().inNamespace(namespace)
                        .resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build())
                        .create());
                assertForbidden("create a Lease outside its own namespace", () -> operator.leases()
                        .inNamespace(namespace).resource(new LeaseBuilder().withNewMetadata().withName("l")
                                .endMetadata().withNewSpec().endSpec().build()).create());
                assertForbidden("impersonate a user that is not a service account", () -> {
                    try (KubernetesClient asAdmin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                            api.operator()).withImpersonateUsername("admin").build()).build()) {
                        return asAdmin.namespaces().list();
                    }
                });
                assertForbidden("impersonate a group", () -> {
                    try (KubernetesClient asMasters = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                            api.operator()).withImpersonateUsername("system:serviceaccount:" + namespace + ":default")
                            .withImpersonateGroups("system:masters").build()).build()) {
                        return asMasters.namespaces().list();
                    }
                });
                assertThat(admin.resources(Plug.class).inNamespace(namespace).withName("p").get())
                        .as("the plug the operator could not delete").isNotNull();
            } finally {
                admin.namespaces().withName(namespace).delete();
            }
        }
    }

    private static void assertForbidden(String what, java.util.concurrent.Callable<?> request) {
        assertThatThrownBy(request::call).as(what)
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                        .as("%s: HTTP status (%s)", what, e.getMessage()).isEqualTo(403));
    }

    @Test
    void clusterRoleGrantsExactlyTheCallsTheOperatorMadeAsItself() {
        SortedSet<Permission> expected = new TreeSet<>(recordedOwn(false));
        expected.addAll(impersonation());
        SortedSet<Permission> granted = RbacRules.granted(role("ClusterRole/integration-operator"));
        assertThat(granted).as(mismatch("deploy/kustomize/clusterrole.yaml", expected, granted))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void leaseRoleGrantsExactlyTheCallsTheOperatorMadeInItsOwnNamespace() {
        SortedSet<Permission> expected = recordedOwn(true);
        SortedSet<Permission> granted = RbacRules.granted(role("Role/integration-operator-leases"));
        assertThat(granted).as(mismatch("deploy/kustomize/role-leases.yaml", expected, granted))
                .containsExactlyElementsOf(expected);
        assertThat(calls).filteredOn(c -> c.impersonatedAs().isEmpty() && ownNamespaceResource(c))
                .as("calls on own-namespace resources stay in the operator's namespace")
                .allMatch(c -> c.namespace().equals(java.util.Optional.of(OperatorCallRecording.OPERATOR_NAMESPACE)));
    }

    @Test
    void theOperatorReadsNoNonResourceUrlBeyondDiscovery() {
        assertThat(calls).filteredOn(c -> c.nonResourcePath().isPresent())
                .extracting(ApiCall::path)
                .as("non-resource URLs need nonResourceURLs rules unless every user may read them")
                .allMatch(path -> DISCOVERY.matcher(path).matches());
    }

    @Test
    @SuppressWarnings("unchecked")
    void bindingsGiveBothRolesToTheOperatorServiceAccount() {
        for (String binding : List.of("ClusterRoleBinding/integration-operator",
                "RoleBinding/integration-operator-leases")) {
            Map<String, Object> document = rendered.get(binding);
            assertThat(document).as(binding).isNotNull();
            assertThat((List<Object>) document.get("subjects")).as(binding + " subjects").containsExactly(Map.of(
                    "kind", "ServiceAccount", "name", "integration-operator",
                    "namespace", OperatorCallRecording.OPERATOR_NAMESPACE));
        }
        assertThat(Manifests.at(rendered.get("ClusterRoleBinding/integration-operator"), "roleRef.name"))
                .isEqualTo("integration-operator");
        assertThat(Manifests.at(rendered.get("RoleBinding/integration-operator-leases"), "roleRef.kind"))
                .isEqualTo("Role");
    }

    /** What the operator did as itself, on own-namespace resources ({@code true}) or on everything else. */
    private static SortedSet<Permission> recordedOwn(boolean ownNamespace) {
        return calls.stream().filter(c -> c.impersonatedAs().isEmpty() && ownNamespaceResource(c) == ownNamespace)
                .flatMap(c -> c.permission().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What the impersonation headers needed; impersonated requests themselves are the owner's permissions. */
    private static SortedSet<Permission> impersonation() {
        return calls.stream().flatMap(c -> c.impersonation().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean ownNamespaceResource(ApiCall call) {
        return call.permission().map(p -> OWN_NAMESPACE_RESOURCES.contains(p.group() + "/"
                + p.resource().split("/")[0])).orElse(false);
    }

    private static Map<String, Object> role(String kindAndName) {
        Map<String, Object> role = rendered.get(kindAndName);
        assertThat(role).as("%s in the rendered base", kindAndName).isNotNull();
        return role;
    }

    private static String mismatch(String file, Set<Permission> expected, Set<Permission> granted) {
        Set<Permission> missing = new TreeSet<>(expected);
        missing.removeAll(granted);
        Set<Permission> unused = new TreeSet<>(granted);
        unused.removeAll(expected);
        return "RBAC differs from what the operator called.\n  called but not granted: " + missing
                + "\n  granted but never called: " + unused + "\nReplace the rules in " + file
                + " (and its copy in deploy/helm/integration-operator/templates/) with:\n" + RbacRules.yaml(expected)
                + "then regenerate deploy/install.yaml: kubectl kustomize deploy/kustomize > deploy/install.yaml\n";
    }
}
