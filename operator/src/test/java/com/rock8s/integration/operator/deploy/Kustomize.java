package com.rock8s.integration.operator.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rock8s.integration.operator.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a kustomization with the stock kubectl binary, as a user would ({@code kubectl kustomize DIR}). Each
 * directory is rendered once per test JVM: the deploy tests all read the same base.
 */
public final class Kustomize {
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /**
     * The rendered manifests of {@code directory}.
     *
     * @throws AssertionError when the rendering fails; the calling test is skipped when kubectl is not installed
     */
    public static String render(Path directory) throws IOException, InterruptedException {
        Path key = directory.toAbsolutePath().normalize();
        String rendered = RENDERED.get(key);
        if (rendered == null) {
            rendered = run(key);
            RENDERED.put(key, rendered);
        }
        return rendered;
    }

    private static String run(Path directory) throws IOException, InterruptedException {
        // kustomize renders offline: the server is never contacted, and nothing from the machine's kubeconfig matters
        // Like the other kubectl tests, skipped on a machine without kubectl: the build needs only a JDK.
        Kubectl kubectl = Kubectl.find("http://127.0.0.1:1", Files.createTempDirectory("kustomize-home")).orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed (PATH, /usr/bin, /usr/local/bin): the kustomize base "
                + "is not rendered; install kubectl v1.32 or newer to check it");
        return kubectl.ok("kustomize", directory.toString()).out();
    }
}
