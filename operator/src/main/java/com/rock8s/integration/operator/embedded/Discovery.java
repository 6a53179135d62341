package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API discovery: {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>} and
 * {@code /apis/<group>/<version>}, answered the way the real API server answers them
 * (APIVersions, APIGroupList, APIGroup and APIResourceList objects), for a fixed set of built-in
 * types plus every CustomResourceDefinition stored in the server.
 *
 * <p>The fabric8 mock matches {@code /api/v1} and {@code /apis/<group>/<version>} as resource
 * collections and answers with lists of objects, which breaks kubectl and any client that resolves
 * kinds through discovery. The model is rebuilt lazily, only after a CRD was written, and the
 * serialized documents are memoized, so discovery costs a map lookup on the common path.
 */
final class Discovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");
    private static final List<String> STATUS = List.of("status");
    private static final List<String> ALL = List.of("all");
    private static final List<String> NONE = List.of();

    /** Built-in types served without a CRD, in the group order the real server reports. */
    static final List<ResourceType> BUILTIN = List.of(
            ResourceType.builtin("", "v1", "namespaces", "Namespace", false, List.of("ns"), NONE, STATUS),
            ResourceType.builtin("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), NONE, NONE),
            ResourceType.builtin("", "v1", "secrets", "Secret", true, NONE, NONE, NONE),
            ResourceType.builtin("", "v1", "events", "Event", true, List.of("ev"), NONE, NONE),
            ResourceType.builtin("", "v1", "pods", "Pod", true, List.of("po"), ALL, STATUS),
            ResourceType.builtin("", "v1", "services", "Service", true, List.of("svc"), ALL, STATUS),
            ResourceType.builtin("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), NONE, NONE),
            ResourceType.builtin("", "v1", "endpoints", "Endpoints", true, List.of("ep"), NONE, NONE),
            ResourceType.builtin("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), ALL,
                    List.of("status", "scale")),
            ResourceType.builtin("apps", "v1", "statefulsets", "StatefulSet", true, List.of("sts"), ALL,
                    List.of("status", "scale")),
            ResourceType.builtin("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), ALL, STATUS),
            ResourceType.builtin("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), ALL,
                    List.of("status", "scale")),
            ResourceType.builtin("events.k8s.io", "v1", "events", "Event", true, List.of("ev"), NONE, NONE),
            ResourceType.builtin("batch", "v1", "jobs", "Job", true, NONE, ALL, STATUS),
            ResourceType.builtin("batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), ALL, STATUS),
            ResourceType.builtin("networking.k8s.io", "v1", "ingresses", "Ingress", true, List.of("ing"), NONE, STATUS),
            ResourceType.builtin("rbac.authorization.k8s.io", "v1", "roles", "Role", true, NONE, NONE, NONE),
            ResourceType.builtin("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, NONE, NONE, NONE),
            ResourceType.builtin("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, NONE, NONE, NONE),
            ResourceType.builtin("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false,
                    NONE, NONE, NONE),
            ResourceType.builtin("coordination.k8s.io", "v1", "leases", "Lease", true, NONE, NONE, NONE),
            ResourceType.builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
                    false, List.of("crd", "crds"), NONE, STATUS));

    private final Supplier<String> storedCrds;
    private final Supplier<String> serverAddress;
    private final AtomicLong crdWrites = new AtomicLong();
    private volatile Model model;

    /**
     * @param storedCrds answers the JSON list of the CustomResourceDefinitions currently stored
     * @param serverAddress answers {@code host:port} for {@code serverAddressByClientCIDRs}
     */
    Discovery(Supplier<String> storedCrds, Supplier<String> serverAddress) {
        this.storedCrds = storedCrds;
        this.serverAddress = serverAddress;
    }

    /** Marks the model stale; called after every write to a CustomResourceDefinition. */
    void invalidate() {
        crdWrites.incrementAndGet();
    }

    /**
     * The discovery document for a path, or the empty string when the path names no group/version (remembered like a
     * document: the cache cannot hold nulls).
     */
    String document(String path) {
        Model m = model();
        return m.docs.computeIfAbsent(path, p -> Objects.requireNonNullElse(m.render(p, serverAddress.get()), ""));
    }

    /** The type served at group/version/plural, or {@code null}. */
    ResourceType find(String group, String version, String plural) {
        return model().byPlural.get(group + "/" + version + "/" + plural);
    }

    /** The type of objects with this apiVersion and kind, or {@code null}. */
    ResourceType findKind(String apiVersion, String kind) {
        return model().byKind.get(apiVersion + "/" + kind);
    }

    /** Every type served, built-in first. */
    List<ResourceType> all() {
        return model().types;
    }

    private Model model() {
        long writes = crdWrites.get();
        Model m = model;
        if (m == null || m.writes != writes) {
            m = new Model(writes, crdTypes());
            model = m;
        }
        return m;
    }

    private List<ResourceType> crdTypes() {
        JsonNode list;
        try {
            list = JSON.readTree(storedCrds.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ResourceType> types = new ArrayList<>();
        for (JsonNode crd : list.path("items")) {
            types.addAll(fromCrd(crd));
        }
        return types;
    }

    /** The resource types one CRD serves, one per served version. */
    static List<ResourceType> fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asText();
        String plural = names.path("plural").asText();
        String kind = names.path("kind").asText();
        if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) {
            return List.of();
        }
        String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
        List<String> shortNames = texts(names.path("shortNames"));
        List<String> categories = texts(names.path("categories"));
        List<ResourceType> types = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(true)) {
                continue;
            }
            List<String> subresources = new ArrayList<>();
            if (v.path("subresources").has("status")) {
                subresources.add("status");
            }
            if (v.path("subresources").has("scale")) {
                subresources.add("scale");
            }
            List<ResourceType.PrinterColumn> columns = new ArrayList<>();
            for (JsonNode c : v.path("additionalPrinterColumns")) {
                JsonPath path;
                try {
                    path = JsonPath.compile(c.path("jsonPath").asText());
                } catch (IllegalArgumentException e) {
                    path = null;
                }
                columns.add(new ResourceType.PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
                        c.path("format").asText(""), c.path("description").asText(""), c.path("priority").asInt(0), path));
            }
            types.add(new ResourceType(group, v.path("name").asText(), plural, singular, kind, namespaced, shortNames,
                    categories, subresources, columns));
        }
        return types;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Orders versions as Kubernetes does: GA before beta before alpha, higher numbers first. */
    static final Comparator<String> VERSION_PRIORITY = new Comparator<>() {
        private final Pattern kube = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

        @Override
        public int compare(String a, String b) {
            Matcher ma = kube.matcher(a);
            Matcher mb = kube.matcher(b);
            boolean ka = ma.matches();
            boolean kb = mb.matches();
            if (ka != kb) {
                return ka ? -1 : 1;
            }
            if (!ka) {
                return a.compareTo(b);
            }
            int stage = Integer.compare(stage(mb.group(2)), stage(ma.group(2)));
            if (stage != 0) {
                return stage;
            }
            int major = Integer.compare(Integer.parseInt(mb.group(1)), Integer.parseInt(ma.group(1)));
            if (major != 0) {
                return major;
            }
            return Integer.compare(minor(mb.group(3)), minor(ma.group(3)));
        }

        private int stage(String s) {
            return s == null ? 2 : "beta".equals(s) ? 1 : 0;
        }

        private int minor(String s) {
            return s == null ? 0 : Integer.parseInt(s);
        }
    };

    /** An immutable snapshot of the served types, with memoized documents. */
    private static final class Model {
        final long writes;
        final List<ResourceType> types = new ArrayList<>();
        final Map<String, ResourceType> byPlural = new HashMap<>();
        final Map<String, ResourceType> byKind = new HashMap<>();
        /** group -> version (priority order) -> types. */
        final Map<String, Map<String, List<ResourceType>>> groups = new LinkedHashMap<>();
        final Map<String, String> docs = new ConcurrentHashMap<>();

        Model(long writes, List<ResourceType> crdTypes) {
            this.writes = writes;
            types.addAll(BUILTIN);
            List<ResourceType> sortedCrds = new ArrayList<>(crdTypes);
            sortedCrds.sort(Comparator.comparing(ResourceType::group));
            types.addAll(sortedCrds);
            Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
            for (ResourceType t : types) {
                byPlural.putIfAbsent(t.group() + "/" + t.version() + "/" + t.plural(), t);
                byKind.putIfAbsent(t.apiVersion() + "/" + t.kind(), t);
                List<String> versions = versionsByGroup.computeIfAbsent(t.group(), g -> new ArrayList<>());
                if (!versions.contains(t.version())) {
                    versions.add(t.version());
                }
            }
            versionsByGroup.forEach((group, versions) -> {
                versions.sort(VERSION_PRIORITY);
                Map<String, List<ResourceType>> byVersion = new LinkedHashMap<>();
                versions.forEach(v -> byVersion.put(v, new ArrayList<>()));
                groups.put(group, byVersion);
            });
            for (ResourceType t : types) {
                groups.get(t.group()).get(t.version()).add(t);
            }
        }

        /** Renders one discovery document, or {@code null} when the path names nothing served. */
        String render(String path, String address) {
            if ("/api".equals(path)) {
                ObjectNode doc = JSON.createObjectNode();
                doc.put("kind", "APIVersions");
                doc.putArray("versions").add("v1");
                ObjectNode cidr = doc.putArray("serverAddressByClientCIDRs").addObject();
                cidr.put("clientCIDR", "0.0.0.0/0");
                cidr.put("serverAddress", address);
                return doc.toString();
            }
            if ("/api/v1".equals(path)) {
                return resourceList("", "v1");
            }
            if ("/apis".equals(path)) {
                ObjectNode doc = JSON.createObjectNode();
                doc.put("kind", "APIGroupList");
                doc.put("apiVersion", "v1");
                ArrayNode list = doc.putArray("groups");
                groups.keySet().stream().filter(g -> !g.isEmpty()).forEach(g -> list.add(group(g)));
                return doc.toString();
            }
            if (path.startsWith("/apis/")) {
                String[] parts = path.substring("/apis/".length()).split("/");
                if (parts.length == 1 && groups.containsKey(parts[0]) && !parts[0].isEmpty()) {
                    ObjectNode doc = group(parts[0]);
                    doc.put("kind", "APIGroup");
                    doc.put("apiVersion", "v1");
                    return doc.toString();
                }
                if (parts.length == 2 && !parts[0].isEmpty()) {
                    return resourceList(parts[0], parts[1]);
                }
            }
            return null;
        }

        private ObjectNode group(String name) {
            ObjectNode g = JSON.createObjectNode();
            g.put("name", name);
            ArrayNode versions = g.putArray("versions");
            for (String v : groups.get(name).keySet()) {
                ObjectNode gv = versions.addObject();
                gv.put("groupVersion", name + "/" + v);
                gv.put("version", v);
            }
            String preferred = groups.get(name).keySet().iterator().next();
            ObjectNode p = g.putObject("preferredVersion");
            p.put("groupVersion", name + "/" + preferred);
            p.put("version", preferred);
            return g;
        }

        private String resourceList(String group, String version) {
            Map<String, List<ResourceType>> versions = groups.get(group);
            if (versions == null || !versions.containsKey(version)) {
                return null;
            }
            ObjectNode doc = JSON.createObjectNode();
            doc.put("kind", "APIResourceList");
            doc.put("apiVersion", "v1");
            doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
            ArrayNode resources = doc.putArray("resources");
            for (ResourceType t : versions.get(version)) {
                ObjectNode r = resources.addObject();
                r.put("name", t.plural());
                r.put("singularName", t.singular());
                r.put("namespaced", t.namespaced());
                r.put("kind", t.kind());
                VERBS.forEach(r.putArray("verbs")::add);
                if (!t.shortNames().isEmpty()) {
                    t.shortNames().forEach(r.putArray("shortNames")::add);
                }
                if (!t.categories().isEmpty()) {
                    t.categories().forEach(r.putArray("categories")::add);
                }
                for (String sub : t.subresources()) {
                    ObjectNode s = resources.addObject();
                    s.put("name", t.plural() + "/" + sub);
                    s.put("singularName", "");
                    s.put("namespaced", t.namespaced());
                    if ("scale".equals(sub)) {
                        s.put("group", "autoscaling");
                        s.put("version", "v1");
                        s.put("kind", "Scale");
                    } else {
                        s.put("kind", t.kind());
                    }
                    SUBRESOURCE_VERBS.forEach(s.putArray("verbs")::add);
                }
            }
            return doc.toString();
        }
    }
}
