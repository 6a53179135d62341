package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An in-process Kubernetes API server: fabric8's {@link KubernetesMockServer} in CRUD mode behind
 * {@link EmbeddedDispatcher}, which adds what the operator and a stock {@code kubectl} need and the
 * mock lacks (discovery, server-side apply, strategic merge patch, RFC 7386 merge patch, status
 * preconditions, Table output, set-based selectors; see the dispatcher for the list).
 *
 * <p>Serves plain HTTP on {@code 127.0.0.1} without authentication. Used as the API server of the
 * integration tests and of the operator's {@code embedded} mode, where users drive it with
 * {@code kubectl --server http://127.0.0.1:<port>}.
 *
 * <p>Not a real API server: there is no admission, schema validation or pruning, no garbage
 * collection of owned objects, no namespace deletion cascade, no pagination, and watches are
 * served over WebSocket only (fabric8 clients use WebSocket; {@code kubectl get -w} does not work).
 */
public final class EmbeddedApiServer implements AutoCloseable {

    /** Held strongly so the level set below cannot be lost to logger garbage collection. */
    private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

    static {
        // MockWebServer logs every request at INFO through java.util.logging; that costs about a third of throughput
        MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    }

    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Headers APPLY_HEADERS = Headers.builder()
            .add("Content-Type", "application/apply-patch+yaml")
            .add("User-Agent", "embedded-api-server/apply")
            .build();

    private final MockWebServer web;
    private final KubernetesMockServer server;
    private final EmbeddedDispatcher dispatcher;

    private EmbeddedApiServer(MockWebServer web, EmbeddedDispatcher dispatcher, KubernetesMockServer server) {
        this.web = web;
        this.dispatcher = dispatcher;
        this.server = server;
    }

    /**
     * Starts a server on {@code 127.0.0.1}.
     *
     * @param port the port to listen on, 0 for any free port
     * @return the running server
     */
    public static EmbeddedApiServer start(int port) {
        MockWebServer web = new MockWebServer();
        // the CRUD store is the mock's; the dispatcher drains MockWebServer's request log, which would otherwise grow forever
        EmbeddedDispatcher dispatcher = new EmbeddedDispatcher(() -> HOST + ":" + web.getPort(), () -> drain(web));
        KubernetesMockServer server = new KubernetesMockServer(new Context(), web, new HashMap<>(), dispatcher, false,
                new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion("v1.32.0").build());
        try {
            server.start(InetAddress.getByName(HOST), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmbeddedApiServer(web, dispatcher, server);
    }

    private static void drain(MockWebServer web) {
        try {
            web.takeRequest(0, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + HOST + ":" + port();
    }

    /**
     * A fabric8 client configuration for this server: plain HTTP, no credentials, namespace
     * {@code default}, nothing read from the environment or a kubeconfig.
     */
    public Config clientConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withTrustCerts(true)
                .withNamespace("default")
                .withHttp2Disable(true)
                .withConnectionTimeout(10_000)
                .withRequestTimeout(30_000)
                .build();
    }

    /** A new client for this server; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(clientConfig()).build();
    }

    /**
     * Registers a listener called synchronously for every request the server answers. Keep it
     * cheap: it runs on the server's request thread.
     */
    public void addRequestListener(Consumer<ApiRequest> listener) {
        dispatcher.addListener(listener);
    }


    /** Removes a listener added with {@link #addRequestListener}. */
    public void removeRequestListener(Consumer<ApiRequest> listener) {
        dispatcher.removeListener(listener);
    }

    /**
     * Creates (or updates) CustomResourceDefinitions through the API, so that the server serves
     * their resources with the status subresource, discovery entries and printer columns.
     *
     * @return the stored definitions
     */
    public List<CustomResourceDefinition> installCrds(Collection<CustomResourceDefinition> crds) {
        List<CustomResourceDefinition> stored = new ArrayList<>();
        for (CustomResourceDefinition crd : crds) {
            ObjectNode node;
            try {
                node = (ObjectNode) JSON.readTree(SERIALIZATION.asJson(crd));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stored.add((CustomResourceDefinition) applyObject(node, new HashSet<>()));
        }
        return stored;
    }

    /** Varargs form of {@link #installCrds(Collection)}. */
    public List<CustomResourceDefinition> installCrds(CustomResourceDefinition... crds) {
        return installCrds(Arrays.asList(crds));
    }

    /**
     * Installs every {@code META-INF/fabric8/*-v1.yml} found on the class path (where the build's
     * CRD generator writes the Plug and Socket definitions).
     *
     * @return the stored definitions, in resource-name order
     */
    public List<CustomResourceDefinition> installCrdsFromClasspath() {
        List<CustomResourceDefinition> stored = new ArrayList<>();
        Set<String> namespaces = new HashSet<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = EmbeddedApiServer.class.getClassLoader();
        }
        for (String resource : classpathCrds(loader)) {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    continue;
                }
                for (ObjectNode doc : documents(in)) {
                    if ("CustomResourceDefinition".equals(doc.path("kind").asText())) {
                        stored.add((CustomResourceDefinition) applyObject(doc, namespaces));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return stored;
    }

    private static TreeSet<String> classpathCrds(ClassLoader loader) {
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> dirs = loader.getResources("META-INF/fabric8/");
            while (dirs.hasMoreElements()) {
                URL dir = dirs.nextElement();
                if ("file".equals(dir.getProtocol())) {
                    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-v1.yml"))
                                .forEach(n -> names.add("META-INF/fabric8/" + n));
                    }
                } else if ("jar".equals(dir.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) dir.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        jar.stream().map(JarEntry::getName)
                                .filter(n -> n.startsWith("META-INF/fabric8/") && n.endsWith("-v1.yml")
                                        && n.indexOf('/', "META-INF/fabric8/".length()) < 0)
                                .forEach(names::add);
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list META-INF/fabric8 on the class path", e);
        }
        return names;
    }

    /**
     * Applies a YAML file, or every {@code *.yaml} and {@code *.yml} file of a directory in name
     * order: each document (and each item of a {@code kind: List}) is created, or merged into the
     * stored object when it exists (server-side apply semantics of this server). A namespaced
     * object without a namespace goes to {@code default}; its namespace is created when absent.
     * A Secret's {@code stringData} is stored base64-encoded in {@code data}, as the real API does.
     *
     * @param fileOrDirectory a YAML file or a directory of them
     * @return the stored objects, typed where fabric8 has a model class
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when a document names a kind this server does not serve
     */
    public List<HasMetadata> apply(Path fileOrDirectory) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(fileOrDirectory)) {
            try (Stream<Path> list = Files.list(fileOrDirectory)) {
                list.filter(p -> {
                    String n = p.getFileName().toString();
                    return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
                }).sorted().forEach(files::add);
            }
        } else {
            files.add(fileOrDirectory);
        }
        List<HasMetadata> applied = new ArrayList<>();
        Set<String> namespaces = new HashSet<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (ObjectNode doc : documents(in)) {
                    applied.add(applyObject(doc, namespaces));
                }
            }
        }
        return applied;
    }

    /**
     * Applies YAML text (one or more documents) like {@link #apply(Path)}.
     *
     * @param yaml the manifests
     * @return the stored objects
     */
    public List<HasMetadata> applyYaml(String yaml) {
        List<HasMetadata> applied = new ArrayList<>();
        Set<String> namespaces = new HashSet<>();
        try (InputStream in = new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))) {
            for (ObjectNode doc : documents(in)) {
                applied.add(applyObject(doc, namespaces));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return applied;
    }

    /** Every object in a YAML stream, with {@code kind: List} documents flattened. */
    private static List<ObjectNode> documents(InputStream in) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(in)) {
            MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc == null || !doc.isObject()) {
                    continue;
                }
                if (doc.path("kind").asText().endsWith("List") && doc.path("items").isArray()) {
                    doc.path("items").forEach(item -> {
                        if (item.isObject()) {
                            docs.add((ObjectNode) item);
                        }
                    });
                } else {
                    docs.add((ObjectNode) doc);
                }
            }
        }
        return docs;
    }

    /**
     * Applies one object, first ensuring its namespace unless {@code ensuredNamespaces} (the namespaces this batch of
     * objects already ensured) holds it, so that a batch writes each namespace once.
     */
    private HasMetadata applyObject(ObjectNode object, Set<String> ensuredNamespaces) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        String name = object.path("metadata").path("name").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("every object needs apiVersion, kind and metadata.name: " + object);
        }
        ResourceType type = dispatcher.discovery().findKind(apiVersion, kind);
        if (type == null) {
            throw new IllegalArgumentException("no resource type serves " + apiVersion + " " + kind
                    + " (is its CustomResourceDefinition installed?)");
        }
        ObjectNode metadata = object.withObjectProperty("metadata");
        String namespace = null;
        if (type.namespaced()) {
            namespace = metadata.path("namespace").asText("");
            if (namespace.isEmpty()) {
                namespace = "default";
                metadata.put("namespace", namespace);
            }
            if (ensuredNamespaces.add(namespace)) {
                ensureNamespace(namespace);
            }
        } else {
            metadata.remove("namespace");
        }
        ResourcePath path = new ResourcePath(type.group(), type.version(), namespace, type.plural(), name, null);
        return SERIALIZATION.unmarshal(send(path.objectPath(), object));
    }

    private void ensureNamespace(String namespace) {
        ObjectNode ns = JSON.createObjectNode();
        ns.put("apiVersion", "v1");
        ns.put("kind", "Namespace");
        ns.putObject("metadata").put("name", namespace);
        send("/api/v1/namespaces/" + namespace, ns);
    }

    /** Server-side applies one object in process, through the same dispatcher HTTP requests use. */
    private String send(String path, ObjectNode object) {
        MockResponse response = dispatcher.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH,
                path + "?fieldManager=embedded-apply&force=true", APPLY_HEADERS,
                new Buffer(object.toString().getBytes(StandardCharsets.UTF_8))));
        String body = response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
        if (response.code() >= 300) {
            throw new IllegalStateException("applying " + path + " failed with " + response.code() + ": " + body);
        }
        return body;
    }

    /** Stops the server and releases its port. */
    @Override
    public void close() {
        int port = port();
        server.shutdown();
        awaitPortReleased(port);
    }

    /**
     * The mock's HTTP server closes asynchronously; waiting here lets a caller (a restart, a test) bind the same port
     * as soon as {@code close()} returns. Bounded: a port still held after five seconds is left to the OS.
     */
    private static void awaitPortReleased(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return;
            } catch (IOException stillBound) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedApiServer[" + url() + "]";
    }
}
