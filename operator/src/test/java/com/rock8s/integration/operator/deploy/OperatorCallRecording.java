package com.rock8s.integration.operator.deploy;

import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.observability.tracing.Tracing;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.apparatus.ManagedApparatus;
import com.rock8s.integration.operator.apparatus.ReferenceApparatusProcess;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.controller.ReconcileObserver;
import com.rock8s.integration.operator.testing.RequestRecorder;
import com.rock8s.integration.operator.testing.TestCluster;
import com.rock8s.integration.sharding.ShardCoordinator;
import com.rock8s.integration.sharding.ShardingSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the operator against the real API server of {@link TestCluster#access()} through a representative scenario and
 * records every request the operator made: the examples applied and coupled, inputs changed ({@code updated}), a plug
 * re-pointed and deleted ({@code decoupled}, {@code deleted}), sockets deleted, Events written, and a managed apparatus
 * whose Pod and Service the operator creates, whose idle deadline it moves and whose Pod it deletes when idle. The
 * operator authenticates with its ServiceAccount's token, so the API server itself refuses anything outside the RBAC
 * deploy/kustomize ships. Requests are recorded on the operator's own clients (main and lease client), so the
 * scenario's admin requests are never mixed in. The apparatus Service URL points at the reference apparatus on a
 * loopback port, standing in for the Service a real cluster routes to (no Pod runs on the local control plane).
 */
public final class OperatorCallRecording {
    /** The namespace the operator runs in, as the downward API would give it ({@code POD_NAMESPACE}). */
    public static final String OPERATOR_NAMESPACE = "integration-operator";
    private static final String IDENTITY = "integration-operator-0";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String APPARATUS_NAMESPACE = "apparatus-recording";
    /** Example namespaces whose service accounts the examples give no rights: granted {@code edit} for the run. */
    private static final List<String> GRANTED_EDIT = List.of("app", "default");
    private static final String EDIT_BINDING = "service-accounts-edit";

    /** What one run saw: every request as sent with its status, and each mapped to what RBAC authorises. */
    public record Recording(List<RequestRecorder.Request> requests, List<ApiCall> calls) {
    }

    private OperatorCallRecording() {
    }

    /** Runs the scenario once and returns every operator request, in the order the responses came back. */
    public static Recording record() throws IOException {
        TestCluster.Access api = TestCluster.access();
        ConcurrentLinkedQueue<RequestRecorder.Request> requests = new ConcurrentLinkedQueue<>();
        RequestRecorder recorder = new RequestRecorder();
        Consumer<RequestRecorder.Request> listener = requests::add;
        List<HasMetadata> examples = examples();
        ShardingSettings sharding = TestCluster.testSharding(IDENTITY);
        try (KubernetesClient admin = api.newAdminClient();
             ReferenceApparatusProcess apparatus = ReferenceApparatusProcess.start("recorded=yes");
             KubernetesClient operatorClient = recorder.instrument(new KubernetesClientBuilder()
                     .withConfig(api.operator())).build();
             KubernetesClient leaseClient = recorder.instrument(new KubernetesClientBuilder()
                     .withConfig(fastFailing(api.operator(), sharding))).build()) {
            Set<String> namespaces = namespaces(examples);
            awaitGone(admin, namespaces);
            boolean passed = false;
            try {
                prepare(admin, examples);
                recorder.addListener(listener);
                OperatorSettings settings = OperatorSettings.fromEnvironment(operatorEnvironment(apparatus));
                try (OperatorRuntime operator = new OperatorRuntime(operatorClient, leaseClient, settings, sharding,
                        new SimpleMeterRegistry(), Tracing.local("integration-operator"), ReconcileObserver.NONE)
                        .start()) {
                    try {
                        scenario(admin, recorder, requests);
                        passed = true;
                    } finally {
                        if (!passed) {
                            // plugs and sockets left by a failed scenario carry the finalizer: clean up while the
                            // operator still runs, so it can release them
                            recorder.removeListener(listener);
                            try {
                                cleanUp(admin, examples, namespaces);
                            } catch (RuntimeException e) {
                                System.err.println("cleaning up after the failed scenario: " + e);
                            }
                        }
                    }
                }
                // the shutdown (Leases released) is part of the recording too
                recorder.removeListener(listener);
            } finally {
                recorder.removeListener(listener);
                if (passed) {
                    cleanUp(admin, examples, namespaces);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the reference apparatus", e);
        }
        List<RequestRecorder.Request> seen = List.copyOf(requests);
        return new Recording(seen, seen.stream().map(ApiCall::of).toList());
    }

    /** The lease client's configuration as production builds it: no retries, timeouts under the renew deadline. */
    private static Config fastFailing(Config base, ShardingSettings sharding) {
        try (KubernetesClient client = ShardCoordinator.fastFailingClient(base, sharding)) {
            return client.getConfiguration();
        }
    }

    /** The environment the Deployment gives the operator, minus what only matters in a pod. */
    private static Map<String, String> operatorEnvironment(ReferenceApparatusProcess apparatus) {
        return Map.of(
                "POD_NAME", IDENTITY,
                "POD_NAMESPACE", OPERATOR_NAMESPACE,
                "MAX_CONCURRENT_RECONCILES", "10",
                "RECREATE_TIMEOUT_SECONDS", "20",
                "METRICS_PORT", "0",
                "APPARATUS_JANITOR_INTERVAL_SECONDS", "1",
                "APPARATUS_SERVICE_URL", apparatus.url("/{namespace}/{name}"));
    }

    private static List<HasMetadata> examples() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        Path directory = TestCluster.repositoryRoot().resolve("deploy/examples");
        try (KubernetesClient parser = new KubernetesClientBuilder().withConfig(Config.empty()).build();
             Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    objects.addAll(parser.load(in).items());
                }
            }
        }
        return objects;
    }

    /** The namespaces the examples create, and the managed-apparatus one; never {@code default}. */
    private static Set<String> namespaces(List<HasMetadata> examples) {
        Set<String> names = examples.stream().filter(o -> o instanceof Namespace).map(o -> o.getMetadata().getName())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        names.add(APPARATUS_NAMESPACE);
        return names;
    }

    /**
     * Creates the namespaces first (their {@code default} service accounts must exist before a Pod or a
     * service-account token refers to them), grants edit where the examples bring no Role, then applies every
     * example server-side as an admin would with {@code kubectl apply --server-side}.
     */
    private static void prepare(KubernetesClient admin, List<HasMetadata> examples) {
        for (HasMetadata object : examples) {
            if (object instanceof Namespace) {
                admin.resource(object).forceConflicts().serverSideApply();
            }
        }
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(APPARATUS_NAMESPACE).endMetadata().build()).create();
        for (String namespace : namespaces(examples)) {
            TestCluster.awaitDefaultServiceAccount(admin, namespace);
        }
        TestCluster.awaitDefaultServiceAccount(admin, "default");
        for (String namespace : GRANTED_EDIT) {
            TestCluster.grantServiceAccountsEdit(admin, namespace);
        }
        for (HasMetadata object : examples) {
            if (!(object instanceof Namespace)) {
                admin.resource(object).forceConflicts().serverSideApply();
            }
        }
    }

    private static void scenario(KubernetesClient driver, RequestRecorder recorder,
                                 ConcurrentLinkedQueue<RequestRecorder.Request> recorded) {
        List<String[]> plugs = List.of(new String[] {"app", "postgres"}, new String[] {"bar-namespace", "bar"},
                new String[] {"default", "consumer"}, new String[] {"app", "worker-client"});
        for (String[] plug : plugs) {
            await().atMost(TIMEOUT).until(() -> coupled(plug(driver, plug[0], plug[1])));
        }
        managedApparatus(driver);

        // updated: a Secret feeding the plug changes, and a resultVar target changes with an epoch bump
        Plug bar = plug(driver, "bar-namespace", "bar");
        driver.secrets().inNamespace("bar-namespace").withName("my-secret")
                .edit(s -> {
                    s.setStringData(Map.of("database", "bar-renamed"));
                    return s;
                });
        await().atMost(TIMEOUT).until(() -> count(driver, bar, "Updated") >= 1);
        // No Job controller runs on the local control plane, so the scenario plays it.
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
        Socket next = driver.getKubernetesSerialization().unmarshal("""
                apiVersion: integration.rock8s.com/v1beta1
                kind: Socket
                metadata:
                  name: foo-next
                  namespace: foo-namespace
                spec:
                  config:
                    hello: again
                """, Socket.class);
        driver.resource(next).create();
        // Socket foo loses bar from its coupledPlugs. A socket status write that loses a race re-reads the socket
        // and tries again (SocketStatusWriter). The admin changes socket foo just before that write leaves, so the
        // server answers it with a real 409 and the re-read is recorded every run, not only when a race is lost.
        recorder.interfereOnce("PUT", "/namespaces/foo-namespace/sockets/foo/status", () ->
                touch(driver.resources(Socket.class).inNamespace("foo-namespace").withName("foo")));
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
        // The admin changes plug consumer just before its finalizer removal leaves, so the server answers it with a
        // real 409 and the re-read is recorded every run instead of only when a race happens to be lost.
        recorder.interfereOnce("PATCH", "/namespaces/default/plugs/consumer", () ->
                touch(driver.resources(Plug.class).inNamespace("default").withName("consumer")));
        for (String[] plug : plugs) {
            driver.resources(Plug.class).inNamespace(plug[0]).withName(plug[1]).delete();
        }
        await().atMost(TIMEOUT).until(() -> plugs.stream().allMatch(p -> plug(driver, p[0], p[1]) == null));
        await().atMost(TIMEOUT).until(() -> recorded.stream().anyMatch(r -> r.method().equals("GET")
                && r.path().endsWith("/namespaces/default/plugs/consumer")));
        List<Socket> sockets = exampleSockets(driver);
        sockets.forEach(socket -> driver.resource(socket).delete());
        await().atMost(TIMEOUT).until(() -> exampleSockets(driver).isEmpty());
        await().atMost(TIMEOUT).until(() -> count(driver, bar, "Deleted") >= 1);
    }

    /** An annotation changed: a new resourceVersion, so a write based on the one before conflicts. */
    private static <T extends HasMetadata> void touch(io.fabric8.kubernetes.client.dsl.Resource<T> resource) {
        resource.edit(object -> {
            Map<String, String> annotations = new java.util.HashMap<>(object.getMetadata().getAnnotations() == null
                    ? Map.of() : object.getMetadata().getAnnotations());
            annotations.put("example.com/touched", String.valueOf(System.nanoTime()));
            object.getMetadata().setAnnotations(annotations);
            return object;
        });
    }

    private static List<Socket> exampleSockets(KubernetesClient driver) {
        return Stream.of("foo-namespace", "postgres-namespace", "db", "app", APPARATUS_NAMESPACE)
                .flatMap(ns -> driver.resources(Socket.class).inNamespace(ns).list().getItems().stream()).toList();
    }

    /**
     * A socket whose apparatus has containers: its {@code created} call makes the operator create the apparatus Pod and
     * Service and move the Pod's idle deadline; after the two-second idle timeout the janitor deletes the Pod (no
     * kubelet ever ran it: an unscheduled Pod is deleted at once).
     */
    private static void managedApparatus(KubernetesClient driver) {
        Socket hooks = driver.getKubernetesSerialization().unmarshal("""
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
                """.formatted(APPARATUS_NAMESPACE), Socket.class);
        driver.resource(hooks).create();
        await().atMost(TIMEOUT).until(() -> {
            Pod pod = driver.pods().inNamespace(APPARATUS_NAMESPACE).withName("hooks-apparatus").get();
            return pod != null && pod.getMetadata().getAnnotations() != null
                    && pod.getMetadata().getAnnotations().containsKey(ManagedApparatus.IDLE_DEADLINE)
                    && driver.services().inNamespace(APPARATUS_NAMESPACE).withName("hooks-apparatus").get() != null;
        });
        await().atMost(TIMEOUT).until(() -> driver.pods().inNamespace(APPARATUS_NAMESPACE).withName("hooks-apparatus")
                .get() == null);
    }

    /**
     * Leaves the cluster as the run found it: the examples' objects in {@code default} deleted, the example namespaces
     * deleted and gone (their names are fixed, so another run or class would otherwise find them), and the run's shard
     * Leases removed so the next operator of this JVM does not wait for them to expire.
     */
    private static void cleanUp(KubernetesClient admin, List<HasMetadata> examples, Set<String> namespaces) {
        for (HasMetadata object : examples) {
            if ("default".equals(object.getMetadata().getNamespace())) {
                admin.resource(object).withGracePeriod(0).delete();
            }
        }
        admin.rbac().roleBindings().inNamespace("default").withName(EDIT_BINDING).delete();
        for (String namespace : namespaces) {
            admin.namespaces().withName(namespace).delete();
        }
        awaitGone(admin, namespaces);
        admin.leases().inNamespace(OPERATOR_NAMESPACE).withLabel(ShardCoordinator.GROUP_LABEL).delete();
    }

    private static void awaitGone(KubernetesClient admin, Set<String> namespaces) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> namespaces.stream()
                .allMatch(ns -> admin.namespaces().withName(ns).get() == null));
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
        return calls.stream().flatMap(c -> c.permission().stream()).collect(Collectors.toCollection(TreeSet::new));
    }
}
