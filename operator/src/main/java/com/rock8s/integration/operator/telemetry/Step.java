package com.rock8s.integration.operator.telemetry;

import com.rock8s.integration.observability.tracing.SpanScope;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.interfaces.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One lifecycle step of a plug or a socket: the root span of its trace, current on the reconciling thread until it
 * closes. Code deeper down (rendering, applying, apparatus calls) reaches it with {@link #current()} instead of
 * having it passed through every constructor; outside a step {@code current()} answers a step that records nothing.
 */
public final class Step implements AutoCloseable {
    private static final ThreadLocal<Step> CURRENT = new ThreadLocal<>();
    private static final Step NONE = new Step(null, null, null, null, null, null);

    private final CouplingTelemetry telemetry;
    private final SpanScope root;
    private final String kind;
    private final String key;
    private final Instant waitingSince;
    private final Step previous;
    private When event;
    private boolean coupled;
    private boolean changed;

    Step(CouplingTelemetry telemetry, SpanScope root, String kind, String key, Instant waitingSince, Step previous) {
        this.telemetry = telemetry;
        this.root = root;
        this.kind = kind;
        this.key = key;
        this.waitingSince = waitingSince;
        this.previous = previous;
    }

    /** The step running on this thread, or one that records nothing. */
    public static Step current() {
        Step step = CURRENT.get();
        return step == null ? NONE : step;
    }

    static Step open(CouplingTelemetry telemetry, SpanScope root, String kind, String key, Instant waitingSince) {
        Step step = new Step(telemetry, root, kind, key, waitingSince, CURRENT.get());
        CURRENT.set(step);
        return step;
    }

    private boolean recording() {
        return telemetry != null;
    }

    /** The trace id of this step (what the plug's status records), or null outside a step. */
    public String traceId() {
        return recording() ? root.traceId() : null;
    }

    /**
     * Runs {@code event} on {@code side}: a child span, and a count by event, side and outcome. The root span is named
     * after the event ({@code coupled plug ns/name}); with several events in one pass, the last one names it.
     */
    public Activity event(When event, Side side) {
        if (!recording()) {
            return Activity.NONE;
        }
        this.event = event;
        coupled |= event == When.COUPLED;
        changed |= event == When.COUPLED || event == When.UPDATED;
        root.rename(event.wireName() + " " + kind + " " + key).attribute("event", event.wireName());
        SpanScope span = telemetry.traces().child(event.wireName() + " " + side.label(),
                Map.of("event", event.wireName(), "side", side.label()));
        return new Activity(span, outcome -> telemetry.count(MetricNames.LIFECYCLE_EVENTS,
                "event", event.wireName(), "side", side.label(), "outcome", outcome));
    }

    /** Resolving {@code what} (config, results): a child span. */
    public Activity resolve(String what) {
        if (!recording()) {
            return Activity.NONE;
        }
        return new Activity(telemetry.traces().child("resolve " + what, Map.of()), outcome -> { });
    }

    /** Rendering one templated entry of kind {@code template}: a child span and the render duration. */
    public Activity render(String template, String where) {
        if (!recording()) {
            return Activity.NONE;
        }
        long start = System.nanoTime();
        SpanScope span = telemetry.traces().child("render " + template, Map.of("template", template, "where", where));
        return new Activity(span, outcome -> telemetry.time(MetricNames.TEMPLATE_RENDER_DURATION, start,
                "template", template));
    }

    /** Applying, deleting or recreating one object: a child span and a count by action and outcome. */
    public Activity resource(String action, String kind, String namespace, String name) {
        if (!recording()) {
            return Activity.NONE;
        }
        SpanScope span = telemetry.traces().child(action + " " + kind, Map.of("action", action,
                "k8s.kind", String.valueOf(kind), "k8s.namespace", String.valueOf(namespace),
                "k8s.name", String.valueOf(name)));
        return new Activity(span, outcome -> telemetry.count(MetricNames.RESOURCE_APPLIES, "action", action,
                "outcome", outcome));
    }

    /**
     * One HTTP call to an apparatus: a client span, current while the request is built (so the client's
     * {@code TraceContext} decorator puts its context into the request), and the call's duration by
     * {@code endpoint} (the event path, a bounded value) and outcome.
     */
    public Activity apparatusCall(String method, String endpoint) {
        if (!recording()) {
            return Activity.NONE;
        }
        long start = System.nanoTime();
        SpanScope span = telemetry.traces().client(method + " " + endpoint, Map.of("http.request.method", method,
                "apparatus.endpoint", endpoint));
        return new Activity(span, outcome -> telemetry.time(MetricNames.APPARATUS_CALL_DURATION, start,
                "endpoint", endpoint, "outcome", outcome));
    }

    /**
     * Ends a plug pass: counts it by outcome when it changed something or failed ({@code failureReason}, null when
     * it succeeded), and observes how long the plug waited when it just coupled.
     */
    public void finish(String failureReason) {
        if (!recording() || !"plug".equals(kind)) {
            return;
        }
        if (failureReason != null) {
            root.fail(failureReason).attribute("reason", failureReason);
            telemetry.count(MetricNames.COUPLINGS, "outcome", failureReason);
            return;
        }
        if (changed) {
            telemetry.count(MetricNames.COUPLINGS, "outcome", CouplingTelemetry.SUCCEEDED);
        }
        if (coupled && waitingSince != null) {
            Duration waited = Duration.between(waitingSince, Instant.now());
            telemetry.couplingDuration().record(waited.isNegative() ? Duration.ZERO : waited);
        }
    }

    /** The last event this step ran, or null. */
    public When event() {
        return event;
    }

    @Override
    public void close() {
        if (!recording()) {
            return;
        }
        if (event == null) {
            root.attribute("event", "none");
        }
        root.close();
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
