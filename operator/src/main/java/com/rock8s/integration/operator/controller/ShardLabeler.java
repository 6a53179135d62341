package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the label {@value #LABEL} on every Plug, Socket and DeferredResource, so shard controllers can select their
 * objects on the server with an equality selector. Only the replica holding an object's shard writes its label: one
 * write per object, and the same value whichever replica it is (the hash of the namespace), so a retry or a handover
 * never fights. Objects without the label are watched here (a "does not exist" selector); a label with a wrong value is
 * corrected by the shard controller that sees it ({@link ReconcileGate}) or, for values no controller selects (after
 * the shard count changed, which restarts every replica), by one sweep shortly after this replica first gains shards.
 * The sweep lists every object of these kinds, so it runs once per replica, not on every handover.
 *
 * <p>The label write also adds the operator's finalizer to an object that is not being deleted. The shard controller
 * would add it in a write of its own as soon as it first saw the object; one patch instead of two saves a write and a
 * reconcile pass per new object. Because a merge patch replaces the whole finalizer list, that patch carries the
 * object's resourceVersion: a concurrent change makes it a 409 Conflict, and the labeler reads the object again
 * instead of dropping another controller's finalizer.
 */
final class ShardLabeler implements AutoCloseable {
    /** The label naming an object's shard. */
    static final String LABEL = "integration.rock8s.com/shard";
    private static final Logger LOG = LoggerFactory.getLogger(ShardLabeler.class);
    private static final long SWEEP_DELAY_MILLIS = 2_000;
    private static final long SWEEP_RETRY_MILLIS = 30_000;
    /** Conflicts tolerated on one object before the labeler waits for its next change (or the shard controller). */
    private static final int MAX_ATTEMPTS = 3;

    private final KubernetesClient client;
    private final ToIntFunction<String> shardOf;
    private final IntPredicate holds;
    private final SharedIndexInformer<Plug> unlabelledPlugs;
    private final SharedIndexInformer<Socket> unlabelledSockets;
    private final SharedIndexInformer<DeferredResource> unlabelledDeferred;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "shard-label-sweep");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    /** Label writes run off the informer thread, a few at a time: a burst of new plugs is labelled in parallel. */
    private final ExecutorService writers = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "shard-labeler");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    ShardLabeler(KubernetesClient client, ToIntFunction<String> shardOf, IntPredicate holds) {
        this.client = client;
        this.shardOf = shardOf;
        this.holds = holds;
        this.unlabelledPlugs = client.resources(Plug.class).inAnyNamespace().withoutLabel(LABEL)
                .runnableInformer(0);
        this.unlabelledSockets = client.resources(Socket.class).inAnyNamespace().withoutLabel(LABEL)
                .runnableInformer(0);
        this.unlabelledDeferred = client.resources(DeferredResource.class).inAnyNamespace().withoutLabel(LABEL)
                .runnableInformer(0);
        unlabelledPlugs.addEventHandler(handler());
        unlabelledSockets.addEventHandler(handler());
        unlabelledDeferred.addEventHandler(handler());
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                labelIfMine(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                labelIfMine(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                // nothing to label
            }
        };
    }

    ShardLabeler start() {
        unlabelledPlugs.start().toCompletableFuture().join();
        unlabelledSockets.start().toCompletableFuture().join();
        unlabelledDeferred.start().toCompletableFuture().join();
        return this;
    }

    /** Labels the unlabelled objects of a shard this replica just gained; the first gain schedules the sweep. */
    void shardGained(int shard) {
        List.of(unlabelledPlugs, unlabelledSockets, unlabelledDeferred).forEach(informer -> informer.getStore().list()
                .stream()
                .filter(o -> shardOf.applyAsInt(o.getMetadata().getNamespace()) == shard)
                .forEach(this::labelIfMine));
        if (sweepScheduled.compareAndSet(false, true)) {
            sweeper.schedule(this::sweep, SWEEP_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void labelIfMine(HasMetadata object) {
        if (!holds.test(shardOf.applyAsInt(object.getMetadata().getNamespace()))) {
            return;
        }
        String key = object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
        if (queued.add(key)) {
            try {
                writers.execute(() -> {
                    queued.remove(key);
                    label(object);
                });
            } catch (RejectedExecutionException closing) {
                queued.remove(key);
            }
        }
    }

    /**
     * Sets the object's shard label to the shard of its namespace and, unless it is being deleted, adds the operator's
     * finalizer in the same patch (idempotent).
     */
    void label(HasMetadata object) {
        HasMetadata current = object;
        for (int attempt = 1; current != null && attempt <= MAX_ATTEMPTS; attempt++) {
            String shard = String.valueOf(shardOf.applyAsInt(current.getMetadata().getNamespace()));
            Map<String, String> labels = current.getMetadata().getLabels();
            if (labels != null && shard.equals(labels.get(LABEL))) {
                return;
            }
            try {
                // Through the object, not by name: a patch by name reads the object from the server first.
                client.resource(current).patch(PatchContext.of(PatchType.JSON_MERGE), labelPatch(current, shard));
                LOG.debug("event=shard_labelled kind={} namespace={} name={} shard={}", current.getKind(),
                        current.getMetadata().getNamespace(), current.getMetadata().getName(), shard);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    // The informer delivers the object again on its next change; the sweep also retries.
                    LOG.warn("event=shard_label_failed kind={} namespace={} name={} code={} message=\"{}\"",
                            current.getKind(), current.getMetadata().getNamespace(), current.getMetadata().getName(),
                            e.getCode(), e.getMessage());
                    return;
                }
                current = reread(current);
            }
        }
    }

    /**
     * The merge patch for {@link #label}: the label, plus the finalizer list with the operator's finalizer appended and
     * the resourceVersion it was read at, when the finalizer is missing and the object is not being deleted (the API
     * refuses new finalizers on an object being deleted).
     */
    static String labelPatch(HasMetadata object, String shard) {
        ObjectMeta meta = object.getMetadata();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("labels", Map.of(LABEL, shard));
        List<String> finalizers = meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
        if (meta.getDeletionTimestamp() == null && !finalizers.contains(OperatorSettings.FINALIZER)
                && meta.getResourceVersion() != null) {
            List<String> withOurs = new ArrayList<>(finalizers);
            withOurs.add(OperatorSettings.FINALIZER);
            metadata.put("finalizers", withOurs);
            metadata.put("resourceVersion", meta.getResourceVersion());
        }
        return Serialization.asJson(Map.of("metadata", metadata));
    }

    private HasMetadata reread(HasMetadata stale) {
        try {
            return client.resource(stale).get();
        } catch (KubernetesClientException e) {
            LOG.warn("event=shard_label_failed kind={} namespace={} name={} code={} message=\"{}\"", stale.getKind(),
                    stale.getMetadata().getNamespace(), stale.getMetadata().getName(), e.getCode(), e.getMessage());
            return null;
        }
    }

    /** Corrects labels whose value is not their namespace's shard, for the shards held now. */
    private void sweep() {
        try {
            for (Class<? extends HasMetadata> kind : List.of(Plug.class, Socket.class, DeferredResource.class)) {
                client.resources(kind).inAnyNamespace().withLabel(LABEL).list().getItems().stream()
                        .filter(o -> !Objects.equals(String.valueOf(shardOf.applyAsInt(o.getMetadata()
                                .getNamespace())), o.getMetadata().getLabels().get(LABEL)))
                        .forEach(this::labelIfMine);
            }
        } catch (KubernetesClientException e) {
            LOG.warn("event=shard_label_sweep_failed code={} message=\"{}\"", e.getCode(), e.getMessage());
            sweeper.schedule(this::sweep, SWEEP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        writers.shutdownNow();
        unlabelledPlugs.close();
        unlabelledSockets.close();
        unlabelledDeferred.close();
    }
}
