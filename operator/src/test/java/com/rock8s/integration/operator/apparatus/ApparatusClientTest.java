package com.rock8s.integration.operator.apparatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.operator.api.Apparatus;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts, retries and what the caller is told, against a loopback stub. */
class ApparatusClientTest {
    private static final byte[] BODY = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);

    private final StubApparatus stub = StubApparatus.start();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final ApparatusSettings settings = ApparatusSettings.defaults()
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))
            .withRetries(2, Duration.ofMillis(20));
    private final ApparatusClient client = new ApparatusClient(settings,
            request -> request.header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            (endpoint, duration, outcome, attempts) -> outcomes.add(endpoint + ":" + outcome.label() + ":" + attempts));

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void successReturnsTheBodyAndCarriesUserAgentAndDecoratorHeaders() throws Exception {
        assertThat(client.post(endpoint(stub.url("/hooks")), "coupled", BODY)).isEqualTo("{}");

        assertThat(stub.count("coupled")).isEqualTo(1);
        assertThat(stub.headers().get(0).get("User-agent")).singleElement().asString()
                .startsWith("integration-operator/");
        assertThat(stub.headers().get(0).get("Traceparent")).containsExactly(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(stub.headers().get(0).get("Content-type")).containsExactly("application/json");
        assertThat(outcomes).containsExactly("coupled:success:1");
    }

    @Test
    void serverErrorIsRetriedThenReportedWithStatusAndUrl() {
        stub.answer("coupled", 500);

        assertThatThrownBy(() -> client.post(endpoint(stub.url("/hooks")), "coupled", BODY))
                .isInstanceOfSatisfying(ApparatusCallException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(CallOutcome.SERVER_ERROR);
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("apparatus coupled", "POST " + stub.url("/hooks/coupled"),
                            "HTTP 500", "after 3 attempts", "stub says 500");
                });
        assertThat(stub.count("coupled")).isEqualTo(3);
        assertThat(outcomes).containsExactly("coupled:server_error:3");
    }

    @Test
    void clientErrorIsNotRetried() {
        stub.answer("updated", 422);

        assertThatThrownBy(() -> client.post(endpoint(stub.url("/hooks")), "updated", BODY))
                .isInstanceOfSatisfying(ApparatusCallException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(CallOutcome.CLIENT_ERROR);
                    assertThat(e.getMessage()).contains("HTTP 422").doesNotContain("attempts");
                });
        assertThat(stub.count("updated")).isEqualTo(1);
        assertThat(outcomes).containsExactly("updated:client_error:1");
    }

    @Test
    void hangingApparatusTimesOutWithoutRetry() {
        stub.answer("decoupled", StubApparatus.HANG);

        assertThatThrownBy(() -> client.post(endpoint(stub.url("/hooks")), "decoupled", BODY))
                .isInstanceOfSatisfying(ApparatusCallException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(CallOutcome.TIMEOUT);
                    assertThat(e.getMessage()).contains("got no answer within 1s", stub.url("/hooks/decoupled"));
                });
        assertThat(stub.count("decoupled")).isEqualTo(1);
        assertThat(outcomes).containsExactly("decoupled:timeout:1");
    }

    @Test
    void unreachableApparatusIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Endpoint nowhere = endpoint("http://127.0.0.1:" + closedPort + "/hooks");

        assertThatThrownBy(() -> client.post(nowhere, "created", BODY))
                .isInstanceOfSatisfying(ApparatusCallException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(CallOutcome.UNREACHABLE);
                    assertThat(e.getMessage()).contains("unreachable", "after 3 attempts");
                });
        assertThat(outcomes).containsExactly("created:unreachable:3");
    }

    @Test
    void pingReportsSuccessAndFailureWithoutRetrying() throws Exception {
        assertThat(client.pingAsync(endpoint(stub.url(""))).get()).isNull();
        stub.answer("ping", 503);
        assertThat(client.pingAsync(endpoint(stub.url(""))).get().status()).isEqualTo(503);
        assertThat(stub.count("ping")).isEqualTo(2);
    }

    private static Endpoint endpoint(String url) throws Endpoint.InvalidEndpointException {
        Apparatus apparatus = new Apparatus();
        apparatus.setEndpoint(url);
        return Endpoint.resolve(apparatus, "owner", "ns", ApparatusSettings.DEFAULT_SERVICE_URL);
    }
}
