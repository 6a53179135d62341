package com.rock8s.integration.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.operator.testing.TestCluster;
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
 * role-leases.yaml and the chart's copies.
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

    private static List<ApiCall> calls;
    private static Map<String, Map<String, Object>> rendered;

    @BeforeAll
    static void recordTheOperatorAndRenderTheBase() throws Exception {
        calls = OperatorCallRecording.record();
        rendered = Manifests.byKindAndName(Kustomize.render(TestCluster.repositoryRoot().resolve("deploy/kustomize")));
    }

    @Test
    void theScenarioExercisedTheOperator() {
        assertThat(OperatorCallRecording.permissions(calls)).as("recorded permissions").contains(
                new Permission("integration.rock8s.com", "plugs", "watch"),
                new Permission("", "events", "create"));
        assertThat(calls).as("templated objects applied as the owners' service accounts")
                .anyMatch(c -> c.impersonatedAs().isPresent());
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
