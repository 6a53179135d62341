package com.rock8s.integration.operator.apparatus;

import java.time.Duration;

/**
 * Told about every finished apparatus call, for metrics. Called on the thread that made the call; implementations must
 * be quick and must not throw.
 */
@FunctionalInterface
public interface ApparatusCallListener {
    /** Records nothing. */
    ApparatusCallListener NONE = (endpoint, duration, outcome, attempts) -> { };

    /**
     * @param endpoint the call's name: {@code ping}, {@code config}, {@code created}, {@code coupled},
     *                 {@code updated}, {@code decoupled} or {@code deleted} (never a URL, so it is a bounded label)
     * @param duration from the first attempt to the end of the last, pauses between retries included
     * @param outcome  how the last attempt ended
     * @param attempts how many requests were sent (1 without retries)
     */
    void called(String endpoint, Duration duration, CallOutcome outcome, int attempts);
}
