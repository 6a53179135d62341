package com.rock8s.integration.observability.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.http.HttpRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.MDC;

/**
 * One open span, current on this thread until {@link #close()}. While open, the logging MDC carries
 * {@code trace_id} and {@code span_id} (and whatever {@link #mdc(String, String)} added), so every log line written
 * inside names the trace it belongs to. Closing restores the previous values.
 */
public final class SpanScope implements AutoCloseable {
    /** MDC keys that carry the current span's ids. */
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private final Span span;
    private final Context context;
    private final Scope scope;
    private final TextMapPropagator propagator;
    private final Deque<String[]> previousMdc = new ArrayDeque<>();

    SpanScope(Span span, TextMapPropagator propagator) {
        this.span = span;
        this.propagator = propagator;
        this.context = Context.current().with(span);
        this.scope = context.makeCurrent();
        mdc(TRACE_ID, span.getSpanContext().getTraceId());
        mdc(SPAN_ID, span.getSpanContext().getSpanId());
    }

    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    public String spanId() {
        return span.getSpanContext().getSpanId();
    }

    /** Renames the span, once the work it covers turns out to be something more specific. */
    public SpanScope rename(String name) {
        span.updateName(name);
        return this;
    }

    public SpanScope attribute(String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    public SpanScope attribute(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    /** Puts {@code key} into the logging MDC until this scope closes. */
    public SpanScope mdc(String key, String value) {
        previousMdc.push(new String[] {key, MDC.get(key)});
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
        return this;
    }

    /** Marks the span failed with the exception as an event. */
    public SpanScope fail(Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        return this;
    }

    /** Marks the span failed without an exception (a refused call, a status code). */
    public SpanScope fail(String description) {
        span.setStatus(StatusCode.ERROR, description);
        return this;
    }

    /** Writes this span's context into the request as W3C {@code traceparent} (and {@code tracestate}). */
    public HttpRequest.Builder inject(HttpRequest.Builder request) {
        propagator.inject(context, request, TraceContext.HEADERS);
        return request;
    }

    @Override
    public void close() {
        span.end();
        scope.close();
        while (!previousMdc.isEmpty()) {
            String[] entry = previousMdc.pop();
            if (entry[1] == null) {
                MDC.remove(entry[0]);
            } else {
                MDC.put(entry[0], entry[1]);
            }
        }
    }
}
