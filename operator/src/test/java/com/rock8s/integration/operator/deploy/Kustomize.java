package com.rock8s.integration.operator.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with the stock kubectl binary, as a user would ({@code kubectl kustomize DIR}). */
public final class Kustomize {
    private Kustomize() {
    }

    /**
     * The rendered manifests of {@code directory}.
     *
     * @throws AssertionError when kubectl is not installed or the rendering fails, saying which
     */
    public static String render(Path directory) throws IOException, InterruptedException {
        String kubectl = kubectl();
        Path home = Files.createTempDirectory("kustomize-home");
        Path out = home.resolve("out.yaml");
        Path err = home.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(kubectl, "kustomize", directory.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // nothing from the machine's kubeconfig or plugins matters for rendering
        builder.environment().put("HOME", home.toString());
        builder.environment().put("KUBECONFIG", home.resolve("none").toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl kustomize " + directory + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + directory + " failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(err));
        }
        return Files.readString(out);
    }

    private static String kubectl() {
        List<String> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(dir + File.separator + "kubectl");
            }
        }
        candidates.add("/usr/bin/kubectl");
        candidates.add("/usr/local/bin/kubectl");
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst()
                .orElseThrow(() -> new AssertionError("kubectl is needed to render deploy/kustomize and was not found "
                        + "on the PATH or in /usr/bin, /usr/local/bin: install kubectl (v1.32 or newer)"));
    }
}
