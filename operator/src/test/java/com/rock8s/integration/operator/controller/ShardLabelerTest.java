package com.rock8s.integration.operator.controller;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.testing.RequestRecorder;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shard label and the operator's finalizer reach a new object in one write, without dropping a finalizer another
 * controller put there, also when that write loses a race.
 */
class ShardLabelerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    void aNewPlugGetsItsLabelAndFinalizerInOnePatch() {
        List<RequestRecorder.Request> requests = new CopyOnWriteArrayList<>();
        Consumer<RequestRecorder.Request> listener = requests::add;
        cluster.requests().addListener(listener);
        try {
            String ns = cluster.newNamespace("label-once");
            cluster.create(socket(ns, "db", none()));
            cluster.create(plug(ns, "app", null, "db", none()));
            await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

            Plug plug = cluster.plug(ns, "app");
            assertThat(plug.getMetadata().getLabels()).containsKey(ShardLabeler.LABEL);
            assertThat(plug.getMetadata().getFinalizers()).containsExactly(OperatorSettings.FINALIZER);
            assertThat(requests).filteredOn(r -> "PATCH".equals(r.method())
                            && r.path().endsWith("/namespaces/" + ns + "/plugs/app"))
                    .as("label and finalizer written together, and nothing else patched the plug on its way to Coupled")
                    .hasSize(1);
        } finally {
            cluster.requests().removeListener(listener);
        }
    }

    @Test
    void aConflictingLabelWriteIsRetriedAndKeepsAnotherControllersFinalizer() {
        List<RequestRecorder.Request> requests = new CopyOnWriteArrayList<>();
        Consumer<RequestRecorder.Request> listener = requests::add;
        cluster.requests().addListener(listener);
        try {
            String ns = cluster.newNamespace("label-conflict");
            cluster.create(socket(ns, "db", none()));
            // Another writer changes the plug between the labeler's read and its patch: a real 409 from the server.
            cluster.requests().interfereOnce("PATCH", "/namespaces/" + ns + "/plugs/app", () -> cluster.client()
                    .resources(Plug.class).inNamespace(ns).withName("app")
                    .edit(p -> {
                        p.getMetadata().setAnnotations(Map.of("example.com/touched", "yes"));
                        return p;
                    }));
            Plug created = plug(ns, "app", null, "db", none());
            created.getMetadata().setFinalizers(List.of("example.com/keep"));
            cluster.create(created);
            await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

            assertThat(cluster.plug(ns, "app").getMetadata().getFinalizers())
                    .containsExactly("example.com/keep", OperatorSettings.FINALIZER);
            assertThat(requests).filteredOn(r -> "PATCH".equals(r.method())
                            && r.path().endsWith("/namespaces/" + ns + "/plugs/app"))
                    .extracting(RequestRecorder.Request::status).as("the server answered a label write with a conflict")
                    .contains(409);
            assertThat(requests).as("the conflict made the labeler read the plug again")
                    .anyMatch(r -> "GET".equals(r.method()) && r.path().endsWith("/namespaces/" + ns + "/plugs/app"));
            // The other controller is this test: it lets go of its finalizer so the namespace can be deleted.
            cluster.client().resources(Plug.class).inNamespace(ns).withName("app").edit(p -> {
                p.getMetadata().setFinalizers(List.of(OperatorSettings.FINALIZER));
                return p;
            });
        } finally {
            cluster.requests().removeListener(listener);
        }
    }

    @Test
    void thePatchAddsTheFinalizerOnlyWhereTheApiAcceptsIt() throws Exception {
        Plug fresh = plugWith(List.of("example.com/keep"), null);
        JsonNode patch = JSON.readTree(ShardLabeler.labelPatch(fresh, "7"));
        assertThat(patch.at("/metadata/labels/" + ShardLabeler.LABEL.replace("/", "~1")).asText()).isEqualTo("7");
        assertThat(patch.at("/metadata/finalizers").toString())
                .isEqualTo("[\"example.com/keep\",\"" + OperatorSettings.FINALIZER + "\"]");
        assertThat(patch.at("/metadata/resourceVersion").asText()).as("a stale list must not overwrite a newer one")
                .isEqualTo("41");

        JsonNode alreadyFinalized = JSON.readTree(ShardLabeler.labelPatch(
                plugWith(List.of(OperatorSettings.FINALIZER), null), "7"));
        assertThat(alreadyFinalized.at("/metadata").fieldNames()).toIterable().containsExactly("labels");

        JsonNode deleting = JSON.readTree(ShardLabeler.labelPatch(plugWith(null, "2026-12-06T19:00:00Z"), "7"));
        assertThat(deleting.at("/metadata").fieldNames()).toIterable()
                .as("no new finalizer on an object being deleted").containsExactly("labels");
    }

    private static Plug plugWith(List<String> finalizers, String deletionTimestamp) {
        Plug plug = new Plug();
        plug.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("app").withResourceVersion("41")
                .withFinalizers(finalizers).withDeletionTimestamp(deletionTimestamp)
                .withLabels(Map.of("app", "shop")).build());
        return plug;
    }
}
