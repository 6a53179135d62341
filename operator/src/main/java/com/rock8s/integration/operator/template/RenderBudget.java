package com.rock8s.integration.operator.template;

import java.time.Duration;

/**
 * The time one render may take. Jinjava has no interrupt hook, and its {@code range} and collection limits still allow
 * nested loops that run for minutes, so the render itself polls its deadline at the points every long-running template
 * passes through: each loop iteration ({@link BoundedInterpreter#wrap}), each loop start ({@link BoundedForTag}), and
 * each property read, method, filter or macro call ({@link SandboxResolver}). The render runs on the caller's thread;
 * nothing is started that could outlive it.
 *
 * <p>The budget of the render in progress is held per thread, because Jinjava creates scopes and child interpreters
 * on its own and passes nothing of ours through them.
 */
final class RenderBudget implements AutoCloseable {
    private static final ThreadLocal<RenderBudget> CURRENT = new ThreadLocal<>();

    private final Duration limit;
    private final long deadlineNanos;
    private final RenderBudget previous;
    private boolean exceeded;

    private RenderBudget(Duration limit, RenderBudget previous) {
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
        this.previous = previous;
    }

    /** Starts the budget of a render on this thread; close it when the render returns. */
    static RenderBudget start(Duration limit) {
        RenderBudget budget = new RenderBudget(limit, CURRENT.get());
        CURRENT.set(budget);
        return budget;
    }

    /**
     * Throws {@link TimeLimitExceeded} once the current render is past its deadline. Jinjava turns an exception inside
     * an expression into a template error and goes on, so the next check (at the latest the next loop iteration)
     * throws again; the flag makes the render fail with the time limit whatever Jinjava made of the exception.
     */
    static void check() {
        RenderBudget budget = CURRENT.get();
        if (budget != null && System.nanoTime() - budget.deadlineNanos > 0) {
            budget.exceeded = true;
            throw new TimeLimitExceeded(budget.limit);
        }
    }

    /** Whether a check found the deadline passed during this render. */
    boolean exceeded() {
        return exceeded;
    }

    /** The message of a render stopped by its deadline. */
    String message() {
        return "render time limit of " + limit.toMillis() + " ms exceeded";
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Thrown inside a render past its deadline. Without a stack trace: it may be thrown many times while unwinding. */
    static final class TimeLimitExceeded extends RuntimeException {
        TimeLimitExceeded(Duration limit) {
            super("render time limit of " + limit.toMillis() + " ms exceeded", null, false, false);
        }
    }
}
