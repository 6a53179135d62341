package com.rock8s.integration.operator;

import com.rock8s.integration.operator.apparatus.ApparatusSettings;
import com.rock8s.integration.operator.template.TemplateEngine;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's settings, read from the environment (documented in the README).
 *
 * @param reconcileThreads concurrent reconciles per held shard ({@code MAX_CONCURRENT_RECONCILES}, default 10)
 * @param resyncInterval how often every object is reconciled without an event ({@code RESYNC_INTERVAL_SECONDS},
 *                       default 600): picks up changed var targets and drifted resources
 * @param forceConflicts server-side apply takes fields owned by other managers ({@code APPLY_FORCE_CONFLICTS},
 *                       default true)
 * @param deletionTimeout how long {@code recreate} waits for the old object to go ({@code RECREATE_TIMEOUT_SECONDS},
 *                        default 60)
 * @param identity this replica's name ({@code POD_NAME}, else the host name)
 * @param metricsPort port of {@code /metrics}, {@code /healthz} and {@code /readyz} ({@code METRICS_PORT}, default
 *                    8080; 0 picks a free port)
 * @param apparatus apparatus timeouts, retries and idle cleanup ({@code APPARATUS_CONNECT_TIMEOUT_SECONDS},
 *                  {@code APPARATUS_REQUEST_TIMEOUT_SECONDS}, {@code APPARATUS_RETRIES},
 *                  {@code APPARATUS_RETRY_BACKOFF_MILLIS}, {@code APPARATUS_READY_TIMEOUT_SECONDS},
 *                  {@code APPARATUS_JANITOR_INTERVAL_SECONDS}, {@code APPARATUS_SERVICE_URL}; see
 *                  {@link ApparatusSettings})
 * @param templateRenderTimeout how long one template render may run before it fails with {@code TemplateError}
 *                              ({@code TEMPLATE_RENDER_TIMEOUT_MILLIS}, default 2000)
 */
public record OperatorSettings(int reconcileThreads, Duration resyncInterval, boolean forceConflicts,
                               Duration deletionTimeout, String identity, int metricsPort,
                               ApparatusSettings apparatus, Duration templateRenderTimeout) {

    /** Settings with the default template render timeout. */
    public OperatorSettings(int reconcileThreads, Duration resyncInterval, boolean forceConflicts,
                            Duration deletionTimeout, String identity, int metricsPort,
                            ApparatusSettings apparatus) {
        this(reconcileThreads, resyncInterval, forceConflicts, deletionTimeout, identity, metricsPort, apparatus,
                TemplateEngine.DEFAULT_RENDER_TIMEOUT);
    }

    /** Settings with the default apparatus settings. */
    public OperatorSettings(int reconcileThreads, Duration resyncInterval, boolean forceConflicts,
                            Duration deletionTimeout, String identity, int metricsPort) {
        this(reconcileThreads, resyncInterval, forceConflicts, deletionTimeout, identity, metricsPort,
                ApparatusSettings.defaults());
    }

    /** A copy with other apparatus settings (tests shorten the timeouts). */
    public OperatorSettings withApparatus(ApparatusSettings apparatusSettings) {
        return new OperatorSettings(reconcileThreads, resyncInterval, forceConflicts, deletionTimeout, identity,
                metricsPort, apparatusSettings, templateRenderTimeout);
    }

    /** A copy with another template render timeout (tests shorten it). */
    public OperatorSettings withTemplateRenderTimeout(Duration timeout) {
        return new OperatorSettings(reconcileThreads, resyncInterval, forceConflicts, deletionTimeout, identity,
                metricsPort, apparatus, timeout);
    }

    /** Settings without a metrics port choice (the default 8080), as tests build them. */
    public OperatorSettings(int reconcileThreads, Duration resyncInterval, boolean forceConflicts,
                            Duration deletionTimeout, String identity) {
        this(reconcileThreads, resyncInterval, forceConflicts, deletionTimeout, identity, DEFAULT_METRICS_PORT);
    }

    public static final int DEFAULT_METRICS_PORT = 8080;

    public static final String FINALIZER = "integration.rock8s.com/finalizer";

    /** Settings from environment variables, with defaults. */
    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        return new OperatorSettings(
                intValue(env, "MAX_CONCURRENT_RECONCILES", 10),
                Duration.ofSeconds(intValue(env, "RESYNC_INTERVAL_SECONDS", 600)),
                Boolean.parseBoolean(env.getOrDefault("APPLY_FORCE_CONFLICTS", "true")),
                Duration.ofSeconds(intValue(env, "RECREATE_TIMEOUT_SECONDS", 60)),
                identity(env),
                intValue(env, "METRICS_PORT", DEFAULT_METRICS_PORT),
                ApparatusSettings.fromEnvironment(env),
                Duration.ofMillis(intValue(env, "TEMPLATE_RENDER_TIMEOUT_MILLIS",
                        (int) TemplateEngine.DEFAULT_RENDER_TIMEOUT.toMillis())));
    }

    /**
     * The whole number in environment variable {@code name}, or {@code fallback} when it is unset or blank; anything
     * else is a startup error naming the variable. Every operator setting reads numbers through this.
     */
    public static int intValue(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static String identity(Map<String, String> env) {
        String pod = env.get("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "integration-operator";
        }
    }
}
