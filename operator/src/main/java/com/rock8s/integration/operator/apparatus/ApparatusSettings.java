package com.rock8s.integration.operator.apparatus;

import static com.rock8s.integration.operator.OperatorSettings.intValue;

import java.time.Duration;
import java.util.Map;

/**
 * How the operator talks to apparatuses, read from the environment (documented in the README).
 *
 * @param connectTimeout  opening a connection ({@code APPARATUS_CONNECT_TIMEOUT_SECONDS}, default 5)
 * @param requestTimeout  one request, from sending to the whole answer ({@code APPARATUS_REQUEST_TIMEOUT_SECONDS},
 *                        default 30)
 * @param retries         further attempts after a transport error or a 5xx ({@code APPARATUS_RETRIES}, default 3)
 * @param retryBackoff    the first pause between attempts, doubled each time, with full jitter and at most 8 times
 *                        this value ({@code APPARATUS_RETRY_BACKOFF_MILLIS}, default 250)
 * @param readyTimeout    how long a managed apparatus gets to answer {@code /ping} before the step fails
 *                        ({@code APPARATUS_READY_TIMEOUT_SECONDS}, default 20)
 * @param janitorInterval how often idle apparatus pods are looked for ({@code APPARATUS_JANITOR_INTERVAL_SECONDS},
 *                        default 30)
 * @param serviceUrl      how the operator reaches a managed apparatus's Service, with {@code {name}} and
 *                        {@code {namespace}} placeholders ({@code APPARATUS_SERVICE_URL}, default
 *                        {@code http://{name}.{namespace}.svc})
 */
public record ApparatusSettings(Duration connectTimeout, Duration requestTimeout, int retries, Duration retryBackoff,
                                Duration readyTimeout, Duration janitorInterval, String serviceUrl) {
    public static final String DEFAULT_SERVICE_URL = "http://{name}.{namespace}.svc";

    public ApparatusSettings {
        requirePositive(connectTimeout, "APPARATUS_CONNECT_TIMEOUT_SECONDS");
        requirePositive(requestTimeout, "APPARATUS_REQUEST_TIMEOUT_SECONDS");
        requirePositive(readyTimeout, "APPARATUS_READY_TIMEOUT_SECONDS");
        requirePositive(janitorInterval, "APPARATUS_JANITOR_INTERVAL_SECONDS");
        if (retries < 0) {
            throw new IllegalArgumentException("APPARATUS_RETRIES must not be negative, got " + retries);
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("APPARATUS_RETRY_BACKOFF_MILLIS must not be negative");
        }
        if (serviceUrl == null || serviceUrl.isBlank()) {
            serviceUrl = DEFAULT_SERVICE_URL;
        }
    }

    /** The defaults listed above. */
    public static ApparatusSettings defaults() {
        return fromEnvironment(Map.of());
    }

    /** Settings from environment variables, with the defaults above. */
    public static ApparatusSettings fromEnvironment(Map<String, String> env) {
        return new ApparatusSettings(
                Duration.ofSeconds(intValue(env, "APPARATUS_CONNECT_TIMEOUT_SECONDS", 5)),
                Duration.ofSeconds(intValue(env, "APPARATUS_REQUEST_TIMEOUT_SECONDS", 30)),
                intValue(env, "APPARATUS_RETRIES", 3),
                Duration.ofMillis(intValue(env, "APPARATUS_RETRY_BACKOFF_MILLIS", 250)),
                Duration.ofSeconds(intValue(env, "APPARATUS_READY_TIMEOUT_SECONDS", 20)),
                Duration.ofSeconds(intValue(env, "APPARATUS_JANITOR_INTERVAL_SECONDS", 30)),
                env.getOrDefault("APPARATUS_SERVICE_URL", DEFAULT_SERVICE_URL));
    }

    /** A copy with other timeouts (tests shorten them). */
    public ApparatusSettings withTimeouts(Duration connect, Duration request, Duration ready) {
        return new ApparatusSettings(connect, request, retries, retryBackoff, ready, janitorInterval, serviceUrl);
    }

    /** A copy with another retry policy. */
    public ApparatusSettings withRetries(int count, Duration backoff) {
        return new ApparatusSettings(connectTimeout, requestTimeout, count, backoff, readyTimeout, janitorInterval,
                serviceUrl);
    }

    /** A copy with another janitor period. */
    public ApparatusSettings withJanitorInterval(Duration interval) {
        return new ApparatusSettings(connectTimeout, requestTimeout, retries, retryBackoff, readyTimeout, interval,
                serviceUrl);
    }

    /** A copy that reaches managed apparatuses through {@code template}. */
    public ApparatusSettings withServiceUrl(String template) {
        return new ApparatusSettings(connectTimeout, requestTimeout, retries, retryBackoff, readyTimeout,
                janitorInterval, template);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
