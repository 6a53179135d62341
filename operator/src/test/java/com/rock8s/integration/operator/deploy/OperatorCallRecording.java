package com.rock8s.integration.operator.deploy;

import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.apparatus.ManagedApparatus;
import com.rock8s.integration.operator.apparatus.ReferenceApparatusProcess;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.embedded.ApiRequest;
import com.rock8s.integration.operator.embedded.EmbeddedApiServer;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs the operator against an embedded API through a representative scenario and records every request the operator
 * made: the examples applied and coupled, inputs changed ({@code updated}), a plug re-pointed and deleted
 * ({@code decoupled}, {@code deleted}), sockets deleted, Events written, and a managed apparatus whose Pod and Service
 * the operator creates, whose idle deadline it moves and whose Pod it deletes when idle. The apparatus Service URL
 * points at the reference apparatus on a loopback port, standing in for the Service a real cluster routes to. The operator's client carries its own user
 * agent so the scenario's own reads and writes are not mistaken for the operator's.
 */
public final class OperatorCallRecording {
    /** The namespace the operator runs in, as the downward API would give it ({@code POD_NAMESPACE}). */
    public static final String OPERATOR_NAMESPACE = "integration-operator";
    static final String OPERATOR_USER_AGENT = "integration-operator-under-rbac-recording";
    private static final String DRIVER_USER_AGENT = "rbac-recording-scenario";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String APPARATUS_NAMESPACE = "apparatus-recording";

    private OperatorCallRecording() {
    }

    /** Runs the scenario once and returns every operator request, in the order the server answered them. */
    public static List<ApiCall> record() throws IOException {
        ConcurrentLinkedQueue<ApiRequest> requests = new ConcurrentLinkedQueue<>();
        Consumer<ApiRequest> listener = request -> {
            if (OPERATOR_USER_AGENT.equals(request.userAgent())) {
                requests.add(request);
            }
        };
        try (EmbeddedApiServer server = EmbeddedApiServer.start(0);
             ReferenceApparatusProcess apparatus = ReferenceApparatusProcess.start("recorded=yes")) {
            server.installCrdsFromClasspath();
            try (KubernetesClient driver = client(server, DRIVER_USER_AGENT);
                 KubernetesClient operatorClient = client(server, OPERATOR_USER_AGENT)) {
                driver.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NAMESPACE)
                        .endMetadata().build()).create();
                server.addRequestListener(listener);
                OperatorSettings settings = OperatorSettings.fromEnvironment(operatorEnvironment(apparatus));
                try (OperatorRuntime operator = new OperatorRuntime(operatorClient, settings).start()) {
                    scenario(server, driver, requests);
                }
                server.removeRequestListener(listener);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the reference apparatus", e);
        }
        return requests.stream().map(ApiCall::of).toList();
    }

    /** The environment the Deployment gives the operator, minus what only matters in a pod. */
    private static Map<String, String> operatorEnvironment(ReferenceApparatusProcess apparatus) {
        return Map.of(
                "POD_NAME", "integration-operator-0",
                "POD_NAMESPACE", OPERATOR_NAMESPACE,
                "MAX_CONCURRENT_RECONCILES", "10",
                "RECREATE_TIMEOUT_SECONDS", "20",
                "METRICS_PORT", "0",
                "APPARATUS_JANITOR_INTERVAL_SECONDS", "1",
                "APPARATUS_SERVICE_URL", apparatus.url("/{namespace}/{name}"));
    }

    private static KubernetesClient client(EmbeddedApiServer server, String userAgent) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.clientConfig()).withUserAgent(userAgent).build()).build();
    }

    private static void scenario(EmbeddedApiServer server, KubernetesClient driver,
                                 ConcurrentLinkedQueue<ApiRequest> recorded) throws IOException {
        Path examples = TestCluster.repositoryRoot().resolve("deploy/examples");
        server.apply(examples);
        List<String[]> plugs = List.of(new String[] {"app", "postgres"}, new String[] {"bar-namespace", "bar"},
                new String[] {"default", "consumer"}, new String[] {"app", "worker-client"});
        for (String[] plug : plugs) {
            await().atMost(TIMEOUT).until(() -> coupled(plug(driver, plug[0], plug[1])));
        }
        managedApparatus(server, driver);

        // updated: a Secret feeding the plug changes, and a resultVar target changes with an epoch bump
        Plug bar = plug(driver, "bar-namespace", "bar");
        driver.secrets().inNamespace("bar-namespace").withName("my-secret")
                .edit(s -> {
                    s.setStringData(Map.of("database", "bar-renamed"));
                    return s;
                });
        await().atMost(TIMEOUT).until(() -> count(driver, bar, "Updated") >= 1);
        Job job = driver.batch().v1().jobs().inNamespace("app").withName("my-job").get();
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        driver.resource(job).updateStatus();
        editPlug(driver, "app", "worker-client", p -> p.getSpec().setEpoch("job-finished"));
        await().atMost(TIMEOUT).until(() -> driver.batch().v1().jobs().inNamespace("app").withName("my-result-job")
                .get() != null);

        // a DeferredResource (example 06) applies its payload after its timeout; deleting it deletes the payload (as
        // its service account) and releases the finalizer
        await().atMost(TIMEOUT).until(() -> driver.configMaps().inNamespace("deferred-example").withName("welcome")
                .get() != null);
        driver.resources(DeferredResource.class).inNamespace("deferred-example").withName("welcome").delete();
        await().atMost(TIMEOUT).until(() -> driver.resources(DeferredResource.class).inNamespace("deferred-example")
                .withName("welcome").get() == null);

        // decoupled by re-pointing: the plug leaves socket foo for a new socket next to it
        server.applyYaml("""
                apiVersion: integration.rock8s.com/v1beta1
                kind: Socket
                metadata:
                  name: foo-next
                  namespace: foo-namespace
                spec:
                  config:
                    hello: again
                """);
        // Socket foo loses bar from its coupledPlugs. A socket status write that loses a race re-reads the socket
        // and tries again (SocketStatusWriter); the server answers that write once with the Conflict a real API
        // server gives a stale write, so the re-read is recorded every run, not only when a race is lost.
        server.conflictOnce("PUT", "/namespaces/foo-namespace/sockets/foo/status");
        editPlug(driver, "bar-namespace", "bar", p -> p.getSpec().getSocket().setName("foo-next"));
        await().atMost(TIMEOUT).until(() -> count(driver, bar, "Decoupled") >= 1
                && coupled(plug(driver, "bar-namespace", "bar"))
                && "foo-next".equals(plug(driver, "bar-namespace", "bar").getStatus().getCoupledSocket().getName()));
        await().atMost(TIMEOUT).until(() -> recorded.stream().anyMatch(r -> r.method().equals("GET")
                && r.path().endsWith("/namespaces/foo-namespace/sockets/foo")));

        // a socket deleted under its plug, then the plugs and the remaining sockets deleted
        driver.resources(Socket.class).inNamespace("postgres-namespace").withName("postgres").delete();
        await().atMost(TIMEOUT).until(() -> driver.resources(Socket.class).inNamespace("postgres-namespace")
                .withName("postgres").get() == null);
        // A finalizer patch that loses a race re-reads the plug and tries again (JOSDK's conflict-retrying patch).
        // The server answers the finalizer removal of one plug with the Conflict a real API server gives a stale
        // write, so the re-read is recorded every run instead of only when a race happens to be lost.
        server.conflictOnce("PATCH", "/namespaces/default/plugs/consumer");
        for (String[] plug : plugs) {
            driver.resources(Plug.class).inNamespace(plug[0]).withName(plug[1]).delete();
        }
        await().atMost(TIMEOUT).until(() -> plugs.stream().allMatch(p -> plug(driver, p[0], p[1]) == null));
        await().atMost(TIMEOUT).until(() -> recorded.stream().anyMatch(r -> r.method().equals("GET")
                && r.path().endsWith("/namespaces/default/plugs/consumer")));
        driver.resources(Socket.class).inAnyNamespace().list().getItems()
                .forEach(socket -> driver.resource(socket).delete());
        await().atMost(TIMEOUT).until(() -> driver.resources(Socket.class).inAnyNamespace().list().getItems()
                .isEmpty());
        await().atMost(TIMEOUT).until(() -> count(driver, bar, "Deleted") >= 1);
    }

    /**
     * A socket whose apparatus has containers: its {@code created} call makes the operator create the apparatus Pod and
     * Service and move the Pod's idle deadline; after the two-second idle timeout the janitor deletes the Pod.
     */
    private static void managedApparatus(EmbeddedApiServer server, KubernetesClient driver) {
        server.applyYaml("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                ---
                apiVersion: integration.rock8s.com/v1beta1
                kind: Socket
                metadata:
                  name: hooks
                  namespace: %s
                spec:
                  apparatus:
                    endpoint: /hooks
                    idleTimeout: 2
                    containers:
                      - name: hooks
                        image: example/hooks:1
                """.formatted(APPARATUS_NAMESPACE, APPARATUS_NAMESPACE));
        await().atMost(TIMEOUT).until(() -> {
            Pod pod = driver.pods().inNamespace(APPARATUS_NAMESPACE).withName("hooks-apparatus").get();
            return pod != null && pod.getMetadata().getAnnotations() != null
                    && pod.getMetadata().getAnnotations().containsKey(ManagedApparatus.IDLE_DEADLINE)
                    && driver.services().inNamespace(APPARATUS_NAMESPACE).withName("hooks-apparatus").get() != null;
        });
        await().atMost(TIMEOUT).until(() -> driver.pods().inNamespace(APPARATUS_NAMESPACE).withName("hooks-apparatus")
                .get() == null);
    }

    private static Plug plug(KubernetesClient client, String namespace, String name) {
        return client.resources(Plug.class).inNamespace(namespace).withName(name).get();
    }

    private static void editPlug(KubernetesClient client, String namespace, String name, Consumer<Plug> change) {
        client.resources(Plug.class).inNamespace(namespace).withName(name).edit(p -> {
            change.accept(p);
            return p;
        });
    }

    private static long count(KubernetesClient client, HasMetadata object, String reason) {
        return client.v1().events().inNamespace(object.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && object.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
                .map(Event::getReason).filter(reason::equals).count();
    }

    /** Distinct permissions of the calls, for failure messages. */
    static Set<Permission> permissions(List<ApiCall> calls) {
        return calls.stream().flatMap(c -> c.permission().stream()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
