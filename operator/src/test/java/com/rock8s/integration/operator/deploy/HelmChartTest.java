package com.rock8s.integration.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.localcluster.OperatorServiceAccount;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart: read without Helm (values, CRDs, and the objects its templates define against the kustomize base),
 * then linted, rendered and installed with the helm built with the local control plane. Templates are read loosely: lines that are only a template action are dropped and
 * inline actions become the string TEMPLATED, which leaves plain YAML as long as templates stay that simple.
 */
class HelmChartTest {
    private static final Pattern VALUE_REFERENCE = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
    private static final Pattern ACTION_LINE = Pattern.compile("^\\s*\\{\\{.*\\}\\}\\s*$");
    private static final Pattern ACTION = Pattern.compile("\\{\\{.*?\\}\\}");
    private static final Pattern ENV_FROM_VALUE = Pattern.compile(
            "- name: (\\w+)\\s*\\n\\s*value: \\{\\{ \\.Values\\.([\\w.]+) \\| quote \\}\\}");

    private static Path root;
    private static Path chart;
    private static Map<String, String> templates;
    private static Map<String, Object> values;
    private static Map<String, Map<String, Object>> chartObjects;
    private static Map<String, Map<String, Object>> base;

    @BeforeAll
    static void read() throws IOException, InterruptedException {
        root = TestCluster.repositoryRoot();
        chart = root.resolve("deploy/helm/integration-operator");
        templates = new TreeMap<>();
        try (Stream<Path> files = Files.list(chart.resolve("templates"))) {
            for (Path file : files.sorted().toList()) {
                templates.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        values = Manifests.documents(Files.readString(chart.resolve("values.yaml"))).get(0);
        chartObjects = new TreeMap<>();
        templates.forEach((name, text) -> {
            if (name.endsWith(".yaml")) {
                Manifests.documents(loosely(text)).forEach(d -> chartObjects.put(Manifests.kindAndName(d), d));
            }
        });
        try (Stream<Path> crds = Files.list(chart.resolve("crds"))) {
            for (Path crd : crds.toList()) {
                Manifests.documents(Files.readString(crd)).forEach(d -> chartObjects.put(Manifests.kindAndName(d), d));
            }
        }
        base = Manifests.byKindAndName(Kustomize.render(root.resolve("deploy/kustomize")));
    }

    @Test
    void everyValueATemplateUsesIsInValuesYaml() {
        Set<String> used = usedValues();
        assertThat(used).as("values referenced by the templates").isNotEmpty();
        assertThat(used).allSatisfy(path -> assertThat(defined(path))
                .as(".Values%s is used in a template but not defined in values.yaml", path).isTrue());
    }

    @Test
    void everyValueInValuesYamlIsUsedByATemplate() {
        Set<String> used = usedValues();
        List<String> unused = new ArrayList<>();
        leaves("", values, unused);
        unused.removeIf(leaf -> used.stream().anyMatch(u -> leaf.equals(u) || leaf.startsWith(u + ".")));
        assertThat(unused).as("values.yaml entries no template reads").isEmpty();
    }

    @Test
    void chartCrdsAreCopiesOfTheGeneratedOnes() throws IOException {
        try (Stream<Path> generated = Files.list(root.resolve("deploy/crds"));
             Stream<Path> copies = Files.list(chart.resolve("crds"))) {
            List<Path> crds = generated.sorted().toList();
            assertThat(copies.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(crds.stream().map(p -> p.getFileName().toString()).toList());
            for (Path crd : crds) {
                assertThat(chart.resolve("crds").resolve(crd.getFileName()))
                        .as("chart copy of %s; refresh with cp deploy/crds/*.yml deploy/helm/integration-operator/crds/",
                                crd.getFileName())
                        .hasSameBinaryContentAs(crd);
            }
        }
    }

    @Test
    void templatesDefineTheKindsAndNamesOfTheKustomizeBase() throws IOException {
        Set<String> expected = new TreeSet<>(base.keySet());
        // Helm installs into the release namespace (helm install --create-namespace) instead of defining it
        expected.remove("Namespace/integration-operator");
        // optional in both: a values toggle in the chart, a separate file next to the kustomize base
        expected.add(Manifests.kindAndName(Manifests.documents(
                Files.readString(root.resolve("deploy/kustomize/optional/servicemonitor.yaml"))).get(0)));
        assertThat(chartObjects.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void rbacRulesEqualTheKustomizeBase() {
        for (String role : List.of("ClusterRole/integration-operator", "Role/integration-operator-leases")) {
            assertThat(RbacRules.granted(chartObjects.get(role))).as("%s in the chart", role)
                    .isEqualTo(RbacRules.granted(base.get(role)));
        }
    }

    @Test
    void deploymentHasTheProbesSecurityAndVolumesOfTheKustomizeBase() {
        Map<String, Object> chartPod = pod(chartObjects), basePod = pod(base);
        for (String field : List.of("securityContext", "topologySpreadConstraints", "volumes",
                "serviceAccountName")) {
            assertThat(chartPod.get(field)).as("pod %s", field).isNotNull().isEqualTo(basePod.get(field));
        }
        Map<String, Object> chartContainer = container(chartPod), baseContainer = container(basePod);
        for (String field : List.of("livenessProbe", "readinessProbe", "startupProbe", "securityContext",
                "volumeMounts", "args", "name")) {
            assertThat(chartContainer.get(field)).as("container %s", field).isNotNull()
                    .isEqualTo(baseContainer.get(field));
        }
        assertThat(envNames(chartContainer)).as("environment variables (the OTLP endpoint is set only when given)")
                .containsExactlyInAnyOrderElementsOf(concat(envNames(baseContainer), "OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    @Test
    void valueDefaultsMatchTheKustomizeBase() {
        Map<String, String> baseEnv = new LinkedHashMap<>();
        for (Map<String, Object> env : env(container(pod(base)))) {
            if (env.get("value") != null) {
                baseEnv.put((String) env.get("name"), String.valueOf(env.get("value")));
            }
        }
        Matcher m = ENV_FROM_VALUE.matcher(templates.get("deployment.yaml"));
        int compared = 0;
        while (m.find()) {
            Object value = valueAt(m.group(2));
            if (value != null && !String.valueOf(value).isEmpty()) {
                assertThat(String.valueOf(value)).as("values.yaml %s (env %s)", m.group(2), m.group(1))
                        .isEqualTo(baseEnv.get(m.group(1)));
                compared++;
            }
        }
        assertThat(compared).as("settings compared").isGreaterThanOrEqualTo(10);
        assertThat(valueAt("replicas")).isEqualTo(Manifests.at(base.get("Deployment/integration-operator"),
                "spec.replicas"));
        assertThat(valueAt("resources")).isEqualTo(container(pod(base)).get("resources"));
        assertThat(valueAt("serviceMonitor.enabled")).isEqualTo(false);
    }

    @Test
    void helmLintsTheChart(@TempDir Path home) throws IOException, InterruptedException {
        Helm.Run lint = Helm.in(home).ok("lint", chart.toString(), "--strict");
        assertThat(lint.out()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    /**
     * {@code helm template} renders what the loose reading above approximates: the kinds and names of the base, the
     * same RBAC rules, the same pod and container fields and exactly the base's environment variables with the
     * default values (the OTLP endpoint only when one is given).
     */
    @Test
    void helmTemplateRendersTheObjectsOfTheKustomizeBase(@TempDir Path home) throws IOException,
            InterruptedException {
        Helm helm = Helm.in(home);
        Map<String, Map<String, Object>> rendered = Manifests.byKindAndName(helm.ok("template", "integration-operator",
                chart.toString(), "--namespace", "integration-operator", "--include-crds").out());
        Set<String> expected = new TreeSet<>(base.keySet());
        expected.remove("Namespace/integration-operator");
        assertThat(rendered.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (String role : List.of("ClusterRole/integration-operator", "Role/integration-operator-leases")) {
            assertThat(RbacRules.granted(rendered.get(role))).as("%s rendered by helm", role)
                    .isEqualTo(RbacRules.granted(base.get(role)));
        }
        Map<String, Object> renderedPod = pod(rendered), basePod = pod(base);
        for (String field : List.of("securityContext", "topologySpreadConstraints", "volumes", "serviceAccountName")) {
            assertThat(renderedPod.get(field)).as("pod %s", field).isEqualTo(basePod.get(field));
        }
        Map<String, Object> renderedContainer = container(renderedPod), baseContainer = container(basePod);
        for (String field : List.of("livenessProbe", "readinessProbe", "startupProbe", "securityContext",
                "volumeMounts", "args", "ports", "resources", "image")) {
            assertThat(renderedContainer.get(field)).as("container %s", field).isEqualTo(baseContainer.get(field));
        }
        assertThat(env(renderedContainer)).as("environment with the default values")
                .containsExactlyInAnyOrderElementsOf(env(baseContainer));
        Map<String, Object> withEndpoint = container(pod(Manifests.byKindAndName(helm.ok("template",
                "integration-operator", chart.toString(), "--namespace", "integration-operator",
                "--set", "tracing.otlpEndpoint=http://collector:4318").out())));
        assertThat(env(withEndpoint)).contains(Map.of("name", "OTEL_EXPORTER_OTLP_ENDPOINT",
                "value", "http://collector:4318"));
    }

    /**
     * {@code helm install} into a fresh namespace against the real API server, then {@code helm uninstall}. The chart's
     * ClusterRole and ClusterRoleBinding have the fixed names of the base that TestCluster installed for the operator
     * under test, and Helm refuses to adopt objects it did not create, so those two are deleted first and the base's
     * are applied again afterwards. The CRDs exist already: Helm leaves an existing CRD of {@code crds/} alone, and
     * uninstall keeps them.
     */
    @Test
    void helmInstallsTheChartIntoAFreshNamespaceAndUninstallsIt(@TempDir Path home) throws IOException,
            InterruptedException {
        Helm helm = Helm.in(home);
        TestCluster.Access api = TestCluster.access();
        String namespace = "helm-install-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        try (KubernetesClient admin = api.newAdminClient()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
            try {
                admin.rbac().clusterRoleBindings().withName("integration-operator").delete();
                admin.rbac().clusterRoles().withName("integration-operator").delete();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        admin.rbac().clusterRoles().withName("integration-operator").get() == null
                        && admin.rbac().clusterRoleBindings().withName("integration-operator").get() == null);

                // Helm 4 server-side applies crds/ even when the CRDs exist; TestCluster applied them through fabric8,
                // whose serialisation differs from the files in .spec.versions, a field manager conflict.
                helm.ok("install", "integration-operator", chart.toString(), "--namespace", namespace,
                        "--timeout", "60s", "--force-conflicts");
                assertThat(helm.ok("status", "integration-operator", "--namespace", namespace).out())
                        .contains("STATUS: deployed");
                Deployment deployment = admin.apps().deployments().inNamespace(namespace)
                        .withName("integration-operator").get();
                assertThat(deployment).as("Deployment in the release namespace").isNotNull();
                assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                        .isEqualTo("integration-operator");
                assertThat(admin.serviceAccounts().inNamespace(namespace).withName("integration-operator").get())
                        .isNotNull();
                assertThat(admin.rbac().clusterRoleBindings().withName("integration-operator").get().getSubjects())
                        .singleElement().satisfies(subject -> assertThat(subject.getNamespace()).isEqualTo(namespace));
                assertThat(admin.rbac().clusterRoles().withName("integration-operator").get().getMetadata()
                        .getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");
                assertThat(admin.rbac().roles().inNamespace(namespace).withName("integration-operator-leases").get())
                        .isNotNull();

                helm.ok("uninstall", "integration-operator", "--namespace", namespace);
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        admin.apps().deployments().inNamespace(namespace).withName("integration-operator").get() == null
                        && admin.rbac().clusterRoles().withName("integration-operator").get() == null);
                assertThat(admin.apiextensions().v1().customResourceDefinitions()
                        .withName("plugs.integration.rock8s.com").get()).as("uninstall keeps the CRDs").isNotNull();
            } finally {
                helm.run("uninstall", "integration-operator", "--namespace", namespace, "--ignore-not-found");
                OperatorServiceAccount.install(admin, root);
                admin.namespaces().withName(namespace).delete();
            }
        }
    }

    /** A template as plain YAML: action-only lines dropped, inline actions replaced by a placeholder. */
    static String loosely(String template) {
        return template.lines().filter(line -> !ACTION_LINE.matcher(line).matches())
                .map(line -> ACTION.matcher(line).replaceAll("TEMPLATED"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static Set<String> usedValues() {
        Set<String> used = new TreeSet<>();
        templates.values().forEach(text -> VALUE_REFERENCE.matcher(text).results()
                .forEach(r -> used.add(r.group(1).substring(1))));
        return used;
    }

    @SuppressWarnings("unchecked")
    private static boolean defined(String path) {
        Object current = values;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return true;
    }

    private static Object valueAt(String path) {
        return Manifests.at(values, path);
    }

    @SuppressWarnings("unchecked")
    private static void leaves(String prefix, Map<String, Object> map, List<String> out) {
        map.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                leaves(path, (Map<String, Object>) nested, out);
            } else {
                out.add(path);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pod(Map<String, Map<String, Object>> objects) {
        Map<String, Object> deployment = objects.get("Deployment/integration-operator");
        assertThat(deployment).as("Deployment/integration-operator").isNotNull();
        return (Map<String, Object>) Manifests.at(deployment, "spec.template.spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> pod) {
        return ((List<Map<String, Object>>) pod.get("containers")).stream()
                .filter(c -> "operator".equals(c.get("name"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> env(Map<String, Object> container) {
        return (List<Map<String, Object>>) container.get("env");
    }

    private static List<String> envNames(Map<String, Object> container) {
        return env(container).stream().map(e -> (String) e.get("name")).toList();
    }

    private static List<String> concat(List<String> list, String extra) {
        List<String> all = new ArrayList<>(list);
        all.add(extra);
        return all;
    }
}
