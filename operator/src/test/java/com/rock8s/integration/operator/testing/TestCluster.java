package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.localcluster.Crds;
import com.rock8s.integration.operator.localcluster.LocalControlPlane;
import com.rock8s.integration.operator.localcluster.OperatorServiceAccount;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
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
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import static org.awaitility.Awaitility.await;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one place integration tests get their Kubernetes API from. By default that is a real control plane (etcd,
 * kube-apiserver, kube-controller-manager built from the modules pinned in {@code deploy/local-cluster}), started once
 * per test JVM and shared by every test class; with {@code IT_TARGET=kubeconfig} the same scenarios run against the
 * cluster in {@code KUBECONFIG}. Either way the CRDs are applied from {@code deploy/crds} through the API (so the
 * server validates, prunes and defaults), and the operator under test authenticates as its own ServiceAccount, bound
 * to exactly the ClusterRole and Role {@code deploy/kustomize} ships: never as the admin the test itself uses. Each
 * test works in namespaces of its own, deleted (while the operator still runs, so finalizers are honoured) when the
 * class ends.
 */
public final class TestCluster implements BeforeAllCallback, AfterAllCallback {
    private static final Duration OPERATOR_TOKEN_VALIDITY = Duration.ofHours(12);
    private final OperatorSettings settings;
    private final List<String> namespaces = new ArrayList<>();
    private LocalControlPlane controlPlane;
    private KubernetesClient client;
    private Config operatorConfig;
    private KubernetesClient operatorClient;
    private OperatorRuntime operator;
    private final ShardingSettings sharding;
    private final int initialReplicas;
    private final ReconcileAudit audit = new ReconcileAudit();
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
    private final RequestRecorder requests = new RequestRecorder();

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

    /**
     * What every test that talks to an API server needs: the admin's configuration (for the test's own requests),
     * the operator's (its ServiceAccount token) and the local control plane when that is the target.
     */
    public record Access(Config admin, Config operator, LocalControlPlane controlPlane) {
        /** A new admin client; the caller closes it. */
        public KubernetesClient newAdminClient() {
            return new KubernetesClientBuilder().withConfig(admin).build();
        }
    }

    private static Access access;

    /**
     * The API server of this test JVM, prepared once: started (unless {@code IT_TARGET=kubeconfig}), the CRDs of
     * deploy/crds applied and established, the operator's ServiceAccount and RBAC from deploy/kustomize applied and a
     * token issued for it.
     */
    public static synchronized Access access() {
        if (access == null) {
            LocalControlPlane controlPlane = null;
            Config adminConfig;
            if ("kubeconfig".equalsIgnoreCase(System.getenv("IT_TARGET"))) {
                adminConfig = Config.autoConfigure(null);
            } else {
                controlPlane = LocalControlPlane.shared(repositoryRoot());
                adminConfig = controlPlane.adminConfig();
            }
            try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(adminConfig).build()) {
                Crds.install(admin, repositoryRoot());
                OperatorServiceAccount.install(admin, repositoryRoot());
                access = new Access(adminConfig, OperatorServiceAccount.clientConfig(admin, OPERATOR_TOKEN_VALIDITY),
                        controlPlane);
            }
        }
        return access;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Access api = access();
        controlPlane = api.controlPlane();
        client = api.newAdminClient();
        operatorConfig = api.operator();
        operatorClient = requests.instrument(new KubernetesClientBuilder().withConfig(operatorConfig)).build();
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
        try {
            deleteNamespaces();
        } finally {
            stopOperator();
            replicas.values().forEach(Replica::stop);
            replicas.clear();
            // Released or not, this class's shard Leases must not make the next class wait for them to expire.
            client.leases().inNamespace(sharding.namespace()).delete();
            client.close();
            operatorClient.close();
        }
    }

    /**
     * Deletes this class's namespaces and waits until the namespace controller has removed them, so no plug of
     * this class is left for the next class's operator. Plugs and sockets carry the operator's finalizer, which a
     * running operator removes; a namespace whose deletion a test deliberately blocks is left to the end of the JVM.
     */
    private void deleteNamespaces() {
        for (String namespace : namespaces) {
            client.namespaces().withName(namespace).delete();
        }
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> namespaces.stream().noneMatch(ns -> client.namespaces().withName(ns).get() != null));
        } catch (ConditionTimeoutException e) {
            System.err.println("namespaces still terminating after 60 s: " + namespaces.stream()
                    .filter(ns -> client.namespaces().withName(ns).get() != null).toList());
        }
        namespaces.clear();
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
        Config config = operatorConfig;
        KubernetesClient replicaClient = requests.instrument(new KubernetesClientBuilder()
                .withConfig(partition.route(config))).build();
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

    /** Every request the operator's clients send (not the test's own), for tests that check what it asked for. */
    public RequestRecorder requests() {
        return requests;
    }

    /** The admin client the test itself uses (never the operator's identity). */
    public KubernetesClient adminClient() {
        return client;
    }

    /** The operator's own identity: its ServiceAccount's token, bound to the RBAC deploy/kustomize ships. */
    public Config operatorConfig() {
        return operatorConfig;
    }

    /** The local control plane, or null when the tests run against the cluster in KUBECONFIG. */
    public LocalControlPlane controlPlane() {
        return controlPlane;
    }

    /**
     * Creates a namespace named after {@code prefix} with a random suffix, whose service accounts may do what the
     * built-in {@code edit} role allows there (as a tenant's namespace would): plugs and sockets act as those service
     * accounts, so their templated objects and var reads need it.
     */
    public String newNamespace(String prefix) {
        String name = newNamespaceWithoutGrants(prefix);
        grantServiceAccountsEdit(client, name);
        return name;
    }

    /** Lets every service account of {@code namespace} do what the built-in {@code edit} role allows there. */
    public static void grantServiceAccountsEdit(KubernetesClient admin, String namespace) {
        String name = namespace;
        admin.rbac().roleBindings().inNamespace(name).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("service-accounts-edit").withNamespace(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("edit")
                .endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group")
                .withName("system:serviceaccounts:" + name).endSubject()
                .build()).create();
    }

    /** The namespaces this fixture created and has not deleted yet. */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Creates a namespace whose service accounts have no rights beyond what every authenticated user has. */
    public String newNamespaceWithoutGrants(String prefix) {
        String name = (prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36))
                .toLowerCase(Locale.ROOT);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        namespaces.add(name);
        awaitDefaultServiceAccount(client, name);
        return name;
    }

    /**
     * Waits until the service account controller has created {@code default} in {@code namespace}: until then the
     * API server refuses Pods that run as it (managed apparatus Pods do).
     */
    public static void awaitDefaultServiceAccount(KubernetesClient admin, String namespace) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                admin.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
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
                // Timestamps have a resolution of one second; within one, the order the server stored them in
                // (resourceVersion, an etcd revision) is the order the operator sent them (one writer per object).
                .sorted(Comparator.comparing((Event e) -> String.valueOf(e.getFirstTimestamp()))
                        .thenComparing(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
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
