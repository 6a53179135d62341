package com.rock8s.integration.loadtest.cluster;

import com.rock8s.integration.operator.localcluster.Crds;
import com.rock8s.integration.operator.localcluster.LocalControlPlane;
import com.rock8s.integration.operator.localcluster.OperatorServiceAccount;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code local} target: a real control plane ({@code deploy/local-cluster/start.sh} through
 * {@link LocalControlPlane}) started for one run with fresh state, the CRDs of {@code deploy/crds} applied and
 * established, and the operator's ServiceAccount and RBAC of {@code deploy/kustomize} installed. The harness drives
 * it as the admin; the replicas and the baseline get {@link #operatorConfig()}, the operator's own least-privilege
 * identity. Stopped by {@link #close()} or, on Ctrl-C, by a shutdown hook.
 */
public final class LocalCluster implements AutoCloseable {
    /** Long enough for the longest run; the cluster is thrown away afterwards. */
    private static final Duration OPERATOR_TOKEN_VALIDITY = Duration.ofHours(24);

    private final LocalControlPlane controlPlane;
    private final Config adminConfig;
    private final Config operatorConfig;
    private final PrintStream log;
    private final Thread shutdownHook;

    private LocalCluster(LocalControlPlane controlPlane, Config adminConfig, Config operatorConfig, PrintStream log) {
        this.controlPlane = controlPlane;
        this.adminConfig = adminConfig;
        this.operatorConfig = operatorConfig;
        this.log = log;
        this.shutdownHook = new Thread(controlPlane::close, "loadtest-local-cluster-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a control plane with its state in {@code directory} (removed first) and prepares it for a run.
     *
     * @param repositoryRoot the checkout holding {@code deploy/}
     * @param directory      fresh state of etcd, certificates and the components' logs
     * @param logFile        where the launcher's lines go
     */
    public static LocalCluster start(Path repositoryRoot, Path directory, Path logFile) {
        PrintStream log = null;
        LocalControlPlane controlPlane = null;
        try {
            Files.createDirectories(logFile.getParent());
            log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
            controlPlane = LocalControlPlane.start(repositoryRoot, directory, true, log);
            Config admin = controlPlane.adminConfig();
            Config operator;
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(admin).build()) {
                Crds.install(client, repositoryRoot);
                OperatorServiceAccount.install(client, repositoryRoot);
                operator = OperatorServiceAccount.clientConfig(client, OPERATOR_TOKEN_VALIDITY);
            }
            return new LocalCluster(controlPlane, admin, operator, log);
        } catch (IOException e) {
            stop(controlPlane, log);
            throw new UncheckedIOException("cannot start the local control plane", e);
        } catch (InterruptedException e) {
            stop(controlPlane, log);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local control plane", e);
        } catch (RuntimeException e) {
            stop(controlPlane, log);
            throw e;
        }
    }

    private static void stop(LocalControlPlane controlPlane, OutputStream log) {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // nothing left to report to
            }
        }
    }

    /** The checkout above the working directory: the first folder with {@code deploy/local-cluster/start.sh}. */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isRegularFile(here.resolve("deploy/local-cluster/start.sh"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("--target local starts deploy/local-cluster/start.sh of a checkout: run "
                    + "the harness inside one (or use --target embedded or kubeconfig)");
        }
        return here;
    }

    /** The admin (client certificate in {@code system:masters}): the harness's own requests. */
    public Config adminConfig() {
        return adminConfig;
    }

    /** The operator's ServiceAccount token against this server: what every replica and the baseline use. */
    public Config operatorConfig() {
        return operatorConfig;
    }

    /** Where etcd's data, the certificates and the components' logs are. */
    public Path directory() {
        return controlPlane.directory();
    }

    /** Stops kube-controller-manager, kube-apiserver and etcd. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is stopping it anyway
        }
        stop(controlPlane, log);
    }
}
