package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON merge patch as specified by RFC 7386, the semantics the real API server gives
 * {@code application/merge-patch+json}.
 *
 * <p>The fabric8 mock merges with Jackson's "reader for updating", which keeps a {@code null}
 * member as a literal {@code null} instead of removing it; this class is what replaces it.
 */
final class MergePatch {

    private MergePatch() {
    }

    /**
     * Applies {@code patch} to {@code target} in place: members set to {@code null} are removed,
     * objects are merged recursively, every other value (arrays included) replaces the target's.
     */
    static void apply(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject()) {
                JsonNode existing = target.get(e.getKey());
                if (existing instanceof ObjectNode existingObject) {
                    apply(existingObject, value);
                } else {
                    target.set(e.getKey(), withoutNulls(value));
                }
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    /** A deep copy of {@code node} with every {@code null} object member dropped (RFC 7386 on an absent target). */
    static JsonNode withoutNulls(JsonNode node) {
        if (!node.isObject()) {
            return node.deepCopy();
        }
        ObjectNode copy = ((ObjectNode) node).objectNode();
        apply(copy, node);
        return copy;
    }

    /**
     * Removes strategic-merge-patch directives ({@code $patch}, {@code $retainKeys},
     * {@code $setElementOrder/...}, {@code $deleteFromPrimitiveList/...}) so that a strategic merge
     * patch can be applied as a plain merge patch without storing them as fields.
     */
    static void stripDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> directives = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("$")) {
                    directives.add(e.getKey());
                } else {
                    stripDirectives(e.getValue());
                }
            }
            object.remove(directives);
        } else if (node != null && node.isArray()) {
            for (JsonNode element : node) {
                stripDirectives(element);
            }
        }
    }
}
