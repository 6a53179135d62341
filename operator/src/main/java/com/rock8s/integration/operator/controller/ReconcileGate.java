package com.rock8s.integration.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The check every reconcile passes first: its namespace's shard must still be held by this replica (a shard is
 * fenced the moment it is lost, before its controller has finished stopping), and the object must carry the shard
 * label its namespace hashes to (a wrong label is corrected and the object is left to the controller of the right
 * shard). Reconciles that pass are reported to the {@link ReconcileObserver}.
 */
final class ReconcileGate {
    private final String replica;
    private final ToIntFunction<String> shardOf;
    private final Consumer<HasMetadata> relabel;
    private final ReconcileObserver observer;
    private final Set<Integer> active = ConcurrentHashMap.newKeySet();
    /** Reconciles running now, per shard, so a shard being handed over can wait for its last one to end. */
    private final Map<Integer, Integer> running = new ConcurrentHashMap<>();
    private final Object idle = new Object();

    ReconcileGate(String replica, ToIntFunction<String> shardOf, Consumer<HasMetadata> relabel,
                  ReconcileObserver observer) {
        this.replica = replica;
        this.shardOf = shardOf;
        this.relabel = relabel;
        this.observer = observer;
    }

    void open(int shard) {
        active.add(shard);
    }

    void close(int shard) {
        active.remove(shard);
    }

    /**
     * Whether reconciles of {@code namespace} may run here now: its shard is held and not fenced. Open before the
     * shard's controller starts reconciling, closed the moment the shard is lost.
     */
    boolean admits(String namespace) {
        return active.contains(shardOf.applyAsInt(namespace));
    }

    /** Runs {@code work} when the object is this replica's to reconcile, else answers {@code skipped}. */
    <T> T pass(HasMetadata resource, Supplier<T> work, Supplier<T> skipped) {
        String namespace = resource.getMetadata().getNamespace();
        int shard = shardOf.applyAsInt(namespace);
        if (!active.contains(shard)) {
            return skipped.get();
        }
        Map<String, String> labels = resource.getMetadata().getLabels();
        String label = labels == null ? null : labels.get(ShardLabeler.LABEL);
        if (!String.valueOf(shard).equals(label)) {
            relabel.accept(resource);
            return skipped.get();
        }
        String kind = resource.getKind();
        String name = resource.getMetadata().getName();
        running.merge(shard, 1, Integer::sum);
        observer.started(replica, kind, namespace, name);
        try {
            return work.get();
        } finally {
            observer.finished(replica, kind, namespace, name);
            synchronized (idle) {
                running.computeIfPresent(shard, (key, count) -> count == 1 ? null : count - 1);
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no reconcile of {@code shard} runs any more (call after {@link #close}, so none can start), at most
     * {@code timeout}. A slow API makes reconciles take seconds; the shard's next holder must not start on a
     * namespace while one is still writing.
     *
     * @return whether the shard is idle
     */
    boolean awaitIdle(int shard, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (running.containsKey(shard)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
