package com.rock8s.integration.observability.tracing;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Map;

/**
 * The small tracing API domain code uses: open a span as a try-with-resources scope, name it, tag it, mark it
 * failed. Spans nest through the current thread's context, so callers never pass spans around.
 */
public final class Traces {
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public Traces(Tracing tracing, String instrumentationName) {
        this.tracer = tracing.tracer(instrumentationName);
        this.propagator = tracing.openTelemetry().getPropagators().getTextMapPropagator();
    }

    /** Starts a new trace, whatever span is current. */
    public SpanScope root(String name, Map<String, String> attributes) {
        return open(tracer.spanBuilder(name).setNoParent().setSpanKind(SpanKind.INTERNAL), attributes);
    }

    /** A span inside the current one (a new trace when there is none). */
    public SpanScope child(String name, Map<String, String> attributes) {
        return open(tracer.spanBuilder(name).setParent(Context.current()).setSpanKind(SpanKind.INTERNAL),
                attributes);
    }

    /**
     * An outgoing call: a client span whose context {@link SpanScope#inject(java.net.http.HttpRequest.Builder)}
     * passes to the callee as W3C {@code traceparent}.
     */
    public SpanScope client(String name, Map<String, String> attributes) {
        return open(tracer.spanBuilder(name).setParent(Context.current()).setSpanKind(SpanKind.CLIENT),
                attributes);
    }

    private SpanScope open(SpanBuilder builder, Map<String, String> attributes) {
        attributes.forEach(builder::setAttribute);
        return new SpanScope(builder.startSpan(), propagator);
    }
}
