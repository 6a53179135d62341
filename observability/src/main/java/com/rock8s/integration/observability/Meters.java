package com.rock8s.integration.observability;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Shapes shared by the operator's meters, so every latency histogram has the same buckets and every dashboard
 * quantile is computed the same way.
 */
public final class Meters {
    /** Every metric name starts with this. */
    public static final String PREFIX = "integration_operator_";

    /** Histogram buckets for work that takes from milliseconds (an API call) to minutes (a recreate that waits). */
    public static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    /** Buckets for sub-millisecond work (template rendering). */
    public static final Duration[] FAST_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private Meters() {
    }

    /**
     * A timer exported as a Prometheus histogram in seconds: {@code <name>_seconds_bucket}, {@code _count},
     * {@code _sum}. {@code name} is the base name with the prefix and without the unit.
     */
    public static Timer.Builder histogram(String name, String description, Duration... buckets) {
        return Timer.builder(name).description(description).serviceLevelObjectives(buckets)
                .minimumExpectedValue(buckets[0]).maximumExpectedValue(buckets[buckets.length - 1]);
    }
}
