package com.rock8s.integration.operator.apparatus;

import java.util.Locale;

/** How one apparatus call ended; {@link #label()} is the bounded value metrics use. */
public enum CallOutcome {
    /** A 2xx answer. */
    SUCCESS,
    /** A 3xx or 4xx answer: the apparatus refused the call, repeating it cannot help. */
    CLIENT_ERROR,
    /** A 5xx answer after every retry. */
    SERVER_ERROR,
    /** No whole answer within the request timeout. */
    TIMEOUT,
    /** No connection: refused, unknown host, connect timeout or a connection that broke. */
    UNREACHABLE;

    /** {@code success}, {@code client_error}, {@code server_error}, {@code timeout} or {@code unreachable}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
