package com.rock8s.integration.operator.localcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The operator's own identity on a cluster it runs on out of cluster (tests, the load test, the {@code local}
 * command): the ServiceAccount, ClusterRole, lease Role and their bindings exactly as {@code deploy/kustomize} ships
 * them, applied by an admin, and a token of that ServiceAccount from the TokenRequest API. A client built from
 * {@link #clientConfig} has the rights a deployed operator has and no more.
 */
public final class OperatorServiceAccount {
    /** The objects of {@code deploy/kustomize} that make up the operator's identity and rights. */
    public static final List<String> RBAC_FILES = List.of("namespace.yaml", "serviceaccount.yaml",
            "clusterrole.yaml", "clusterrolebinding.yaml", "role-leases.yaml", "rolebinding-leases.yaml");
    /** The namespace and ServiceAccount name deploy/kustomize uses. */
    public static final String NAMESPACE = "integration-operator";
    public static final String NAME = "integration-operator";

    private OperatorServiceAccount() {
    }

    /** Applies the operator's ServiceAccount and RBAC from {@code repositoryRoot/deploy/kustomize} as {@code admin}. */
    public static void install(KubernetesClient admin, Path repositoryRoot) {
        Path base = repositoryRoot.resolve("deploy/kustomize");
        for (String file : RBAC_FILES) {
            try (InputStream in = Files.newInputStream(base.resolve(file))) {
                for (HasMetadata object : admin.load(in).items()) {
                    if (!"Namespace".equals(object.getKind()) && !object.getKind().startsWith("Cluster")) {
                        object.getMetadata().setNamespace(NAMESPACE);
                    }
                    admin.resource(object).forceConflicts().serverSideApply();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + base.resolve(file), e);
            }
        }
    }

    /**
     * A client configuration that authenticates as the operator's ServiceAccount with a fresh token valid for
     * {@code validity}, against the server and CA of {@code admin}.
     */
    public static Config clientConfig(KubernetesClient admin, Duration validity) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(validity.toSeconds()).endSpec().build();
        TokenRequest issued = admin.serviceAccounts().inNamespace(NAMESPACE).withName(NAME).tokenRequest(request);
        Config adminConfig = admin.getConfiguration();
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertData(adminConfig.getCaCertData())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withOauthToken(issued.getStatus().getToken())
                .withNamespace(NAMESPACE)
                .build();
    }
}
