package com.rock8s.integration.operator.config;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one resolution pass read (Secrets, ConfigMaps, var values), so that the coupling can tell whether its inputs
 * changed since the last {@code coupled}/{@code updated} event. Not thread-safe: one per pass.
 */
public final class InputLog {
    private final SortedMap<String, Object> inputs = new TreeMap<>();

    public void record(String key, Object value) {
        inputs.put(key, value);
    }

    public Map<String, Object> inputs() {
        return Collections.unmodifiableSortedMap(inputs);
    }
}
