package com.rock8s.integration.operator.deploy;


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
     * The kubectl built with the local control plane, as the cluster admin of {@link TestCluster#access()}: the local
     * control plane's, or with {@code IT_TARGET=kubeconfig} the environment's kubeconfig.
     */
    public static Kubectl kubectl() throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("kubectl-home");
        LocalControlPlane controlPlane = TestCluster.access().controlPlane();
        if (controlPlane != null) {
            return Kubectl.withKubeconfig(controlPlane.binary("kubectl"), controlPlane.kubeconfig(), home);
        }
        return Kubectl.withKubeconfig(LocalControlPlane.builtBinaries(TestCluster.repositoryRoot()).resolve("kubectl"),
                LocalControlPlane.environmentKubeconfig(), home);
    }
}
