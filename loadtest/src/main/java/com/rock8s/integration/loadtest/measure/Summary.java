package com.rock8s.integration.loadtest.measure;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a set of latencies, in milliseconds (nearest-rank, so each one is a latency that was measured).
 *
 * @param count how many samples
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max the slowest
 * @param mean arithmetic mean
 */
public record Summary(int count, double p50, double p90, double p99, double max, double mean) {

    /** No samples. */
    public static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0);

    /** Summarises latencies in milliseconds. */
    public static Summary of(Collection<Double> latencies) {
        if (latencies.isEmpty()) {
            return EMPTY;
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Summary(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
                sorted[sorted.length - 1], sum / sorted.length);
    }

    private static double rank(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
