package com.rock8s.integration.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A var's field path. Accepts the kustomize form {@code spec.containers[0].image}, the Go operator's dotted form
 * {@code spec.containers.0.image}, and {@code \.} to escape a dot inside a key ({@code metadata.labels.app\.kubernetes\.io/name}).
 */
public final class FieldPath {
    private final List<String> segments;

    private FieldPath(List<String> segments) {
        this.segments = segments;
    }

    public static FieldPath parse(String path) {
        List<String> segments = new ArrayList<>();
        if (path == null || path.isBlank()) {
            return new FieldPath(segments);
        }
        StringBuilder current = new StringBuilder();
        String text = path.startsWith(".") ? path.substring(1) : path;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
            } else if (c == '.') {
                flush(current, segments);
            } else if (c == '[') {
                flush(current, segments);
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in field path '" + path + "'");
                }
                String index = text.substring(i + 1, close).trim();
                if (index.length() >= 2 && (index.startsWith("'") || index.startsWith("\""))) {
                    index = index.substring(1, index.length() - 1);
                }
                segments.add(index);
                i = close;
            } else {
                current.append(c);
            }
        }
        flush(current, segments);
        return new FieldPath(segments);
    }

    private static void flush(StringBuilder current, List<String> segments) {
        if (current.length() > 0) {
            segments.add(current.toString());
            current.setLength(0);
        }
    }

    /**
     * The value at this path: scalars as text, objects and arrays as JSON, and an empty string when the path does
     * not exist (as the Go operator did), so that an unfinished Job's {@code status.succeeded} reads as "".
     */
    public String read(JsonNode root) {
        JsonNode node = root;
        for (String segment : segments) {
            if (node == null || node.isMissingNode() || node.isNull()) {
                return "";
            }
            if (node.isArray()) {
                try {
                    node = node.get(Integer.parseInt(segment));
                } catch (NumberFormatException e) {
                    return "";
                }
            } else {
                node = node.get(segment);
            }
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    public List<String> segments() {
        return List.copyOf(segments);
    }
}
