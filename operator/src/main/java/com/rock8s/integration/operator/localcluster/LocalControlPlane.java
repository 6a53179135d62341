package com.rock8s.integration.operator.localcluster;

import io.fabric8.kubernetes.client.Config;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager) on loopback, started through
 * {@code deploy/local-cluster/start.sh} of a checkout, which builds the pinned binaries on first use. The tests, the
 * load test and the {@code local} command all start it this way, so there is one launcher to trust.
 */
public final class LocalControlPlane implements AutoCloseable {
    /** How long a start may take, including a first build of the binaries. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(45);

    /** The launcher's line naming the directory of etcd, kube-apiserver, kubectl, helm... */
    private static final String BINARIES_LINE = "local-cluster: binaries in ";
    private static LocalControlPlane shared;

    private final Process process;
    private final Path kubeconfig;
    private final Path directory;
    private final Path binaries;

    private LocalControlPlane(Process process, Path kubeconfig, Path directory, Path binaries) {
        this.process = process;
        this.kubeconfig = kubeconfig;
        this.directory = directory;
        this.binaries = binaries;
    }

    /**
     * Starts a control plane with its state in {@code directory} and waits until it is ready.
     *
     * @param repositoryRoot a checkout (holds {@code deploy/local-cluster/start.sh})
     * @param fresh          remove what an earlier start left in {@code directory} first
     * @param output         where the launcher's and the build's progress lines go
     * @param extraArgs      more {@code start.sh} options, e.g. {@code --apiserver-flags "..."}
     */
    public static LocalControlPlane start(Path repositoryRoot, Path directory, boolean fresh, PrintStream output,
                                          String... extraArgs) throws IOException, InterruptedException {
        Path script = repositoryRoot.resolve("deploy/local-cluster/start.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no " + script + ": the local control plane starts from a checkout");
        }
        if (fresh) {
            deleteRecursively(directory);
        }
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), directory.toString()));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Path> ready = new CompletableFuture<>();
        CompletableFuture<Path> binaries = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.println(line);
                    if (line.startsWith(BINARIES_LINE)) {
                        binaries.complete(Path.of(line.substring(BINARIES_LINE.length()).trim()));
                    }
                    if (line.endsWith("admin.kubeconfig") && Files.isRegularFile(Path.of(line))) {
                        ready.complete(Path.of(line));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("deploy/local-cluster/start.sh exited with "
                    + exitCode(process) + " before the control plane was ready (see the lines above)"));
        }, "local-cluster-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Path kubeconfig = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new LocalControlPlane(process, kubeconfig, directory, binaries.getNow(null));
        } catch (ExecutionException e) {
            process.destroy();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            process.destroy();
            throw new IllegalStateException("the local control plane was not ready after " + START_TIMEOUT);
        }
    }

    /**
     * The control plane this JVM shares between all its users, started on first use with fresh state in
     * {@code target/local-cluster/jvm-<pid>} of the working directory (two test JVMs of one checkout never share
     * one) and stopped when the JVM exits; its logs stay there.
     */
    public static synchronized LocalControlPlane shared(Path repositoryRoot) {
        if (shared == null) {
            Path directory = Path.of("target", "local-cluster", "jvm-" + ProcessHandle.current().pid())
                    .toAbsolutePath();
            try {
                shared = start(repositoryRoot, directory, true, System.out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the local control plane", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the local control plane", e);
            }
            LocalControlPlane started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-cluster-stop"));
        }
        return shared;
    }

    /**
     * The directory of the programs built with the control plane (kubectl, helm...), built first if missing: the
     * same tools whether or not a control plane runs (with {@code IT_TARGET=kubeconfig} they talk to that cluster).
     */
    public static Path builtBinaries(Path repositoryRoot) throws IOException, InterruptedException {
        Process build = new ProcessBuilder("bash", repositoryRoot.resolve("deploy/local-cluster/build.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (build.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("deploy/local-cluster/build.sh failed (exit " + build.exitValue() + ")");
        }
        return Path.of(out.substring(out.lastIndexOf('\n') + 1));
    }

    /** The kubeconfig of the environment: the first file of {@code KUBECONFIG}, else {@code ~/.kube/config}. */
    public static Path environmentKubeconfig() {
        String env = System.getenv("KUBECONFIG");
        return env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
                : Path.of(System.getProperty("user.home"), ".kube", "config");
    }

    /** The admin kubeconfig (client certificate in {@code system:masters}). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Where etcd's data, the certificates and the components' logs are. */
    public Path directory() {
        return directory;
    }

    /** A client configuration with the admin's rights. */
    public Config adminConfig() {
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A program built with the control plane: {@code kubectl}, {@code helm}, {@code etcd}... */
    public Path binary(String name) {
        if (binaries == null) {
            throw new IllegalStateException("the launcher did not say where its binaries are");
        }
        return binaries.resolve(name);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Stops kube-controller-manager, kube-apiserver and etcd (SIGTERM to the launcher, which stops all three), then
     * removes etcd's data; certificates and logs stay for a look afterwards.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            deleteRecursively(directory.resolve("etcd"));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("cannot remove " + directory.resolve("etcd") + ": " + e);
        }
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
