package com.rock8s.integration.operator.deferred;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.DeferredResourceApplied;
import com.rock8s.integration.operator.api.DeferredResourceSpec;
import com.rock8s.integration.operator.api.DeferredResourceWaitFor;
import com.rock8s.integration.operator.coupling.SideEffects;
import com.rock8s.integration.operator.identity.Impersonation;
import com.rock8s.integration.operator.resource.ResourceApplier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DeferredResource's spec, checked: the payload placed in the DeferredResource's namespace and labelled, the
 * objects to wait for, the delay and the user to act as. Every bad input is found here, before any waiting, so a
 * typo shows at once instead of after the delay.
 *
 * @param payload  the object to apply
 * @param waitFor  objects that must exist first
 * @param delay    how long after the DeferredResource's creation to apply
 * @param user     the service account user that reads, applies and deletes
 */
public record DeferredPlan(GenericKubernetesResource payload, List<WaitTarget> waitFor, Duration delay, String user) {
    /** Label on the payload naming the DeferredResource that applied it. */
    public static final String LABEL_DEFERRED_RESOURCE_UID = "integration.rock8s.com/deferredresource-uid";
    /** Value of {@link SideEffects#LABEL_OWNER} on a payload. */
    public static final String OWNER = "deferredresource";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The plan for {@code deferred}'s current spec, or the first bad input found. */
    public static DeferredPlan of(DeferredResource deferred) throws DeferralFailure {
        String namespace = deferred.getMetadata().getNamespace();
        DeferredResourceSpec spec = deferred.getSpec();
        if (spec == null) {
            throw new DeferralFailure(DeferredReason.INVALID_RESOURCE, "spec.resource is missing");
        }
        long timeout = spec.getTimeout() == null ? 0 : spec.getTimeout();
        if (timeout < 0) {
            throw new DeferralFailure(DeferredReason.INVALID_SPEC, "spec.timeout is " + timeout
                    + "; it must be a number of seconds, 0 or more");
        }
        List<WaitTarget> waitFor = new ArrayList<>();
        List<DeferredResourceWaitFor> entries = spec.getWaitFor() == null ? List.of() : spec.getWaitFor();
        for (int i = 0; i < entries.size(); i++) {
            waitFor.add(target(entries.get(i), "spec.waitFor[" + i + "]", namespace));
        }
        return new DeferredPlan(payload(spec.getResource(), deferred), List.copyOf(waitFor),
                Duration.ofSeconds(timeout),
                Impersonation.serviceAccountUser(namespace, spec.getServiceAccountName()));
    }

    /** What the status records once the payload is applied from generation {@code generation}. */
    public DeferredResourceApplied applied(Long generation) {
        return new DeferredResourceApplied(payload.getApiVersion(), payload.getKind(),
                payload.getMetadata().getNamespace(), payload.getMetadata().getName(), user, generation);
    }

    private static WaitTarget target(DeferredResourceWaitFor entry, String field, String namespace)
            throws DeferralFailure {
        if (entry == null) {
            throw new DeferralFailure(DeferredReason.INVALID_SPEC, field + " is empty");
        }
        String apiVersion = apiVersion(entry);
        if (apiVersion == null || blank(entry.getKind()) || blank(entry.getName())) {
            throw new DeferralFailure(DeferredReason.INVALID_SPEC, field + " needs apiVersion (or group and version), "
                    + "kind and name");
        }
        if (!blank(entry.getNamespace()) && !entry.getNamespace().equals(namespace)) {
            throw new DeferralFailure(DeferredReason.NAMESPACE_FORBIDDEN, field + " names namespace '"
                    + entry.getNamespace() + "', but a DeferredResource may only wait for objects in '" + namespace
                    + "'");
        }
        return new WaitTarget(apiVersion, entry.getKind(), namespace, entry.getName());
    }

    private static String apiVersion(DeferredResourceWaitFor entry) {
        if (!blank(entry.getApiVersion())) {
            return entry.getApiVersion();
        }
        if (blank(entry.getVersion())) {
            return null;
        }
        return blank(entry.getGroup()) ? entry.getVersion() : entry.getGroup() + "/" + entry.getVersion();
    }

    private static GenericKubernetesResource payload(JsonNode resource, DeferredResource deferred)
            throws DeferralFailure {
        String namespace = deferred.getMetadata().getNamespace();
        if (resource == null || resource.isNull() || (resource.isObject() && resource.isEmpty())) {
            throw new DeferralFailure(DeferredReason.INVALID_RESOURCE, "spec.resource is missing");
        }
        if (!resource.isObject()) {
            throw new DeferralFailure(DeferredReason.INVALID_RESOURCE, "spec.resource is " + resource.getNodeType()
                    + ", expected a Kubernetes object");
        }
        GenericKubernetesResource object;
        try {
            object = JSON.convertValue(resource, GenericKubernetesResource.class);
        } catch (IllegalArgumentException e) {
            throw new DeferralFailure(DeferredReason.INVALID_RESOURCE, "spec.resource is not a valid Kubernetes "
                    + "object: " + e.getMessage());
        }
        if (blank(object.getApiVersion()) || blank(object.getKind()) || object.getMetadata() == null
                || blank(object.getMetadata().getName())) {
            throw new DeferralFailure(DeferredReason.INVALID_RESOURCE,
                    "spec.resource needs apiVersion, kind and metadata.name");
        }
        String payloadNamespace = object.getMetadata().getNamespace();
        if (blank(payloadNamespace)) {
            object.getMetadata().setNamespace(namespace);
        } else if (!payloadNamespace.equals(namespace)) {
            throw new DeferralFailure(DeferredReason.NAMESPACE_FORBIDDEN, "spec.resource " + object.getKind() + " "
                    + object.getMetadata().getName() + " names namespace '" + payloadNamespace
                    + "', but a DeferredResource may only apply objects in '" + namespace + "'");
        }
        Map<String, String> labels = object.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(object.getMetadata().getLabels());
        labels.put(SideEffects.LABEL_MANAGED_BY, ResourceApplier.FIELD_MANAGER);
        labels.put(SideEffects.LABEL_OWNER, OWNER);
        labels.put(LABEL_DEFERRED_RESOURCE_UID, deferred.getMetadata().getUid());
        object.getMetadata().setLabels(labels);
        return object;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
