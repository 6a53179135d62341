package com.rock8s.integration.operator.embedded;

import java.util.Map;

/**
 * One request served by the {@link EmbeddedApiServer}, as seen by request listeners.
 *
 * <p>Listeners use it to check which identity a caller used (user agent, impersonation) and what
 * it asked for, without the cost of copying the request body.
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code PATCH}, ...)
 * @param path the request path without the query string
 * @param query the raw (still URL-encoded) query string, empty when there is none
 * @param contentType the request's {@code Content-Type}, or {@code null}
 * @param headers every request header, names in lower case, repeated values joined with a comma
 * @param userAgent the {@code User-Agent} header, or {@code null}
 * @param impersonateUser the {@code Impersonate-User} header, or {@code null}
 * @param status the HTTP status the server answered with
 */
public record ApiRequest(
        String method,
        String path,
        String query,
        String contentType,
        Map<String, String> headers,
        String userAgent,
        String impersonateUser,
        int status) {

    /**
     * Returns a header value by case-insensitive name.
     *
     * @param name header name
     * @return the value, or {@code null} if the request did not carry it
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
