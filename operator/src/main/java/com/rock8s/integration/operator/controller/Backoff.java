package com.rock8s.integration.operator.controller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter per object, for failures that only time can cure (a delayed result, an API
 * error). Reset on success. Losing it on restart only means the next retry comes sooner.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    Duration next(String uid) {
        int attempt = attempts.merge(uid, 1, Integer::sum);
        double base = initial.toMillis() * Math.pow(2, Math.min(attempt - 1, 20));
        double capped = Math.min(base, max.toMillis());
        double jittered = capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis((long) jittered);
    }

    void reset(String uid) {
        attempts.remove(uid);
    }
}
