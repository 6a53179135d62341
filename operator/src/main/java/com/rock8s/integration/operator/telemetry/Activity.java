package com.rock8s.integration.operator.telemetry;

import com.rock8s.integration.observability.tracing.SpanScope;
import java.util.function.Consumer;

/**
 * One piece of work inside a {@link Step}: a child span, and the meter its outcome and duration go to. Call
 * {@link #ok()} when it succeeded; closing without it counts as a failure, so an exception on the way out needs no
 * extra code at the call site.
 */
public final class Activity implements AutoCloseable {
    static final Activity NONE = new Activity(null, outcome -> { });

    private final SpanScope span;
    private final Consumer<String> record;
    private boolean ok;
    private boolean failed;
    private String outcome = "failure";

    Activity(SpanScope span, Consumer<String> record) {
        this.span = span;
        this.record = record;
    }

    /** The work succeeded. */
    public Activity ok() {
        ok = true;
        return this;
    }

    /** The work failed with {@code error}: recorded on the span, counted as {@code failure}. */
    public Activity fail(Throwable error) {
        return fail(error, "failure");
    }

    /** The work failed with {@code error}; {@code outcome} is the bounded label the meter counts it under. */
    public Activity fail(Throwable error, String outcome) {
        failed = true;
        this.outcome = outcome;
        if (span != null) {
            span.fail(error);
        }
        return this;
    }

    @Override
    public void close() {
        if (span != null) {
            if (!ok && !failed) {
                span.fail("did not complete");
            }
            span.close();
        }
        record.accept(ok ? "success" : outcome);
    }
}
