package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugStatus;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.coupling.PlugCoupler;
import com.rock8s.integration.operator.coupling.PlugCoupler.Outcome;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles plugs: runs one {@link PlugCoupler} pass and persists the status it returns (only when it changed).
 * Wakes a plug when its socket is created, changes spec, starts deleting or finishes its created event, and when a
 * Secret or ConfigMap that feeds either side changes.
 */
public final class PlugReconciler implements Reconciler<Plug>, Cleaner<Plug> {
    private static final Logger LOG = LoggerFactory.getLogger(PlugReconciler.class);

    private final int shard;
    private final ShardDirectory directory;
    private final SharedCaches shared;
    private final PlugCoupler coupler;
    private final EventRecorder events;
    private final ReconcileGate gate;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    PlugReconciler(int shard, ShardDirectory directory, SharedCaches shared, PlugCoupler coupler,
                   EventRecorder events, ReconcileGate gate) {
        this.shard = shard;
        this.directory = directory;
        this.shared = shared;
        this.coupler = coupler;
        this.events = events;
        this.gate = gate;
    }

    @Override
    public UpdateControl<Plug> reconcile(Plug plug, Context<Plug> context) {
        return gate.pass(plug, () -> couple(plug, context), UpdateControl::noUpdate);
    }

    private UpdateControl<Plug> couple(Plug plug, Context<Plug> context) {
        Outcome outcome = coupler.reconcile(plug);
        String uid = plug.getMetadata().getUid();
        reportFailure(plug, outcome);
        writeStatus(plug, outcome.status(), context);
        UpdateControl<Plug> control = UpdateControl.noUpdate();
        if (outcome.succeeded()) {
            backoff.reset(uid);
            return control;
        }
        if (outcome.failure().waitsForChange()) {
            return control;
        }
        return control.rescheduleAfter(backoff.next(uid));
    }

    @Override
    public DeleteControl cleanup(Plug plug, Context<Plug> context) {
        // A plug this replica may no longer touch keeps its finalizer; its new holder runs the cleanup.
        return gate.pass(plug, () -> decouple(plug, context),
                () -> DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5).toMillis()));
    }

    private DeleteControl decouple(Plug plug, Context<Plug> context) {
        Outcome outcome = coupler.delete(plug);
        String uid = plug.getMetadata().getUid();
        if (outcome.succeeded()) {
            backoff.reset(uid);
            return DeleteControl.defaultDelete();
        }
        if (outcome.failure().waitsForChange()) {
            // Bad input (an invalid spec, a broken template) cannot be fixed by retrying, and holding the finalizer
            // for it would keep the plug, and a namespace being deleted around it, forever.
            LOG.info("event=cleanup_abandoned plug={}/{} reason={} message=\"{}\"",
                    plug.getMetadata().getNamespace(), plug.getMetadata().getName(),
                    outcome.failure().reason().value(), outcome.failure().getMessage());
            events.warning(plug, outcome.failure().reason().value(), "deleted without finishing its cleanup: "
                    + outcome.failure().getMessage());
            backoff.reset(uid);
            return DeleteControl.defaultDelete();
        }
        reportFailure(plug, outcome);
        writeStatus(plug, outcome.status(), context);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.next(uid));
    }

    private void reportFailure(Plug plug, Outcome outcome) {
        if (outcome.succeeded()) {
            return;
        }
        LOG.info("event=coupling_failed plug={}/{} reason={} message=\"{}\"", plug.getMetadata().getNamespace(),
                plug.getMetadata().getName(), outcome.failure().reason().value(), outcome.failure().getMessage());
        events.warning(plug, outcome.failure().reason().value(), outcome.failure().getMessage());
    }

    @Override
    public List<EventSource<?, Plug>> prepareEventSources(EventSourceContext<Plug> context) {
        IndexerResourceCache<Plug> plugs = context.getPrimaryCache();
        plugs.addIndexers(Map.of(
                Indexes.PLUG_BY_SOCKET, Indexes::socketKeys,
                Indexes.PLUG_BY_COUPLED_SOCKET_UID, Indexes::coupledSocketUid,
                Indexes.BY_SOURCE, p -> Indexes.sourceKeys(p.getMetadata().getNamespace(), p.getSpec())));

        SharedInformerEventSource<Socket, Plug> sockets = new SharedInformerEventSource<>("sockets",
                Socket.class, shared.sockets(), socket -> plugsOf(plugs, socket),
                PlugReconciler::socketChangeMatters);
        SharedInformerEventSource<Secret, Plug> secrets = new SharedInformerEventSource<>("secrets",
                Secret.class, shared.secrets(), secret -> readersOf(plugs, Indexes.secretKey(
                        secret.getMetadata().getNamespace(), secret.getMetadata().getName())),
                (updated, old) -> !Objects.equals(updated.getData(), old.getData())
                        || !Objects.equals(updated.getStringData(), old.getStringData()));
        SharedInformerEventSource<ConfigMap, Plug> configMaps = new SharedInformerEventSource<>("configmaps",
                ConfigMap.class, shared.configMaps(), cm -> readersOf(plugs, Indexes.configMapKey(
                        cm.getMetadata().getNamespace(), cm.getMetadata().getName())),
                (updated, old) -> !Objects.equals(updated.getData(), old.getData()));
        directory.attach(shard, plugs);
        return List.of(sockets, secrets, configMaps);
    }

    /** Spec, deletion and the created marker matter to plugs; the socket's own plug list does not. */
    private static boolean socketChangeMatters(Socket updated, Socket old) {
        return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                || !Objects.equals(updated.getMetadata().getDeletionTimestamp(),
                old.getMetadata().getDeletionTimestamp())
                || created(updated) != created(old);
    }

    private static boolean created(Socket socket) {
        return socket.getStatus() != null
                && Conditions.find(socket.getStatus().getConditions(), Conditions.COUPLED).isPresent();
    }

    private static Set<ResourceID> plugsOf(IndexerResourceCache<Plug> plugs, Socket socket) {
        Set<ResourceID> ids = new HashSet<>();
        String key = socket.getMetadata().getNamespace() + "/" + socket.getMetadata().getName();
        plugs.byIndex(Indexes.PLUG_BY_SOCKET, key).forEach(p -> ids.add(ResourceID.fromResource(p)));
        return ids;
    }

    private Set<ResourceID> readersOf(IndexerResourceCache<Plug> plugs, String sourceKey) {
        Set<ResourceID> ids = new HashSet<>();
        plugs.byIndex(Indexes.BY_SOURCE, sourceKey).forEach(p -> ids.add(ResourceID.fromResource(p)));
        for (Socket socket : shared.socketsReading(sourceKey)) {
            ids.addAll(plugsOf(plugs, socket));
        }
        return ids;
    }

    private static boolean statusChanged(PlugStatus before, PlugStatus after) {
        if (before == null) {
            return true;
        }
        PlugStatus a = Serialization.clone(before);
        PlugStatus b = Serialization.clone(after);
        boolean sameConditions = Conditions.same(a.getConditions(), b.getConditions());
        a.setConditions(null);
        b.setConditions(null);
        // every pass has a trace of its own; only a pass that changes something else gets to record its id
        a.setTraceId(null);
        b.setTraceId(null);
        return !sameConditions || !Serialization.jsonMapper().valueToTree(a)
                .equals(Serialization.jsonMapper().valueToTree(b));
    }

    /**
     * Writes the status with optimistic locking and keeps the written object in JOSDK's primary cache: the status
     * carries the "created has run" marker, and a reconcile triggered before the informer sees this write must not
     * read the stale copy and fire {@code created} again.
     */
    private static void writeStatus(Plug plug, PlugStatus status, Context<Plug> context) {
        if (!statusChanged(plug.getStatus(), status)) {
            return;
        }
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(plug, context, latest -> {
            latest.setStatus(Serialization.clone(status));
            return latest;
        });
    }
}
