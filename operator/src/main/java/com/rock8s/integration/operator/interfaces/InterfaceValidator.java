package com.rock8s.integration.operator.interfaces;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.SocketInterface;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a socket's interface to one side's config or result.
 *
 * <p>Rules, the same for all four maps: when the interface, its section ({@code config}/{@code result}) or the side's
 * map is absent, the values pass through unchanged (an omitted side is not validated, never wiped). Otherwise only
 * declared keys are kept; a key is present when its value is a non-empty string; a missing key takes its non-empty
 * default, or fails validation when it is required. All missing required keys are reported at once, sorted.
 *
 * <p>Every pass of every plug validates four maps against its socket's interface, so the resolved interface is cached
 * per socket version: its uid and {@code metadata.generation}, which the API server bumps on every spec change (the
 * interface is part of the spec). Bounded by {@link #DEFAULT_CACHE_SIZE} sockets; metrics under the cache name
 * {@value #CACHE_NAME}. Safe for concurrent use.
 */
public final class InterfaceValidator {
    /** Socket versions whose resolved interface is kept (a few hundred bytes each). */
    public static final long DEFAULT_CACHE_SIZE = 10_000;
    /** The {@code cache} tag of the interface cache's meters. */
    public static final String CACHE_NAME = "interface-schemas";

    private final Cache<SocketVersion, ResolvedInterface> resolved;

    /** A validator with the default cache size. */
    public InterfaceValidator() {
        this(DEFAULT_CACHE_SIZE);
    }

    /** @param cacheSize socket versions to keep resolved interfaces for */
    public InterfaceValidator(long cacheSize) {
        this.resolved = Caffeine.newBuilder().maximumSize(cacheSize).recordStats().build();
    }

    /** Exports the cache's hits, misses, evictions and size to {@code registry} (cache name {@value #CACHE_NAME}). */
    public InterfaceValidator monitoredBy(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, resolved, CACHE_NAME);
        return this;
    }

    /** The cache's counters. */
    public CacheStats cacheStats() {
        return resolved.stats();
    }

    /** Runs the cache's pending maintenance (evictions) now; tests call it before reading evictions. */
    void cleanUpCache() {
        resolved.cleanUp();
    }

    /**
     * The validated map, checked against the interface of {@code socket} (resolved once per socket uid and
     * generation); throws when required keys are missing.
     */
    public Map<String, String> validate(Socket socket, Section section, Side side, Map<String, String> values)
            throws InterfaceViolation {
        return validate(interfaceOf(socket), section, side, values);
    }

    /** The validated map, checked against {@code socketInterface}; throws when required keys are missing. */
    public Map<String, String> validate(SocketInterface socketInterface, Section section, Side side,
                                        Map<String, String> values) throws InterfaceViolation {
        return validate(ResolvedInterface.of(socketInterface), section, side, values);
    }

    /** The resolved interface of {@code socket}, from the cache when the socket has a uid and a generation. */
    public ResolvedInterface interfaceOf(Socket socket) {
        SocketInterface declared = socket.getSpec() == null ? null : socket.getSpec().getSocketInterface();
        String uid = socket.getMetadata().getUid();
        Long generation = socket.getMetadata().getGeneration();
        if (uid == null || generation == null) {
            // an object that never came from the API server (tests build them) has no version to key by
            return ResolvedInterface.of(declared);
        }
        return resolved.get(new SocketVersion(uid, generation), version -> ResolvedInterface.of(declared));
    }

    private static Map<String, String> validate(ResolvedInterface socketInterface, Section section, Side side,
                                                Map<String, String> values) throws InterfaceViolation {
        Optional<List<DeclaredKey>> declared = socketInterface.keys(section, side);
        if (declared.isEmpty()) {
            return values;
        }
        Map<String, String> validated = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (DeclaredKey key : declared.get()) {
            String value = values.get(key.name());
            if (value != null && !value.isEmpty()) {
                validated.put(key.name(), value);
            } else if (key.required()) {
                missing.add(key.name());
            } else if (key.defaultValue() != null) {
                validated.put(key.name(), key.defaultValue());
            }
        }
        if (!missing.isEmpty()) {
            throw new InterfaceViolation(side, section, missing);
        }
        return validated;
    }

    /** One version of one socket: a new object with the same name has a new uid, a spec change a new generation. */
    private record SocketVersion(String uid, long generation) {
    }
}
