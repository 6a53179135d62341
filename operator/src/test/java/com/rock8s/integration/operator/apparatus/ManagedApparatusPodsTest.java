package com.rock8s.integration.operator.apparatus;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.operator.api.Apparatus;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.testing.RequestRecorder;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How often a managed apparatus's Pod is looked up (once it answered and its deadline was moved, not per call), and
 * what happens when a Plug and a Socket of the same name both want the Pod {@code <name>-apparatus}.
 */
class ManagedApparatusPodsTest {
    private static final String NS = "apparatus-pods";
    private static final String POD = "app-apparatus";
    private static final RequestRecorder REQUESTS = new RequestRecorder();
    /** The admin, for the test's own objects. */
    private static KubernetesClient client;
    /** The operator's identity, as ManagedApparatus runs in production. */
    private static KubernetesClient operatorClient;

    private final StubApparatus stub = StubApparatus.start();
    private final List<String> podReads = new CopyOnWriteArrayList<>();
    private final Consumer<RequestRecorder.Request> listener = request -> {
        if (request.method().equals("GET") && request.path().endsWith("/pods/" + POD)) {
            podReads.add(request.path());
        }
    };

    @BeforeAll
    static void start() {
        TestCluster.Access api = TestCluster.access();
        client = api.newAdminClient();
        operatorClient = REQUESTS.instrument(new KubernetesClientBuilder().withConfig(api.operator())).build();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        TestCluster.awaitDefaultServiceAccount(client, NS);
    }

    @AfterAll
    static void stop() {
        client.namespaces().withName(NS).delete();
        client.close();
        operatorClient.close();
    }

    @AfterEach
    void stopStub() {
        REQUESTS.removeListener(listener);
        stub.close();
    }

    @Test
    void aReadyTouchedPodIsNotLookedUpAgainUntilACallForgetsIt() throws Exception {
        Apparatus apparatus = new Apparatus();
        apparatus.setEndpoint("/hooks");
        apparatus.setContainers(List.of(new ContainerBuilder().withName("hooks").withImage("example/hooks:1")
                .build()));
        Plug owner = client.resource(plug(NS, "app", null, "db", p -> p.setApparatus(apparatus))).create();
        ApparatusSettings settings = ApparatusSettings.defaults()
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withServiceUrl(stub.url("/{namespace}/{name}"));
        ManagedApparatus managed = new ManagedApparatus(operatorClient, new ApparatusClient(settings), settings,
                Clock.systemUTC());
        Endpoint endpoint = Endpoint.resolve(apparatus, "app", NS, settings.serviceUrl());
        REQUESTS.addListener(listener);

        Pod first = managed.ensure(owner, owner.getSpec(), endpoint);
        managed.awaitReady(first, endpoint);
        managed.touch(first, Duration.ofSeconds(60));
        assertThat(podReads).as("the first call looks the Pod up").hasSize(1);

        for (int call = 0; call < 3; call++) {
            Pod again = managed.ensure(owner, owner.getSpec(), endpoint);
            managed.awaitReady(again, endpoint);
            managed.touch(again, Duration.ofSeconds(60));
            assertThat(again.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
        }
        assertThat(podReads).as("later calls use the Pod they know").hasSize(1);
        assertThat(stub.count("ping")).as("and do not ping it again").isEqualTo(1);

        managed.forget(first);
        managed.ensure(owner, owner.getSpec(), endpoint);
        assertThat(podReads).as("a forgotten Pod is looked up again").hasSize(2);
    }

    @Test
    void aSocketDoesNotReplaceThePodOfAPlugWithItsName() throws Exception {
        Apparatus apparatus = new Apparatus();
        apparatus.setEndpoint("/hooks");
        apparatus.setContainers(List.of(new ContainerBuilder().withName("hooks").withImage("example/hooks:1")
                .build()));
        Plug plug = client.resource(plug(NS, "shared", null, "db", p -> p.setApparatus(apparatus))).create();
        Apparatus other = new Apparatus();
        other.setEndpoint("/other");
        other.setContainers(List.of(new ContainerBuilder().withName("other").withImage("example/other:1").build()));
        Socket socket = client.resource(socket(NS, "shared", s -> s.setApparatus(other))).create();
        ApparatusSettings settings = ApparatusSettings.defaults().withServiceUrl(stub.url("/{namespace}/{name}"));
        ManagedApparatus managed = new ManagedApparatus(operatorClient, new ApparatusClient(settings), settings,
                Clock.systemUTC());

        Pod plugPod = managed.ensure(plug, plug.getSpec(), Endpoint.resolve(apparatus, "shared", NS,
                settings.serviceUrl()));
        assertThatThrownBy(() -> managed.ensure(socket, socket.getSpec(), Endpoint.resolve(other, "shared", NS,
                settings.serviceUrl())))
                .isInstanceOf(ManagedApparatus.ApparatusUnavailableException.class)
                .hasMessageContaining("belongs to the Plug of the same name", "rename one");
        Pod after = client.pods().inNamespace(NS).withName("shared-apparatus").get();
        assertThat(after.getMetadata().getUid()).as("the plug's Pod is left alone")
                .isEqualTo(plugPod.getMetadata().getUid());
        assertThat(after.getMetadata().getDeletionTimestamp()).isNull();
    }
}
