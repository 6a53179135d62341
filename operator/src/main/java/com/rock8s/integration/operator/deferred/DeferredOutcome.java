package com.rock8s.integration.operator.deferred;

import com.rock8s.integration.operator.api.DeferredResourceStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * The result of one pass over a DeferredResource: the status to write, when to look again while waiting, the failure
 * to report, and whether this pass applied the payload.
 *
 * @param status       the new status
 * @param recheckAfter when to reconcile again because time passes (the delay or a polled waitFor); empty when only
 *                     a change can help or nothing is left to do
 * @param failure      what went wrong, if anything
 * @param applied      true when this pass applied the payload
 */
public record DeferredOutcome(DeferredResourceStatus status, Optional<Duration> recheckAfter,
                              Optional<DeferralFailure> failure, boolean applied) {
}
