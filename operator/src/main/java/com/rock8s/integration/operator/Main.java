package com.rock8s.integration.operator;

import com.rock8s.integration.observability.Metrics;
import com.rock8s.integration.observability.ProbeServer;
import com.rock8s.integration.observability.tracing.Tracing;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.controller.ReconcileObserver;
import com.rock8s.integration.sharding.ShardingSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import com.rock8s.integration.operator.embedded.EmbeddedApiServer;
import com.rock8s.integration.operator.telemetry.ApiRequestMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The command line.
 *
 * <pre>
 * integration-operator.jar            run against the cluster in KUBECONFIG (or in-cluster config); when there is
 *                                     none, against an embedded API with the examples applied
 * integration-operator.jar run        run against the cluster; fail when there is none
 * integration-operator.jar embedded [--port 18443] [--replicas N] [--apply DIR]... [--no-examples]
 *                                     serve an embedded API on http://127.0.0.1:PORT and run N replicas on it
 * </pre>
 */
public final class Main {
    static final int DEFAULT_EMBEDDED_PORT = 18443;
    private static final String[] BUNDLED_EXAMPLES = {
        "01-postgres-createdb.yaml", "03-minimal-pair.yaml", "04-interface-config-result.yaml",
        "05-resources-resultresources.yaml", "06-deferred-resource.yaml"};

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "auto" : args[0];
        switch (command) {
            case "auto" -> {
                if (ClusterConfig.available(System.getenv())) {
                    runAgainstCluster();
                } else {
                    System.out.println("No cluster found (no KUBECONFIG, ~/.kube/config or in-cluster config): "
                            + "starting an embedded API with the examples applied.");
                    runEmbedded(new String[0]);
                }
            }
            case "run" -> runAgainstCluster();
            case "embedded" -> runEmbedded(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "-h", "--help", "help" -> System.out.println(usage());
            default -> {
                System.err.println("unknown command '" + command + "'\n" + usage());
                System.exit(2);
            }
        }
    }

    private static String usage() {
        return """
                usage: java -jar integration-operator.jar [run | embedded [--port N] [--replicas N] [--apply DIR]...
                                                          [--no-examples]]
                  (no command)  run against the cluster in KUBECONFIG, or an embedded API when there is none
                  run           run against the cluster in KUBECONFIG or the in-cluster config
                  embedded      serve an embedded API on http://127.0.0.1:N (default 18443) and run on it
                                --replicas N runs N replicas in this process (shards spread over them)""";
    }

    private static void runAgainstCluster() throws InterruptedException {
        OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
        ApiRequestMetrics apiRequests = new ApiRequestMetrics();
        KubernetesClient client = apiRequests.instrument(new KubernetesClientBuilder()).build();
        System.out.println("Integration operator " + settings.identity() + " running against "
                + client.getMasterUrl());
        runUntilStopped(client, apiRequests, settings, ShardingSettings.fromEnvironment(System.getenv()), 1, null,
                false);
    }

    private static void runEmbedded(String[] args) throws Exception {
        Integer port = null;
        int replicas = 1;
        List<Path> apply = new ArrayList<>();
        boolean examples = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--replicas" -> replicas = Integer.parseInt(value(args, ++i, "--replicas"));
                case "--apply" -> apply.add(Path.of(value(args, ++i, "--apply")));
                case "--no-examples" -> examples = false;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + usage());
            }
        }
        int chosenPort = port != null ? port : (portFree(DEFAULT_EMBEDDED_PORT) ? DEFAULT_EMBEDDED_PORT : 0);
        EmbeddedApiServer server = EmbeddedApiServer.start(chosenPort);
        server.installCrdsFromClasspath();
        ApiRequestMetrics apiRequests = new ApiRequestMetrics();
        KubernetesClient client = apiRequests.instrument(new KubernetesClientBuilder().withConfig(server.clientConfig()))
                .build();
        System.out.println("Embedded Kubernetes API on " + server.url() + "  (try: kubectl --server "
                + server.url() + " get integrations -A)");
        Runnable applyManifests = () -> {
            List<Path> sources = new ArrayList<>(apply);
            if (apply.isEmpty()) {
                sources.add(examplesDirectory());
            }
            for (Path source : sources) {
                try {
                    List<HasMetadata> applied = server.apply(source);
                    System.out.println("applied " + applied.size() + " objects from " + source);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot apply " + source, e);
                }
            }
        };
        ShardingSettings sharding = ShardingSettings.fromEnvironment(System.getenv());
        String leaseNamespace = sharding.namespace();
        if (client.namespaces().withName(leaseNamespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(leaseNamespace)
                    .endMetadata().build()).create();
        }
        System.out.println("Watch the shards: kubectl --server " + server.url() + " get leases -n " + leaseNamespace
                + "; kubectl --server " + server.url() + " get plugs -A -L " + OperatorRuntime.SHARD_LABEL);
        runUntilStopped(client, apiRequests, OperatorSettings.fromEnvironment(System.getenv()), sharding, replicas,
                examples || !apply.isEmpty() ? applyManifests : null, true);
        server.close();
    }

    /**
     * Runs {@code replicas} replicas (more than one only in the embedded mode, named {@code <identity>-<i>}), each
     * with its own metrics and probe server, until the JVM is stopped. The replicas share {@code client}, so its
     * request counts are exported by the first replica's {@code /metrics} only.
     */
    private static void runUntilStopped(KubernetesClient client, ApiRequestMetrics apiRequests,
                                        OperatorSettings settings, ShardingSettings sharding, int replicas,
                                        Runnable afterStart, boolean printCouplings) throws InterruptedException {
        Tracing tracing = Tracing.fromEnvironment(System.getenv(), "integration-operator");
        List<AutoCloseable> running = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            String identity = replicas == 1 ? settings.identity() : settings.identity() + "-" + i;
            Metrics metrics = new Metrics();
            if (i == 0) {
                apiRequests.bindTo(metrics.registry());
            }
            OperatorRuntime runtime = new OperatorRuntime(client, null, settings, sharding.withIdentity(identity),
                    metrics.registry(), tracing, ReconcileObserver.NONE).start();
            // An explicit METRICS_PORT must be honoured (by the first replica); the default yields to whatever
            // already uses 8080 on a laptop, and further replicas take free ports.
            int metricsPort = i > 0 || System.getenv("METRICS_PORT") == null && !portFree(settings.metricsPort())
                    ? 0 : settings.metricsPort();
            ProbeServer probes;
            try {
                probes = ProbeServer.start(metricsPort, metrics::scrape, runtime::isReady);
            } catch (IOException e) {
                runtime.close();
                throw new UncheckedIOException("cannot serve probes and metrics on port " + metricsPort, e);
            }
            // The load-test harness and MainIT read this line to find the port.
            System.out.println("Metrics and probes on http://127.0.0.1:" + probes.port()
                    + "/metrics, /healthz, /readyz (replica " + identity + ")");
            running.add(runtime);
            running.add(probes);
            running.add(metrics);
        }
        // Only for a person watching the embedded mode: the printer watches every plug of the cluster, which a
        // sharded replica must not cache, and its plain lines would break a pod's JSON log stream.
        CouplingPrinter printer = printCouplings ? new CouplingPrinter(client, System.out) : null;
        if (afterStart != null) {
            afterStart.run();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (printer != null) {
                printer.close();
            }
            for (AutoCloseable closeable : running) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e);
                }
            }
            tracing.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** {@code deploy/examples} when run from a checkout, else the copy bundled in the jar. */
    private static Path examplesDirectory() {
        Path checkout = Path.of("deploy", "examples");
        if (Files.isDirectory(checkout)) {
            return checkout;
        }
        try {
            Path directory = Files.createTempDirectory("integration-examples");
            for (String name : BUNDLED_EXAMPLES) {
                try (InputStream in = Main.class.getResourceAsStream("/examples/" + name)) {
                    if (in != null) {
                        Files.copy(in, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled examples", e);
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
