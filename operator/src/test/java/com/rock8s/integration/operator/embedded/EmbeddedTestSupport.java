package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared fixtures for the embedded API server tests: the test CRD, raw HTTP access, unique names. */
final class EmbeddedTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
            .build();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EmbeddedTestSupport() {
    }

    /** A name no other test uses, so tests can share one server. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    static CustomResourceDefinition widgetCrd() {
        try (InputStream in = EmbeddedTestSupport.class.getResourceAsStream("/embedded/widgets-crd.yaml")) {
            return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(EmbeddedTestSupport.class.getResource("/embedded/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static GenericKubernetesResource widget(String namespace, String name, int size, String color) {
        GenericKubernetesResource w = new GenericKubernetesResource();
        w.setApiVersion("example.com/v1");
        w.setKind("Widget");
        w.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .build());
        w.setAdditionalProperties(new java.util.LinkedHashMap<>(Map.of("spec", Map.of("size", size, "color", color))));
        return w;
    }

    static GenericKubernetesResource createWidget(KubernetesClient client, String namespace, String name, int size,
            String color) {
        return client.genericKubernetesResources(WIDGETS).inNamespace(namespace)
                .resource(widget(namespace, name, size, color)).create();
    }

    /** A raw HTTP exchange, for what fabric8 clients do not expose (Accept headers, bodies, codes). */
    record Reply(int status, String contentType, JsonNode body, String text) {
    }

    static Reply http(EmbeddedApiServer server, String method, String path, String contentType, String body,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = null;
            try {
                parsed = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                parsed = null;
            }
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), parsed,
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply get(EmbeddedApiServer server, String path) {
        return http(server, "GET", path, null, null, Map.of());
    }
}
