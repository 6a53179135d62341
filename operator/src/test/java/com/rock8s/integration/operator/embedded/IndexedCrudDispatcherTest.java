package com.rock8s.integration.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Objects found by name through the index answer exactly what the mock's scan answered: the object of that kind,
 * namespace and name, never another with the same name, nothing after a delete, the latest version after an update.
 */
class IndexedCrudDispatcherTest {
    private static EmbeddedApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = EmbeddedApiServer.start(0);
        client = server.newClient();
        for (String ns : List.of("idx-a", "idx-b")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void theSameNameInAnotherNamespaceOrKindIsAnotherObject() {
        client.resource(configMap("idx-a", "same", "a")).create();
        client.resource(configMap("idx-b", "same", "b")).create();
        client.resource(new SecretBuilder().withNewMetadata().withNamespace("idx-a").withName("same").endMetadata()
                .withStringData(Map.of("from", "secret")).build()).create();

        assertThat(client.configMaps().inNamespace("idx-a").withName("same").get().getData())
                .containsEntry("from", "a");
        assertThat(client.configMaps().inNamespace("idx-b").withName("same").get().getData())
                .containsEntry("from", "b");
        assertThat(client.secrets().inNamespace("idx-a").withName("same").get()).isNotNull();
        assertThat(client.secrets().inNamespace("idx-b").withName("same").get()).isNull();
        assertThat(client.configMaps().inNamespace("idx-a").withName("other").get()).isNull();
    }

    @Test
    void aCreateOfAnExistingNameConflictsAndAnUpdateIsReadBack() {
        ConfigMap created = client.resource(configMap("idx-a", "versioned", "1")).create();
        assertThat(catchThrowable(() -> client.resource(configMap("idx-a", "versioned", "again")).create()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        created.setData(Map.of("from", "2"));
        client.resource(created).update();
        client.configMaps().inNamespace("idx-a").withName("versioned").edit(c -> {
            c.setData(Map.of("from", "3"));
            return c;
        });

        assertThat(client.configMaps().inNamespace("idx-a").withName("versioned").get().getData())
                .containsEntry("from", "3");
        assertThat(client.configMaps().inNamespace("idx-a").list().getItems())
                .filteredOn(c -> c.getMetadata().getName().equals("versioned")).hasSize(1)
                .first().satisfies(c -> assertThat(c.getData()).containsEntry("from", "3"));
    }

    @Test
    void aDeletedObjectIsGoneAndItsNameCanBeUsedAgain() {
        client.resource(configMap("idx-b", "short-lived", "first")).create();
        client.configMaps().inNamespace("idx-b").withName("short-lived").delete();
        assertThat(client.configMaps().inNamespace("idx-b").withName("short-lived").get()).isNull();

        client.resource(configMap("idx-b", "short-lived", "second")).create();
        assertThat(client.configMaps().inNamespace("idx-b").withName("short-lived").get().getData())
                .containsEntry("from", "second");
    }

    @Test
    void deletingAnObjectWithAFinalizerMarksOnlyThatObjectUntilTheFinalizerGoes() {
        for (String ns : List.of("idx-a", "idx-b")) {
            ConfigMap kept = configMap(ns, "finalized", ns);
            kept.getMetadata().setFinalizers(List.of("example.com/hold"));
            client.resource(kept).create();
        }

        client.configMaps().inNamespace("idx-a").withName("finalized").delete();

        ConfigMap marked = client.configMaps().inNamespace("idx-a").withName("finalized").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(client.configMaps().inNamespace("idx-b").withName("finalized").get().getMetadata()
                .getDeletionTimestamp()).isNull();

        client.configMaps().inNamespace("idx-a").withName("finalized").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        assertThat(client.configMaps().inNamespace("idx-a").withName("finalized").get()).isNull();
        assertThat(client.configMaps().inNamespace("idx-b").withName("finalized").get()).isNotNull();
        assertThat(client.configMaps().inNamespace("idx-a").withName("never-there").delete()).isEmpty();
    }

    @Test
    void anObjectBeingUpdatedIsNeverMissingToAReader() throws Exception {
        client.resource(configMap("idx-b", "busy", "0")).create();
        int updates = 300;
        CompletableFuture<Void> updating = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= updates; i++) {
                int round = i;
                // a new label changes the object's attributes, so the mock replaces its entry (remove, then put)
                client.configMaps().inNamespace("idx-b").withName("busy").edit(c -> {
                    c.getMetadata().setLabels(Map.of("round", String.valueOf(round)));
                    c.setData(Map.of("from", String.valueOf(round)));
                    return c;
                });
            }
        });
        int reads = 0;
        while (!updating.isDone()) {
            assertThat(client.configMaps().inNamespace("idx-b").withName("busy").get())
                    .as("read %d while the object is updated", reads).isNotNull();
            reads++;
        }
        updating.get();
        assertThat(client.configMaps().inNamespace("idx-b").withName("busy").get().getData())
                .containsEntry("from", String.valueOf(updates));
    }

    @Test
    void manyObjectsAreEachFoundByTheirOwnName() {
        for (int i = 0; i < 200; i++) {
            client.resource(configMap(i % 2 == 0 ? "idx-a" : "idx-b", "many-" + i, String.valueOf(i))).create();
        }
        for (int i = 0; i < 200; i++) {
            assertThat(client.configMaps().inNamespace(i % 2 == 0 ? "idx-a" : "idx-b").withName("many-" + i).get()
                    .getData()).containsEntry("from", String.valueOf(i));
            assertThat(client.configMaps().inNamespace(i % 2 == 0 ? "idx-b" : "idx-a").withName("many-" + i).get())
                    .isNull();
        }
    }

    private static ConfigMap configMap(String namespace, String name, String from) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(Map.of("from", from)).build();
    }
}
