package com.rock8s.integration.operator.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** Multi-document YAML as plain maps (for semantic comparison) or as fabric8 objects (for typed checks). */
public final class Manifests {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Manifests() {
    }

    /** Every non-empty document of {@code yaml}, in order. */
    public static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var values = YAML.readValues(parser, new TypeReference<Map<String, Object>>() { });
            while (values.hasNext()) {
                Map<String, Object> document = values.next();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML", e);
        }
        return documents;
    }

    /**
     * Every document of {@code yaml} by {@link #kindAndName}, sorted.
     *
     * @throws AssertionError when two documents have the same kind and name
     */
    public static SortedMap<String, Map<String, Object>> byKindAndName(String yaml) {
        SortedMap<String, Map<String, Object>> objects = new TreeMap<>();
        for (Map<String, Object> document : documents(yaml)) {
            if (objects.putIfAbsent(kindAndName(document), document) != null) {
                throw new AssertionError("two objects named " + kindAndName(document));
            }
        }
        return objects;
    }

    /** A document as the fabric8 model class of its kind. */
    public static <T extends HasMetadata> T typed(Map<String, Object> document, Class<T> type) {
        try {
            return Serialization.unmarshal(JSON.writeValueAsString(document), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code Kind/name} of a document. */
    public static String kindAndName(Map<String, Object> document) {
        return document.get("kind") + "/" + name(document);
    }

    @SuppressWarnings("unchecked")
    public static String name(Map<String, Object> document) {
        Object metadata = document.get("metadata");
        return metadata instanceof Map<?, ?> m ? Objects.toString(((Map<String, Object>) m).get("name"), null) : null;
    }

    /** The value at a dotted path of nested maps, or null. */
    @SuppressWarnings("unchecked")
    public static Object at(Map<String, Object> document, String dottedPath) {
        Object current = document;
        for (String key : dottedPath.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }
}
