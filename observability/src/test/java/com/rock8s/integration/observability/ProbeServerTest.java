package com.rock8s.integration.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProbeServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesHealthReadinessAndPrometheusMetrics() throws IOException, InterruptedException {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (Metrics metrics = new Metrics();
             ProbeServer server = ProbeServer.start(0, metrics::scrape, ready::get)) {
            metrics.registry().counter("integration_operator_test_events", "outcome", "ok").increment(3);

            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(server, "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("not ready");
            ready.set(true);
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);

            HttpResponse<String> scrape = get(server, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(scrape.body())
                    .contains("integration_operator_test_events_total{outcome=\"ok\"} 3.0")
                    .contains("jvm_memory_used_bytes")
                    .contains("process_uptime_seconds");
        }
    }

    private HttpResponse<String> get(ProbeServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
