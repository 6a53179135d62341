package com.rock8s.integration.observability.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {
    @Test
    void withoutAnEndpointNothingIsExportedAndNoLocalhostIsAssumed() {
        TracingSettings settings = TracingSettings.fromEnvironment(Map.of(), "svc");
        assertThat(settings.exports()).isFalse();
        assertThat(settings.tracesEndpoint()).isNull();
        assertThat(settings.serviceName()).isEqualTo("svc");
        assertThat(settings.sampler()).isEqualTo("parentbased_always_on");
        try (Tracing tracing = Tracing.create(settings)) {
            assertThat(tracing.exporting()).isFalse();
        }
    }

    @Test
    void theGeneralEndpointGetsTheTracesPathOverHttpAndTheSpecificOneIsUsedAsIs() {
        assertThat(TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://tempo:4318/"), "s")
                .tracesEndpoint()).isEqualTo("http://tempo:4318/v1/traces");
        assertThat(TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://tempo:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/custom"), "s").tracesEndpoint())
                .isEqualTo("http://jaeger:4318/custom");
        assertThat(TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://tempo:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), "s").tracesEndpoint()).isEqualTo("http://tempo:4317");
        assertThat(TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://tempo:4318",
                "OTEL_TRACES_EXPORTER", "none"), "s").exports()).isFalse();
    }

    @Test
    void readsServiceNameSamplerResourceAttributesAndHeaders() {
        TracingSettings settings = TracingSettings.fromEnvironment(Map.of(
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,deployment.environment=prod,team=a%2Cb",
                "OTEL_TRACES_SAMPLER", "ParentBased_TraceIdRatio",
                "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Basic%20abc"), "svc");
        assertThat(settings.serviceName()).isEqualTo("from-attrs");
        assertThat(settings.resourceAttributes()).containsExactlyInAnyOrderEntriesOf(
                Map.of("deployment.environment", "prod", "team", "a,b"));
        assertThat(settings.sampler()).isEqualTo("parentbased_traceidratio");
        assertThat(settings.samplerRatio()).isEqualTo(0.25);
        assertThat(settings.headers()).containsEntry("authorization", "Basic abc");
        assertThat(TracingSettings.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "explicit",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored"), "svc").serviceName()).isEqualTo("explicit");
    }

    @Test
    void refusesValuesItCannotHonour() {
        assertThatThrownBy(() -> TracingSettings.fromEnvironment(Map.of("OTEL_TRACES_SAMPLER", "sometimes"), "s"))
                .hasMessageContaining("OTEL_TRACES_SAMPLER");
        assertThatThrownBy(() -> TracingSettings.fromEnvironment(Map.of("OTEL_TRACES_SAMPLER_ARG", "2"), "s"))
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
                "s")).hasMessageContaining("http/protobuf or grpc");
    }
}
