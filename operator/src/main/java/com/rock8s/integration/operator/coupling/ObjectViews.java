package com.rock8s.integration.operator.coupling;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plugs and sockets as templates see them: maps by JSON field names ({@code plug.metadata.name},
 * {@code socket.spec.config.x}) without {@code managedFields}, unmodifiable all the way down so that no template can
 * change what another one sees. Views are kept by uid and resourceVersion, which together name one exact version of
 * an object: a socket shared by hundreds of plugs is converted once per version, not several times per plug pass.
 * One instance per operator (per API server), since uids and versions are only unique within one.
 */
public final class ObjectViews {
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Cache<String, Map<String, Object>> views;

    public ObjectViews(long maximumSize) {
        this.views = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** The view of {@code object}. */
    public Map<String, Object> of(HasMetadata object) {
        String uid = object.getMetadata().getUid();
        String version = object.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return convert(object);
        }
        return views.get(uid + "@" + version, key -> convert(object));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> convert(HasMetadata object) {
        Map<String, Object> map = JSON.convertValue(object, MAP);
        if (map.get("metadata") instanceof Map<?, ?> metadata) {
            metadata.remove("managedFields");
        }
        return (Map<String, Object>) freeze(map);
    }

    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(freeze(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
