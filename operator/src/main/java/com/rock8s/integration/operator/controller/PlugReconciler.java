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
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
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

    private final CacheDirectory directory;
    private final CacheSourceReader sources;
    private final PlugCoupler coupler;
    private final EventRecorder events;
    private final KubernetesClient client;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    PlugReconciler(CacheDirectory directory, CacheSourceReader sources, PlugCoupler coupler, EventRecorder events,
                   KubernetesClient client) {
        this.directory = directory;
        this.sources = sources;
        this.coupler = coupler;
        this.events = events;
        this.client = client;
    }

    @Override
    public UpdateControl<Plug> reconcile(Plug plug, Context<Plug> context) {
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
        Outcome outcome = coupler.delete(plug);
        String uid = plug.getMetadata().getUid();
        if (outcome.succeeded()) {
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

        InformerEventSource<Socket, Plug> sockets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Socket.class, Plug.class)
                        .withName("sockets")
                        .withWatchAllNamespaces()
                        .withSecondaryToPrimaryMapper(socket -> plugsOf(plugs, socket))
                        .withOnUpdateFilter(PlugReconciler::socketChangeMatters)
                        .build(), context);
        sockets.addIndexers(Map.of(Indexes.BY_SOURCE,
                s -> Indexes.sourceKeys(s.getMetadata().getNamespace(), s.getSpec())));

        InformerEventSource<Secret, Plug> secrets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Secret.class, Plug.class)
                        .withName("secrets")
                        .withWatchAllNamespaces()
                        .withSecondaryToPrimaryMapper(secret -> readersOf(plugs, sockets, Indexes.secretKey(
                                secret.getMetadata().getNamespace(), secret.getMetadata().getName())))
                        .withOnUpdateFilter((updated, old) -> !Objects.equals(updated.getData(), old.getData())
                                || !Objects.equals(updated.getStringData(), old.getStringData()))
                        .build(), context);
        InformerEventSource<ConfigMap, Plug> configMaps = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ConfigMap.class, Plug.class)
                        .withName("configmaps")
                        .withWatchAllNamespaces()
                        .withSecondaryToPrimaryMapper(cm -> readersOf(plugs, sockets, Indexes.configMapKey(
                                cm.getMetadata().getNamespace(), cm.getMetadata().getName())))
                        .withOnUpdateFilter((updated, old) -> !Objects.equals(updated.getData(), old.getData()))
                        .build(), context);
        directory.attach(plugs, sockets);
        sources.attach(secrets, configMaps);
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

    private static Set<ResourceID> readersOf(IndexerResourceCache<Plug> plugs,
                                             InformerEventSource<Socket, Plug> sockets, String sourceKey) {
        Set<ResourceID> ids = new HashSet<>();
        plugs.byIndex(Indexes.BY_SOURCE, sourceKey).forEach(p -> ids.add(ResourceID.fromResource(p)));
        for (Socket socket : sockets.byIndex(Indexes.BY_SOURCE, sourceKey)) {
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
