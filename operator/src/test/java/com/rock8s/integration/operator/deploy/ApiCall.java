package com.rock8s.integration.operator.deploy;

import com.rock8s.integration.operator.testing.RequestRecorder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request to the Kubernetes API reduced to what RBAC authorises: the permission it needs, the namespace it was made
 * in, and the impersonation permissions its headers need. Requests for non-resource URLs ({@code /version},
 * {@code /apis}) carry no resource permission; {@link #nonResourcePath()} names them instead.
 *
 * @param method          HTTP method
 * @param path            request path
 * @param permission      the resource permission the request needs, empty for a non-resource URL
 * @param namespace       the namespace in the path, empty for cluster-wide requests
 * @param impersonatedAs  the user the request acts as, empty when it acts as the caller itself
 * @param impersonation   the {@code impersonate} permissions the caller needs for the request's headers
 */
public record ApiCall(String method, String path, Optional<Permission> permission, Optional<String> namespace,
                      Optional<String> impersonatedAs, Set<Permission> impersonation) {
    /** As the API server's request-info parser: these follow a namespace's name rather than start a resource. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /**
     * Maps a request recorded on the client the way the API server's authorizer would see it. The recorder keeps only
     * the {@code Impersonate-User} header: impersonating groups, a uid or extras would need grants the shipped roles
     * do not have, and a real server refuses such a request (403), which the recording's callers check.
     */
    public static ApiCall of(RequestRecorder.Request request) {
        return of(request.method(), request.path(), request.query(), request.impersonateUser() == null ? Map.of()
                : Map.of("impersonate-user", request.impersonateUser()));
    }

    /**
     * Maps one request.
     *
     * @param headers request headers with lower-case names, repeated values joined by commas
     */
    public static ApiCall of(String method, String path, String query, Map<String, String> headers) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        Optional<Permission> permission = Optional.empty();
        Optional<String> namespace = Optional.empty();
        String group = null;
        List<String> rest = List.of();
        if (segments.size() >= 3 && segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        }
        if (group != null) {
            // namespaces/{ns}/{resource}... is namespaced; namespaces/{name}/status and /finalize address the namespace
            if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                namespace = Optional.of(rest.get(1));
                rest = rest.subList(2, rest.size());
            }
            String resource = rest.get(0);
            boolean named = rest.size() >= 2;
            if (rest.size() >= 3) {
                resource = resource + "/" + rest.get(2);
            }
            permission = Optional.of(new Permission(group, resource, verb(method, named, query)));
        }
        String user = headers.get("impersonate-user");
        Set<Permission> impersonation = new TreeSet<>();
        if (user != null) {
            impersonation.add(new Permission("", user.startsWith("system:serviceaccount:") ? "serviceaccounts" : "users",
                    "impersonate"));
        }
        headers.forEach((name, value) -> {
            if (name.equals("impersonate-group")) {
                impersonation.add(new Permission("", "groups", "impersonate"));
            } else if (name.equals("impersonate-uid")) {
                impersonation.add(new Permission("authentication.k8s.io", "uids", "impersonate"));
            } else if (name.startsWith("impersonate-extra-")) {
                impersonation.add(new Permission("authentication.k8s.io",
                        "userextras/" + name.substring("impersonate-extra-".length()), "impersonate"));
            }
        });
        return new ApiCall(method, path, permission, namespace, Optional.ofNullable(user), Set.copyOf(impersonation));
    }

    /** The path when the request is for a non-resource URL. */
    public Optional<String> nonResourcePath() {
        return permission.isPresent() ? Optional.empty() : Optional.of(path);
    }

    private static String verb(String method, boolean named, String query) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> named ? "get" : watching(query) ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for HTTP method " + method);
        };
    }

    private static boolean watching(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("watch") && kv.length == 2
                    && URLDecoder.decode(kv[1], StandardCharsets.UTF_8).equalsIgnoreCase("true")) {
                return true;
            }
        }
        return false;
    }
}
