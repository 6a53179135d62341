package com.rock8s.integration.operator.apparatus;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Apparatus;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.testing.RequestRecorder;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A managed apparatus end to end. The embedded API has no kubelet, so the operator reaches the "Service" through
 * {@code APPARATUS_SERVICE_URL} pointed at the reference apparatus on loopback; Pod and Service are real API objects.
 */
class ManagedApparatusTest {
    private static final ReferenceApparatusProcess REFERENCE = ReferenceApparatusProcess.start("managed=yes");

    @RegisterExtension
    static final TestCluster cluster = new TestCluster(new OperatorSettings(10, Duration.ofMinutes(10), true,
            Duration.ofSeconds(20), "test-operator").withApparatus(ApparatusSettings.defaults()
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5))
            .withRetries(1, Duration.ofMillis(20))
            .withJanitorInterval(Duration.ofMillis(500))
            .withServiceUrl("http://127.0.0.1:" + REFERENCE.port() + "/{namespace}/{name}")));

    @AfterAll
    static void stopReference() throws InterruptedException {
        REFERENCE.close();
    }

    @Test
    void idlePodIsDeletedAfterItsTimeoutEvenAcrossAnOperatorRestart() {
        String ns = cluster.newNamespace("apparatus-idle");
        String prefix = "/" + ns + "/app-apparatus/hooks";
        cluster.create(socket(ns, "db", s -> { }));
        cluster.create(plug(ns, "app", null, "db", p -> {
            Apparatus apparatus = new Apparatus();
            apparatus.setEndpoint("/hooks");
            apparatus.setIdleTimeout(3L);
            apparatus.setContainers(List.of(new ContainerBuilder().withName("hooks").withImage("example/hooks:1")
                    .build()));
            p.setApparatus(apparatus);
        }));

        await().atMost(Duration.ofSeconds(30)).until(() -> coupled(cluster.plug(ns, "app")));
        assertThat(REFERENCE.calls(prefix)).extracting(c -> c.path("call").asText())
                .startsWith("ping", "created").contains("config", "coupled");
        Pod pod = cluster.client().pods().inNamespace(ns).withName("app-apparatus").get();
        assertThat(pod).isNotNull();
        Instant deadline = Instant.parse(pod.getMetadata().getAnnotations().get(ManagedApparatus.IDLE_DEADLINE));
        assertThat(deadline).isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(10));

        cluster.stopOperator();
        cluster.startOperator();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                cluster.client().pods().inNamespace(ns).withName("app-apparatus").get() == null);
        assertThat(cluster.client().services().inNamespace(ns).withName("app-apparatus").get())
                .as("the Service stays").isNotNull();
        assertThat(coupled(cluster.plug(ns, "app"))).isTrue();
    }

    @Test
    void deletingThePlugLetsTheGarbageCollectorRemoveItsApparatusPodAndService() {
        String ns = cluster.newNamespace("apparatus-gc");
        cluster.create(socket(ns, "db", s -> { }));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> {
            Apparatus apparatus = new Apparatus();
            apparatus.setEndpoint("/hooks");
            apparatus.setIdleTimeout(3600L);
            apparatus.setContainers(List.of(new ContainerBuilder().withName("hooks").withImage("example/hooks:1")
                    .build()));
            p.setApparatus(apparatus);
        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> coupled(cluster.plug(ns, "app")));
        Pod pod = cluster.client().pods().inNamespace(ns).withName("app-apparatus").get();
        Service service = cluster.client().services().inNamespace(ns).withName("app-apparatus").get();
        for (HasMetadata owned : List.of(pod, service)) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(plug.getMetadata().getUid()));
        }
        List<RequestRecorder.Request> deletes = new CopyOnWriteArrayList<>();
        Consumer<RequestRecorder.Request> listener = r -> {
            if ("DELETE".equals(r.method()) && r.path().contains("/namespaces/" + ns + "/")) {
                deletes.add(r);
            }
        };
        cluster.requests().addListener(listener);
        try {
            cluster.client().resource(plug).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.plug(ns, "app") == null
                    && cluster.client().pods().inNamespace(ns).withName("app-apparatus").get() == null
                    && cluster.client().services().inNamespace(ns).withName("app-apparatus").get() == null);
        } finally {
            cluster.requests().removeListener(listener);
        }
        assertThat(deletes).as("the garbage collector, not the operator, removed the Pod and the Service")
                .noneMatch(r -> r.path().endsWith("/pods/app-apparatus") || r.path().endsWith("/services/app-apparatus"));
    }
}
