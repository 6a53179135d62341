package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.coupling.Directory;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@link Directory} over the plug controller's primary cache and its cluster-wide socket informer. Filled in when
 * the plug controller prepares its event sources.
 */
final class CacheDirectory implements Directory {
    private final Predicate<String> servesNamespace;
    private volatile IndexerResourceCache<Plug> plugs;
    private volatile InformerEventSource<Socket, Plug> sockets;

    CacheDirectory(Predicate<String> servesNamespace) {
        this.servesNamespace = servesNamespace;
    }

    void attach(IndexerResourceCache<Plug> plugs, InformerEventSource<Socket, Plug> sockets) {
        this.plugs = plugs;
        this.sockets = sockets;
    }

    InformerEventSource<Socket, Plug> sockets() {
        return sockets;
    }

    @Override
    public Optional<Socket> socket(String namespace, String name) {
        return sockets.get(new ResourceID(name, namespace));
    }

    @Override
    public Optional<Plug> plug(String namespace, String name) {
        return plugs.get(new ResourceID(name, namespace));
    }

    @Override
    public List<Plug> plugsCoupledTo(String socketUid) {
        return plugs.byIndex(Indexes.PLUG_BY_COUPLED_SOCKET_UID, socketUid);
    }

    @Override
    public boolean serves(String namespace) {
        return servesNamespace.test(namespace);
    }
}
