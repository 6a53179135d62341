package com.rock8s.integration.operator.coupling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Whether a plug or socket is being deleted because its whole namespace is. Then the side effects of its own side
 * are skipped: the namespace controller removes every object in that namespace anyway, its apparatus Pod is going
 * away, its service account's RoleBindings may already be gone (so the owner may no longer delete what it applied),
 * and the API server refuses anything new there. Retrying would hold the finalizer, and so the namespace, forever.
 * Only owners that are being deleted are checked, so a live coupling never pays for the lookup.
 */
public final class TerminatingNamespaces {
    private static final Duration REMEMBER = Duration.ofSeconds(5);

    private final Function<String, Boolean> lookup;
    private final Cache<String, Boolean> recent = Caffeine.newBuilder().expireAfterWrite(REMEMBER)
            .maximumSize(10_000).build();

    /** Reads namespaces with the operator's own client. */
    public TerminatingNamespaces(KubernetesClient client) {
        this(namespace -> {
            try {
                Namespace found = client.namespaces().withName(namespace).get();
                return found == null || found.getMetadata().getDeletionTimestamp() != null;
            } catch (KubernetesClientException e) {
                // Unknown: act as if it were alive, so nothing is skipped on a guess.
                return false;
            }
        });
    }

    TerminatingNamespaces(Function<String, Boolean> lookup) {
        this.lookup = lookup;
    }

    /** True when {@code owner} is being deleted and its namespace is being deleted (or is gone). */
    public boolean ownerGoesWithItsNamespace(HasMetadata owner) {
        if (owner == null || owner.getMetadata().getDeletionTimestamp() == null) {
            return false;
        }
        return recent.get(owner.getMetadata().getNamespace(), lookup);
    }
}
