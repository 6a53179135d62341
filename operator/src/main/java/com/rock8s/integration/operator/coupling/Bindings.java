package com.rock8s.integration.operator.coupling;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The variables one template sees; every value is unmodifiable (objects come from {@link ObjectViews}). */
final class Bindings {
    private final Map<String, Object> values = new LinkedHashMap<>();

    static Bindings create() {
        return new Bindings();
    }

    /** An object view; absent (null) objects are left out, so a template using one fails as undefined. */
    Bindings object(String name, Map<String, Object> view) {
        if (view != null) {
            values.put(name, view);
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
