package com.rock8s.integration.loadtest.replica;

import com.rock8s.integration.loadtest.profile.CpuProfile;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operator replicas of a local or embedded run: child JVMs pointed at the API through a kubeconfig file (on the
 * local control plane with the operator's ServiceAccount token), sampled every couple of seconds, and killed when the
 * harness exits however it exits.
 */
public final class ReplicaFleet implements AutoCloseable {
    /** Namespace of the shard Leases ({@code POD_NAMESPACE}). */
    public static final String LEASE_NAMESPACE = "integration-operator";

    private final List<ReplicaProcess> replicas = new CopyOnWriteArrayList<>();
    private final Map<String, List<MetricsSample>> series = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replica-sampler");
        t.setDaemon(true);
        return t;
    });
    private final Thread shutdownHook = new Thread(this::killAll, "loadtest-replicas-shutdown");
    private final long runStartNanos;

    private ReplicaFleet(long runStartNanos) {
        this.runStartNanos = runStartNanos;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts replicas and waits until each is ready.
     *
     * @param count how many
     * @param api the API server, its CA and the replicas' credentials (a bearer token or none), written to the
     *            replicas' kubeconfig
     * @param settings environment of every replica (shards, leases, threads); {@code POD_NAME}, {@code KUBECONFIG}
     *                 and {@code METRICS_PORT} are set here
     * @param heap {@code -Xmx} of each
     * @param directory where the kubeconfig and the replicas' logs go
     * @param profile whether each replica records a CPU profile into {@code directory/profiles}
     * @param runStartNanos zero of the samples' clock
     * @return the running fleet
     */
    public static ReplicaFleet start(int count, Config api, Map<String, String> settings, String heap,
                                     Path directory, boolean profile, long runStartNanos) {
        ReplicaFleet fleet = new ReplicaFleet(runStartNanos);
        try {
            Path kubeconfig = writeKubeconfig(directory.resolve("kubeconfig.yaml"), api);
            String classPath = System.getProperty("java.class.path");
            for (int i = 0; i < count; i++) {
                String name = "replica-" + i;
                Map<String, String> env = new HashMap<>(settings);
                env.put("KUBECONFIG", kubeconfig.toString());
                env.put("POD_NAME", name);
                env.put("METRICS_PORT", "0");
                List<String> jvm = profile ? CpuProfile.jvmOptions(directory.resolve("profiles").resolve(name + ".jfr"))
                        : List.of();
                if (profile) {
                    Files.createDirectories(directory.resolve("profiles"));
                }
                fleet.replicas.add(ReplicaProcess.start(name, heap, classPath, jvm, env,
                        directory.resolve("logs").resolve(name + ".log")));
            }
            for (ReplicaProcess replica : fleet.replicas) {
                replica.awaitReady(Duration.ofSeconds(120));
                fleet.series.put(replica.name(), new CopyOnWriteArrayList<>());
            }
        } catch (IOException e) {
            fleet.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
        fleet.sampler.scheduleWithFixedDelay(fleet::sample, 0, 2, TimeUnit.SECONDS);
        return fleet;
    }

    /**
     * A kubeconfig naming the API server with its CA (when it has one) and, when given, a bearer token: the
     * operator's ServiceAccount on the local control plane, nothing on the embedded API (it has no authentication).
     * Readable by its owner only, since it may hold a token.
     */
    static Path writeKubeconfig(Path file, Config api) {
        StringBuilder cluster = new StringBuilder("      server: ").append(quote(api.getMasterUrl())).append('\n');
        if (api.getCaCertData() != null && !api.getCaCertData().isBlank()) {
            cluster.append("      certificate-authority-data: ").append(api.getCaCertData().trim()).append('\n');
        } else if (api.getCaCertFile() != null && !api.getCaCertFile().isBlank()) {
            cluster.append("      certificate-authority: ").append(quote(Path.of(api.getCaCertFile())
                    .toAbsolutePath().toString())).append('\n');
        }
        String token = api.getAutoOAuthToken() != null ? api.getAutoOAuthToken() : api.getOauthToken();
        String user = token == null || token.isBlank() ? "{}" : "\n      token: " + token;
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: loadtest
                    cluster:
                %s
                contexts:
                  - name: loadtest
                    context:
                      cluster: loadtest
                      user: replica
                      namespace: default
                current-context: loadtest
                users:
                  - name: replica
                    user: %s
                """.formatted(cluster.toString().stripTrailing(), user);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the file is as private as its directory
            }
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file.toAbsolutePath();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public List<ReplicaProcess> replicas() {
        return List.copyOf(replicas);
    }

    /** Heap, CPU and thread samples per replica, oldest first. */
    public Map<String, List<MetricsSample>> series() {
        Map<String, List<MetricsSample>> out = new LinkedHashMap<>();
        for (ReplicaProcess r : replicas) {
            out.put(r.name(), List.copyOf(series.getOrDefault(r.name(), List.of())));
        }
        return out;
    }

    private void sample() {
        double at = (System.nanoTime() - runStartNanos) / 1e6;
        for (ReplicaProcess replica : replicas) {
            replica.scrape(at).ifPresent(s -> series.computeIfAbsent(replica.name(),
                    k -> new CopyOnWriteArrayList<>()).add(s));
        }
    }

    /**
     * A full collection in every live replica, then one scrape each: the heap each one holds now.
     *
     * @return heap bytes by replica name; replicas that do not answer are left out
     */
    public Map<String, MetricsSample> settledSample() {
        Map<String, MetricsSample> out = new LinkedHashMap<>();
        double at = (System.nanoTime() - runStartNanos) / 1e6;
        for (ReplicaProcess replica : replicas) {
            if (replica.alive()) {
                replica.collectGarbage();
                replica.scrape(at).ifPresent(s -> out.put(replica.name(), s));
            }
        }
        return out;
    }

    /**
     * Writes each live replica's class histogram to {@code directory/<replica>-<label>.txt}.
     *
     * @return the files written
     */
    public List<Path> writeClassHistograms(Path directory, String label) {
        List<Path> written = new ArrayList<>();
        for (ReplicaProcess replica : replicas) {
            Path file = directory.resolve(replica.name() + "-" + label + ".txt");
            if (replica.alive() && replica.writeClassHistogram(file, 25)) {
                written.add(file);
            }
        }
        return written;
    }

    /** Kills every replica at once (the shutdown hook's path: no time for a clean stop). */
    private void killAll() {
        replicas.forEach(ReplicaProcess::kill);
    }

    /** Stops sampling and stops every replica. */
    @Override
    public void close() {
        sampler.shutdownNow();
        List<ReplicaProcess> all = new ArrayList<>(replicas);
        all.parallelStream().forEach(ReplicaProcess::close);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; the replicas are being killed anyway
        }
    }
}
