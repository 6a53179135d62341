package com.rock8s.integration.operator.embedded;

import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.WIDGETS;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.createWidget;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.http;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Table output, label and field selectors, informers and filtered watches. */
class EmbeddedReadShimsTest extends WidgetApiTest {

    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,"
            + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private static JsonNode table(String path) {
        EmbeddedTestSupport.Reply reply = http(server, "GET", path, null, null, Map.of("Accept", TABLE));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("kind").asText()).isEqualTo("Table");
        assertThat(reply.body().path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        return reply.body();
    }

    @Test
    void customResourceTablesUseThePrinterColumns() {
        String ns = unique("table");
        createWidget(client, ns, "plain", 2, "red");
        GenericKubernetesResource coupled = createWidget(client, ns, "coupled", 5, "blue");
        coupled.setAdditionalProperty("status", Map.of("conditions", List.of(
                Map.of("type", "Ready", "status", "False"), Map.of("type", "Coupled", "status", "True"))));
        client.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(coupled).updateStatus();

        JsonNode table = table("/apis/example.com/v1/namespaces/" + ns + "/widgets?limit=500");

        assertThat(table.path("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Size", "Color", "Coupled", "Age");
        assertThat(table.path("columnDefinitions").get(0).path("format").asText()).isEqualTo("name");
        JsonNode rows = table.path("rows");
        assertThat(rows).hasSize(2);
        JsonNode coupledRow = rows.get(0).path("cells").get(0).asText().equals("coupled") ? rows.get(0) : rows.get(1);
        JsonNode plainRow = coupledRow == rows.get(0) ? rows.get(1) : rows.get(0);
        assertThat(coupledRow.path("cells").get(1).asInt()).isEqualTo(5);
        assertThat(coupledRow.path("cells").get(1).isNumber()).isTrue();
        assertThat(coupledRow.path("cells").get(2).asText()).isEqualTo("blue");
        assertThat(coupledRow.path("cells").get(3).asText()).isEqualTo("True");
        assertThat(coupledRow.path("cells").get(4).asText()).matches("\\d+s");
        assertThat(plainRow.path("cells").get(3).isNull()).isTrue();

        JsonNode object = coupledRow.path("object");
        assertThat(object.path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(object.path("metadata").path("namespace").asText()).isEqualTo(ns);
        assertThat(object.has("spec")).isFalse();
    }

    @Test
    void tablesHonourIncludeObjectAndSingleGets() {
        String ns = unique("include");
        createWidget(client, ns, "w", 1, "red");
        String base = "/apis/example.com/v1/namespaces/" + ns + "/widgets";
        assertThat(table(base + "?includeObject=Object").path("rows").get(0).path("object").path("spec").path("size")
                .asInt()).isEqualTo(1);
        assertThat(table(base + "?includeObject=None").path("rows").get(0).has("object")).isFalse();
        JsonNode single = table(base + "/w");
        assertThat(single.path("rows")).hasSize(1);
        assertThat(single.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("w");
        assertThat(http(server, "GET", base + "/missing", null, null, Map.of("Accept", TABLE)).status()).isEqualTo(404);
    }

    @Test
    void builtinTablesShowNameAgeAndTypicalColumns() {
        String ns = unique("builtin-table");
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .withType("kubernetes.io/tls").addToStringData("tls.crt", "x").addToStringData("tls.key", "y").build())
                .create();
        JsonNode secrets = table("/api/v1/namespaces/" + ns + "/secrets");
        assertThat(secrets.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Type", "Data", "Age");
        assertThat(secrets.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("kubernetes.io/tls");
        assertThat(secrets.path("rows").get(0).path("cells").get(2).asInt()).isEqualTo(2);

        JsonNode leases = table("/apis/coordination.k8s.io/v1/namespaces/" + ns + "/leases");
        assertThat(leases.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Age");
        assertThat(leases.path("rows")).isEmpty();
    }

    @Test
    void setBasedLabelSelectorsFilter() {
        String ns = unique("labels");
        for (String[] spec : new String[][] {{"a", "prod"}, {"b", "dev"}, {"c", "test"}, {"d", null}}) {
            ConfigMapBuilder cm = new ConfigMapBuilder().withNewMetadata().withName(spec[0]).endMetadata();
            if (spec[1] != null) {
                cm.editMetadata().addToLabels("env", spec[1]).addToLabels("tier", "web").endMetadata();
            }
            client.configMaps().inNamespace(ns).resource(cm.build()).create();
        }
        assertThat(names(client.configMaps().inNamespace(ns).withLabelIn("env", "prod", "dev").list().getItems()))
                .containsExactlyInAnyOrder("a", "b");
        assertThat(names(client.configMaps().inNamespace(ns).withLabelNotIn("env", "prod", "dev").list().getItems()))
                .containsExactlyInAnyOrder("c", "d");
        assertThat(names(client.configMaps().inNamespace(ns).withLabelIn("env", "test").withLabel("tier", "web").list()
                .getItems())).containsExactly("c");
        // equality selectors still go through the mock unchanged
        assertThat(names(client.configMaps().inNamespace(ns).withLabel("env", "prod").list().getItems()))
                .containsExactly("a");
        assertThat(names(client.configMaps().inNamespace(ns).withoutLabel("env").list().getItems()))
                .containsExactly("d");

        EmbeddedTestSupport.Reply invalid = EmbeddedTestSupport.get(server,
                "/api/v1/namespaces/" + ns + "/configmaps?labelSelector=env%20in%20prod");
        assertThat(invalid.status()).isEqualTo(400);

        client.configMaps().inNamespace(ns).withLabelIn("env", "dev", "test").delete();
        assertThat(names(client.configMaps().inNamespace(ns).list().getItems())).containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void fieldSelectorsOnEventsFilterByInvolvedObject() {
        String ns = unique("events");
        for (String target : List.of("one", "two")) {
            client.v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata()
                    .withName(target + "-event").endMetadata().withReason("Tested").withType("Normal")
                    .withNewInvolvedObject().withKind("Widget").withName(target).withNamespace(ns).endInvolvedObject()
                    .build()).create();
        }
        assertThat(names(client.v1().events().inNamespace(ns).withField("involvedObject.name", "two")
                .withField("involvedObject.kind", "Widget").list().getItems())).containsExactly("two-event");
        assertThat(names(client.v1().events().inNamespace(ns).withField("metadata.name", "one-event").list().getItems()))
                .containsExactly("one-event");
        assertThat(names(client.v1().events().inNamespace(ns).withoutField("involvedObject.name", "two").list()
                .getItems())).containsExactly("one-event");
    }

    @Test
    void informersSeeAddsUpdatesAndDeletes() {
        String ns = unique("informer");
        Map<String, String> state = new ConcurrentHashMap<>();
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(WIDGETS)
                .inNamespace(ns).inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource obj) {
                        state.put(obj.getMetadata().getName(), "added:" + obj.get("spec", "size"));
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                        state.put(newObj.getMetadata().getName(), "updated:" + newObj.get("spec", "size"));
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                        state.put(obj.getMetadata().getName(), "deleted");
                    }
                });
        try {
            createWidget(client, ns, "w", 1, "red");
            await().atMost(Duration.ofSeconds(10)).until(() -> "added:1".equals(state.get("w")));
            client.genericKubernetesResources(WIDGETS).inNamespace(ns).withName("w")
                    .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY), "{\"apiVersion\":\"example.com/v1\","
                            + "\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":2}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> "updated:2".equals(state.get("w")));
            client.genericKubernetesResources(WIDGETS).inNamespace(ns).withName("w").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> "deleted".equals(state.get("w")));
        } finally {
            informer.close();
        }
    }

    @Test
    void setBasedSelectorWatchesAddAndDeleteAsObjectsStartAndStopMatching() {
        String ns = unique("filtered");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).withLabelIn("env", "prod", "dev")
                .inform();
        try {
            client.configMaps().inNamespace(ns).resource(cm("in", "prod")).create();
            client.configMaps().inNamespace(ns).resource(cm("out", "test")).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> informer.getStore().list().size() == 1);
            informer.getStore().list().forEach(c -> seen.add(c.getMetadata().getName()));
            assertThat(seen).containsExactly("in");

            // "out" starts matching, "in" stops matching
            client.configMaps().inNamespace(ns).withName("out").edit(c -> cm("out", "dev"));
            client.configMaps().inNamespace(ns).withName("in").edit(c -> cm("in", "test"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    names(informer.getStore().list())).containsExactly("out"));

            client.configMaps().inNamespace(ns).withName("out").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> informer.getStore().list().isEmpty());
        } finally {
            informer.close();
        }
    }

    private static ConfigMap cm(String name, String env) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("env", env).endMetadata().build();
    }

    private static List<String> names(List<? extends HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).toList();
    }
}
