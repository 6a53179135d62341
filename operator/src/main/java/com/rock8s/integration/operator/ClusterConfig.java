package com.rock8s.integration.operator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Whether a real cluster is configured: a KUBECONFIG file, {@code ~/.kube/config}, or the in-cluster environment. */
final class ClusterConfig {
    private ClusterConfig() {
    }

    static boolean available(Map<String, String> env) {
        if (env.get("KUBERNETES_SERVICE_HOST") != null) {
            return true;
        }
        String kubeconfig = env.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            for (String file : kubeconfig.split(File.pathSeparator)) {
                if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
                    return true;
                }
            }
            return false;
        }
        return Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }
}
