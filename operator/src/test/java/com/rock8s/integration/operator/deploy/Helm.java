package com.rock8s.integration.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.operator.localcluster.LocalControlPlane;
import com.rock8s.integration.operator.testing.TestCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs helm (the one built with the local control plane, deploy/local-cluster pins it) with private cache, config and
 * data directories, so no repository, plugin or registry login of the machine leaks in, against the admin kubeconfig
 * of {@link TestCluster#access()}.
 */
public final class Helm {
    /** One finished helm invocation. */
    public record Run(int exit, String out, String err) {
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path home;

    private Helm(Path binary, Path kubeconfig, Path home) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /** The helm built with the local control plane, with its state under {@code home}, as the test's admin. */
    public static Helm in(Path home) throws IOException, InterruptedException {
        LocalControlPlane controlPlane = TestCluster.access().controlPlane();
        if (controlPlane != null) {
            return new Helm(controlPlane.binary("helm"), controlPlane.kubeconfig(), home);
        }
        return new Helm(LocalControlPlane.builtBinaries(TestCluster.repositoryRoot()).resolve("helm"),
                LocalControlPlane.environmentKubeconfig(), home);
    }

    public Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        builder.environment().remove("KUBECONFIG");
        Path out = Files.createTempFile(home, "helm", ".out");
        Path err = Files.createTempFile(home, "helm", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("helm " + String.join(" ", args) + " timed out");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs and asserts a zero exit status. */
    public Run ok(String... args) throws IOException, InterruptedException {
        Run run = run(args);
        assertThat(run.exit()).as("helm %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err())
                .isZero();
        return run;
    }
}
