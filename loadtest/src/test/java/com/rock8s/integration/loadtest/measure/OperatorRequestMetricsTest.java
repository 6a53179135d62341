package com.rock8s.integration.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OperatorRequestMetricsTest {

    @Test
    void readsTheFamilyInTheEmbeddedCountersTerms() {
        Map<OperatorRequestMetrics.Series, Double> parsed = OperatorRequestMetrics.parse("""
                # HELP integration_operator_api_requests_total Requests
                # TYPE integration_operator_api_requests_total counter
                integration_operator_api_requests_total{code="2xx",resource="plugs",verb="patch"} 10.0
                integration_operator_api_requests_total{code="2xx",resource="plugs/status",verb="update"} 9.0
                integration_operator_api_requests_total{code="409",resource="sockets/status",verb="update"} 3.0
                integration_operator_api_requests_total{code="2xx",resource="plugs",verb="watch"} 2.0
                integration_operator_api_requests_total{code="error",resource="events",verb="create"} 1.0
                integration_operator_api_requests_total{code="2xx",resource="leases",verb="update"} 50.0
                integration_operator_couplings_total{outcome="CouplingSucceeded"} 10.0
                """);
        RequestCounter.Snapshot s = OperatorRequestMetrics.snapshotOf(parsed);
        assertThat(s.operatorRequests()).isEqualTo(25);
        assertThat(s.operatorWrites()).isEqualTo(23);
        assertThat(s.leaseRequests()).isEqualTo(50);
        assertThat(s.harnessRequests()).isZero();
        assertThat(s.writesByResource()).containsExactlyInAnyOrderEntriesOf(Map.of("PATCH plugs", 10L,
                "PUT plugs/status", 9L, "PUT sockets/status", 3L, "POST events", 1L));
        assertThat(s.errorsByStatus()).containsExactlyInAnyOrderEntriesOf(Map.of("http 409 PUT sockets/status", 3L,
                "http error POST events", 1L));
    }

    @Test
    void aReplicaThatStopsAnsweringKeepsItsCountsAndARestartedOneIsCarriedOver() throws IOException {
        AtomicReference<String> a = new AtomicReference<>(body(5));
        AtomicReference<String> b = new AtomicReference<>(body(7));
        HttpServer first = serve(a);
        HttpServer second = serve(b);
        try {
            OperatorRequestMetrics metrics = new OperatorRequestMetrics(() -> List.of(uri(first), uri(second)));
            RequestCounter.Snapshot start = metrics.snapshot();
            assertThat(start.operatorWrites()).isEqualTo(12);

            a.set(body(8));
            first.stop(0);
            b.set(body(2));
            RequestCounter.Snapshot later = metrics.snapshot();
            // the first keeps its 5 (its 3 more after the last scrape are not seen); the second restarted: 7 + 2
            assertThat(later.operatorWrites()).isEqualTo(5 + 7 + 2);
            assertThat(later.minus(start).operatorWrites()).isEqualTo(2);
        } finally {
            first.stop(0);
            second.stop(0);
        }
    }

    private static String body(int patches) {
        return "integration_operator_api_requests_total{code=\"2xx\",resource=\"plugs\",verb=\"patch\"} "
                + patches + ".0\n";
    }

    private static HttpServer serve(AtomicReference<String> body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }
}
