package com.rock8s.integration.operator.telemetry;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.observability.Metrics;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.embedded.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's client request counter: an operator whose client is instrumented couples a plug, and the counts on
 * its {@code /metrics} text show the requests that coupling needed, labelled with bounded values only.
 */
class ApiRequestMetricsTest {
    private static final String FAMILY = "integration_operator_api_requests_total";
    private static final String NS = "tenant-q7";

    @Test
    void anOperatorCouplingAPlugCountsItsRequestsByVerbResourceAndCode() {
        ApiRequestMetrics requests = new ApiRequestMetrics();
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0);
             Metrics metrics = new Metrics()) {
            server.installCrdsFromClasspath();
            try (KubernetesClient client = server.newClient();
                 KubernetesClient operatorClient = requests.instrument(new KubernetesClientBuilder()
                         .withConfig(server.clientConfig())).build()) {
                // counted before the registry exists: bindTo must export these too
                assertThat(operatorClient.namespaces().withName("absent").get()).isNull();
                requests.bindTo(metrics.registry());
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata()
                        .build()).create();
                client.resource(socket(NS, "db", s -> s.setResources(List.of(configMap())))).create();
                client.resource(plug(NS, "shop", null, "db", p -> p.setConfig(Map.of("database", "shop")))).create();
                try (OperatorRuntime operator = new OperatorRuntime(operatorClient, new OperatorSettings(2,
                        Duration.ofMinutes(10), true, Duration.ofSeconds(20), "replica-a"), metrics.registry())
                        .start()) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> coupled(client.resources(Plug.class)
                            .inNamespace(NS).withName("shop").get()));
                    // the socket's status write and the Events may trail the plug's status
                    await().atMost(Duration.ofSeconds(30)).until(() -> sum(scrape(metrics), "resource=\"events\"",
                            "verb=\"create\"") >= 1 && sum(scrape(metrics), "resource=\"sockets/status\"") >= 1);
                }
            }
            Map<String, Double> samples = scrape(metrics);
            assertThat(samples.get(FAMILY + "{code=\"404\",resource=\"namespaces\",verb=\"get\"}"))
                    .as("a request made before bindTo").isGreaterThanOrEqualTo(1.0);
            assertThat(sum(samples, "resource=\"plugs\"", "verb=\"watch\"", "code=\"2xx\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(samples, "resource=\"sockets\"", "verb=\"watch\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(samples, "resource=\"plugs\"", "verb=\"patch\"", "code=\"2xx\""))
                    .as("the finalizer").isGreaterThanOrEqualTo(1);
            assertThat(sum(samples, "resource=\"plugs/status\"", "code=\"2xx\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(samples, "resource=\"configmaps\"", "code=\"2xx\""))
                    .as("the templated ConfigMap, applied through the impersonated client").isGreaterThanOrEqualTo(1);
            // one coupling is a handful of writes, not hundreds: the counter counts requests, not retries of a loop
            double writes = samples.entrySet().stream().filter(e -> e.getKey().matches(".*verb=\"(create|update|"
                    + "patch|delete)\".*") && !e.getKey().contains("resource=\"leases\"")
                    && !e.getKey().contains("resource=\"namespaces\"")).mapToDouble(Map.Entry::getValue).sum();
            assertThat(writes).isBetween(4.0, 40.0);
            assertThat(samples.keySet()).allSatisfy(series -> {
                Matcher labels = Pattern.compile("code=\"([^\"]*)\",resource=\"([^\"]*)\",verb=\"([^\"]*)\"")
                        .matcher(series);
                assertThat(labels.find()).as(series).isTrue();
                assertThat(labels.group(1)).isIn("2xx", "3xx", "404", "409", "429", "4xx", "5xx", "error");
                assertThat(ApiRequestMetrics.RESOURCES.contains(labels.group(2))
                        || labels.group(2).equals("other")).as(series).isTrue();
                assertThat(labels.group(3)).isIn("get", "list", "watch", "create", "update", "patch", "delete",
                        "deletecollection");
                assertThat(series).doesNotContain("shop", NS);
            });
        }
    }

    @Test
    void aRequestThatGetsNoResponseCountsAsAnError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ApiRequestMetrics requests = new ApiRequestMetrics();
        try (KubernetesClient client = requests.instrument(new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + closedPort).withRequestRetryBackoffLimit(2)
                        .withRequestRetryBackoffInterval(10).build()))
                .build()) {
            try {
                client.pods().inNamespace("x").withName("y").get();
            } catch (KubernetesClientException expected) {
                // the count is what this test is about
            }
        }
        // fabric8 reports a connection failure when it decides to retry: the two retried attempts, not the last
        assertThat(requests.count("get", "pods", "error")).isEqualTo(2);
        assertThat(requests.count("get", "pods", "2xx")).isZero();
    }

    @Test
    void labelsAreBoundedWhateverThePath() {
        assertThat(key("GET", "/apis/integration.rock8s.com/v1beta1/namespaces/a/plugs?watch=true&rv=1", 200))
                .isEqualTo(new ApiRequestMetrics.Key("watch", "plugs", "2xx"));
        assertThat(key("GET", "/apis/integration.rock8s.com/v1beta1/plugs?labelSelector=x", 200))
                .isEqualTo(new ApiRequestMetrics.Key("list", "plugs", "2xx"));
        assertThat(key("PUT", "/apis/integration.rock8s.com/v1beta1/namespaces/a/sockets/s/status", 409))
                .isEqualTo(new ApiRequestMetrics.Key("update", "sockets/status", "409"));
        assertThat(key("GET", "/api/v1/namespaces/a", 404))
                .isEqualTo(new ApiRequestMetrics.Key("get", "namespaces", "404"));
        assertThat(key("POST", "/api/v1/namespaces/a/events", 201))
                .isEqualTo(new ApiRequestMetrics.Key("create", "events", "2xx"));
        assertThat(key("PATCH", "/apis/apps/v1/namespaces/a/deployments/web", 422))
                .as("a templated kind").isEqualTo(new ApiRequestMetrics.Key("patch", "other", "4xx"));
        assertThat(key("DELETE", "/api/v1/namespaces/a/configmaps", 503))
                .isEqualTo(new ApiRequestMetrics.Key("deletecollection", "configmaps", "5xx"));
        assertThat(key("GET", "/version", 200)).isEqualTo(new ApiRequestMetrics.Key("get", "other", "2xx"));
        assertThat(ApiRequestMetrics.code(101)).as("a watch's upgrade").isEqualTo("2xx");
    }

    private static ApiRequestMetrics.Key key(String method, String uri, int status) {
        return ApiRequestMetrics.Key.of(method, URI.create("http://api" + uri), ApiRequestMetrics.code(status));
    }

    private static Resource configMap() {
        Resource resource = new Resource();
        resource.setWhen(List.of(When.COUPLED, When.UPDATED));
        resource.setTemplate(Serialization.jsonMapper().valueToTree(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "grant-{{ plug.metadata.name }}"), "data",
                Map.of("database", "{{ plugConfig.database }}"))));
        return resource;
    }

    /** The family's samples, keyed by name and labels as printed. */
    private static Map<String, Double> scrape(Metrics metrics) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(FAMILY + "{")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static double sum(Map<String, Double> samples, String... labels) {
        return samples.entrySet().stream().filter(e -> List.of(labels).stream().allMatch(e.getKey()::contains))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
