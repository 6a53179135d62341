package com.rock8s.integration.operator.apparatus;

import java.net.URI;

/** An apparatus call that did not get a 2xx answer; the message names the call, the URL and the status or error. */
public final class ApparatusCallException extends Exception {
    private final CallOutcome outcome;
    private final int status;
    private final URI url;

    ApparatusCallException(CallOutcome outcome, int status, URI url, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.status = status;
        this.url = url;
    }

    public CallOutcome outcome() {
        return outcome;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public URI url() {
        return url;
    }
}
