package com.rock8s.integration.observability.tracing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how traces go, read from the standard OpenTelemetry environment variables. Without an OTLP endpoint
 * nothing is exported: spans still get trace ids (for logs and status fields), but no connection is ever attempted.
 *
 * @param tracesEndpoint     the full OTLP traces URL, or null when nothing is exported
 * @param protocol           {@code http/protobuf} or {@code grpc}
 * @param serviceName        the {@code service.name} resource attribute
 * @param sampler            one of the {@code OTEL_TRACES_SAMPLER} names
 * @param samplerRatio       the ratio for the {@code traceidratio} samplers, 0 to 1
 * @param resourceAttributes extra resource attributes ({@code OTEL_RESOURCE_ATTRIBUTES})
 * @param headers            headers sent with every export (authentication for hosted backends)
 */
public record TracingSettings(String tracesEndpoint, String protocol, String serviceName, String sampler,
                              double samplerRatio, Map<String, String> resourceAttributes,
                              Map<String, String> headers) {
    public static final String HTTP_PROTOBUF = "http/protobuf";
    public static final String GRPC = "grpc";
    private static final String DEFAULT_SAMPLER = "parentbased_always_on";
    private static final java.util.Set<String> SAMPLERS = java.util.Set.of("always_on", "always_off",
            "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio");

    public TracingSettings {
        resourceAttributes = Map.copyOf(resourceAttributes);
        headers = Map.copyOf(headers);
        if (!SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("OTEL_TRACES_SAMPLER must be one of " + new java.util.TreeSet<>(SAMPLERS)
                    + ", got '" + sampler + "'");
        }
        if (!(samplerRatio >= 0 && samplerRatio <= 1)) {
            throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG must be between 0 and 1, got " + samplerRatio);
        }
        if (!HTTP_PROTOBUF.equals(protocol) && !GRPC.equals(protocol)) {
            throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or grpc, got '"
                    + protocol + "'");
        }
    }

    /** Whether spans leave the process. */
    public boolean exports() {
        return tracesEndpoint != null;
    }

    /**
     * Reads {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (used as is) or {@code OTEL_EXPORTER_OTLP_ENDPOINT} (plus
     * {@code /v1/traces} over HTTP), {@code OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL}, {@code OTEL_SERVICE_NAME},
     * {@code OTEL_TRACES_SAMPLER}, {@code OTEL_TRACES_SAMPLER_ARG}, {@code OTEL_RESOURCE_ATTRIBUTES},
     * {@code OTEL_EXPORTER_OTLP_[TRACES_]HEADERS}, and {@code OTEL_TRACES_EXPORTER=none} or
     * {@code OTEL_SDK_DISABLED=true} to switch export off.
     */
    public static TracingSettings fromEnvironment(Map<String, String> env, String defaultServiceName) {
        String protocol = first(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL");
        protocol = protocol == null ? HTTP_PROTOBUF : protocol.toLowerCase(Locale.ROOT);
        String endpoint = value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (endpoint == null) {
            String base = value(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
            if (base != null) {
                endpoint = GRPC.equals(protocol) ? base : stripSlash(base) + "/v1/traces";
            }
        }
        boolean off = "none".equalsIgnoreCase(value(env, "OTEL_TRACES_EXPORTER"))
                || "true".equalsIgnoreCase(value(env, "OTEL_SDK_DISABLED"));
        Map<String, String> attributes = pairs(value(env, "OTEL_RESOURCE_ATTRIBUTES"));
        String serviceName = value(env, "OTEL_SERVICE_NAME");
        if (serviceName == null) {
            serviceName = attributes.getOrDefault("service.name", defaultServiceName);
        }
        attributes.remove("service.name");
        String sampler = value(env, "OTEL_TRACES_SAMPLER");
        sampler = sampler == null ? DEFAULT_SAMPLER : sampler.toLowerCase(Locale.ROOT);
        String ratio = value(env, "OTEL_TRACES_SAMPLER_ARG");
        double samplerRatio;
        try {
            samplerRatio = ratio == null ? 1.0 : Double.parseDouble(ratio);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG must be a number, got '" + ratio + "'", e);
        }
        Map<String, String> headers = pairs(value(env, "OTEL_EXPORTER_OTLP_HEADERS"));
        headers.putAll(pairs(value(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS")));
        return new TracingSettings(off ? null : endpoint, protocol, serviceName, sampler, samplerRatio, attributes,
                headers);
    }

    private static String first(Map<String, String> env, String specific, String general) {
        String value = value(env, specific);
        return value != null ? value : value(env, general);
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code k1=v1,k2=v2} with percent-encoded values, as the OpenTelemetry specification writes them. */
    private static Map<String, String> pairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (text == null) {
            return pairs;
        }
        for (String entry : text.split(",")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = entry.substring(0, equals).trim();
            String raw = entry.substring(equals + 1).trim();
            pairs.put(key, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return pairs;
    }
}
