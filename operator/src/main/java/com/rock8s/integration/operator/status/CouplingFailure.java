package com.rock8s.integration.operator.status;

/**
 * A coupling step that could not complete, with the reason to report. {@code waitsForChange} is true for inputs the
 * operator watches (a missing Secret, an invalid spec): retrying before something changes cannot help.
 */
public class CouplingFailure extends Exception {
    private final Reason reason;
    private final boolean waitsForChange;

    public CouplingFailure(Reason reason, String message, boolean waitsForChange) {
        super(message);
        this.reason = reason;
        this.waitsForChange = waitsForChange;
    }

    public CouplingFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.waitsForChange = false;
    }

    public Reason reason() {
        return reason;
    }

    public boolean waitsForChange() {
        return waitsForChange;
    }
}
