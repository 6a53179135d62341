package com.rock8s.integration.operator.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

/**
 * Clients that act as a plug's or socket's service account. Reading var targets and applying or deleting templated
 * objects with the owner's identity keeps a tenant from using the operator's own permissions to reach what its
 * service account may not. The views share the operator's HTTP client; they only add the impersonation headers.
 */
public final class Impersonation {
    private static final long MAX_IDENTITIES = 10_000;

    private final KubernetesClient client;
    private final Cache<String, KubernetesClient> views = Caffeine.newBuilder().maximumSize(MAX_IDENTITIES).build();

    public Impersonation(KubernetesClient client) {
        this.client = client;
    }

    /** {@code system:serviceaccount:<namespace>:<name or "default">}. */
    public static String serviceAccountUser(String namespace, String serviceAccountName) {
        String name = serviceAccountName == null || serviceAccountName.isBlank() ? "default" : serviceAccountName;
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /**
     * A client acting as {@code user}, a service account user name as made by {@link #serviceAccountUser}. Only the
     * user is sent: the API server then adds the service account's groups itself, whereas sending groups would need
     * {@code impersonate} on {@code groups}, a grant that lets its holder claim any group (system:masters included).
     */
    public KubernetesClient as(String user) {
        return views.get(user, this::view);
    }

    private KubernetesClient view(String user) {
        String[] parts = user.split(":");
        if (parts.length != 4 || !"system".equals(parts[0]) || !"serviceaccount".equals(parts[1])) {
            throw new IllegalArgumentException("not a service account user: " + user);
        }
        RequestConfig config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withImpersonateUsername(user)
                .build();
        return client.newClient(config).adapt(KubernetesClient.class);
    }
}
