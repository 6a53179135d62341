package com.rock8s.integration.operator.apparatus;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.condition;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Apparatus;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apparatus calls through a whole coupling, against the embedded API with the operator running: the reference
 * apparatus on loopback (absolute-URL endpoints) for the call sequence and bodies, stubs for the failures.
 */
class ApparatusLifecycleTest {
    private static final ReferenceApparatusProcess REFERENCE = ReferenceApparatusProcess.start(
            "region=from-apparatus", "database=apparatus-wins");

    @RegisterExtension
    static final TestCluster cluster = new TestCluster(new OperatorSettings(10, Duration.ofMinutes(10), true,
            Duration.ofSeconds(20), "test-operator").withApparatus(ApparatusSettings.defaults()
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
            .withRetries(2, Duration.ofMillis(20))));

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @AfterAll
    static void stopReference() throws InterruptedException {
        REFERENCE.close();
    }

    @Test
    void fullCallSequenceOnBothSidesWithTheDocumentedBodies() {
        String ns = cluster.newNamespace("apparatus-life");
        String plugPrefix = "/" + ns + "/plug";
        String socketPrefix = "/" + ns + "/socket";
        Socket socket = cluster.create(socket(ns, "db", s -> {
            s.setConfig(Map.of("host", "db.local"));
            s.setData(Map.of("tier", "gold"));
            s.setApparatus(external(REFERENCE.url(socketPrefix)));
        }));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> {
            p.setConfig(Map.of("database", "inline"));
            p.setApparatus(external(REFERENCE.url(plugPrefix + "/")));
        }));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        cluster.client().resources(Plug.class).inNamespace(ns).withName("app").edit(p -> {
            p.getSpec().setEpoch("2");
            return p;
        });
        await().atMost(TIMEOUT).until(() -> REFERENCE.events(socketPrefix).contains("updated"));
        cluster.client().resource(cluster.plug(ns, "app")).delete();
        await().atMost(TIMEOUT).until(() -> cluster.plug(ns, "app") == null);
        cluster.client().resource(cluster.socket(ns, "db")).delete();
        await().atMost(TIMEOUT).until(() -> cluster.socket(ns, "db") == null);

        assertThat(REFERENCE.events(plugPrefix)).containsExactly("created", "coupled", "updated", "decoupled",
                "deleted");
        assertThat(REFERENCE.events(socketPrefix)).containsExactly("created", "coupled", "updated", "decoupled",
                "deleted");
        List<String> pairOrder = REFERENCE.calls("/" + ns).stream()
                .filter(c -> List.of("coupled", "updated", "decoupled").contains(c.path("call").asText()))
                .map(c -> c.path("call").asText() + " " + (c.path("path").asText().startsWith(plugPrefix)
                        ? "plug" : "socket")).toList();
        assertThat(pairOrder).as("plug side first").containsExactly("coupled plug", "coupled socket",
                "updated plug", "updated socket", "decoupled plug", "decoupled socket");

        JsonNode config = first(plugPrefix, "config");
        assertThat(fieldNames(config.path("body"))).containsExactlyInAnyOrder("version", "vars", "plug", "socket",
                "plugData", "socketData");
        assertThat(config.path("body").path("version").isInt()).isTrue();
        assertThat(config.path("body").path("socketData").path("tier").asText()).isEqualTo("gold");
        assertThat(config.path("body").path("plug").path("metadata").path("uid").asText())
                .isEqualTo(plug.getMetadata().getUid());

        JsonNode coupled = first(plugPrefix, "coupled").path("body");
        assertThat(fieldNames(coupled)).containsExactlyInAnyOrder("version", "plug", "socket", "plugConfig",
                "socketConfig");
        assertThat(coupled.path("version").asInt()).isEqualTo(1);
        assertThat(coupled.path("plug").path("metadata").path("name").asText()).isEqualTo("app");
        assertThat(coupled.path("socket").path("metadata").path("uid").asText())
                .isEqualTo(socket.getMetadata().getUid());
        assertThat(coupled.path("plugConfig").path("database").asText()).as("/config is merged last")
                .isEqualTo("apparatus-wins");
        assertThat(coupled.path("plugConfig").path("region").asText()).isEqualTo("from-apparatus");
        assertThat(coupled.path("socketConfig").path("host").asText()).isEqualTo("db.local");
        assertThat(coupled.path("plug").path("metadata").has("managedFields")).isFalse();

        assertThat(fieldNames(first(plugPrefix, "created").path("body"))).containsExactlyInAnyOrder("version",
                "plug");
        assertThat(fieldNames(first(socketPrefix, "created").path("body"))).containsExactlyInAnyOrder("version",
                "socket");
        assertThat(fieldNames(first(plugPrefix, "deleted").path("body"))).containsExactlyInAnyOrder("version",
                "plug");
        assertThat(fieldNames(first(socketPrefix, "decoupled").path("body"))).containsExactlyInAnyOrder(
                "version", "plug", "socket", "plugConfig", "socketConfig");
        assertThat(REFERENCE.calls("/" + ns)).allSatisfy(call -> assertThat(call.path("userAgent").asText())
                .startsWith("integration-operator/"));
        assertThat(first(plugPrefix, "coupled").path("traceparent").asText())
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-9a-f]");
    }

    @Test
    void serverErrorIsRetriedThenReportedOnTheStatusAndAsWarning() {
        try (StubApparatus stub = StubApparatus.start().answer("coupled", 500)) {
            String ns = cluster.newNamespace("apparatus-500");
            cluster.create(socket(ns, "db", s -> { }));
            Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setApparatus(external(stub.url("/h")))));

            await().atMost(TIMEOUT).until(() -> "ApparatusError".equals(readyReason(cluster.plug(ns, "app"))));
            Condition ready = condition(cluster.plug(ns, "app"), Conditions.READY).orElseThrow();
            assertThat(ready.getMessage()).contains("apparatus coupled", stub.url("/h/coupled"), "HTTP 500",
                    "after 3 attempts");
            assertThat(stub.count("coupled")).isGreaterThanOrEqualTo(3);
            await().atMost(TIMEOUT).until(() -> cluster.eventCount(plug, "ApparatusError") >= 1);
            assertThat(coupled(cluster.plug(ns, "app"))).isFalse();

            stub.answer("coupled", 200);
            await("retried with the reconciler backoff until it works").atMost(TIMEOUT)
                    .until(() -> coupled(cluster.plug(ns, "app")));
        }
    }

    @Test
    void hangingApparatusTimesOutAndTheCouplingReportsIt() {
        try (StubApparatus stub = StubApparatus.start().answer("coupled", StubApparatus.HANG)) {
            String ns = cluster.newNamespace("apparatus-hang");
            cluster.create(socket(ns, "db", s -> s.setApparatus(external(stub.url("/s")))));
            cluster.create(plug(ns, "app", null, "db", none -> { }));

            await().atMost(TIMEOUT).until(() -> "ApparatusUnavailable".equals(readyReason(cluster.plug(ns, "app"))));
            assertThat(condition(cluster.plug(ns, "app"), Conditions.READY).orElseThrow().getMessage())
                    .contains("socket " + ns + "/db", stub.url("/s/coupled"), "got no answer within 1s");
        }
    }

    @Test
    void clientErrorIsReportedAndNotRetriedWithinTheCall() {
        try (StubApparatus stub = StubApparatus.start().answer("config", 400)) {
            String ns = cluster.newNamespace("apparatus-400");
            cluster.create(socket(ns, "db", s -> { }));
            cluster.create(plug(ns, "app", null, "db", p -> p.setApparatus(external(stub.url("/p")))));

            await().atMost(TIMEOUT).until(() -> "ApparatusError".equals(readyReason(cluster.plug(ns, "app"))));
            Plug failed = cluster.plug(ns, "app");
            assertThat(condition(failed, Conditions.READY).orElseThrow().getMessage())
                    .contains("apparatus config", "HTTP 400").doesNotContain("attempts");
            // One request per pass: the reconciler's backoff (1 s, doubling) paces the passes, not the client.
            Instant since = Instant.parse(failed.getMetadata().getCreationTimestamp());
            long seconds = Duration.between(since, Instant.now()).toSeconds() + 1;
            assertThat(stub.count("config")).isLessThanOrEqualTo((int) Math.max(2, seconds));
        }
    }

    @Test
    void malformedEndpointIsInvalidSpec() {
        String ns = cluster.newNamespace("apparatus-bad-url");
        cluster.create(socket(ns, "db", s -> { }));
        cluster.create(plug(ns, "app", null, "db", p -> p.setApparatus(external("http://exa mple/x"))));

        await().atMost(TIMEOUT).until(() -> "InvalidSpec".equals(readyReason(cluster.plug(ns, "app"))));
        assertThat(condition(cluster.plug(ns, "app"), Conditions.READY).orElseThrow().getMessage())
                .contains("apparatus.endpoint 'http://exa mple/x' is not a valid URL");
    }

    @Test
    void unreachableManagedApparatusGetsPodAndServiceThenReportsUnavailable() {
        String ns = cluster.newNamespace("apparatus-managed");
        cluster.create(socket(ns, "db", s -> { }));
        // The API server refuses a Pod whose service account does not exist.
        cluster.create(new ServiceAccountBuilder().withNewMetadata().withName("runner").withNamespace(ns)
                .endMetadata().build());
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> {
            p.setServiceAccountName("runner");
            Apparatus apparatus = new Apparatus();
            apparatus.setEndpoint("/hooks");
            apparatus.setIdleTimeout(120L);
            apparatus.setContainers(List.of(new ContainerBuilder().withName("hooks").withImage("example/hooks:1")
                    .addNewPort().withName("container").withContainerPort(3000).endPort().build()));
            p.setApparatus(apparatus);
        }));

        await().atMost(TIMEOUT).until(() -> "ApparatusUnavailable".equals(readyReason(cluster.plug(ns, "app"))));
        assertThat(condition(cluster.plug(ns, "app"), Conditions.READY).orElseThrow().getMessage())
                .contains("did not answer GET http://app-apparatus." + ns + ".svc/hooks/ping within 2s");

        Pod pod = cluster.client().pods().inNamespace(ns).withName("app-apparatus").get();
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Plug");
            assertThat(owner.getUid()).isEqualTo(plug.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(pod.getMetadata().getLabels()).containsEntry(ManagedApparatus.LABEL, "app-apparatus");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false");
        assertThat(Instant.parse(pod.getMetadata().getAnnotations().get(ManagedApparatus.IDLE_DEADLINE)))
                .isAfter(Instant.now().plusSeconds(60));
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("runner");
        assertThat(pod.getSpec().getAffinity()).as("no architecture pinning").isNull();
        assertThat(pod.getSpec().getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getSpec().getContainers()).singleElement().satisfies(container -> {
            assertThat(container.getImage()).isEqualTo("example/hooks:1");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/hooks/ping");
            assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("container");
        });
        Service service = cluster.client().services().inNamespace(ns).withName("app-apparatus").get();
        assertThat(service.getMetadata().getOwnerReferences()).extracting(o -> o.getUid())
                .containsExactly(plug.getMetadata().getUid());
        assertThat(service.getSpec().getSelector()).containsExactly(Map.entry(ManagedApparatus.LABEL,
                "app-apparatus"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(80);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("container");
        });
    }

    private static Apparatus external(String url) {
        Apparatus apparatus = new Apparatus();
        apparatus.setEndpoint(url);
        return apparatus;
    }

    private static JsonNode first(String prefix, String call) {
        return REFERENCE.calls(prefix).stream().filter(c -> call.equals(c.path("call").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + call + " call under " + prefix));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
