package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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
 */
final class ShardLabeler implements AutoCloseable {
    /** The label naming an object's shard. */
    static final String LABEL = "integration.rock8s.com/shard";
    private static final Logger LOG = LoggerFactory.getLogger(ShardLabeler.class);
    private static final long SWEEP_DELAY_MILLIS = 2_000;
    private static final long SWEEP_RETRY_MILLIS = 30_000;

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

    /** Sets the object's shard label to the shard of its namespace (idempotent). */
    void label(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        String shard = String.valueOf(shardOf.applyAsInt(namespace));
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels != null && shard.equals(labels.get(LABEL))) {
            return;
        }
        String patch = "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"" + shard + "\"}}}";
        try {
            // Through the object, not by name: a patch by name reads the object from the server first.
            client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            LOG.debug("event=shard_labelled kind={} namespace={} name={} shard={}", object.getKind(), namespace,
                    object.getMetadata().getName(), shard);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                // The informer delivers the object again on its next change or resync; the sweep also retries.
                LOG.warn("event=shard_label_failed kind={} namespace={} name={} code={} message=\"{}\"",
                        object.getKind(), namespace, object.getMetadata().getName(), e.getCode(), e.getMessage());
            }
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
