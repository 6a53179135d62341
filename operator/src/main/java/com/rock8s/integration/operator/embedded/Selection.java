package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label and field selectors the fabric8 mock cannot evaluate, evaluated here instead.
 *
 * <p>Real API behaviour: a label selector supports equality ({@code =}, {@code ==}, {@code !=}),
 * existence ({@code key}, {@code !key}), set ({@code key in (a,b)}, {@code key notin (a,b)}) and
 * numeric ({@code key > 1}, {@code key < 1}) requirements; a field selector filters on fields such
 * as {@code involvedObject.name} for events. The mock splits selectors on every comma and silently
 * ignores requirements it cannot parse, so a set-based selector matches every object, and it only
 * knows the fields {@code metadata.name} and {@code metadata.namespace}, so any other field selector
 * matches nothing.
 *
 * <p>When a request uses only what the mock evaluates correctly, {@link #of} returns {@code null}
 * and the request goes to the mock untouched (the common, cheap path). Otherwise the offending
 * selector is removed from the query given to the mock and its result is filtered with
 * {@link #matches}. Unlike the real API, any field path is accepted (its value compared as text,
 * absent fields as the empty string) instead of only the fields each resource type declares.
 */
final class Selection {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern SET = Pattern.compile("([A-Za-z0-9._/-]+)\\s+(in|notin)\\s*\\((.*)\\)");
    private static final Pattern COMPARE = Pattern.compile("([A-Za-z0-9._/-]+)\\s*(==|!=|=)\\s*([A-Za-z0-9._-]*)");
    private static final Pattern NUMERIC = Pattern.compile("([A-Za-z0-9._/-]+)\\s*([<>])\\s*(-?[0-9]+)");
    private static final Pattern MOCK_VALUE = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Set<String> MOCK_FIELDS = Set.of("metadata.name", "metadata.namespace");

    private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS, GREATER, LESS }

    private record Requirement(String key, Op op, List<String> values) {
    }

    private final List<Requirement> labels;
    private final List<Requirement> fields;
    private final String delegatedQuery;

    private Selection(List<Requirement> labels, List<Requirement> fields, String delegatedQuery) {
        this.labels = labels;
        this.fields = fields;
        this.delegatedQuery = delegatedQuery;
    }

    /**
     * Inspects a raw query string.
     *
     * @return {@code null} when the mock evaluates the query's selectors correctly, otherwise a
     *     selection holding the selectors to evaluate here
     * @throws ApiException (400) for a selector that does not parse, as the real API answers
     */
    static Selection of(String rawQuery) {
        if (rawQuery == null || !rawQuery.contains("Selector=")) {
            return null;
        }
        List<Requirement> labels = null;
        List<Requirement> fields = null;
        StringBuilder rest = new StringBuilder();
        for (String param : rawQuery.split("&")) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            if ("labelSelector".equals(name)) {
                List<Requirement> parsed = parseLabels(value);
                if (!parsed.stream().allMatch(Selection::mockEvaluatesLabel)) {
                    labels = parsed;
                    continue;
                }
            } else if ("fieldSelector".equals(name)) {
                List<Requirement> parsed = parseFields(value);
                if (!parsed.stream().allMatch(Selection::mockEvaluatesField)) {
                    fields = parsed;
                    continue;
                }
            }
            if (rest.length() > 0) {
                rest.append('&');
            }
            rest.append(param);
        }
        if (labels == null && fields == null) {
            return null;
        }
        return new Selection(labels, fields, rest.toString());
    }

    /** The query to hand to the mock: the original minus the selectors evaluated here. */
    String delegatedQuery() {
        return delegatedQuery;
    }

    /** Whether an object (with {@code metadata.labels}) satisfies the selectors evaluated here. */
    boolean matches(JsonNode object) {
        if (labels != null) {
            JsonNode objectLabels = object.path("metadata").path("labels");
            for (Requirement r : labels) {
                JsonNode v = objectLabels.get(r.key());
                if (!test(r, v == null || v.isNull() ? null : v.asText())) {
                    return false;
                }
            }
        }
        if (fields != null) {
            for (Requirement r : fields) {
                if (!test(r, fieldValue(object, r.key()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String fieldValue(JsonNode object, String dottedPath) {
        JsonNode node = object;
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node.isValueNode() ? node.asText() : "";
    }

    private static boolean test(Requirement r, String actual) {
        return switch (r.op()) {
            case EQUALS -> actual != null && actual.equals(r.values().get(0));
            case NOT_EQUALS -> actual == null || !actual.equals(r.values().get(0));
            case IN -> actual != null && r.values().contains(actual);
            case NOT_IN -> actual == null || !r.values().contains(actual);
            case EXISTS -> actual != null;
            case NOT_EXISTS -> actual == null;
            case GREATER, LESS -> compareNumber(r, actual);
        };
    }

    private static boolean compareNumber(Requirement r, String actual) {
        if (actual == null) {
            return false;
        }
        try {
            long a = Long.parseLong(actual);
            long b = Long.parseLong(r.values().get(0));
            return r.op() == Op.GREATER ? a > b : a < b;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean mockEvaluatesLabel(Requirement r) {
        return switch (r.op()) {
            case EXISTS, NOT_EXISTS -> true;
            case EQUALS, NOT_EQUALS -> MOCK_VALUE.matcher(r.values().get(0)).matches();
            default -> false;
        };
    }

    private static boolean mockEvaluatesField(Requirement r) {
        return MOCK_FIELDS.contains(r.key()) && (r.op() == Op.EQUALS || r.op() == Op.NOT_EQUALS)
                && MOCK_VALUE.matcher(r.values().get(0)).matches();
    }

    private static List<Requirement> parseLabels(String selector) {
        List<Requirement> result = new ArrayList<>();
        for (String term : splitTopLevel(selector)) {
            String t = term.trim();
            if (t.isEmpty()) {
                continue;
            }
            Matcher m;
            if (t.startsWith("!") && KEY.matcher(t.substring(1).trim()).matches()) {
                result.add(new Requirement(t.substring(1).trim(), Op.NOT_EXISTS, List.of()));
            } else if ((m = SET.matcher(t)).matches()) {
                List<String> values = Arrays.stream(m.group(3).split(",", -1)).map(String::trim).toList();
                result.add(new Requirement(m.group(1), "in".equals(m.group(2)) ? Op.IN : Op.NOT_IN, values));
            } else if ((m = COMPARE.matcher(t)).matches()) {
                result.add(new Requirement(m.group(1), "!=".equals(m.group(2)) ? Op.NOT_EQUALS : Op.EQUALS,
                        List.of(m.group(3))));
            } else if ((m = NUMERIC.matcher(t)).matches()) {
                result.add(new Requirement(m.group(1), ">".equals(m.group(2)) ? Op.GREATER : Op.LESS,
                        List.of(m.group(3))));
            } else if (KEY.matcher(t).matches()) {
                result.add(new Requirement(t, Op.EXISTS, List.of()));
            } else {
                throw ApiException.badRequest("unable to parse requirement: \"" + t + "\" in label selector \"" + selector + "\"");
            }
        }
        return result;
    }

    private static List<Requirement> parseFields(String selector) {
        List<Requirement> result = new ArrayList<>();
        for (String term : selector.split(",")) {
            String t = term.trim();
            if (t.isEmpty()) {
                continue;
            }
            int ne = t.indexOf("!=");
            int eqeq = t.indexOf("==");
            int eq = t.indexOf('=');
            if (ne > 0) {
                result.add(new Requirement(t.substring(0, ne).trim(), Op.NOT_EQUALS, List.of(t.substring(ne + 2).trim())));
            } else if (eqeq > 0) {
                result.add(new Requirement(t.substring(0, eqeq).trim(), Op.EQUALS, List.of(t.substring(eqeq + 2).trim())));
            } else if (eq > 0) {
                result.add(new Requirement(t.substring(0, eq).trim(), Op.EQUALS, List.of(t.substring(eq + 1).trim())));
            } else {
                throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + t + "'");
            }
        }
        return result;
    }

    /** Splits on commas outside parentheses, so {@code a in (x,y),b} is two requirements. */
    private static List<String> splitTopLevel(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts;
    }
}
