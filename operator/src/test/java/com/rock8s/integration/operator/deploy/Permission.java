package com.rock8s.integration.operator.deploy;

import java.util.Comparator;

/**
 * One RBAC permission: a verb on a resource (or {@code resource/subresource}) of an API group. The core group is the
 * empty string, as RBAC writes it.
 *
 * @param group    API group, {@code ""} for the core group
 * @param resource plural resource name, with {@code /subresource} when the request addressed one
 * @param verb     RBAC verb ({@code get}, {@code list}, {@code watch}, {@code create}, ..., {@code impersonate})
 */
public record Permission(String group, String resource, String verb) implements Comparable<Permission> {
    private static final Comparator<Permission> ORDER = Comparator.comparing(Permission::group)
            .thenComparing(Permission::resource).thenComparing(Permission::verb);

    public Permission {
        if (group == null || resource == null || resource.isEmpty() || verb == null || verb.isEmpty()) {
            throw new IllegalArgumentException("incomplete permission " + group + " " + resource + " " + verb);
        }
    }

    @Override
    public int compareTo(Permission other) {
        return ORDER.compare(this, other);
    }

    /** {@code group/resource verb}, with {@code core} for the core group, so failure messages read well. */
    @Override
    public String toString() {
        return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
    }
}
