package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request router of the embedded API: fabric8's CRUD dispatcher does the storage, this class
 * answers what it gets wrong or lacks and hands everything else through untouched.
 *
 * <p>Shims, each documented where it lives:
 * <ul>
 *   <li>discovery, {@code /version}, health and OpenAPI paths ({@link Discovery});</li>
 *   <li>server-side apply, strategic merge patch, RFC 7386 merge patch ({@link #mergeWrite});</li>
 *   <li>optimistic concurrency on {@code /status} writes ({@link #checkStatusVersion});</li>
 *   <li>Table output ({@link TableConverter});</li>
 *   <li>set-based label selectors and non-metadata field selectors ({@link Selection});</li>
 *   <li>Secret, Namespace and CRD write defaults ({@link ObjectDefaults});</li>
 *   <li>error bodies: 404s carry a NotFound {@code Status} and 409s carry reason {@code Conflict} or
 *       {@code AlreadyExists}, which is how clients tell these errors apart;</li>
 *   <li>{@code dryRun} is refused (400) rather than silently persisted, and plain-HTTP watches are
 *       refused (400) because the mock streams watch events over WebSocket only.</li>
 * </ul>
 *
 * <p>All writes are serialized by one lock. The mock already serializes writes under its own lock,
 * so this costs no throughput, and it makes the read-modify-write shims (patches, apply, status
 * preconditions) atomic. Reads take no lock here.
 */
final class EmbeddedDispatcher extends Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final Headers JSON_HEADERS = Headers.builder().add("Content-Type", "application/json").build();
    private static final String VERSION = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\","
            + "\"gitCommit\":\"embedded\",\"gitTreeState\":\"clean\",\"buildDate\":\"2024-12-11T00:00:00Z\","
            + "\"goVersion\":\"go1.23.3\",\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";

    private final KubernetesCrudDispatcher crud = new IndexedCrudDispatcher();
    private final Discovery discovery;
    private final ReentrantLock writes = new ReentrantLock();
    private final List<Consumer<ApiRequest>> listeners = new CopyOnWriteArrayList<>();
    private final Runnable beforeEach;

    /**
     * @param serverAddress {@code host:port} clients reach the server at
     * @param beforeEach run at the start of every request (the server drains its request log)
     */
    EmbeddedDispatcher(Supplier<String> serverAddress, Runnable beforeEach) {
        this.discovery = new Discovery(() -> text(crud.handleGet(CRD_PATH)), serverAddress);
        this.beforeEach = beforeEach;
    }

    Discovery discovery() {
        return discovery;
    }

    void addListener(Consumer<ApiRequest> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<ApiRequest> listener) {
        listeners.remove(listener);
    }


    @Override
    public MockResponse dispatch(RecordedRequest request) {
        beforeEach.run();
        String raw = request.getPath();
        int q = raw.indexOf('?');
        String path = q < 0 ? raw : raw.substring(0, q);
        String query = q < 0 ? "" : raw.substring(q + 1);
        HttpMethod method = request.method();
        MockResponse response;
        try {
            response = route(request, method, path, query);
        } catch (ApiException e) {
            response = e.toResponse();
        } catch (RuntimeException e) {
            LOG.warn("embedded API server failed on {} {}", method, raw, e);
            response = new ApiException(500, "InternalError", String.valueOf(e.getMessage()), null, null).toResponse();
        }
        if (response.getWebSocketListener() == null && response.getBody() != null && response.getBody().size() > 0
                && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        if (!listeners.isEmpty()) {
            notifyListeners(request, method, path, query, response.code());
        }
        return response;
    }

    private MockResponse route(RecordedRequest request, HttpMethod method, String path, String query) {
        if (method == null) {
            throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                    null, null);
        }
        ResourcePath rp = ResourcePath.parse(path);
        if (rp == null) {
            if (method != HttpMethod.GET) {
                throw ApiException.notFoundPath();
            }
            return nonResource(path);
        }
        return switch (method) {
            case GET -> read(request, rp, path, query);
            case POST -> create(request, rp, path, query);
            case PUT -> replace(request, rp, path, query);
            case PATCH -> patch(request, rp, query);
            case DELETE -> delete(request, rp, path, query);
            default -> throw new ApiException(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource", rp, rp.name());
        };
    }

    // ---------------------------------------------------------------- non-resource paths

    private MockResponse nonResource(String rawPath) {
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        switch (path) {
            case "/version":
                return ok(VERSION);
            case "/healthz", "/livez", "/readyz":
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody("ok");
            case "/", "":
                return ok(rootPaths());
            default:
                break;
        }
        if ("/api".equals(path) || path.startsWith("/api/") || "/apis".equals(path) || path.startsWith("/apis/")) {
            String doc = discovery.document(path);
            if (!doc.isEmpty()) {
                return ok(doc);
            }
        }
        // /openapi/v2 and /openapi/v3 included: kubectl copes without OpenAPI when --validate=false
        throw ApiException.notFoundPath();
    }

    private String rootPaths() {
        ArrayNode paths = JSON.createArrayNode();
        List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version").forEach(paths::add);
        discovery.all().stream().filter(t -> !t.group().isEmpty()).map(t -> "/apis/" + t.group()).distinct()
                .forEach(g -> paths.add(g));
        discovery.all().stream().filter(t -> !t.group().isEmpty()).map(t -> "/apis/" + t.apiVersion()).distinct()
                .forEach(g -> paths.add(g));
        ObjectNode root = JSON.createObjectNode();
        root.set("paths", paths);
        return root.toString();
    }

    // ---------------------------------------------------------------- reads and watches

    private MockResponse read(RecordedRequest request, ResourcePath rp, String path, String query) {
        Selection selection = Selection.of(query);
        String delegated = selection == null ? request.getPath() : withQuery(path, selection.delegatedQuery());
        if (isWatch(query)) {
            if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                throw ApiException.badRequest("the embedded API server serves watches over WebSocket only "
                        + "(kubectl get --watch and kubectl wait are not supported)");
            }
            MockResponse watch = crud.handleGet(delegated);
            if (selection != null && watch.getWebSocketListener() != null) {
                return new MockResponse().withWebSocketUpgrade(
                        new FilteringWatchListener(watch.getWebSocketListener(), selection));
            }
            return watch;
        }
        MockResponse response = crud.handleGet(delegated);
        if (response.code() == 404) {
            throw ApiException.notFound(rp);
        }
        boolean table = TableConverter.wantsTable(request.getHeader("Accept"));
        if (selection == null && !table) {
            return response;
        }
        JsonNode body = parse(bytes(response));
        if (selection != null && rp.name() == null) {
            body = filter(body, selection);
        }
        if (table) {
            ResourceType type = discovery.find(rp.group(), rp.version(), rp.plural());
            return ok(TableConverter.convert(body, type, queryParam(query, "includeObject"), Instant.now()));
        }
        return ok(body.toString());
    }

    private static JsonNode filter(JsonNode list, Selection selection) {
        if (!(list instanceof ObjectNode listObject) || !list.path("items").isArray()) {
            return list;
        }
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode item : list.path("items")) {
            if (selection.matches(item)) {
                kept.add(item);
            }
        }
        listObject.set("items", kept);
        return listObject;
    }

    // ---------------------------------------------------------------- writes

    private MockResponse create(RecordedRequest request, ResourcePath rp, String path, String query) {
        byte[] body = writeBody(request, rp, query, true);
        MockResponse response;
        writes.lock();
        try {
            response = crud.handleCreate(copy(request, HttpMethod.POST, path, body));
        } finally {
            writes.unlock();
        }
        if (response.code() == 409) {
            throw ApiException.alreadyExists(rp, parse(body).path("metadata").path("name").asText());
        }
        afterWrite(rp);
        return response;
    }

    private MockResponse replace(RecordedRequest request, ResourcePath rp, String path, String query) {
        byte[] body = writeBody(request, rp, query, false);
        MockResponse response;
        writes.lock();
        try {
            if (rp.isStatus()) {
                checkStatusVersion(rp, parse(body));
            }
            response = crud.handleUpdate(copy(request, HttpMethod.PUT, path, body));
        } finally {
            writes.unlock();
        }
        return afterUpdate(rp, response);
    }

    private MockResponse patch(RecordedRequest request, ResourcePath rp, String query) {
        rejectDryRun(query);
        if (rp.name() == null) {
            throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                    rp, null);
        }
        String contentType = mediaType(request.getHeader("Content-Type"));
        byte[] body = request.getBody().getBytes();
        return switch (contentType) {
            case "application/apply-patch+yaml" -> mergeWrite(rp, body, true, false);
            case "application/merge-patch+json" -> mergeWrite(rp, body, false, false);
            case "application/strategic-merge-patch+json" -> mergeWrite(rp, body, false, true);
            case "application/json-patch+json" -> jsonPatch(rp, body);
            default -> throw ApiException.unsupportedMediaType(contentType, "application/json-patch+json, "
                    + "application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
        };
    }

    /**
     * JSON patch (RFC 6902), applied to the stored object and then written through the same update path as the merge
     * patches, so that the write-time defaults (Secret {@code stringData} folded into {@code data}) and the
     * {@code /status} rules hold for it too. A failing operation answers 422, as the real API does.
     */
    private MockResponse jsonPatch(ResourcePath rp, byte[] body) {
        JsonNode patch = parse(body);
        if (!patch.isArray()) {
            throw ApiException.badRequest("a JSON patch must be an array of operations");
        }
        writes.lock();
        try {
            ObjectNode stored = stored(rp);
            JsonNode patched;
            try {
                patched = io.fabric8.zjsonpatch.JsonPatch.apply(patch, stored);
            } catch (RuntimeException e) {
                throw new ApiException(422, "Invalid", "the JSON patch could not be applied: " + e.getMessage(), rp,
                        rp.name());
            }
            if (!(patched instanceof ObjectNode merged)) {
                throw ApiException.badRequest("the patched object is not a JSON object");
            }
            return writeMerged(rp, resourceVersion(stored), merged);
        } finally {
            writes.unlock();
        }
    }

    /**
     * Merge patch, strategic merge patch and server-side apply, all as "merge into the stored
     * object, then update it" so that the mock's update path does the metadata bookkeeping
     * (uid, creationTimestamp kept; resourceVersion bumped on change; generation bumped only when
     * something outside metadata and status changed; status kept on main-resource writes and spec
     * kept on {@code /status} writes when the CRD has a status subresource).
     *
     * <p>Real API behaviour and what this shim does instead:
     * <ul>
     *   <li>{@code application/merge-patch+json}: RFC 7386, faithfully ({@link MergePatch}).</li>
     *   <li>{@code application/strategic-merge-patch+json}: the real API merges lists of objects by
     *       their merge key (containers by {@code name}, ...) and honours {@code $patch} directives;
     *       here it is a JSON merge patch, lists replaced wholesale and directives dropped.</li>
     *   <li>{@code application/apply-patch+yaml} (server-side apply): the real API tracks which
     *       field manager owns each field, merges lists by their list type/keys, removes fields a
     *       manager stops applying and reports conflicts between managers. Here the applied
     *       configuration (YAML or JSON) creates the object when absent (201) and is otherwise
     *       merged into it, maps recursively and lists wholesale (200): fields dropped from an
     *       applied configuration are NOT removed, there are no manager conflicts, {@code force}
     *       is accepted and ignored, and {@code fieldManager} is not recorded in
     *       {@code managedFields}.</li>
     * </ul>
     * In every case a {@code metadata.resourceVersion} in the body is a precondition: a stale one
     * answers 409 Conflict, as the real API does.
     */
    private MockResponse mergeWrite(ResourcePath rp, byte[] body, boolean apply, boolean strategic) {
        JsonNode patch = apply ? parseApply(body) : parse(body);
        if (!(patch instanceof ObjectNode patchObject)) {
            throw ApiException.badRequest("the patch must be a JSON object");
        }
        if (strategic) {
            MergePatch.stripDirectives(patchObject);
        }
        if (apply && patchObject.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        writes.lock();
        try {
            MockResponse current = crud.handleGet(rp.objectPath());
            if (current.code() == 404) {
                if (!apply || rp.subresource() != null) {
                    throw ApiException.notFound(rp);
                }
                return applyCreate(rp, patchObject);
            }
            // the parsed copy is this request's own: merge into it in place
            ObjectNode merged = (ObjectNode) parse(bytes(current));
            String storedVersion = resourceVersion(merged);
            MergePatch.apply(merged, patchObject);
            return writeMerged(rp, storedVersion, merged);
        } finally {
            writes.unlock();
        }
    }

    private ObjectNode stored(ResourcePath rp) {
        MockResponse current = crud.handleGet(rp.objectPath());
        if (current.code() == 404) {
            throw ApiException.notFound(rp);
        }
        return (ObjectNode) parse(bytes(current));
    }

    /**
     * Writes a patched copy of the stored object as an update. A {@code metadata.resourceVersion} the patch set is a
     * precondition (409 when it is not {@code storedVersion}); otherwise the patch applies to whatever is stored. Must
     * run under the write lock.
     */
    private MockResponse writeMerged(ResourcePath rp, String storedVersion, ObjectNode merged) {
        String expected = resourceVersion(merged);
        if (!expected.isEmpty() && !expected.equals(storedVersion)) {
            throw ApiException.conflict(rp, rp.name());
        }
        merged.withObjectProperty("metadata").put("resourceVersion", storedVersion);
        ObjectDefaults.apply(rp, merged, false);
        byte[] mergedBytes = merged.toString().getBytes(StandardCharsets.UTF_8);
        MockResponse response = crud.handleUpdate(
                new RecordedRequest("HTTP/1.1", HttpMethod.PUT, rp.fullPath(), JSON_HEADERS, new Buffer(mergedBytes)));
        if (response.code() == 200 && (response.getBody() == null || response.getBody().size() == 0)) {
            // the update removed the last finalizer of a deleted object: the real API answers the final state
            response.setBody(new Buffer(mergedBytes));
        }
        return afterUpdate(rp, response);
    }

    private MockResponse applyCreate(ResourcePath rp, ObjectNode applied) {
        ObjectNode object = (ObjectNode) MergePatch.withoutNulls(applied);
        if (object.path("apiVersion").asText("").isEmpty() || object.path("kind").asText("").isEmpty()) {
            throw ApiException.badRequest("apiVersion and kind must be set in an applied configuration");
        }
        ObjectNode metadata = object.withObjectProperty("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            metadata.put("name", rp.name());
        } else if (!name.equals(rp.name())) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + rp.name() + ")");
        }
        if (rp.namespace() != null) {
            String ns = metadata.path("namespace").asText("");
            if (ns.isEmpty()) {
                metadata.put("namespace", rp.namespace());
            } else if (!ns.equals(rp.namespace())) {
                throw ApiException.badRequest("the namespace of the object (" + ns
                        + ") does not match the namespace on the URL (" + rp.namespace() + ")");
            }
        }
        metadata.remove(List.of("resourceVersion", "uid", "creationTimestamp", "generation"));
        ObjectDefaults.apply(rp, object, true);
        MockResponse response = crud.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, rp.collectionPath(),
                JSON_HEADERS, new Buffer(object.toString().getBytes(StandardCharsets.UTF_8))));
        if (response.code() == 409) {
            throw ApiException.alreadyExists(rp, rp.name());
        }
        afterWrite(rp);
        return response;
    }

    /**
     * Optimistic concurrency on {@code /status}. Real API behaviour: an update of the status
     * subresource carrying {@code metadata.resourceVersion} fails with 409 Conflict when that
     * version is not the stored one. The mock's update handler copies only {@code status} from the
     * body and so never sees the stale version. Must run under the write lock.
     */
    private void checkStatusVersion(ResourcePath rp, JsonNode body) {
        String expected = resourceVersion(body);
        if (!expected.isEmpty() && !expected.equals(resourceVersion(stored(rp)))) {
            throw ApiException.conflict(rp, rp.name());
        }
    }

    private MockResponse delete(RecordedRequest request, ResourcePath rp, String path, String query) {
        rejectDryRun(query);
        Selection selection = rp.name() == null ? Selection.of(query) : null;
        MockResponse response;
        writes.lock();
        try {
            if (selection != null) {
                // the mock would ignore the selector and delete the whole collection
                JsonNode matching = filter(parse(bytes(crud.handleGet(withQuery(path, selection.delegatedQuery())))),
                        selection);
                for (JsonNode item : matching.path("items")) {
                    String ns = item.path("metadata").path("namespace").asText(null);
                    crud.handleDelete(new ResourcePath(rp.group(), rp.version(), ns == null ? rp.namespace() : ns,
                            rp.plural(), item.path("metadata").path("name").asText(), null).objectPath());
                }
                response = ok(matching.toString());
            } else {
                response = crud.handleDelete(request.getPath());
            }
        } finally {
            writes.unlock();
        }
        if (rp.name() != null && response.code() == 404) {
            throw ApiException.notFound(rp);
        }
        afterWrite(rp);
        return response;
    }

    private MockResponse afterUpdate(ResourcePath rp, MockResponse response) {
        if (response.code() == 404) {
            throw ApiException.notFound(rp);
        }
        if (response.code() == 409) {
            throw ApiException.conflict(rp, rp.name());
        }
        afterWrite(rp);
        return response;
    }

    private void afterWrite(ResourcePath rp) {
        if ("customresourcedefinitions".equals(rp.plural()) && "apiextensions.k8s.io".equals(rp.group())) {
            discovery.invalidate();
        }
    }

    /**
     * The body of a POST or PUT, checked (no {@code dryRun}, JSON or YAML) and with the write-time defaults applied;
     * parsed and re-serialized only when {@link ObjectDefaults#mayApply} says a default may be needed.
     */
    private static byte[] writeBody(RecordedRequest request, ResourcePath rp, String query, boolean create) {
        rejectDryRun(query);
        requireJson(request);
        byte[] body = request.getBody().getBytes();
        if (!ObjectDefaults.mayApply(rp, create, body) || !(parse(body) instanceof ObjectNode object)) {
            return body;
        }
        ObjectDefaults.apply(rp, object, create);
        return object.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The mock reads bodies as JSON or YAML only. The real API also accepts protobuf, which
     * kubectl's typed clients send ({@code kubectl create configmap|secret|namespace ...});
     * those get a clear 415 instead of a YAML parser error.
     */
    private static void requireJson(RecordedRequest request) {
        String type = mediaType(request.getHeader("Content-Type"));
        if (!type.isEmpty() && !type.equals("application/json") && !type.equals("application/yaml")) {
            throw ApiException.unsupportedMediaType(type, "application/json, application/yaml");
        }
    }

    private static void rejectDryRun(String query) {
        if (query.contains("dryRun=")) {
            throw ApiException.badRequest("dryRun is not supported by the embedded API server");
        }
    }

    // ---------------------------------------------------------------- helpers

    private void notifyListeners(RecordedRequest request, HttpMethod method, String path, String query, int status) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().toMultimap().forEach((k, v) -> headers.put(k, String.join(",", v)));
        ApiRequest event = new ApiRequest(method == null ? "UNKNOWN" : method.name(), path, query,
                headers.get("content-type"), Collections.unmodifiableMap(headers), headers.get("user-agent"),
                headers.get("impersonate-user"), status);
        for (Consumer<ApiRequest> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("request listener failed", e);
            }
        }
    }

    private static RecordedRequest copy(RecordedRequest request, HttpMethod method, String path, byte[] body) {
        return new RecordedRequest(request.getHttpVersion(), method, path, request.getHeaders(), new Buffer(body));
    }

    private static boolean isWatch(String query) {
        return query.contains("watch=true");
    }

    private static String withQuery(String path, String query) {
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static String queryParam(String query, String name) {
        for (String param : query.split("&")) {
            if (param.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(param.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static MockResponse ok(String json) {
        return new MockResponse().setResponseCode(200).setBody(json);
    }

    private static byte[] bytes(MockResponse response) {
        return response.getBody() == null ? new byte[0] : response.getBody().getBytes();
    }

    private static String text(MockResponse response) {
        return new String(bytes(response), StandardCharsets.UTF_8);
    }

    private static String resourceVersion(JsonNode object) {
        return object.path("metadata").path("resourceVersion").asText("");
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getMessage());
        }
    }

    /** Server-side apply bodies may be YAML; JSON, being YAML too, takes the faster parser. */
    private static JsonNode parseApply(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i < body.length && body[i] == '{') {
            return parse(body);
        }
        try {
            return YAML.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the applied configuration is not valid YAML: " + e.getMessage());
        }
    }
}
