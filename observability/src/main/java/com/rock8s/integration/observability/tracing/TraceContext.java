package com.rock8s.integration.observability.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.http.HttpRequest;
import java.util.function.Consumer;

/**
 * W3C trace context for {@code java.net.http} requests: a request decorator that adds {@code traceparent} for
 * whatever span is current on the calling thread (nothing when there is none).
 */
public final class TraceContext {
    static final TextMapSetter<HttpRequest.Builder> HEADERS = (builder, key, value) -> {
        if (builder != null) {
            builder.setHeader(key, value);
        }
    };

    private TraceContext() {
    }

    /** Adds the current span's {@code traceparent} to {@code request}. */
    public static void inject(HttpRequest.Builder request) {
        W3CTraceContextPropagator.getInstance().inject(Context.current(), request, HEADERS);
    }

    /** {@link #inject} as the request-decorator hook HTTP callers accept. */
    public static Consumer<HttpRequest.Builder> injector() {
        return TraceContext::inject;
    }
}
