package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.coupling.Directory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The {@link Directory} of one replica: sockets from the replica-wide socket informer, plugs from the primary caches
 * of the shard controllers it runs. A namespace is served only while its shard's controller is started (its cache
 * has listed every plug there), so "not in the cache" means "gone" only where that is true.
 */
final class ShardDirectory implements Directory {
    private final SharedCaches shared;
    private final ToIntFunction<String> shardOf;
    private final Map<Integer, IndexerResourceCache<Plug>> plugCaches = new ConcurrentHashMap<>();
    private final Map<Integer, IndexerResourceCache<Socket>> socketCaches = new ConcurrentHashMap<>();
    private final Set<Integer> served = ConcurrentHashMap.newKeySet();

    ShardDirectory(SharedCaches shared, ToIntFunction<String> shardOf) {
        this.shared = shared;
        this.shardOf = shardOf;
    }

    /** Called while a shard controller prepares its event sources. */
    void attach(int shard, IndexerResourceCache<Plug> plugs) {
        plugCaches.put(shard, plugs);
    }

    /** Called while a shard's socket controller prepares its event sources. */
    void attachSockets(int shard, IndexerResourceCache<Socket> sockets) {
        socketCaches.put(shard, sockets);
    }

    /** What the shard controller caches (tests check that a replica caches only its shards' objects). */
    List<HasMetadata> cached(int shard) {
        List<HasMetadata> objects = new ArrayList<>();
        Optional.ofNullable(plugCaches.get(shard)).ifPresent(c -> c.list().forEach(objects::add));
        Optional.ofNullable(socketCaches.get(shard)).ifPresent(c -> c.list().forEach(objects::add));
        return objects;
    }

    /** The shard's cache is complete and its controller runs. */
    void serve(int shard) {
        served.add(shard);
    }

    /** Called first when a shard is lost, before its controller stops. */
    void withdraw(int shard) {
        served.remove(shard);
        plugCaches.remove(shard);
        socketCaches.remove(shard);
    }

    boolean serving(int shard) {
        return served.contains(shard);
    }

    @Override
    public Optional<Socket> socket(String namespace, String name) {
        return shared.socket(namespace, name);
    }

    @Override
    public Optional<Plug> plug(String namespace, String name) {
        IndexerResourceCache<Plug> plugs = plugCaches.get(shardOf.applyAsInt(namespace));
        return plugs == null ? Optional.empty() : plugs.get(new ResourceID(name, namespace));
    }

    @Override
    public List<Plug> plugsCoupledTo(String socketUid) {
        List<Plug> coupled = new ArrayList<>();
        plugCaches.forEach((shard, plugs) -> {
            if (served.contains(shard)) {
                coupled.addAll(plugs.byIndex(Indexes.PLUG_BY_COUPLED_SOCKET_UID, socketUid));
            }
        });
        return coupled;
    }

    @Override
    public boolean serves(String namespace) {
        return served.contains(shardOf.applyAsInt(namespace));
    }
}
