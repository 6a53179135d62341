package com.rock8s.integration.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Wakes the primaries of one shard controller when an object in a replica-wide informer changes. Each shard has its
 * own controller, and a cluster-wide informer per shard would multiply the replica's memory by the shards it holds;
 * this source lets every shard listen to the one informer the replica keeps.
 *
 * @param <R> the watched kind
 * @param <P> the controller's primary kind
 */
final class SharedInformerEventSource<R extends HasMetadata, P extends HasMetadata>
        extends AbstractEventSource<R, P> {
    private final SharedIndexInformer<R> informer;
    private final Function<R, Set<ResourceID>> primariesOf;
    private final BiPredicate<R, R> updateMatters;
    private final ResourceEventHandler<R> handler = new ResourceEventHandler<>() {
        @Override
        public void onAdd(R obj) {
            wake(obj);
        }

        @Override
        public void onUpdate(R oldObj, R newObj) {
            if (updateMatters.test(newObj, oldObj)) {
                wake(newObj);
            }
        }

        @Override
        public void onDelete(R obj, boolean deletedFinalStateUnknown) {
            wake(obj);
        }
    };

    /**
     * @param updateMatters (updated, old) → whether an update should wake anything
     */
    SharedInformerEventSource(String name, Class<R> kind, SharedIndexInformer<R> informer,
                              Function<R, Set<ResourceID>> primariesOf, BiPredicate<R, R> updateMatters) {
        super(kind, name);
        this.informer = informer;
        this.primariesOf = primariesOf;
        this.updateMatters = updateMatters;
    }

    private void wake(R changed) {
        if (!isRunning()) {
            return;
        }
        for (ResourceID primary : primariesOf.apply(changed)) {
            getEventHandler().handleEvent(new Event(primary));
        }
    }

    @Override
    public void start() {
        super.start();
        informer.addEventHandler(handler);
    }

    @Override
    public void stop() {
        informer.removeEventHandler(handler);
        super.stop();
    }

    @Override
    public Set<R> getSecondaryResources(P primary) {
        return Set.of();
    }
}
