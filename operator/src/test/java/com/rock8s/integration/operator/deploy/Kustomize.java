package com.rock8s.integration.operator.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rock8s.integration.operator.localcluster.LocalControlPlane;
import com.rock8s.integration.operator.testing.Kubectl;
import com.rock8s.integration.operator.testing.TestCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a kustomization with kubectl, as a user would ({@code kubectl kustomize DIR}): the kubectl built with the
 * local control plane (deploy/local-cluster pins it), so the rendering never depends on what the machine has
 * installed. Each directory is rendered once per test JVM: the deploy tests all read the same base.
 */
public final class Kustomize {
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The rendered manifests of {@code directory}. */
    public static String render(Path directory) throws IOException, InterruptedException {
        Path key = directory.toAbsolutePath().normalize();
        String rendered = RENDERED.get(key);
        if (rendered == null) {
            rendered = kubectl().ok("kustomize", key.toString()).out();
            RENDERED.put(key, rendered);
        }
        return rendered;
    }

    /**
     * kubectl as the cluster admin of {@link TestCluster#access()}: the built one on the local control plane; with
     * {@code IT_TARGET=kubeconfig} (no local control plane) the one on PATH with the kubeconfig of the environment.
     */
    public static Kubectl kubectl() throws IOException {
        Path home = Files.createTempDirectory("kubectl-home");
        LocalControlPlane controlPlane = TestCluster.access().controlPlane();
        if (controlPlane != null) {
            return Kubectl.withKubeconfig(controlPlane.binary("kubectl"), controlPlane.kubeconfig(), home);
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        Path config = kubeconfig != null ? Path.of(kubeconfig.split(File.pathSeparator)[0])
                : Path.of(System.getProperty("user.home"), ".kube", "config");
        Path binary = onPath();
        assumeTrue(binary != null, "IT_TARGET=kubeconfig and no kubectl on PATH");
        return Kubectl.withKubeconfig(binary, config, home);
    }

    private static Path onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
