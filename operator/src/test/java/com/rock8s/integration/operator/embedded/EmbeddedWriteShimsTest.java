package com.rock8s.integration.operator.embedded;

import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.WIDGETS;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.createWidget;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.http;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.unique;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.widget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-side apply, patches, status preconditions, error statuses and finalizers. */
class EmbeddedWriteShimsTest extends WidgetApiTest {

    private static Resource<GenericKubernetesResource> widgetResource(String ns, String name) {
        return client.genericKubernetesResources(WIDGETS).inNamespace(ns).withName(name);
    }

    @Test
    void serverSideApplyCreatesThenMergesBuiltins() {
        String name = unique("ssa");
        ConfigMap first = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .addToLabels("a", "1").endMetadata().addToData("one", "1").addToData("two", "2").build())
                .fieldManager("test").forceConflicts().serverSideApply();
        assertThat(first.getMetadata().getUid()).isNotBlank();

        ConfigMap second = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .addToLabels("b", "2").endMetadata().addToData("two", "zwei").addToData("three", "3").build())
                .fieldManager("test").forceConflicts().serverSideApply();

        // maps merge; fields left out of the second configuration stay (no field ownership tracking)
        assertThat(second.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("one", "1", "two", "zwei", "three", "3"));
        assertThat(second.getMetadata().getLabels()).containsEntry("a", "1").containsEntry("b", "2");
        assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
        assertThat(second.getMetadata().getCreationTimestamp()).isEqualTo(first.getMetadata().getCreationTimestamp());
        assertThat(Long.parseLong(second.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(first.getMetadata().getResourceVersion()));
    }

    @Test
    void serverSideApplyAnswersCreatedThenOkAndAcceptsYaml() {
        String name = unique("yaml");
        String path = "/api/v1/namespaces/default/configmaps/" + name + "?fieldManager=me&force=true";
        EmbeddedTestSupport.Reply created = http(server, "PATCH", path, "application/apply-patch+yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                data:
                  list: "a"
                """.formatted(name), Map.of());
        assertThat(created.status()).isEqualTo(201);
        EmbeddedTestSupport.Reply updated = http(server, "PATCH", path, "application/apply-patch+yaml",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                        + "\"},\"data\":{\"other\":\"b\"}}", Map.of());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().path("data").path("list").asText()).isEqualTo("a");
        assertThat(updated.body().path("data").path("other").asText()).isEqualTo("b");

        EmbeddedTestSupport.Reply wrongName = http(server, "PATCH", "/api/v1/namespaces/default/configmaps/other-name",
                "application/apply-patch+yaml", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                        + name + "\"}}", Map.of());
        assertThat(wrongName.status()).isEqualTo(400);
    }

    @Test
    void serverSideApplyOnCustomResourcesBumpsGenerationOnlyForSpecAndReplacesLists() {
        String ns = unique("ssa-cr");
        GenericKubernetesResource applied = widget(ns, "w", 1, "red");
        applied.setAdditionalProperty("spec", Map.of("size", 1, "color", "red", "tags", List.of("a", "b")));
        GenericKubernetesResource created = client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(applied)
                .fieldManager("test").forceConflicts().serverSideApply();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

        GenericKubernetesResource labelsOnly = widget(ns, "w", 1, "red");
        labelsOnly.setAdditionalProperties(new java.util.HashMap<>());
        labelsOnly.getMetadata().setLabels(Map.of("team", "x"));
        GenericKubernetesResource relabelled = client.genericKubernetesResources(WIDGETS).inNamespace(ns)
                .resource(labelsOnly).fieldManager("test").forceConflicts().serverSideApply();
        assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(relabelled.getMetadata().getLabels()).containsEntry("team", "x");

        GenericKubernetesResource newSpec = widget(ns, "w", 2, "red");
        newSpec.setAdditionalProperty("spec", Map.of("size", 2, "tags", List.of("c")));
        GenericKubernetesResource updated = client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(newSpec)
                .fieldManager("test").forceConflicts().serverSideApply();
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(updated.<Integer>get("spec", "size")).isEqualTo(2);
        assertThat(updated.<String>get("spec", "color")).isEqualTo("red");
        assertThat(updated.<List<String>>get("spec", "tags")).containsExactly("c");
        assertThat(updated.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    }

    @Test
    void serverSideApplyToStatusChangesOnlyStatus() {
        String ns = unique("ssa-status");
        createWidget(client, ns, "w", 1, "red");
        GenericKubernetesResource status = widget(ns, "w", 99, "ignored");
        status.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Coupled", "status", "True"))));
        GenericKubernetesResource result = widgetResource(ns, "w").subresource("status")
                .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY), status);

        assertThat(result.<String>get("status", "conditions", 0, "status")).isEqualTo("True");
        GenericKubernetesResource stored = widgetResource(ns, "w").get();
        assertThat(stored.<Integer>get("spec", "size")).isEqualTo(1);
        assertThat(stored.getMetadata().getGeneration()).isEqualTo(1L);

        EmbeddedTestSupport.Reply absent = http(server, "PATCH",
                "/apis/example.com/v1/namespaces/" + ns + "/widgets/missing/status?fieldManager=x",
                "application/apply-patch+yaml", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\"}", Map.of());
        assertThat(absent.status()).isEqualTo(404);
    }

    @Test
    void strategicMergePatchMergesLikeAMergePatchAndDropsDirectives() {
        String name = unique("smp");
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData("a", "1").build()).create();
        ConfigMap patched = client.configMaps().withName(name).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"data\":{\"b\":\"2\",\"$retainKeys\":[\"a\"]},\"$patch\":\"merge\"}");
        assertThat(patched.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));

        Deployment deployment = client.apps().deployments().resource(new DeploymentBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withNewSpec()
                .addNewContainer().withName("app").withImage("app:1").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        Deployment scaled = client.apps().deployments().withName(name).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"app\"}],"
                        + "\"containers\":[{\"name\":\"app\",\"image\":\"app:2\"}]}}}}");
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
        assertThat(scaled.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("app:2"));
        assertThat(scaled.getSpec().getTemplate().getSpec().getAdditionalProperties()).isEmpty();
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(deployment.getMetadata().getGeneration() + 1);
    }

    @Test
    void mergePatchNullRemovesKeysRecursively() {
        String ns = unique("merge");
        GenericKubernetesResource w = widget(ns, "w", 1, "red");
        w.setAdditionalProperty("spec", Map.of("size", 1, "color", "red", "nested", Map.of("keep", 1, "drop", 2)));
        client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(w).create();

        GenericKubernetesResource patched = widgetResource(ns, "w").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"color\":null,\"nested\":{\"drop\":null},\"fresh\":{\"a\":1,\"b\":null}}}");

        Map<String, Object> spec = patched.get("spec");
        assertThat(spec).doesNotContainKey("color").containsEntry("size", 1);
        assertThat(spec.get("nested")).isEqualTo(Map.of("keep", 1));
        assertThat(spec.get("fresh")).isEqualTo(Map.of("a", 1));
        assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void staleWritesConflictWithReasonConflict() {
        String ns = unique("stale");
        GenericKubernetesResource created = createWidget(client, ns, "w", 1, "red");
        String staleVersion = created.getMetadata().getResourceVersion();
        widgetResource(ns, "w").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"size\":2}}");

        // PUT of the main resource (the mock checked this already; the reason is now Conflict)
        GenericKubernetesResource stale = widget(ns, "w", 5, "red");
        stale.getMetadata().setResourceVersion(staleVersion);
        assertConflict(() -> client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(stale).update());

        // merge patch carrying a stale resourceVersion
        assertConflict(() -> widgetResource(ns, "w").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"resourceVersion\":\"" + staleVersion + "\"},\"spec\":{\"size\":3}}"));

        // PUT and merge patch of /status
        GenericKubernetesResource staleStatus = widget(ns, "w", 1, "red");
        staleStatus.getMetadata().setResourceVersion(staleVersion);
        staleStatus.setAdditionalProperty("status", Map.of("phase", "Stale"));
        assertConflict(() -> client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(staleStatus)
                .updateStatus());
        assertConflict(() -> client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(staleStatus)
                .patchStatus());

        // nothing was written
        GenericKubernetesResource stored = widgetResource(ns, "w").get();
        assertThat(stored.<Integer>get("spec", "size")).isEqualTo(2);
        assertThat(stored.getAdditionalProperties()).doesNotContainKey("status");
    }

    @Test
    void statusAndSpecAreWrittenOnlyThroughTheirOwnPaths() {
        String ns = unique("subresource");
        GenericKubernetesResource current = createWidget(client, ns, "w", 1, "red");
        current.setAdditionalProperty("status", Map.of("phase", "Ready"));
        current.setAdditionalProperty("spec", Map.of("size", 7, "color", "red"));
        GenericKubernetesResource afterStatus = client.genericKubernetesResources(WIDGETS).inNamespace(ns)
                .resource(current).updateStatus();
        assertThat(afterStatus.<String>get("status", "phase")).isEqualTo("Ready");
        assertThat(afterStatus.<Integer>get("spec", "size")).isEqualTo(1);
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

        afterStatus.setAdditionalProperty("status", Map.of("phase", "Overwritten"));
        afterStatus.setAdditionalProperty("spec", Map.of("size", 8, "color", "red"));
        GenericKubernetesResource afterSpec = client.genericKubernetesResources(WIDGETS).inNamespace(ns)
                .resource(afterStatus).update();
        assertThat(afterSpec.<String>get("status", "phase")).isEqualTo("Ready");
        assertThat(afterSpec.<Integer>get("spec", "size")).isEqualTo(8);
        assertThat(afterSpec.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void errorsCarryStatusObjectsWithTheRealReasons() {
        String name = unique("dup");
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build();
        client.configMaps().resource(cm).create();
        assertThatThrownBy(() -> client.configMaps().resource(cm).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                });

        EmbeddedTestSupport.Reply missing = EmbeddedTestSupport.get(server,
                "/apis/example.com/v1/namespaces/default/widgets/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/json");
        assertThat(missing.body().path("reason").asText()).isEqualTo("NotFound");
        assertThat(missing.body().path("message").asText()).isEqualTo("widgets.example.com \"nope\" not found");

        EmbeddedTestSupport.Reply protobuf = http(server, "POST", "/api/v1/namespaces/default/configmaps",
                "application/vnd.kubernetes.protobuf", "k8s", Map.of());
        assertThat(protobuf.status()).isEqualTo(415);
        EmbeddedTestSupport.Reply badPatch = http(server, "PATCH", "/api/v1/namespaces/default/configmaps/" + name,
                "text/plain", "x", Map.of());
        assertThat(badPatch.status()).isEqualTo(415);
    }

    @Test
    void jsonPatchStillWorksAndAnswersOk() {
        String name = unique("jsonpatch");
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData("a", "1").build()).create();
        ConfigMap edited = client.configMaps().withName(name).edit(c -> new ConfigMapBuilder(c).addToData("b", "2").build());
        assertThat(edited.getData()).containsEntry("a", "1").containsEntry("b", "2");
        EmbeddedTestSupport.Reply reply = http(server, "PATCH", "/api/v1/namespaces/default/configmaps/" + name,
                "application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/data/a\"}]", Map.of());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(client.configMaps().withName(name).get().getData()).doesNotContainKey("a");
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() {
        String ns = unique("finalizer");
        GenericKubernetesResource w = widget(ns, "w", 1, "red");
        w.getMetadata().setFinalizers(List.of("example.com/cleanup"));
        client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(w).create();

        widgetResource(ns, "w").delete();
        GenericKubernetesResource deleting = widgetResource(ns, "w").get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotBlank();

        GenericKubernetesResource last = widgetResource(ns, "w").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":null}}");
        assertThat(last.getMetadata().getName()).isEqualTo("w");
        assertThat(widgetResource(ns, "w").get()).isNull();
    }

    @Test
    void concurrentMergePatchesAreAllApplied() throws Exception {
        String name = unique("concurrent");
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<ConfigMap>> results = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String key = "k" + i;
                results.add(pool.submit(() -> client.configMaps().withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"" + key + "\":\"v\"}}")));
            }
            for (java.util.concurrent.Future<ConfigMap> f : results) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.configMaps().withName(name).get().getData()).hasSize(writers);
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
        });
    }
}
