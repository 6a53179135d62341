package com.rock8s.integration.loadtest.run;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs indexed work on a fixed number of threads, optionally paced to a rate, and counts failures by reason instead
 * of stopping: a load test reports what went wrong, it does not give up on the first error.
 */
final class Parallel implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    Parallel(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "loadtest-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} for 0..count-1 as fast as the threads go; returns how many succeeded. */
    long forEach(int count, IntConsumer work) {
        return paced(count, 0, work);
    }

    /**
     * Runs {@code work} for 0..count-1, item i not before {@code i / perSecond} seconds from now (0 means unpaced).
     *
     * @return how many items succeeded
     */
    long paced(int count, double perSecond, IntConsumer work) {
        AtomicInteger next = new AtomicInteger();
        LongAdder succeeded = new LongAdder();
        long start = System.nanoTime();
        Future<?>[] futures = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            futures[t] = pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    if (perSecond > 0) {
                        long due = start + (long) (i * 1e9 / perSecond);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    try {
                        work.accept(i);
                        succeeded.increment();
                    } catch (RuntimeException e) {
                        failures.computeIfAbsent(reason(e), k -> new LongAdder()).increment();
                    }
                }
            });
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return succeeded.sum();
    }

    /** A short reason for a failure: the exception class and the HTTP code when there is one. */
    static String reason(RuntimeException e) {
        if (e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() > 0) {
            return "harness: http " + k.getCode() + " " + (k.getStatus() != null && k.getStatus().getReason() != null
                    ? k.getStatus().getReason() : "");
        }
        return "harness: " + e.getClass().getSimpleName();
    }

    /** Failures so far by reason. */
    Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k.trim(), v.sum()));
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
