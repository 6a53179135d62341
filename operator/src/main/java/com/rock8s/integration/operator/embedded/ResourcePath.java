package com.rock8s.integration.operator.embedded;

/**
 * A parsed Kubernetes resource URL path ({@code /api/v1/namespaces/ns/pods/name/status} or
 * {@code /apis/group/version/...}).
 *
 * @param group API group, empty for the core group
 * @param version API version
 * @param namespace namespace from the path, or {@code null}
 * @param plural resource plural name
 * @param name object name, or {@code null} for a collection
 * @param subresource subresource ({@code status}, {@code scale}), or {@code null}
 */
record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource) {

    /**
     * Parses a path without its query string. Returns {@code null} for anything that is not a
     * resource path, such as the discovery documents {@code /api}, {@code /api/v1} or
     * {@code /apis/group/version}.
     */
    static ResourcePath parse(String path) {
        String[] s = path.split("/", -1);
        // s[0] is the empty string before the leading slash
        int i;
        String group;
        String version;
        if (s.length >= 4 && "api".equals(s[1])) {
            group = "";
            version = s[2];
            i = 3;
        } else if (s.length >= 5 && "apis".equals(s[1])) {
            group = s[2];
            version = s[3];
            i = 4;
        } else {
            return null;
        }
        int rest = s.length - i;
        if (rest <= 0 || s[i].isEmpty()) {
            return null;
        }
        if ("namespaces".equals(s[i]) && rest >= 2 && !s[i + 1].isEmpty()) {
            String ns = s[i + 1];
            if (rest == 2) {
                return new ResourcePath(group, version, null, "namespaces", ns, null);
            }
            // a namespace's own subresources; no resource type is called "status" or "finalize"
            if (rest == 3 && ("status".equals(s[i + 2]) || "finalize".equals(s[i + 2]))) {
                return new ResourcePath(group, version, null, "namespaces", ns, s[i + 2]);
            }
            return tail(group, version, ns, s, i + 2);
        }
        return tail(group, version, null, s, i);
    }

    private static ResourcePath tail(String group, String version, String ns, String[] s, int i) {
        if (i >= s.length || s[i].isEmpty()) {
            return null;
        }
        String plural = s[i];
        String name = i + 1 < s.length && !s[i + 1].isEmpty() ? s[i + 1] : null;
        String sub = null;
        if (name != null && i + 2 < s.length) {
            sub = String.join("/", java.util.Arrays.copyOfRange(s, i + 2, s.length));
            if (sub.isEmpty()) {
                sub = null;
            }
        }
        return new ResourcePath(group, version, ns, plural, name, sub);
    }

    /** The {@code group/version} string as used in {@code apiVersion}. */
    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The plural qualified by the group, as the real API names resources in error messages. */
    String qualifiedPlural() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }

    private String prefix() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** The collection path (where objects are created) for this resource. */
    String collectionPath() {
        return prefix() + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
    }

    /** The object path without any subresource. */
    String objectPath() {
        return collectionPath() + "/" + name;
    }

    /** The full path, including the subresource if any. */
    String fullPath() {
        if (name == null) {
            return collectionPath();
        }
        return subresource == null ? objectPath() : objectPath() + "/" + subresource;
    }
}
