package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.embedded.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import com.rock8s.integration.sharding.ShardCoordinator;
import com.rock8s.integration.sharding.ShardingSettings;
import com.rock8s.integration.sharding.testing.NetworkPartition;
import com.rock8s.integration.observability.tracing.Tracing;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one place integration tests get their Kubernetes API from. By default every test class gets a fresh embedded
 * API (fabric8's mock in CRUD mode with this project's shims); with {@code IT_TARGET=kubeconfig} the same scenarios
 * run against the cluster in {@code KUBECONFIG} (CRDs from {@code deploy/crds} must be installable there). Each test
 * works in namespaces of its own, so scenarios never see each other's objects.
 */
public final class TestCluster implements BeforeAllCallback, AfterAllCallback {
    private final OperatorSettings settings;
    private final boolean realCluster = "kubeconfig".equalsIgnoreCase(System.getenv("IT_TARGET"));
    private final List<String> namespaces = new ArrayList<>();
    private EmbeddedApiServer server;
    private KubernetesClient client;
    private KubernetesClient operatorClient;
    private OperatorRuntime operator;
    private final ShardingSettings sharding;
    private final int initialReplicas;
    private final ReconcileAudit audit = new ReconcileAudit();
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();

    public TestCluster() {
        this(new OperatorSettings(10, Duration.ofMinutes(10), true, Duration.ofSeconds(20), "test-operator"));
    }

    public TestCluster(OperatorSettings settings) {
        this(settings, testSharding(settings.identity()), 0);
    }

    /**
     * @param replicas replicas started with the fixture, named {@code replica-0...}; with 0, one replica named after
     *                 {@code settings.identity()} is started and {@link #operator()} returns it
     */
    public TestCluster(OperatorSettings settings, ShardingSettings sharding, int replicas) {
        this.settings = settings;
        this.sharding = sharding;
        this.initialReplicas = replicas;
    }

    /**
     * A fixture that starts {@code replicas} replicas ({@code replica-0...}) with {@link #testSharding} timings and 4
     * reconcile threads per shard, for the sharding scenarios.
     */
    public static TestCluster replicas(int replicas) {
        return new TestCluster(new OperatorSettings(4, Duration.ofMinutes(10), true, Duration.ofSeconds(20),
                "replica"), testSharding("replica"), replicas);
    }

    /**
     * 16 shards with lease timings short enough for failover tests and long enough for a busy 2-core CI machine:
     * 6 s lease, 4 s renew deadline, 0.5 s retry.
     */
    public static ShardingSettings testSharding(String identity) {
        return new ShardingSettings(16, Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofMillis(500),
                "integration-operator", identity, "integration-operator");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (realCluster) {
            client = new KubernetesClientBuilder().build();
            operatorClient = new KubernetesClientBuilder().build();
            try (var crds = Files.list(repositoryRoot().resolve("deploy/crds"))) {
                for (Path crd : crds.toList()) {
                    try (InputStream in = Files.newInputStream(crd)) {
                        client.load(in).serverSideApply();
                    }
                }
            }
        } else {
            server = EmbeddedApiServer.start(0);
            server.installCrdsFromClasspath();
            client = server.newClient();
            operatorClient = server.newClient();
        }
        if (client.namespaces().withName(sharding.namespace()).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(sharding.namespace())
                    .endMetadata().build()).create();
        }
        if (initialReplicas == 0) {
            startOperator();
        } else {
            for (int i = 0; i < initialReplicas; i++) {
                startReplica("replica-" + i);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopOperator();
        replicas.values().forEach(Replica::stop);
        if (realCluster) {
            namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
        }
        client.close();
        operatorClient.close();
        if (server != null) {
            server.close();
        }
    }

    /** Starts the operator (again). */
    public void startOperator() {
        operator = new OperatorRuntime(operatorClient, null, settings, sharding, new SimpleMeterRegistry(), Tracing.local("integration-operator"), audit)
                .start();
    }

    /**
     * Starts one more replica with clients of its own, behind a {@link NetworkPartition} the test can cut (its lease
     * client fails fast, as in production).
     */
    public Replica startReplica(String identity) {
        NetworkPartition partition = new NetworkPartition();
        ShardingSettings replicaSharding = sharding.withIdentity(identity);
        Config config = realCluster ? Config.autoConfigure(null) : server.clientConfig();
        KubernetesClient replicaClient = partition.client(config);
        KubernetesClient leaseClient = partition.client(ShardCoordinator.fastFailingClient(config, replicaSharding)
                .getConfiguration());
        OperatorRuntime runtime = new OperatorRuntime(replicaClient, leaseClient, settings, replicaSharding,
                new SimpleMeterRegistry(), Tracing.local("integration-operator"), audit).start();
        Replica replica = new Replica(identity, runtime, partition, List.of(replicaClient, leaseClient));
        replicas.put(identity, replica);
        return replica;
    }

    /** The replicas started with {@link #startReplica} and not stopped, by identity. */
    public Map<String, Replica> replicas() {
        return replicas;
    }

    /** Forgets a replica after the test stopped or crashed it. */
    public void removeReplica(Replica replica) {
        replicas.remove(replica.identity());
    }

    /** Every reconcile of every replica of this fixture. */
    public ReconcileAudit audit() {
        return audit;
    }

    public ShardingSettings sharding() {
        return sharding;
    }

    /** Stops the operator as a shutdown would, leaving every object as it is. */
    public void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    public OperatorRuntime operator() {
        return operator;
    }

    public KubernetesClient client() {
        return client;
    }

    /** The embedded API, or null against a real cluster. */
    public EmbeddedApiServer embeddedServer() {
        return server;
    }

    public boolean isRealCluster() {
        return realCluster;
    }

    /** Creates a namespace named after {@code prefix} with a random suffix. */
    public String newNamespace(String prefix) {
        String name = (prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36))
                .toLowerCase(Locale.ROOT);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        namespaces.add(name);
        return name;
    }

    public <T extends HasMetadata> T create(T object) {
        return client.resource(object).create();
    }

    public Plug plug(String namespace, String name) {
        return client.resources(Plug.class).inNamespace(namespace).withName(name).get();
    }

    public Socket socket(String namespace, String name) {
        return client.resources(Socket.class).inNamespace(namespace).withName(name).get();
    }

    /** Events recorded on {@code object} (matched by uid), oldest first. */
    public List<Event> events(HasMetadata object) {
        return client.v1().events().inNamespace(object.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && object.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
                .sorted((a, b) -> String.valueOf(a.getFirstTimestamp()).compareTo(String.valueOf(b.getFirstTimestamp())))
                .toList();
    }

    /** How many events with {@code reason} were recorded on {@code object}. */
    public long eventCount(HasMetadata object, String reason) {
        return events(object).stream().filter(e -> reason.equals(e.getReason())).count();
    }

    /** The repository root, found from the working directory (Maven runs tests in the module directory). */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isDirectory(here.resolve("deploy"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with deploy/)");
        }
        return here;
    }
}
