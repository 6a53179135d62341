package com.rock8s.integration.operator.deferred;

import com.rock8s.integration.operator.api.Do;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.DeferredResourceApplied;
import com.rock8s.integration.operator.api.DeferredResourceStatus;
import com.rock8s.integration.operator.config.ObjectReader;
import com.rock8s.integration.operator.resource.ResourceApplier;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.status.CouplingFailure;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and does what a DeferredResource needs: wait out its delay, wait for its {@code waitFor} objects, apply its
 * payload once per spec generation, and delete the payload when the DeferredResource goes. The payload is applied and
 * deleted, and waitFor objects are read, as the DeferredResource's service account, through the same
 * {@link ResourceApplier} and reader the plugs and sockets use.
 *
 * <p>Applied once: when the status records an apply from the current generation, a pass (a resync, a restart) makes
 * no API call, and a manual edit of the payload is left alone. A new generation (a spec change) applies again; when
 * the new payload names another object, the old one is deleted first.
 */
public final class DeferredResourceResolver {
    /** The condition a DeferredResource reports. */
    public static final String RESOLVED = "Resolved";
    /** How often missing waitFor objects are looked up again. */
    public static final Duration WAIT_FOR_POLL = Duration.ofSeconds(5);
    private static final Duration SHORTEST_RECHECK = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(DeferredResourceResolver.class);

    private final ObjectReader objects;
    private final ResourceApplier applier;
    private final Clock clock;

    public DeferredResourceResolver(ObjectReader objects, ResourceApplier applier, Clock clock) {
        this.objects = objects;
        this.applier = applier;
        this.clock = clock;
    }

    /** One pass: never throws for bad input or failed calls, it reports them in the outcome. */
    public DeferredOutcome resolve(DeferredResource deferred) {
        Long generation = deferred.getMetadata().getGeneration();
        DeferredResourceApplied applied = applied(deferred);
        if (applied != null && Objects.equals(applied.getGeneration(), generation)) {
            return new DeferredOutcome(status(deferred, true, DeferredReason.APPLIED, appliedMessage(applied),
                    applied), Optional.empty(), Optional.empty(), false);
        }
        try {
            DeferredPlan plan = DeferredPlan.of(deferred);
            Duration remaining = remainingDelay(deferred, plan.delay());
            if (!remaining.isZero()) {
                // The message names the due time, not the time left, so waiting passes do not rewrite the status.
                return waiting(deferred, DeferredReason.WAITING, "waiting for the timeout of "
                        + plan.delay().toSeconds() + "s after creation (until "
                        + created(deferred).plus(plan.delay()) + ")", applied, max(remaining, SHORTEST_RECHECK));
            }
            List<WaitTarget> missing = missing(plan);
            if (!missing.isEmpty()) {
                return waiting(deferred, DeferredReason.WAITING_FOR_OBJECTS, "waiting for "
                        + missing.stream().map(WaitTarget::describe).collect(Collectors.joining(", ")), applied,
                        WAIT_FOR_POLL);
            }
            DeferredResourceApplied next = plan.applied(generation);
            if (applied != null && !applied.sameObject(next)) {
                delete(applied, where(deferred));
            }
            apply(plan, where(deferred));
            LOG.info("event=deferred_resource_applied deferredresource={}/{} resource=\"{}\" appliedAs={} "
                            + "generation={}", deferred.getMetadata().getNamespace(), deferred.getMetadata().getName(),
                    next.describe(), next.getAppliedAs(), generation);
            return new DeferredOutcome(status(deferred, true, DeferredReason.APPLIED, appliedMessage(next), next),
                    Optional.empty(), Optional.empty(), true);
        } catch (DeferralFailure failure) {
            return new DeferredOutcome(status(deferred, false, failure.reason(), failure.getMessage(), applied),
                    Optional.empty(), Optional.of(failure), false);
        }
    }

    /** Deletes what the DeferredResource applied (nothing when it applied nothing); an object already gone is fine. */
    public void release(DeferredResource deferred) throws DeferralFailure {
        DeferredResourceApplied applied = applied(deferred);
        if (applied != null) {
            delete(applied, where(deferred));
            LOG.info("event=deferred_resource_deleted deferredresource={}/{} resource=\"{}\" deletedAs={}",
                    deferred.getMetadata().getNamespace(), deferred.getMetadata().getName(), applied.describe(),
                    applied.getAppliedAs());
        }
    }

    private Duration remainingDelay(DeferredResource deferred, Duration delay) {
        if (delay.isZero()) {
            return Duration.ZERO;
        }
        Instant created = created(deferred);
        Duration remaining = Duration.between(clock.instant(), created.plus(delay));
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private Instant created(DeferredResource deferred) {
        String timestamp = deferred.getMetadata().getCreationTimestamp();
        if (timestamp == null) {
            // The API server always sets it; without one the delay counts from now, every pass.
            return clock.instant();
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }

    private List<WaitTarget> missing(DeferredPlan plan) throws DeferralFailure {
        List<WaitTarget> missing = new ArrayList<>();
        for (WaitTarget target : plan.waitFor()) {
            try {
                if (objects.read(target.apiVersion(), target.kind(), target.namespace(), target.name(), plan.user())
                        .isEmpty()) {
                    missing.add(target);
                }
            } catch (KubernetesClientException e) {
                if (kindNotServed(e)) {
                    // A waitFor on a custom resource whose CRD is not installed yet: it simply does not exist yet.
                    missing.add(target);
                } else {
                    throw new DeferralFailure(DeferredReason.WAIT_FOR_FAILED, "reading " + target.describe() + " as "
                            + plan.user() + " failed: " + e.getMessage(), e);
                }
            }
        }
        return missing;
    }

    private static boolean kindNotServed(KubernetesClientException e) {
        return e.getCode() <= 0 && e.getMessage() != null && e.getMessage().startsWith("Could not find the metadata");
    }

    private void apply(DeferredPlan plan, String where) throws DeferralFailure {
        try {
            applier.perform(Do.APPLY, plan.payload(), where, plan.user());
        } catch (CouplingFailure e) {
            throw new DeferralFailure(DeferredReason.APPLY_FAILED, e.getMessage(), e);
        } catch (KubernetesClientException e) {
            throw new DeferralFailure(DeferredReason.APPLY_FAILED, where + ": apply failed: " + e.getMessage(), e);
        }
    }

    private void delete(DeferredResourceApplied applied, String where) throws DeferralFailure {
        try {
            applier.delete(applied.getApiVersion(), applied.getKind(), applied.getNamespace(), applied.getName(),
                    applied.getAppliedAs());
        } catch (KubernetesClientException e) {
            throw new DeferralFailure(DeferredReason.DELETE_FAILED, where + ": delete " + applied.describe()
                    + " as " + applied.getAppliedAs() + " failed: " + e.getMessage(), e);
        }
    }

    private DeferredOutcome waiting(DeferredResource deferred, DeferredReason reason, String message,
                                    DeferredResourceApplied applied, Duration recheck) {
        return new DeferredOutcome(status(deferred, false, reason, message, applied), Optional.of(recheck),
                Optional.empty(), false);
    }

    private static DeferredResourceStatus status(DeferredResource deferred, boolean resolved, DeferredReason reason,
                                                 String message, DeferredResourceApplied applied) {
        DeferredResourceStatus status = deferred.getStatus() == null ? new DeferredResourceStatus()
                : Serialization.clone(deferred.getStatus());
        Long generation = deferred.getMetadata().getGeneration();
        status.setConditions(Conditions.set(status.getConditions(), RESOLVED, resolved, reason.value(), message,
                generation));
        status.setObservedGeneration(generation);
        status.setAppliedResource(applied);
        return status;
    }

    private static DeferredResourceApplied applied(DeferredResource deferred) {
        return deferred.getStatus() == null ? null : deferred.getStatus().getAppliedResource();
    }

    private static String appliedMessage(DeferredResourceApplied applied) {
        return "applied " + applied.describe() + " as " + applied.getAppliedAs();
    }

    private static String where(DeferredResource deferred) {
        return "deferredresource " + deferred.getMetadata().getNamespace() + "/" + deferred.getMetadata().getName();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
