package com.rock8s.integration.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.testing.Kubectl;
import com.rock8s.integration.operator.testing.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import com.rock8s.integration.operator.localcluster.LocalControlPlane;
import com.rock8s.integration.operator.localcluster.OperatorServiceAccount;
import io.fabric8.kubernetes.client.Config;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command and the embedded mode, exercised on the shaded jar exactly as a user runs them (this
 * runs in the {@code integration-test} phase, after the jar is packaged).
 */
class MainIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Path JAR = Path.of("target", "integration-operator.jar");

    @TempDir
    Path home;

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopJar() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void withoutAClusterTheJarStartsAnEmbeddedApiAppliesTheExamplesAndPrintsEachCoupling() throws IOException {
        startJar(TestCluster.repositoryRoot(), List.of(), freePort());

        await().atMost(STARTUP).untilAsserted(() -> assertThat(String.join("\n", output))
                .contains("No cluster found")
                .contains("coupled    plug app/postgres -> socket postgres-namespace/postgres")
                .contains("coupled    plug bar-namespace/bar -> socket foo-namespace/foo")
                .contains("coupled    plug default/consumer -> socket db/partner"));
    }

    @Test
    void embeddedModeServesKubectlApplyGetDescribeAndDelete() throws IOException, InterruptedException {
        int port = freePort();
        int metricsPort = freePort();
        startJar(home, List.of("embedded", "--port", String.valueOf(port), "--no-examples"), metricsPort);
        await().atMost(STARTUP).until(() -> output.stream().anyMatch(l -> l.contains("Embedded Kubernetes API on")));
        Kubectl kubectl = Kubectl.against(LocalControlPlane.builtBinaries(TestCluster.repositoryRoot())
                .resolve("kubectl"), "http://127.0.0.1:" + port, home);
        String example = TestCluster.repositoryRoot().resolve("deploy/examples/03-minimal-pair.yaml").toString();

        kubectl.ok("apply", "--validate=false", "-f", example);
        await().atMost(STARTUP).untilAsserted(() -> assertThat(kubectl.ok("get", "plugs", "-A").out())
                .containsPattern("bar-namespace\\s+bar\\s+.*foo\\s+True\\s+CouplingSucceeded"));
        assertThat(kubectl.ok("get", "integrations", "-A").out()).contains("plug.integration.rock8s.com/bar")
                .contains("socket.integration.rock8s.com/foo");
        // the CRD generator orders printer columns by JSON path: AGE, COUPLED, PLUGS
        assertThat(kubectl.ok("get", "sockets", "-n", "foo-namespace").out())
                .containsPattern("foo\\s+\\S+\\s+True\\s+1");
        assertThat(kubectl.ok("describe", "plug", "bar", "-n", "bar-namespace").out())
                .contains("Coupled").contains("CouplingSucceeded");

        kubectl.ok("apply", "--server-side", "--validate=false", "-f", example);

        kubectl.ok("delete", "plug", "bar", "-n", "bar-namespace");
        await().atMost(STARTUP).untilAsserted(() -> assertThat(kubectl.ok("get", "socket", "foo", "-n",
                "foo-namespace", "-o", "jsonpath={.status.coupledPlugCount}").out()).isEqualTo("0"));
        assertThat(kubectl.run("get", "plug", "bar", "-n", "bar-namespace").err()).contains("NotFound");

        assertThat(http(metricsPort, "/readyz").statusCode()).isEqualTo(200);
        assertThat(http(metricsPort, "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = http(metricsPort, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("operator_sdk_reconciliations_started_total")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("name=\"bar\"");
    }

    /**
     * {@code java -jar integration-operator.jar run} with a kubeconfig holding only the operator's ServiceAccount
     * token (the RBAC deploy/kustomize ships), driven by the kubectl built with the local control plane as an admin
     * would: CRDs applied from deploy/crds, field docs explained, printer columns listed, a plug waited for and
     * described.
     */
    @Test
    void runModeOnTheRealControlPlaneWithTheOperatorsOwnToken() throws IOException, InterruptedException {
        TestCluster.Access api = TestCluster.access();
        Kubectl kubectl = api.controlPlane() != null
                ? Kubectl.withKubeconfig(api.controlPlane().binary("kubectl"), api.controlPlane().kubeconfig(), home)
                : Kubectl.withKubeconfig(LocalControlPlane.builtBinaries(TestCluster.repositoryRoot())
                        .resolve("kubectl"), LocalControlPlane.environmentKubeconfig(), home);
        Path operatorKubeconfig = home.resolve("operator.kubeconfig");
        Files.writeString(operatorKubeconfig, tokenKubeconfig(api.operator()));
        // The fixture applied them already with fabric8's field manager, which owns .spec.versions: take it over.
        kubectl.ok("apply", "--server-side", "--force-conflicts", "-f",
                TestCluster.repositoryRoot().resolve("deploy/crds").toString());
        int metricsPort = freePort();
        startJar(home, List.of("run"), metricsPort, Map.of("KUBECONFIG", operatorKubeconfig.toString(),
                "POD_NAMESPACE", OperatorServiceAccount.NAMESPACE, "POD_NAME", "main-it-0"));
        await().atMost(STARTUP).ignoreExceptions().until(() -> http(metricsPort, "/readyz").statusCode() == 200);

        assertThat(kubectl.ok("explain", "plugs.spec.socket").out()).contains("FIELDS").contains("name");
        String example = TestCluster.repositoryRoot().resolve("deploy/examples/03-minimal-pair.yaml").toString();
        kubectl.ok("apply", "-f", example);
        kubectl.ok("wait", "--for=condition=Coupled", "plug/bar", "-n", "bar-namespace", "--timeout=60s");
        assertThat(kubectl.ok("get", "plugs", "-n", "bar-namespace").out())
                .containsPattern("bar\\s+.*foo\\s+True\\s+CouplingSucceeded");
        assertThat(kubectl.ok("describe", "plug", "bar", "-n", "bar-namespace").out())
                .contains("Coupled").contains("CouplingSucceeded");
        assertThat(kubectl.run("auth", "can-i", "create", "deployments", "--as",
                "system:serviceaccount:" + OperatorServiceAccount.NAMESPACE + ":" + OperatorServiceAccount.NAME)
                .out().trim()).as("the operator's token is not an admin's").isEqualTo("no");

        kubectl.ok("delete", "-f", example, "--wait=true", "--timeout=60s");
        assertThat(String.join("\n", output)).doesNotContain("Forbidden");
    }

    private static String tokenKubeconfig(Config config) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: integration-operator
                  user:
                    token: %s
                contexts:
                - name: local
                  context: {cluster: local, user: integration-operator}
                current-context: local
                """.formatted(config.getMasterUrl(), config.getCaCertData(), config.getOauthToken());
    }

    private static HttpResponse<String> http(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void startJar(Path workingDirectory, List<String> args, int metricsPort) throws IOException {
        startJar(workingDirectory, args, metricsPort, Map.of());
    }

    private void startJar(Path workingDirectory, List<String> args, int metricsPort, Map<String, String> env)
            throws IOException {
        assertThat(JAR).as("the shaded jar (built by ./mvnw package)").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Duser.home=" + home, "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("KUBECONFIG");
        builder.environment().remove("KUBERNETES_SERVICE_HOST");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("METRICS_PORT", String.valueOf(metricsPort));
        builder.environment().putAll(env);
        process = builder.start();
        Files.createDirectories(home);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("<output closed: " + e.getMessage() + ">");
            }
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
