package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.secret;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle of one coupling, end to end against the API, with the operator running. */
class CouplingLifecycleTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void plugCouplesToExistingSocketAndBothStatusesSayIt() {
        String ns = cluster.newNamespace("couple");
        Socket socket = cluster.create(socket(ns, "db", s -> s.setConfig(Map.of("host", "db.local"))));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfig(Map.of("database", "app"))));

        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        Plug coupledPlug = cluster.plug(ns, "app");
        assertThat(coupledPlug.getStatus().getCoupledSocket().getUid()).isEqualTo(
                cluster.socket(ns, "db").getMetadata().getUid());
        assertThat(coupledPlug.getStatus().getCoupledResult()).isNotNull();
        assertThat(coupledPlug.getStatus().getObservedGeneration()).isEqualTo(1L);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Socket current = cluster.socket(ns, "db");
            assertThat(current.getStatus().getCoupledPlugs()).extracting(ObjectRef::getUid)
                    .containsExactly(plug.getMetadata().getUid());
            assertThat(current.getStatus().getCoupledPlugCount()).isEqualTo(1);
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.eventCount(plug, "Created")).isEqualTo(1);
            assertThat(cluster.eventCount(plug, "Coupled")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Created")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Coupled")).isEqualTo(1);
        });
    }

    @Test
    void socketCreatedAfterItsPlugWakesThePlugAtOnce() {
        String plugNs = cluster.newNamespace("waiting");
        String socketNs = cluster.newNamespace("late");
        cluster.create(plug(plugNs, "early", socketNs, "late", none()));
        await().atMost(TIMEOUT).until(() -> "SocketNotCreated".equals(readyReason(cluster.plug(plugNs, "early"))));
        Plug waiting = cluster.plug(plugNs, "early");
        await().atMost(TIMEOUT).until(() -> cluster.eventCount(waiting, "SocketNotCreated") == 1);

        cluster.create(socket(socketNs, "late", none()));
        // Watch-driven: well inside a second, not after a backoff that may have grown to minutes.
        await().atMost(Duration.ofSeconds(1)).until(() -> coupled(cluster.plug(plugNs, "early")));
    }

    @Test
    void socketSpecChangeFiresUpdatedOnBothSidesExactlyOnce() {
        String ns = cluster.newNamespace("socket-change");
        cluster.create(socket(ns, "db", s -> s.setConfig(Map.of("host", "a"))));
        Plug plug = cluster.create(plug(ns, "app", null, "db", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        cluster.client().resources(Socket.class).inNamespace(ns).withName("db")
                .edit(s -> {
                    s.getSpec().setConfig(Map.of("host", "b"));
                    return s;
                });

        Socket socket = cluster.socket(ns, "db");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.eventCount(plug, "Updated")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Updated")).isEqualTo(1);
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(cluster.eventCount(plug, "Updated")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Updated")).isEqualTo(1);
        });
    }

    @Test
    void secretChangeFeedingConfigFiresUpdatedOnBothSidesExactlyOnce() {
        String ns = cluster.newNamespace("secret-change");
        cluster.create(secret(ns, "creds", Map.of("password", "one")));
        cluster.create(socket(ns, "db", s -> s.setConfigSecretName("creds")));
        Plug plug = cluster.create(plug(ns, "app", null, "db", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        cluster.client().resource(secret(ns, "creds", Map.of("password", "two"))).update();

        Socket socket = cluster.socket(ns, "db");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.eventCount(plug, "Updated")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Updated")).isEqualTo(1);
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(cluster.eventCount(plug, "Updated")).isEqualTo(1));
    }

    @Test
    void repointingDecouplesFromTheOldSocketThenCouplesToTheNewOne() {
        String ns = cluster.newNamespace("repoint");
        Socket first = cluster.create(socket(ns, "first", none()));
        Socket second = cluster.create(socket(ns, "second", none()));
        Plug plug = cluster.create(plug(ns, "app", null, "first", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        cluster.client().resources(Plug.class).inNamespace(ns).withName("app").edit(p -> {
            p.getSpec().getSocket().setName("second");
            return p;
        });

        await().atMost(TIMEOUT).until(() -> {
            Plug current = cluster.plug(ns, "app");
            return coupled(current) && "second".equals(current.getStatus().getCoupledSocket().getName());
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.socket(ns, "first").getStatus().getCoupledPlugs()).isEmpty();
            assertThat(cluster.socket(ns, "second").getStatus().getCoupledPlugs()).extracting(ObjectRef::getUid)
                    .containsExactly(plug.getMetadata().getUid());
            assertThat(cluster.eventCount(first, "Decoupled")).isEqualTo(1);
            assertThat(cluster.eventCount(second, "Coupled")).isEqualTo(1);
            List<String> plugEvents = cluster.events(plug).stream().map(Event::getReason).toList();
            assertThat(plugEvents).containsSubsequence("Coupled", "Decoupled", "Coupled");
        });
    }

    @Test
    void deletingTheSocketDecouplesItsPlugsWithoutDeletingThem() {
        String ns = cluster.newNamespace("socket-delete");
        Socket socket = cluster.create(socket(ns, "db", none()));
        Plug plug = cluster.create(plug(ns, "app", null, "db", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        cluster.client().resource(socket).delete();

        await().atMost(TIMEOUT).until(() -> cluster.socket(ns, "db") == null);
        Plug after = cluster.plug(ns, "app");
        assertThat(after).as("the plug survives its socket").isNotNull();
        assertThat(after.getStatus().getCoupledSocket()).isNull();
        await().atMost(TIMEOUT).until(() -> "SocketNotCreated".equals(readyReason(cluster.plug(ns, "app"))));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.eventCount(plug, "Decoupled")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Decoupled")).isEqualTo(1);
            assertThat(cluster.eventCount(socket, "Deleted")).isEqualTo(1);
        });

        // A new socket of the same name couples the waiting plug again.
        cluster.create(socket(ns, "db", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
    }

    @Test
    void deletingThePlugRunsDecoupledThenDeletedAndCleansItsResources() {
        String ns = cluster.newNamespace("plug-delete");
        Socket socket = cluster.create(socket(ns, "db", s -> s.setResources(List.of(configMapResource(
                "grant-{{ plug.metadata.name }}", "{{ plugConfig.database }}")))));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfig(Map.of("database", "orders"))));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        await().atMost(TIMEOUT).until(() -> cluster.client().configMaps().inNamespace(ns).withName("grant-app")
                .get() != null);
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("grant-app").get().getData())
                .containsEntry("database", "orders");

        cluster.client().resource(plug).delete();

        await().atMost(TIMEOUT).until(() -> cluster.plug(ns, "app") == null);
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("grant-app").get())
                .as("decoupling deleted the socket's resource").isNull();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<String> plugEvents = cluster.events(plug).stream().map(Event::getReason).toList();
            assertThat(plugEvents).containsSubsequence("Coupled", "Decoupled", "Deleted");
            assertThat(cluster.eventCount(socket, "Decoupled")).isEqualTo(1);
            assertThat(cluster.socket(ns, "db").getStatus().getCoupledPlugs()).isEmpty();
        });
    }

    @Test
    void lostStatusWriteRedeliversCoupledAndSideEffectsStayIdempotent() {
        String ns = cluster.newNamespace("redeliver");
        Socket socket = cluster.create(socket(ns, "db", s -> s.setResources(List.of(configMapResource(
                "grant-{{ plug.metadata.name }}", "{{ plugConfig.database }}")))));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfig(Map.of("database", "orders"))));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        // As if the status write after the coupled event had been lost: the operator must fire coupled again.
        Plug current = cluster.plug(ns, "app");
        current.getStatus().setCoupledSocket(null);
        current.getStatus().setInputDigest(null);
        cluster.client().resource(current).updateStatus();
        cluster.client().resources(Plug.class).inNamespace(ns).withName("app").edit(p -> {
            p.getSpec().setEpoch("redeliver");
            return p;
        });

        await().atMost(TIMEOUT).until(() -> cluster.eventCount(plug, "Coupled") == 2);
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        List<ConfigMap> grants = cluster.client().configMaps().inNamespace(ns).list().getItems().stream()
                .filter(cm -> cm.getMetadata().getName().startsWith("grant-")).toList();
        assertThat(grants).extracting(cm -> cm.getMetadata().getName()).containsExactly("grant-app");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.socket(ns, "db").getStatus()
                .getCoupledPlugs()).extracting(ObjectRef::getUid).containsExactly(plug.getMetadata().getUid()));
        assertThat(cluster.eventCount(socket, "Coupled")).isEqualTo(2);
    }

    static Resource configMapResource(String name, String value) {
        Resource resource = new Resource();
        resource.setWhen(List.of(When.COUPLED, When.UPDATED));
        resource.setTemplate(Serialization.jsonMapper().valueToTree(Map.of(
                "apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", name),
                "data", Map.of("database", value))));
        return resource;
    }

}
