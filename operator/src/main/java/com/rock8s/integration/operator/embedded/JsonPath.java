package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The subset of Kubernetes JSONPath used by CRD {@code additionalPrinterColumns}: member access
 * ({@code .a.b}, {@code ['a.b']}), array index ({@code [0]}, {@code [-1]}), wildcard
 * ({@code [*]}, {@code .*}) and filters comparing a relative path with a literal
 * ({@code [?(@.type=="Ready")]}, {@code !=}, or bare {@code [?(@.field)]} for existence).
 * Compiled once per CRD column, evaluated per row.
 */
final class JsonPath {

    private interface Step {
        void apply(JsonNode node, List<JsonNode> out);
    }

    private final List<Step> steps;

    private JsonPath(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * Compiles an expression such as {@code .status.conditions[?(@.type=="Ready")].status}.
     *
     * @throws IllegalArgumentException for syntax outside the supported subset
     */
    static JsonPath compile(String expression) {
        String e = expression.trim();
        if (e.startsWith("{") && e.endsWith("}")) {
            e = e.substring(1, e.length() - 1).trim();
        }
        if (e.startsWith("$")) {
            e = e.substring(1);
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (c == '[') {
                int close = findClose(e, i, expression);
                steps.add(bracket(e.substring(i + 1, close).trim(), expression));
                i = close + 1;
                continue;
            }
            // a member name, after a dot or at the start of a path written without one ("status.phase")
            int start = c == '.' ? i + 1 : i;
            if (start < e.length() && e.charAt(start) == '.') {
                throw new IllegalArgumentException("recursive descent is not supported: " + expression);
            }
            int end = start;
            while (end < e.length() && e.charAt(end) != '.' && e.charAt(end) != '[') {
                end++;
            }
            String name = e.substring(start, end);
            if (!name.isEmpty()) {
                steps.add("*".equals(name) ? JsonPath::wildcard : field(name));
            }
            i = end;
        }
        return new JsonPath(steps);
    }

    /** Every node the path selects, in document order. */
    List<JsonNode> evaluate(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                step.apply(node, next);
            }
            if (next.isEmpty()) {
                return next;
            }
            current = next;
        }
        return current;
    }

    private static int findClose(String e, int open, String expression) {
        char quote = 0;
        int depth = 0;
        for (int j = open; j < e.length(); j++) {
            char c = e.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return j;
            }
        }
        throw new IllegalArgumentException("unclosed '[' in " + expression);
    }

    private static Step bracket(String inner, String expression) {
        if ("*".equals(inner)) {
            return JsonPath::wildcard;
        }
        if (inner.startsWith("?(") && inner.endsWith(")")) {
            return filter(inner.substring(2, inner.length() - 1).trim(), expression);
        }
        if (isQuoted(inner)) {
            return field(inner.substring(1, inner.length() - 1));
        }
        try {
            int index = Integer.parseInt(inner);
            return (node, out) -> {
                if (node.isArray()) {
                    int at = index < 0 ? node.size() + index : index;
                    if (at >= 0 && at < node.size()) {
                        out.add(node.get(at));
                    }
                }
            };
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("unsupported subscript [" + inner + "] in " + expression, ex);
        }
    }

    private static Step filter(String condition, String expression) {
        String op = condition.contains("==") ? "==" : condition.contains("!=") ? "!=" : null;
        String left = op == null ? condition : condition.substring(0, condition.indexOf(op)).trim();
        if (!left.startsWith("@")) {
            throw new IllegalArgumentException("filter must start with @: " + expression);
        }
        JsonPath relative = compile(left.substring(1));
        String literal = op == null ? null : unquote(condition.substring(condition.indexOf(op) + 2).trim());
        boolean equals = "==".equals(op);
        return (node, out) -> {
            if (!node.isArray()) {
                return;
            }
            for (JsonNode element : node) {
                List<JsonNode> found = relative.evaluate(element);
                boolean keep;
                if (literal == null) {
                    keep = !found.isEmpty();
                } else {
                    boolean same = !found.isEmpty() && found.get(0).isValueNode() && found.get(0).asText().equals(literal);
                    keep = equals == same;
                }
                if (keep) {
                    out.add(element);
                }
            }
        };
    }

    private static boolean isQuoted(String s) {
        return s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0);
    }

    private static String unquote(String s) {
        return isQuoted(s) ? s.substring(1, s.length() - 1) : s;
    }

    private static Step field(String name) {
        return (node, out) -> {
            JsonNode child = node.get(name);
            if (child != null && !child.isMissingNode()) {
                out.add(child);
            }
        };
    }

    private static void wildcard(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                out.add(e.getValue());
            }
        }
    }
}
