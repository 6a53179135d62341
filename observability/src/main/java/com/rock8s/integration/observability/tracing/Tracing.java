package com.rock8s.integration.observability.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's OpenTelemetry SDK. Spans always get ids (logs and status fields carry them); they are exported over
 * OTLP only when an endpoint is configured. Not registered as the global instance, so that several operators in one
 * JVM (tests) keep their traces apart.
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

    private final OpenTelemetrySdk sdk;
    private final boolean exporting;

    private Tracing(OpenTelemetrySdk sdk, boolean exporting) {
        this.sdk = sdk;
        this.exporting = exporting;
    }

    /** Tracing as the {@code OTEL_*} environment variables describe it. */
    public static Tracing fromEnvironment(Map<String, String> env, String defaultServiceName) {
        return create(TracingSettings.fromEnvironment(env, defaultServiceName));
    }

    public static Tracing create(TracingSettings settings) {
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setResource(resource(settings))
                .setSampler(sampler(settings));
        // Without a processor the SDK hands out invalid (all-zero) span contexts; ids are wanted even unexported.
        provider.addSpanProcessor(settings.exports() ? BatchSpanProcessor.builder(exporter(settings)).build()
                : new KeepIds());
        LOG.info("event=tracing_configured exporting={} endpoint={} protocol={} service={} sampler={}",
                settings.exports(), settings.exports() ? settings.tracesEndpoint() : "-", settings.protocol(),
                settings.serviceName(), settings.sampler());
        return new Tracing(sdk(provider.build()), settings.exports());
    }

    /** Every span goes to {@code processor} (tests pass an in-memory exporter through a simple processor). */
    public static Tracing with(SpanProcessor processor, String serviceName) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor(processor)
                .build();
        return new Tracing(sdk(provider), true);
    }

    /** Spans with ids that go nowhere: what runs when tracing is not wired (unit tests). */
    public static Tracing local(String serviceName) {
        return create(new TracingSettings(null, TracingSettings.HTTP_PROTOBUF, serviceName,
                "parentbased_always_on", 1.0, Map.of(), Map.of()));
    }

    private static OpenTelemetrySdk sdk(SdkTracerProvider provider) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    private static Resource resource(TracingSettings settings) {
        AttributesBuilder attributes = Attributes.builder();
        settings.resourceAttributes().forEach(attributes::put);
        attributes.put("service.name", settings.serviceName());
        return Resource.getDefault().merge(Resource.create(attributes.build()));
    }

    private static Sampler sampler(TracingSettings settings) {
        double ratio = settings.samplerRatio();
        return switch (settings.sampler()) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> Sampler.parentBased(Sampler.alwaysOn());
        };
    }

    private static SpanExporter exporter(TracingSettings settings) {
        if (TracingSettings.GRPC.equals(settings.protocol())) {
            var builder = OtlpGrpcSpanExporter.builder().setEndpoint(settings.tracesEndpoint());
            settings.headers().forEach(builder::addHeader);
            return builder.build();
        }
        var builder = OtlpHttpSpanExporter.builder().setEndpoint(settings.tracesEndpoint());
        settings.headers().forEach(builder::addHeader);
        return builder.build();
    }

    /** A processor that does nothing, so that spans are real (with ids) though nothing is exported. */
    private static final class KeepIds implements SpanProcessor {
        @Override
        public void onStart(io.opentelemetry.context.Context parent, io.opentelemetry.sdk.trace.ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    public Tracer tracer(String instrumentationName) {
        return sdk.getTracer(instrumentationName);
    }

    /** Whether spans leave the process. */
    public boolean exporting() {
        return exporting;
    }

    /** Exports what is still buffered, then stops; a backend that is down costs at most a few seconds here. */
    @Override
    public void close() {
        sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
        sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
    }
}
