package com.rock8s.integration.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a kubectl binary with a private home directory, so nothing from the machine running the tests leaks in:
 * either against a plain-http API server URL with an empty kubeconfig (the embedded API), or with a given kubeconfig
 * (the local control plane's admin).
 */
public final class Kubectl {
    /** One finished kubectl invocation. */
    public record Run(int exit, String out, String err) {
    }

    private final String binary;
    private final String server;
    private final Path kubeconfig;
    private final Path home;

    private Kubectl(String binary, String server, Path kubeconfig, Path home) {
        this.binary = binary;
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /** {@code binary} against a plain-http {@code server} with an empty kubeconfig (the embedded API). */
    public static Kubectl against(Path binary, String server, Path home) {
        return new Kubectl(binary.toString(), server, null, home);
    }

    /** {@code binary} (e.g. the kubectl built with the local control plane) using {@code kubeconfig}. */
    public static Kubectl withKubeconfig(Path binary, Path kubeconfig, Path home) {
        return new Kubectl(binary.toString(), null, kubeconfig, home);
    }

    /** kubectl talking to {@code server}, or empty when kubectl is not installed. */
    public static Optional<Kubectl> find(String server, Path home) {
        List<String> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(dir + "/kubectl");
            }
        }
        candidates.add("/usr/bin/kubectl");
        candidates.add("/usr/local/bin/kubectl");
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst()
                .map(binary -> new Kubectl(binary, server, null, home));
    }

    public Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary));
        if (server != null) {
            command.addAll(List.of("--server", server));
        }
        command.addAll(List.of("--cache-dir", home.resolve("cache").toString(), "--request-timeout", "20s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", kubeconfig != null ? kubeconfig.toString()
                : home.resolve("empty-kubeconfig").toString());
        builder.environment().put("HOME", home.toString());
        Path out = Files.createTempFile(home, "kubectl", ".out");
        Path err = Files.createTempFile(home, "kubectl", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs and asserts a zero exit status. */
    public Run ok(String... args) throws IOException, InterruptedException {
        Run run = run(args);
        assertThat(run.exit()).as("kubectl %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err())
                .isZero();
        return run;
    }
}
