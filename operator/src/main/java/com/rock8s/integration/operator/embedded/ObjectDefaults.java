package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * What the real API server does to some built-in objects on write and the mock does not.
 *
 * <ul>
 *   <li>Secret: {@code stringData} is a write-only convenience field; the server base64-encodes
 *       each entry into {@code data} (overriding a {@code data} key of the same name) and never
 *       stores {@code stringData}.</li>
 *   <li>Namespace: a new namespace gets {@code status.phase: Active} and the immutable label
 *       {@code kubernetes.io/metadata.name} set to its name.</li>
 *   <li>CustomResourceDefinition: a new CRD is accepted at once, so its status carries
 *       {@code acceptedNames}, {@code storedVersions} and the {@code NamesAccepted} and
 *       {@code Established} conditions (callers waiting for Established do not hang).</li>
 * </ul>
 */
final class ObjectDefaults {

    private ObjectDefaults() {
    }

    /** Whether a raw request body for this resource may need {@link #apply}; avoids parsing on the hot path. */
    static boolean mayApply(ResourcePath rp, boolean create, byte[] body) {
        return switch (rp.plural()) {
            case "secrets" -> rp.group().isEmpty() && contains(body, "stringData");
            case "namespaces" -> rp.group().isEmpty() && create;
            case "customresourcedefinitions" -> create && "apiextensions.k8s.io".equals(rp.group());
            default -> false;
        };
    }

    /** Applies the defaults to an object about to be stored. */
    static void apply(ResourcePath rp, ObjectNode object, boolean create) {
        if (rp.group().isEmpty() && "secrets".equals(rp.plural())) {
            secret(object);
        } else if (create && rp.group().isEmpty() && "namespaces".equals(rp.plural())) {
            namespace(object);
        } else if (create && "customresourcedefinitions".equals(rp.plural())) {
            crd(object);
        }
    }

    private static void secret(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        if (stringData == null || !stringData.isObject()) {
            return;
        }
        ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
        Iterator<Map.Entry<String, JsonNode>> it = stringData.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static void namespace(ObjectNode namespace) {
        ObjectNode metadata = namespace.withObjectProperty("metadata");
        String name = metadata.path("name").asText("");
        if (!name.isEmpty()) {
            metadata.withObjectProperty("labels").put("kubernetes.io/metadata.name", name);
        }
        ObjectNode status = namespace.withObjectProperty("status");
        if (!status.has("phase")) {
            status.put("phase", "Active");
        }
    }

    private static void crd(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        ObjectNode status = crd.putObject("status");
        status.set("acceptedNames", spec.path("names").deepCopy());
        ArrayNode stored = status.putArray("storedVersions");
        for (JsonNode v : spec.path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asText());
            }
        }
        ArrayNode conditions = status.putArray("conditions");
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        condition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found", now);
        condition(conditions, "Established", "InitialNamesAccepted", "the initial names have been accepted", now);
    }

    private static void condition(ArrayNode conditions, String type, String reason, String message, String now) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", "True");
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
