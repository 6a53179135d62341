package com.rock8s.integration.loadtest.replica;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operator replica as a child JVM ({@code com.rock8s.integration.operator.Main run}), its output copied to a log
 * file, its {@code /metrics} port read from the line the operator prints at start.
 */
public final class ReplicaProcess implements AutoCloseable {
    private static final Pattern METRICS_LINE = Pattern.compile("Metrics and probes on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final CompletableFuture<Integer> metricsPort = new CompletableFuture<>();
    private final Thread pump;
    private volatile boolean killed;

    private ReplicaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.pump = new Thread(() -> copyOutput(log), "replica-log-" + name);
        this.pump.setDaemon(true);
        this.pump.start();
        process.onExit().thenRun(() -> metricsPort.completeExceptionally(
                new IllegalStateException("replica " + name + " exited with " + process.exitValue()
                        + " before serving metrics; see " + log)));
    }

    /**
     * Starts a replica.
     *
     * @param name its identity ({@code POD_NAME})
     * @param heap its {@code -Xmx}
     * @param classPath the class path holding the operator
     * @param jvmOptions further JVM options (a profiler), may be empty
     * @param env the environment on top of this process's ({@code KUBECONFIG}, shard and lease settings, ...)
     * @param log where its output goes
     * @return the started process
     */
    public static ReplicaProcess start(String name, String heap, String classPath, List<String> jvmOptions,
                                       Map<String, String> env, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // G1 named explicitly: the JVM would pick Serial on a small container, and heap figures must compare
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "com.rock8s.integration.operator.Main", "run"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            return new ReplicaProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + name, e);
        }
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = METRICS_LINE.matcher(line);
                if (m.find()) {
                    metricsPort.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process went away while its output was being read; the log keeps what arrived
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean killed() {
        return killed;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits until the replica serves {@code /readyz} with 200.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException when it exits or does not become ready in time
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int port;
        try {
            port = metricsPort.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("replica " + name + " did not print its metrics port", e);
        }
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("replica " + name + " exited with " + process.exitValue());
            }
            if (get(port, "/readyz", Duration.ofSeconds(2)) == 200) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException("replica " + name + " not ready after " + timeout);
    }

    /** Its {@code /metrics} URL, once it printed its port. */
    public java.util.Optional<URI> metricsUri() {
        if (!metricsPort.isDone() || metricsPort.isCompletedExceptionally()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(URI.create("http://127.0.0.1:" + metricsPort.join() + "/metrics"));
    }

    /** Scrapes {@code /metrics}; empty when the replica does not answer. */
    public java.util.Optional<MetricsSample> scrape(double atMillis) {
        if (!metricsPort.isDone() || metricsPort.isCompletedExceptionally() || !process.isAlive()) {
            return java.util.Optional.empty();
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + metricsPort.join() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(MetricsSample.parse(response.body(), atMillis, cpuSeconds()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** CPU seconds the OS charged to the process, -1 when it does not say. */
    public double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /**
     * Asks the JVM for a full collection with {@code jcmd PID GC.run}, so that the next heap figure is what the
     * replica holds rather than what it has not collected yet.
     *
     * @return whether jcmd ran and succeeded
     */
    public boolean collectGarbage() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd) || !process.isAlive()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Writes the largest entries of the replica's class histogram ({@code jcmd PID GC.class_histogram}, which
     * collects first): what the heap the report quotes is made of.
     *
     * @param file where the lines go
     * @param lines how many classes to keep
     * @return whether jcmd ran and succeeded
     */
    public boolean writeClassHistogram(Path file, int lines) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd) || !process.isAlive()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            List<String> kept = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (kept.size() < lines + 3 || line.startsWith("Total")) {
                        kept.add(line);
                    }
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return false;
            }
            Files.createDirectories(file.getParent());
            Files.write(file, kept, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the JVM at once, as a node failure would. */
    public void kill() {
        killed = true;
        process.destroyForcibly();
    }

    private static int get(int port, String path, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops the replica: a normal shutdown first, then a kill if it lingers. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
