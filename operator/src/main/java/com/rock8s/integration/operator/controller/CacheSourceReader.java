package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.config.SourceReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads Secrets and ConfigMaps from the informer caches that also wake the plugs reading them. */
final class CacheSourceReader implements SourceReader {
    private volatile InformerEventSource<Secret, ?> secrets;
    private volatile InformerEventSource<ConfigMap, ?> configMaps;

    void attach(InformerEventSource<Secret, ?> secrets, InformerEventSource<ConfigMap, ?> configMaps) {
        this.secrets = secrets;
        this.configMaps = configMaps;
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
        return secrets.get(new ResourceID(name, namespace)).map(secret -> {
            Map<String, String> values = new LinkedHashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> values.put(k,
                        v == null ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                values.putAll(secret.getStringData());
            }
            return values;
        });
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
        return configMaps.get(new ResourceID(name, namespace))
                .map(cm -> cm.getData() == null ? Map.of() : new LinkedHashMap<>(cm.getData()));
    }
}
