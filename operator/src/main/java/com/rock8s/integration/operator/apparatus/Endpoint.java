package com.rock8s.integration.operator.apparatus;

import com.rock8s.integration.operator.api.Apparatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where an apparatus answers: {@code base} plus {@code /<call>} for each call. An endpoint that is a path (or empty)
 * is served by the owner's managed apparatus Service {@code <owner>-apparatus}; an absolute URL is an external
 * apparatus the operator never starts. A value without a scheme ({@code host:8080/hooks}) is taken as {@code http}.
 *
 * @param base    the URL calls are made under, without a trailing slash
 * @param managed whether the operator runs the apparatus as a Pod and Service of its own
 */
public record Endpoint(URI base, boolean managed) {

    /**
     * Resolves the endpoint of {@code apparatus} owned by {@code owner} in {@code namespace}.
     *
     * @param serviceUrl the template of the managed Service's URL ({@link ApparatusSettings#serviceUrl()})
     * @throws InvalidEndpointException when the value cannot name an apparatus; the message says why
     */
    public static Endpoint resolve(Apparatus apparatus, String owner, String namespace, String serviceUrl)
            throws InvalidEndpointException {
        String value = apparatus.getEndpoint() == null ? "" : apparatus.getEndpoint().trim();
        boolean hasContainers = apparatus.getContainers() != null && !apparatus.getContainers().isEmpty();
        if (value.isEmpty() || value.startsWith("/")) {
            if (!hasContainers) {
                throw new InvalidEndpointException("apparatus.endpoint '" + value + "' is a path, which needs "
                        + "apparatus.containers to run the apparatus; give containers or an absolute URL");
            }
            String service = serviceUrl.replace("{name}", ManagedApparatus.name(owner))
                    .replace("{namespace}", namespace);
            return new Endpoint(parse(stripSlashes(service) + stripSlashes(value), value), true);
        }
        String absolute = value.contains("://") ? value : "http://" + value;
        return new Endpoint(parse(stripSlashes(absolute), value), false);
    }

    /** The URL of one call: {@code ping}, {@code config} or an event name. */
    public URI call(String name) {
        return URI.create(base + "/" + name);
    }

    /** The path part of the base ({@code ""} at the root): where the managed Pod's readiness probe looks. */
    public String path() {
        return base.getRawPath() == null ? "" : base.getRawPath();
    }

    private static URI parse(String text, String original) throws InvalidEndpointException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidEndpointException("apparatus.endpoint '" + original + "' is not a valid URL: "
                    + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidEndpointException("apparatus.endpoint '" + original + "' must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidEndpointException("apparatus.endpoint '" + original + "' has no valid host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidEndpointException("apparatus.endpoint '" + original
                    + "' must not have a query or fragment: calls are made under its path");
        }
        return uri;
    }

    /** Removes every trailing slash (the Go operator cut two characters for one slash). */
    private static String stripSlashes(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        return text.substring(0, end);
    }

    /** A value of {@code apparatus.endpoint} that cannot name an apparatus. */
    public static final class InvalidEndpointException extends Exception {
        public InvalidEndpointException(String message) {
            super(message);
        }
    }
}
