package com.rock8s.integration.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.operator.testing.Kubectl;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl kustomize deploy/kustomize} (with the kubectl built with the local control plane): the objects a
 * {@code kubectl apply -k} installs, install.yaml, and that the API server accepts both.
 */
class KustomizeBaseTest {
    private static final String NAMESPACE = "integration-operator";
    private static Path root;
    private static String output;
    private static Map<String, Map<String, Object>> objects;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        root = TestCluster.repositoryRoot();
        output = Kustomize.render(root.resolve("deploy/kustomize"));
        objects = Manifests.byKindAndName(output);
    }

    @Test
    void theBaseHoldsTheOperatorsObjects() {
        assertThat(objects.keySet()).containsExactlyInAnyOrder(
                "Namespace/integration-operator",
                "CustomResourceDefinition/deferredresources.integration.rock8s.com",
                "CustomResourceDefinition/plugs.integration.rock8s.com",
                "CustomResourceDefinition/sockets.integration.rock8s.com",
                "ServiceAccount/integration-operator",
                "ClusterRole/integration-operator",
                "ClusterRoleBinding/integration-operator",
                "Role/integration-operator-leases",
                "RoleBinding/integration-operator-leases",
                "Service/integration-operator-metrics",
                "Deployment/integration-operator",
                "PodDisruptionBudget/integration-operator");
        objects.values().stream().filter(o -> !List.of("Namespace", "CustomResourceDefinition", "ClusterRole",
                "ClusterRoleBinding").contains(o.get("kind")))
                .forEach(o -> assertThat(Manifests.at(o, "metadata.namespace")).as(Manifests.kindAndName(o))
                        .isEqualTo(NAMESPACE));
    }

    @Test
    void renderedCrdsEqualTheGeneratedOnes() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("deploy/crds"))) {
            List<Path> crds = files.sorted().toList();
            assertThat(crds).hasSize(3);
            for (Path crd : crds) {
                assertThat(root.resolve("deploy/kustomize/crds").resolve(crd.getFileName()))
                        .as("kustomize copy of %s; refresh with cp deploy/crds/*.yml deploy/kustomize/crds/ and "
                                + "regenerate deploy/install.yaml", crd.getFileName())
                        .hasSameBinaryContentAs(crd);
                Map<String, Object> committed = Manifests.documents(Files.readString(crd)).get(0);
                assertThat(objects.get(Manifests.kindAndName(committed)).equals(committed))
                        .as("rendered %s equals deploy/crds/%s", Manifests.kindAndName(committed), crd.getFileName())
                        .isTrue();
            }
        }
    }

    @Test
    void deploymentRunsThreeSpreadReplicasWithProbesOnTheMetricsPort() {
        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("integration-operator");
        assertThat(pod.getTopologySpreadConstraints()).anySatisfy(c -> {
            assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(c.getMaxSkew()).isEqualTo(1);
            assertThat(c.getLabelSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        });
        Container operator = container();
        assertThat(operator.getArgs()).containsExactly("run");
        int metricsPort = operator.getPorts().stream().filter(p -> "http-metrics".equals(p.getName())).findFirst()
                .orElseThrow().getContainerPort();
        assertThat(metricsPort).isEqualTo(Integer.parseInt(env().get("METRICS_PORT").getValue()));
        assertProbe(operator.getLivenessProbe(), "/healthz");
        assertProbe(operator.getReadinessProbe(), "/readyz");
        assertProbe(operator.getStartupProbe(), "/healthz");
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKeys("memory");
    }

    @Test
    void podRunsNonRootOnAReadOnlyRootWithNoPrivilegesAndTheDefaultSeccompProfile() {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        Container operator = container();
        var container = operator.getSecurityContext();
        assertThat(container.getRunAsNonRoot()).isTrue();
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void theJvmWritesOnlyToAnEmptyDirOnTmp() {
        VolumeMount tmp = container().getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath()))
                .findFirst().orElseThrow(() -> new AssertionError("no volume mounted on /tmp"));
        Volume volume = deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).as("volume %s", volume.getName()).isNotNull();
        assertThat(tmp.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        String jvm = env().get("JDK_JAVA_OPTIONS").getValue();
        assertThat(jvm).contains("-Djava.io.tmpdir=/tmp", "-XX:MaxRAMPercentage=75");
    }

    @Test
    void podIdentityComesFromTheDownwardApiAndEverySettingHasAValue() {
        Map<String, EnvVar> env = env();
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env).containsKeys("MAX_CONCURRENT_RECONCILES", "RESYNC_INTERVAL_SECONDS", "APPLY_FORCE_CONFLICTS",
                "RECREATE_TIMEOUT_SECONDS", "SHARD_COUNT", "LEASE_DURATION_SECONDS", "LEASE_RENEW_DEADLINE_SECONDS",
                "LEASE_RETRY_PERIOD_SECONDS", "LOG_LEVEL", "OTEL_SERVICE_NAME");
        assertThat(env.get("SHARD_COUNT").getValue()).isEqualTo("16");
    }

    @Test
    void disruptionBudgetAndMetricsServiceSelectTheOperatorPods() {
        Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        PodDisruptionBudget pdb = Manifests.typed(objects.get("PodDisruptionBudget/integration-operator"),
                PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        Service service = Manifests.typed(objects.get("Service/integration-operator-metrics"), Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http-metrics"));
    }

    @Test
    void installYamlIsTheRenderedBase() throws IOException {
        Path install = root.resolve("deploy/install.yaml");
        assertThat(Files.exists(install) ? Files.readString(install) : "")
                .as("deploy/install.yaml is out of date; regenerate it from the repository root with:\n"
                        + "  kubectl kustomize deploy/kustomize > deploy/install.yaml\n")
                .isEqualTo(output);
    }

    /**
     * What {@code kubectl apply --server-side -k deploy/kustomize} does on a real API server: every object is admitted
     * (validated against the built-in schemas, the CRDs' structural schemas, Pod Security admission of the namespace),
     * and reads back as applied. There are no nodes, so the Deployment's Pods never run; install.yaml is checked the
     * same way with a server-side dry run. The objects TestCluster installed (CRDs, ServiceAccount, RBAC) are the same
     * ones, so they stay; the Deployment, Service and PodDisruptionBudget are removed afterwards.
     */
    @Test
    void theApiServerAcceptsTheBaseAndInstallYaml() throws IOException, InterruptedException {
        Kubectl kubectl = Kustomize.kubectl();
        try {
            // TestCluster applied the CRDs and the RBAC objects through fabric8 (field manager "fabric8"), whose
            // re-serialised CRDs differ from the files in .spec.versions: a real server reports that as a field
            // manager conflict, so take the fields over as an admin upgrading from another tool would.
            kubectl.ok("apply", "--server-side", "--force-conflicts", "-k", root.resolve("deploy/kustomize").toString());
            kubectl.ok("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f",
                    root.resolve("deploy/install.yaml").toString());

            Deployment deployment = Manifests.typed(Manifests.documents(kubectl.ok("get", "deployment",
                    "integration-operator", "-n", NAMESPACE, "-o", "json").out()).get(0), Deployment.class);
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
            assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                    .isEqualTo("integration-operator");
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                    .satisfies(c -> assertThat(c.getImage()).isEqualTo("ghcr.io/rock8s/integration-operator:0.1.0"));
            assertThat(deployment.getSpec().getStrategy().getType()).as("defaulted by the server")
                    .isEqualTo("RollingUpdate");

            Map<String, Object> account = Manifests.documents(kubectl.ok("get", "serviceaccount",
                    "integration-operator", "-n", NAMESPACE, "-o", "json").out()).get(0);
            assertThat(Manifests.at(account, "metadata.uid")).isNotNull();
            Map<String, Object> clusterRole = Manifests.documents(kubectl.ok("get", "clusterrole",
                    "integration-operator", "-o", "json").out()).get(0);
            assertThat(RbacRules.granted(clusterRole)).as("ClusterRole as stored")
                    .isEqualTo(RbacRules.granted(objects.get("ClusterRole/integration-operator")));
            for (String kind : List.of("role/integration-operator-leases", "rolebinding/integration-operator-leases",
                    "service/integration-operator-metrics", "poddisruptionbudget/integration-operator")) {
                kubectl.ok("get", kind, "-n", NAMESPACE, "-o", "name");
            }
            kubectl.ok("get", "clusterrolebinding/integration-operator", "namespace/" + NAMESPACE,
                    "crd/plugs.integration.rock8s.com", "crd/sockets.integration.rock8s.com",
                    "crd/deferredresources.integration.rock8s.com", "-o", "name");
        } finally {
            kubectl.ok("delete", "-n", NAMESPACE, "--ignore-not-found", "--wait=true",
                    "deployment/integration-operator", "service/integration-operator-metrics",
                    "poddisruptionbudget/integration-operator");
        }
    }

    private static Deployment deployment() {
        return Manifests.typed(objects.get("Deployment/integration-operator"), Deployment.class);
    }

    private static Container container() {
        return deployment().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("operator")).findFirst().orElseThrow();
    }

    private static Map<String, EnvVar> env() {
        return container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    }
}
