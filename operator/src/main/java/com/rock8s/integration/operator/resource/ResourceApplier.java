package com.rock8s.integration.operator.resource;

import com.rock8s.integration.operator.api.Do;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.telemetry.Activity;
import com.rock8s.integration.operator.telemetry.Step;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import com.rock8s.integration.operator.identity.Impersonation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Applies, deletes or recreates rendered objects. Apply is server-side apply with field manager
 * {@code integration-operator}; delete ignores objects that are already gone and propagates in the background (so a
 * Job's pods go with it); recreate deletes, waits until the object is gone, then applies.
 */
public final class ResourceApplier {
    public static final String FIELD_MANAGER = "integration-operator";

    private final Impersonation identities;
    private final boolean forceConflicts;
    private final Duration deletionTimeout;

    public ResourceApplier(Impersonation identities, boolean forceConflicts, Duration deletionTimeout) {
        this.identities = identities;
        this.forceConflicts = forceConflicts;
        this.deletionTimeout = deletionTimeout;
    }

    /**
     * Performs {@code action} (apply when absent) as {@code user}, a service account user name.
     */
    public void perform(Do action, GenericKubernetesResource object, String where, String user)
            throws CouplingFailure {
        Do effective = action == null ? Do.APPLY : action;
        KubernetesClient client = identities.as(user);
        try (Activity applying = Step.current().resource(effective.name().toLowerCase(), object.getKind(),
                object.getMetadata().getNamespace(), object.getMetadata().getName())) {
            switch (effective) {
                case APPLY -> apply(client, object);
                case DELETE -> delete(client, object);
                case RECREATE -> {
                    delete(client, object);
                    awaitGone(client, object, where);
                    apply(client, object);
                }
                default -> throw new IllegalStateException("unknown action " + effective);
            }
            applying.ok();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                // The API server's RBAC said no to the owner's identity: nothing was changed, and only a grant
                // to that service account can fix it (the retry with backoff picks the grant up).
                throw new CouplingFailure(Reason.RESOURCE_FORBIDDEN, where + ": " + user + " may not "
                        + effective.name().toLowerCase() + " " + describe(object) + "; grant it with a Role and "
                        + "RoleBinding in " + object.getMetadata().getNamespace() + " (" + e.getMessage() + ")", e);
            }
            throw new CouplingFailure(Reason.RESOURCE_ERROR, where + ": " + effective.name().toLowerCase()
                    + " " + describe(object) + " failed: " + e.getMessage(), e);
        }
    }

    /** Deletes {@code object} as {@code user}, ignoring NotFound. */
    public void delete(GenericKubernetesResource object, String user) {
        try (Activity deleting = Step.current().resource("delete", object.getKind(),
                object.getMetadata().getNamespace(), object.getMetadata().getName())) {
            delete(identities.as(user), object);
            deleting.ok();
        }
    }

    private static void delete(KubernetesClient client, GenericKubernetesResource object) {
        client.resource(object).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    /** Deletes the object named by these coordinates as {@code user}, ignoring NotFound. */
    public void delete(String apiVersion, String kind, String namespace, String name, String user) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(apiVersion);
        object.setKind(kind);
        object.setMetadata(new ObjectMetaBuilder().withNamespace(namespace)
                .withName(name).build());
        delete(object, user);
    }

    private void apply(KubernetesClient client, GenericKubernetesResource object) {
        var resource = client.resource(object).fieldManager(FIELD_MANAGER);
        if (forceConflicts) {
            resource.forceConflicts().serverSideApply();
        } else {
            resource.serverSideApply();
        }
    }

    private void awaitGone(KubernetesClient client, GenericKubernetesResource object, String where) throws CouplingFailure {
        try {
            client.resource(object).waitUntilCondition(Objects::isNull, deletionTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (KubernetesClientException e) {
            throw new CouplingFailure(Reason.RESOURCE_ERROR, where + ": " + describe(object)
                    + " was not gone " + deletionTimeout.toSeconds() + "s after its deletion; recreate retries", e);
        }
    }

    static String describe(GenericKubernetesResource object) {
        return object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }
}
