package com.rock8s.integration.operator.coupling;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables templates see. Objects are passed by their JSON field names ({@code plug.metadata.name},
 * {@code socket.spec.config.x}); {@code managedFields} are dropped as noise. Everything is unmodifiable, so a
 * template can read but never change what other templates see.
 */
final class Bindings {
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Map<String, Object> values = new LinkedHashMap<>();

    static Bindings create() {
        return new Bindings();
    }

    Bindings object(String name, HasMetadata object) {
        if (object != null) {
            Map<String, Object> map = JSON.convertValue(object, MAP);
            Object metadata = map.get("metadata");
            if (metadata instanceof Map<?, ?> meta) {
                meta.remove("managedFields");
            }
            values.put(name, map);
        }
        return this;
    }

    Bindings map(String name, Map<String, ?> map) {
        values.put(name, map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map)));
        return this;
    }

    Map<String, Object> build() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
