package com.rock8s.integration.operator.telemetry;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.observability.Metrics;
import com.rock8s.integration.observability.ProbeServer;
import com.rock8s.integration.observability.tracing.Tracing;
import com.rock8s.integration.operator.OperatorSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.rock8s.integration.operator.api.Apparatus;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.apparatus.ReferenceApparatusProcess;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in Jaeger and Grafana after plugs couple: the span tree of one coupling step (with the trace id
 * in the plug's status), the same trace continued by the reference apparatus through {@code traceparent}, each metric
 * family on {@code /metrics} with sane values, and every metric the dashboard queries.
 */
class TelemetryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static KubernetesClient client;
    private static KubernetesClient operatorClient;
    private static Metrics metrics;
    private static Tracing tracing;
    private static OperatorRuntime operator;
    private static ProbeServer probes;
    private static String ns;
    private static ReferenceApparatusProcess apparatus;

    @BeforeAll
    static void start() throws IOException {
        apparatus = ReferenceApparatusProcess.start("database=from-apparatus");
        TestCluster.Access api = TestCluster.access();
        client = api.newAdminClient();
        operatorClient = new KubernetesClientBuilder().withConfig(api.operator()).build();
        metrics = new Metrics();
        tracing = Tracing.with(SimpleSpanProcessor.create(SPANS), "integration-operator-test");
        operator = new OperatorRuntime(operatorClient, new OperatorSettings(4, Duration.ofMinutes(10), true,
                Duration.ofSeconds(20), "replica-a"), metrics.registry(), tracing).start();
        probes = ProbeServer.start(0, metrics::scrape, operator::isReady);
        ns = "telemetry-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        TestCluster.grantServiceAccountsEdit(client, ns);
        client.resource(socket(ns, "db", s -> s.setResources(List.of(configMap("grant-{{ plug.metadata.name }}",
                "{{ plugConfig.database }}"))))).create();
        for (String name : List.of("app-1", "app-2")) {
            client.resource(plug(ns, name, null, "db", p -> {
                p.setConfigTemplate(Map.of("database", "{{ plug.metadata.name }}-db"));
                p.setResultTemplate(Map.of("url", "db/{{ plugConfig.database }}"));
            })).create();
        }
        client.resource(plug(ns, "broken", null, "db", p -> p.setConfigTemplate(Map.of("database",
                "{{ no_such_variable }}")))).create();
        client.resource(plug(ns, "hooked", null, "db", p -> {
            Apparatus hooks = new Apparatus();
            hooks.setEndpoint(apparatus.url("/" + ns + "/hooked"));
            p.setApparatus(hooks);
        })).create();
        await().atMost(TIMEOUT).until(() -> coupled(plugNamed("app-1")) && coupled(plugNamed("app-2"))
                && coupled(plugNamed("hooked")) && "TemplateError".equals(readyReason(plugNamed("broken"))));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        // while the operator still runs, so it releases its finalizers and no plug is left for the next class
        client.namespaces().withName(ns).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.namespaces().withName(ns).get() == null);
        apparatus.close();
        probes.close();
        operator.close();
        tracing.close();
        metrics.close();
        client.close();
        operatorClient.close();
    }

    @Test
    void aCouplingStepIsOneTraceWhoseIdThePlugStatusRecords() {
        String traceId = plugNamed("app-1").getStatus().getTraceId();
        assertThat(traceId).as("status.traceId").matches("[0-9a-f]{32}");
        List<SpanData> trace = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .toList();
        SpanData root = only(trace, "coupled plug " + ns + "/app-1");
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(root.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey() + "=" + e.getValue())
                .contains("plug=" + ns + "/app-1", "socket=" + ns + "/db", "shard=" + operator.shardOf(ns),
                        "replica=replica-a", "event=coupled");

        SpanData config = only(trace, "resolve config");
        SpanData results = only(trace, "resolve results");
        SpanData plugSide = only(trace, "coupled plug");
        SpanData socketSide = only(trace, "coupled socket");
        for (SpanData child : List.of(config, results, plugSide, socketSide)) {
            assertThat(child.getParentSpanId()).as(child.getName()).isEqualTo(root.getSpanId());
        }
        assertThat(only(trace, "render configTemplate").getParentSpanId()).isEqualTo(config.getSpanId());
        assertThat(only(trace, "render resultTemplate").getParentSpanId()).isEqualTo(results.getSpanId());
        SpanData render = only(trace, "render resource");
        SpanData apply = only(trace, "apply ConfigMap");
        assertThat(render.getParentSpanId()).isEqualTo(socketSide.getSpanId());
        assertThat(apply.getParentSpanId()).isEqualTo(socketSide.getSpanId());
        assertThat(apply.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey() + "=" + e.getValue())
                .contains("k8s.name=grant-app-1", "k8s.namespace=" + ns);
        assertThat(trace).allSatisfy(span -> assertThat(span.getStatus().getStatusCode()).as(span.getName())
                .isNotEqualTo(StatusCode.ERROR));
    }

    /**
     * Jaeger shows the apparatus's own spans under the operator's: each call is a client span of the side that made
     * it, and the reference apparatus receives that span's context as {@code traceparent}.
     */
    @Test
    void anApparatusCallIsAClientSpanWhoseContextTheApparatusReceives() {
        String traceId = plugNamed("hooked").getStatus().getTraceId();
        List<SpanData> trace = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .toList();
        SpanData call = only(trace, "POST coupled");
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getParentSpanId()).isEqualTo(only(trace, "coupled plug").getSpanId());
        assertThat(call.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey() + "=" + e.getValue())
                .contains("apparatus.endpoint=coupled", "http.request.method=POST");
        SpanData config = only(trace, "POST config");
        assertThat(config.getParentSpanId()).isEqualTo(only(trace, "resolve config").getSpanId());

        List<JsonNode> received = apparatus.calls("/" + ns + "/hooked/");
        assertThat(received).filteredOn(c -> c.path("call").asText().equals("coupled"))
                .extracting(c -> c.path("traceparent").asText())
                .containsExactly(traceparent(call));
        assertThat(received).filteredOn(c -> c.path("call").asText().equals("config"))
                .extracting(c -> c.path("traceparent").asText())
                .contains(traceparent(config));
    }

    @Test
    void aFailedStepIsAnErrorTraceNamedForItsReason() {
        String traceId = plugNamed("broken").getStatus().getTraceId();
        List<SpanData> trace = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .toList();
        SpanData root = trace.stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst().orElseThrow();
        assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(root.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey() + "=" + e.getValue())
                .contains("reason=TemplateError");
        assertThat(only(trace, "render configTemplate").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void metricsHaveEveryFamilyWithSaneValuesAndNoObjectNames() throws Exception {
        // Leases left by an earlier test class's replicas may still have been expiring when this one started: the
        // scrape is taken once the single replica serves every shard it holds.
        await().atMost(TIMEOUT).until(() -> value(scrape(), "integration_operator_shards_held")
                == operator.servedShards().size());
        Map<String, Double> samples = scrape();
        assertThat(value(samples, "integration_operator_couplings_total{outcome=\"CouplingSucceeded\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(value(samples, "integration_operator_couplings_total{outcome=\"TemplateError\"}"))
                .isGreaterThanOrEqualTo(1);
        double coupledCount = value(samples, "integration_operator_coupling_duration_seconds_count");
        assertThat(coupledCount).isGreaterThanOrEqualTo(2);
        assertThat(value(samples, "integration_operator_coupling_duration_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(coupledCount);
        assertThat(value(samples, "integration_operator_coupling_duration_seconds_sum")).isBetween(0.0,
                coupledCount * TIMEOUT.toSeconds());
        assertThat(value(samples, "integration_operator_lifecycle_events_total{event=\"coupled\",outcome=\"success\","
                + "side=\"socket\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(samples, "integration_operator_lifecycle_events_total{event=\"created\",outcome=\"success\","
                + "side=\"plug\"}")).isGreaterThanOrEqualTo(3);
        assertThat(value(samples, "integration_operator_template_render_duration_seconds_count{template=\"resource\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(value(samples, "integration_operator_template_render_duration_seconds_count{"
                + "template=\"configTemplate\"}")).isGreaterThanOrEqualTo(3);
        assertThat(value(samples, "integration_operator_resource_applies_total{action=\"apply\",outcome=\"success\"}"))
                .isGreaterThanOrEqualTo(2);
        double calls = value(samples, "integration_operator_apparatus_call_duration_seconds_count{endpoint=\"coupled\","
                + "outcome=\"success\"}");
        assertThat(calls).isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "integration_operator_apparatus_call_duration_seconds_sum{endpoint=\"coupled\","
                + "outcome=\"success\"}")).isBetween(0.0, calls * TIMEOUT.toSeconds());
        assertThat(samples.keySet()).anySatisfy(k -> assertThat(k).startsWith("integration_operator_work_queue_depth{"));
        assertThat(samples.entrySet()).filteredOn(e -> e.getKey().startsWith("integration_operator_work_queue_depth"))
                .allSatisfy(e -> assertThat(e.getValue()).isGreaterThanOrEqualTo(0));
        assertThat(value(samples, "integration_operator_shards_held")).as("one replica holds every shard")
                .isEqualTo(operator.servedShards().size()).isPositive();
        assertThat(value(samples, "integration_operator_shard_acquisitions_total"))
                .isGreaterThanOrEqualTo(operator.servedShards().size());
        assertThat(value(samples, "integration_operator_lease_renew_failures_total")).isZero();
        assertThat(value(samples, "integration_operator_shard_handoff_duration_seconds_count"))
                .as("no Lease was held by another replica before").isZero();
        assertThat(value(samples, "integration_operator_cache_gets_total{cache=\"templates\",result=\"hit\"}"))
                .as("the socket's resource template parsed once for both plugs").isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "integration_operator_cache_gets_total{cache=\"templates\",result=\"miss\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(samples.keySet()).anySatisfy(k -> assertThat(k).startsWith("operator_sdk_reconciliations_started"));
        assertThat(samples.keySet()).anySatisfy(k -> assertThat(k).startsWith("jvm_memory_used_bytes{"));
        assertThat(samples.keySet()).as("no object names in labels").noneMatch(k -> k.contains("app-1")
                || k.contains("broken") || k.contains(ns));
    }

    /**
     * Every metric the dashboard queries is exported by this running operator. Names that other parts register
     * (sharding, caches, apparatus calls) fail here until those parts export them.
     */
    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        Set<String> queried = DashboardQueries.metricNames(Files.readString(
                TestCluster.repositoryRoot().resolve(Path.of("deploy", "grafana", "integration-operator.json"))));
        assertThat(queried).contains("integration_operator_couplings_total", "jvm_memory_used_bytes");
        Set<String> exported = new TreeSet<>();
        scrape().keySet().forEach(sample -> exported.add(sample.replaceAll("\\{.*", "")));
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertThat(missing).as("metrics the dashboard queries that the operator does not export").isEmpty();
    }

    private static Plug plugNamed(String name) {
        return client.resources(Plug.class).inNamespace(ns).withName(name).get();
    }

    /** The W3C {@code traceparent} header a request made inside {@code span} carries. */
    private static String traceparent(SpanData span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getSpanContext().getTraceFlags().asHex();
    }

    private static SpanData only(List<SpanData> spans, String name) {
        List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named '%s' among %s", name, spans.stream().map(SpanData::getName).toList())
                .hasSize(1);
        return named.get(0);
    }

    private static Resource configMap(String name, String value) {
        Resource resource = new Resource();
        resource.setWhen(List.of(When.COUPLED, When.UPDATED));
        resource.setTemplate(Serialization.jsonMapper().valueToTree(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", name), "data", Map.of("database", value))));
        return resource;
    }

    private static double value(Map<String, Double> samples, String series) {
        assertThat(samples).as("series %s", series).containsKey(series);
        return samples.get(series);
    }

    /** Each sample line of the Prometheus text format, keyed by name and labels as printed. */
    private static Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + probes.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*\\})?) (\\S+)$");
        for (String text : response.body().split("\n")) {
            Matcher matcher = line.matcher(text);
            if (!text.startsWith("#") && matcher.matches()) {
                samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        return samples;
    }
}
