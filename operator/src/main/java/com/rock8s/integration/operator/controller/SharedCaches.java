package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.config.SourceReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The informers one replica keeps whatever shards it holds: every Socket (a plug may name a socket in any namespace,
 * and a socket's plugs may live in shards other replicas hold) and the Secrets and ConfigMaps plugs and sockets read.
 * Shard controllers subscribe to their changes through {@link SharedInformerEventSource}; nothing here is per shard.
 */
final class SharedCaches implements SourceReader, AutoCloseable {
    private final SharedIndexInformer<Socket> sockets;
    private final SharedIndexInformer<Secret> secrets;
    private final SharedIndexInformer<ConfigMap> configMaps;

    SharedCaches(KubernetesClient client) {
        this.sockets = client.resources(Socket.class).inAnyNamespace().runnableInformer(0);
        this.sockets.addIndexers(Map.of(Indexes.BY_SOURCE,
                s -> Indexes.sourceKeys(s.getMetadata().getNamespace(), s.getSpec())));
        this.secrets = client.secrets().inAnyNamespace().runnableInformer(0);
        this.configMaps = client.configMaps().inAnyNamespace().runnableInformer(0);
    }

    /** Starts the informers and waits until each has listed what exists. */
    SharedCaches start() {
        List.of(sockets, secrets, configMaps).forEach(informer -> informer.start().toCompletableFuture().join());
        return this;
    }

    boolean synced() {
        return sockets.hasSynced() && secrets.hasSynced() && configMaps.hasSynced();
    }

    SharedIndexInformer<Socket> sockets() {
        return sockets;
    }

    SharedIndexInformer<Secret> secrets() {
        return secrets;
    }

    SharedIndexInformer<ConfigMap> configMaps() {
        return configMaps;
    }

    Optional<Socket> socket(String namespace, String name) {
        return Optional.ofNullable(sockets.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    /** The sockets that read the Secret or ConfigMap with this {@link Indexes#secretKey source key}. */
    List<Socket> socketsReading(String sourceKey) {
        return sockets.getIndexer().byIndex(Indexes.BY_SOURCE, sourceKey);
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)))
                .map(secret -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    if (secret.getData() != null) {
                        secret.getData().forEach((k, v) -> values.put(k, v == null ? ""
                                : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
                    }
                    if (secret.getStringData() != null) {
                        values.putAll(secret.getStringData());
                    }
                    return values;
                });
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
        return Optional.ofNullable(configMaps.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)))
                .map(cm -> cm.getData() == null ? Map.of() : new LinkedHashMap<>(cm.getData()));
    }

    @Override
    public void close() {
        sockets.close();
        secrets.close();
        configMaps.close();
    }
}
