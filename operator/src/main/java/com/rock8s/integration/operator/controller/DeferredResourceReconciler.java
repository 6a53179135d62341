package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.DeferredResourceStatus;
import com.rock8s.integration.operator.deferred.DeferralFailure;
import com.rock8s.integration.operator.deferred.DeferredOutcome;
import com.rock8s.integration.operator.deferred.DeferredResourceResolver;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import com.rock8s.integration.operator.coupling.TerminatingNamespaces;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles DeferredResources of one shard: runs one {@link DeferredResourceResolver} pass, writes the status when
 * it changed, and comes back when time can help: after the remaining delay, every few seconds while waitFor objects
 * are missing, with backoff after a failed API call. Bad input waits for a spec change. The finalizer keeps a
 * DeferredResource until the object it applied is deleted.
 */
public final class DeferredResourceReconciler implements Reconciler<DeferredResource>, Cleaner<DeferredResource> {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredResourceReconciler.class);

    private final DeferredResourceResolver resolver;
    private final EventRecorder events;
    private final ReconcileGate gate;
    private final TerminatingNamespaces terminating;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    DeferredResourceReconciler(DeferredResourceResolver resolver, EventRecorder events, ReconcileGate gate,
                               TerminatingNamespaces terminating) {
        this.resolver = resolver;
        this.terminating = terminating;
        this.events = events;
        this.gate = gate;
    }

    @Override
    public UpdateControl<DeferredResource> reconcile(DeferredResource deferred, Context<DeferredResource> context) {
        return gate.pass(deferred, () -> resolve(deferred, context), UpdateControl::noUpdate);
    }

    private UpdateControl<DeferredResource> resolve(DeferredResource deferred, Context<DeferredResource> context) {
        DeferredOutcome outcome = resolver.resolve(deferred);
        String uid = deferred.getMetadata().getUid();
        writeStatus(deferred, outcome.status(), context);
        if (outcome.applied()) {
            events.normal(deferred, "Applied", outcome.status().getConditions().stream()
                    .filter(c -> DeferredResourceResolver.RESOLVED.equals(c.getType())).findFirst()
                    .map(c -> c.getMessage()).orElse("applied"));
        }
        UpdateControl<DeferredResource> control = UpdateControl.noUpdate();
        if (outcome.failure().isPresent()) {
            DeferralFailure failure = outcome.failure().get();
            report(deferred, failure);
            return failure.reason().retriedWithBackoff() ? control.rescheduleAfter(backoff.next(uid)) : control;
        }
        backoff.reset(uid);
        return outcome.recheckAfter().map(control::rescheduleAfter).orElse(control);
    }

    @Override
    public DeleteControl cleanup(DeferredResource deferred, Context<DeferredResource> context) {
        // One this replica may no longer touch keeps its finalizer; its new holder deletes the payload.
        return gate.pass(deferred, () -> release(deferred),
                () -> DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5).toMillis()));
    }

    private DeleteControl release(DeferredResource deferred) {
        String uid = deferred.getMetadata().getUid();
        if (terminating.ownerGoesWithItsNamespace(deferred)) {
            // the payload lives in the same namespace, which deletes it; the service account may have lost the
            // rights to do so already
            LOG.info("event=deferred_resource_released deferredresource={}/{} skipped=namespace_terminating",
                    deferred.getMetadata().getNamespace(), deferred.getMetadata().getName());
            backoff.reset(uid);
            return DeleteControl.defaultDelete();
        }
        try {
            resolver.release(deferred);
            backoff.reset(uid);
            return DeleteControl.defaultDelete();
        } catch (DeferralFailure failure) {
            report(deferred, failure);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.next(uid).toMillis());
        }
    }

    private void report(DeferredResource deferred, DeferralFailure failure) {
        LOG.info("event=deferred_resource_failed deferredresource={}/{} reason={} message=\"{}\"",
                deferred.getMetadata().getNamespace(), deferred.getMetadata().getName(), failure.reason().value(),
                failure.getMessage());
        events.warning(deferred, failure.reason().value(), failure.getMessage());
    }

    /**
     * Writes the status only when it changed, and keeps the written object in the SDK's cache: the status records
     * the apply, and a pass that read a stale copy would apply again.
     */
    private static void writeStatus(DeferredResource deferred, DeferredResourceStatus status,
                                    Context<DeferredResource> context) {
        if (!changed(deferred.getStatus(), status)) {
            return;
        }
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(deferred, context, latest -> {
            latest.setStatus(Serialization.clone(status));
            return latest;
        });
    }

    private static boolean changed(DeferredResourceStatus before, DeferredResourceStatus after) {
        if (before == null) {
            return true;
        }
        DeferredResourceStatus a = Serialization.clone(before);
        DeferredResourceStatus b = Serialization.clone(after);
        boolean sameConditions = Conditions.same(a.getConditions(), b.getConditions());
        a.setConditions(null);
        b.setConditions(null);
        return !sameConditions || !Serialization.jsonMapper().valueToTree(a)
                .equals(Serialization.jsonMapper().valueToTree(b));
    }
}
