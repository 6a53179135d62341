package com.rock8s.integration.observability.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracesTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.with(SimpleSpanProcessor.create(exporter), "test");
    private final Traces traces = new Traces(tracing, "test");

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void spansNestThroughTheThreadAndRootsStartNewTraces() {
        String outer;
        try (SpanScope root = traces.root("first", Map.of("k", "v"))) {
            outer = root.traceId();
            try (SpanScope child = traces.child("inner", Map.of())) {
                child.fail(new IllegalStateException("boom"));
            }
            try (SpanScope other = traces.root("second", Map.of())) {
                assertThat(other.traceId()).isNotEqualTo(outer);
            }
            root.rename("renamed");
        }
        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData root = byName(spans, "renamed");
        SpanData inner = byName(spans, "inner");
        assertThat(root.getAttributes().asMap()).hasSize(1);
        assertThat(inner.getTraceId()).isEqualTo(outer);
        assertThat(inner.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(inner.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(inner.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
        assertThat(byName(spans, "second").getParentSpanId()).isEqualTo("0000000000000000");
    }

    @Test
    void clientSpansInjectTheirOwnContextAsTraceparent() {
        HttpRequest request;
        String traceId;
        String spanId;
        try (SpanScope root = traces.root("root", Map.of());
             SpanScope call = traces.client("POST /hook", Map.of())) {
            traceId = root.traceId();
            spanId = call.spanId();
            request = call.inject(HttpRequest.newBuilder(URI.create("http://example.invalid/"))).build();
        }
        assertThat(request.headers().firstValue("traceparent")).hasValueSatisfying(header -> assertThat(header)
                .matches("00-" + traceId + "-" + spanId + "-0[13]"));
        assertThat(byName(exporter.getFinishedSpanItems(), "POST /hook").getKind()).isEqualTo(SpanKind.CLIENT);
    }

    @Test
    void theDecoratorInjectsTheCurrentSpanAndNothingWithoutOne() {
        HttpRequest.Builder without = HttpRequest.newBuilder(URI.create("http://example.invalid/"));
        TraceContext.injector().accept(without);
        assertThat(without.build().headers().firstValue("traceparent")).isEmpty();
        try (SpanScope root = traces.root("root", Map.of())) {
            HttpRequest.Builder with = HttpRequest.newBuilder(URI.create("http://example.invalid/"));
            TraceContext.injector().accept(with);
            assertThat(with.build().headers().firstValue("traceparent")).hasValueSatisfying(
                    header -> assertThat(header).contains(root.traceId()));
        }
    }

    @Test
    void theMdcCarriesIdsAndExtraKeysWhileOpenAndIsRestoredAfter() {
        MDC.put("shard", "outer");
        try (SpanScope root = traces.root("root", Map.of()).mdc("shard", "3")) {
            assertThat(MDC.get(SpanScope.TRACE_ID)).isEqualTo(root.traceId());
            assertThat(MDC.get(SpanScope.SPAN_ID)).isEqualTo(root.spanId());
            assertThat(MDC.get("shard")).isEqualTo("3");
        }
        assertThat(MDC.get(SpanScope.TRACE_ID)).isNull();
        assertThat(MDC.get("shard")).isEqualTo("outer");
        MDC.clear();
    }

    @Test
    void withoutAnExporterSpansStillHaveIds() {
        try (Tracing local = Tracing.local("x");
             SpanScope span = new Traces(local, "x").root("r", Map.of())) {
            assertThat(span.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        }
    }

    private static SpanData byName(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }
}
