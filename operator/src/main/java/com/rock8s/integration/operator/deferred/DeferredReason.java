package com.rock8s.integration.operator.deferred;

/**
 * Reasons of a DeferredResource's {@code Resolved} condition. The Go operator said only Pending, Success and Error;
 * these say what is awaited or what to fix. Failures either wait for a spec change (bad input: retrying cannot help)
 * or are retried with backoff (an API call that failed).
 */
public enum DeferredReason {
    APPLIED("Applied", false),
    WAITING("Waiting", false),
    WAITING_FOR_OBJECTS("WaitingForObjects", false),
    INVALID_SPEC("InvalidSpec", false),
    INVALID_RESOURCE("InvalidResource", false),
    NAMESPACE_FORBIDDEN("NamespaceForbidden", false),
    WAIT_FOR_FAILED("WaitForFailed", true),
    APPLY_FAILED("ApplyFailed", true),
    DELETE_FAILED("DeleteFailed", true);

    private final String value;
    private final boolean retriedWithBackoff;

    DeferredReason(String value, boolean retriedWithBackoff) {
        this.value = value;
        this.retriedWithBackoff = retriedWithBackoff;
    }

    /** The CamelCase reason written into the condition and Events. */
    public String value() {
        return value;
    }

    /** True for failed API calls, retried with backoff; false for bad input, which waits for a spec change. */
    public boolean retriedWithBackoff() {
        return retriedWithBackoff;
    }
}
