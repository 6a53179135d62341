package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.operator.embedded.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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

    public TestCluster() {
        this(new OperatorSettings(10, Duration.ofMinutes(10), true, Duration.ofSeconds(20), "test-operator"));
    }

    public TestCluster(OperatorSettings settings) {
        this.settings = settings;
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
        startOperator();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopOperator();
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
        operator = new OperatorRuntime(operatorClient, settings).start();
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
