package com.rock8s.integration.operator.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the permissions an RBAC ClusterRole or Role grants, and writes the rules that grant a set of permissions (the
 * text a failing test prints for the manifests).
 */
public final class RbacRules {
    private RbacRules() {
    }

    /**
     * Every permission the role's rules grant, each rule expanded to (group, resource, verb) triples.
     *
     * @throws IllegalArgumentException when a rule uses a wildcard, resourceNames or nonResourceURLs, which a
     *                                  least-privilege role for this operator never needs
     */
    @SuppressWarnings("unchecked")
    public static SortedSet<Permission> granted(Map<String, Object> role) {
        SortedSet<Permission> permissions = new TreeSet<>();
        Object rules = role.get("rules");
        if (rules == null) {
            return permissions;
        }
        for (Object item : (List<Object>) rules) {
            Map<String, Object> rule = (Map<String, Object>) item;
            if (rule.containsKey("resourceNames") || rule.containsKey("nonResourceURLs")) {
                throw new IllegalArgumentException("unexpected resourceNames or nonResourceURLs in " + rule);
            }
            for (String group : strings(rule, "apiGroups")) {
                for (String resource : strings(rule, "resources")) {
                    for (String verb : strings(rule, "verbs")) {
                        permissions.add(new Permission(group, resource, verb));
                    }
                }
            }
        }
        return permissions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> rule, String field) {
        List<String> values = (List<String>) rule.getOrDefault(field, List.of());
        if (values.isEmpty()) {
            throw new IllegalArgumentException("rule without " + field + ": " + rule);
        }
        for (String value : values) {
            if (value.contains("*")) {
                throw new IllegalArgumentException("wildcard '" + value + "' in " + field + " of " + rule);
            }
        }
        return values;
    }

    /**
     * The {@code rules:} block granting exactly {@code permissions}: one rule per group and set of verbs, resources
     * sharing the same verbs listed together, in the layout of deploy/kustomize/clusterrole.yaml.
     */
    public static String yaml(Set<Permission> permissions) {
        if (permissions.isEmpty()) {
            return "rules: []\n";
        }
        Map<String, Map<String, SortedSet<String>>> verbsByResource = new TreeMap<>();
        for (Permission p : permissions) {
            verbsByResource.computeIfAbsent(p.group(), g -> new TreeMap<>())
                    .computeIfAbsent(p.resource(), r -> new TreeSet<>()).add(p.verb());
        }
        StringBuilder out = new StringBuilder("rules:\n");
        verbsByResource.forEach((group, resources) -> {
            Map<SortedSet<String>, List<String>> byVerbs = new LinkedHashMap<>();
            resources.forEach((resource, verbs) -> byVerbs.computeIfAbsent(verbs, v -> new ArrayList<>()).add(resource));
            byVerbs.forEach((verbs, names) -> out.append("  - apiGroups: [")
                    .append(group.isEmpty() ? "\"\"" : group).append("]\n")
                    .append("    resources: [").append(String.join(", ", names)).append("]\n")
                    .append("    verbs: [").append(verbs.stream().collect(Collectors.joining(", "))).append("]\n"));
        });
        return out.toString();
    }
}
