package com.rock8s.integration.loadtest.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A console progress bar for one phase. On a terminal it redraws one line every half second; in a log (no console)
 * it prints a line every five seconds so CI output stays short.
 */
final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final LongSupplier done;
    private final Supplier<String> extra;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    private ProgressBar(PrintStream out, String label, long total, LongSupplier done, Supplier<String> extra,
                        boolean interactive) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.done = done;
        this.extra = extra;
        this.interactive = interactive;
        this.thread = new Thread(this::loop, "progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static ProgressBar start(PrintStream out, String label, long total, LongSupplier done, Supplier<String> extra,
                             boolean interactive) {
        return new ProgressBar(out, label, total, done, extra, interactive);
    }

    private void loop() {
        long period = TimeUnit.MILLISECONDS.toNanos(interactive ? 500 : 5000);
        while (running) {
            LockSupport.parkNanos(period);
            if (running) {
                draw(false);
            }
        }
    }

    private synchronized void draw(boolean last) {
        long now = done.getAsLong();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double fraction = total <= 0 ? 1 : Math.min(1, (double) now / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = seconds > 0 ? now / seconds : 0.0;
        // a phase whose size is not known up front (churn fans out to however many plugs) shows a count only
        String line = total > 0
                ? String.format(Locale.ROOT, "%-26s [%s%s] %7d/%-7d %3.0f%% %6.1fs %7.1f/s %s", label,
                        "#".repeat(filled), "-".repeat(WIDTH - filled), now, total, fraction * 100, seconds, rate,
                        extra.get())
                : String.format(Locale.ROOT, "%-26s %7d done %6.1fs %7.1f/s %s", label, now, seconds, rate,
                        extra.get());
        if (interactive) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        draw(true);
    }
}
