package com.rock8s.integration.operator.deferred;

/** Why a DeferredResource could not be applied or deleted: a bad input or a failed API call. */
public final class DeferralFailure extends Exception {
    private final DeferredReason reason;

    public DeferralFailure(DeferredReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeferralFailure(DeferredReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeferredReason reason() {
        return reason;
    }
}
