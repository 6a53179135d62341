package com.rock8s.integration.loadtest.report;

import com.rock8s.integration.loadtest.measure.Summary;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured; written as {@code report.json} and rendered as {@code report.html}.
 *
 * @param tool name of the harness
 * @param startedAt ISO-8601 start time
 * @param command the command line that reproduces the run
 * @param options every option of the run
 * @param environment cores, JVM, target
 * @param phases phases (a) to (g) in order, each timed
 * @param figures the headline figures
 * @param replicas per-replica footprint
 * @param counts what was asked for and what was seen, for consistency checks
 * @param series time series for the charts
 * @param limits what bounded the run, in words
 */
public record Report(String tool, String startedAt, String command, Map<String, Object> options,
                     Map<String, Object> environment, List<Phase> phases, Figures figures, List<Replica> replicas,
                     Counts counts, Series series, List<String> limits) {

    /**
     * One timed phase.
     *
     * @param id {@code a} to {@code g}
     * @param title what it does
     * @param seconds wall time from its first write until it settled (or timed out)
     * @param items what it processed (couplings, updates, deletions)
     * @param perSecond items per second
     * @param latency latencies of its items, empty where the phase has none
     * @param operatorRequests requests the operator sent during the phase (counted by the embedded API, or from the
     *                         replicas' own metrics on the local control plane and a cluster)
     * @param operatorWrites writes among them
     * @param writesByResource operator writes by {@code METHOD resource}
     * @param timedOut whether it stopped waiting before everything settled
     * @param note what the figure means, when it needs saying
     */
    public record Phase(String id, String title, double seconds, long items, double perSecond, Summary latency,
                        long operatorRequests, long operatorWrites, Map<String, Long> writesByResource,
                        boolean timedOut, String note) {
    }

    /**
     * The headline figures.
     *
     * @param baselineCouplingsPerSecond phase (a): the API's own limit for the writes of one coupling
     * @param baselineWritesPerCoupling writes the baseline spends on one coupling
     * @param couplingsPerSecond phase (c): plugs coupled per second
     * @param ratioToBaseline (c) over (a)
     * @param hotCouplingsPerSecond phase (e): plugs coupled per second to one socket, created at once
     * @param hotRatioToBaseline (e) over (a)
     * @param createLatency create to Coupled=True in (c)
     * @param updateLatency change to updated in (d)
     * @param hotLatency create to Coupled=True in (e)
     * @param recoverLatency change to updated after the kill in (f)
     * @param deleteLatency delete to gone in (g)
     * @param recoverySeconds (f): kill until every plug showed its change, -1 when not run
     * @param requestsPerCoupling operator requests per coupling in (c)
     * @param writesPerCoupling operator writes per coupling in (c)
     * @param writesByResource operator writes per coupling in (c), by kind of write
     * @param heapMiBPerThousandPlugs heap the replicas together hold per 1,000 coupled plugs (after a full GC)
     * @param cpuSecondsPerThousandPlugs CPU seconds the replicas spent per 1,000 plugs over phase (c)
     * @param errors by reason: plug Ready=False reasons, operator requests answered with an error, harness failures
     */
    public record Figures(double baselineCouplingsPerSecond, double baselineWritesPerCoupling,
                          double couplingsPerSecond, double ratioToBaseline, double hotCouplingsPerSecond,
                          double hotRatioToBaseline, Summary createLatency, Summary updateLatency, Summary hotLatency,
                          Summary recoverLatency, Summary deleteLatency, double recoverySeconds,
                          double requestsPerCoupling, double writesPerCoupling, Map<String, Double> writesByResource,
                          double heapMiBPerThousandPlugs, double cpuSecondsPerThousandPlugs,
                          Map<String, Long> errors) {
    }

    /**
     * One replica's footprint.
     *
     * @param name its identity
     * @param heapIdleMiB heap after a full GC, before any plug
     * @param heapWithPlugsMiB heap after a full GC with every plug of (c) coupled
     * @param heapPeakMiB highest heap seen by the sampler (before collection)
     * @param cpuSeconds CPU seconds over the whole run
     * @param maxThreads most live threads seen
     * @param killed whether phase (f) killed it
     */
    public record Replica(String name, double heapIdleMiB, double heapWithPlugsMiB, double heapPeakMiB,
                          double cpuSeconds, double maxThreads, boolean killed) {
    }

    /**
     * Counts that must add up.
     *
     * @param plugsRequested {@code --plugs}
     * @param plugsCreated plugs of (c) the API accepted
     * @param plugsCoupled plugs of (c) seen Coupled=True
     * @param hotPlugsRequested {@code --hot-plugs}
     * @param hotPlugsCreated plugs of (e) the API accepted
     * @param hotPlugsCoupled plugs of (e) seen Coupled=True
     * @param updatesExpected plugs whose inputs (d) changed
     * @param updatesObserved of those, plugs seen with a new input digest
     * @param recoveriesExpected plugs whose inputs (f) changed after the kill
     * @param recoveriesObserved of those, plugs seen with a new input digest
     * @param plugsDeleted plugs (g) deleted
     * @param plugsGone of those, plugs seen gone
     * @param latencySamples rows of latencies.csv
     */
    public record Counts(int plugsRequested, long plugsCreated, long plugsCoupled, int hotPlugsRequested,
                         long hotPlugsCreated, long hotPlugsCoupled, long updatesExpected, long updatesObserved,
                         long recoveriesExpected, long recoveriesObserved, long plugsDeleted, long plugsGone,
                         long latencySamples) {
    }

    /**
     * Time series for the charts.
     *
     * @param latency percentiles of create to Coupled latency, by the window the plug was created in
     * @param throughput couplings per second, by the window the coupling was seen in
     * @param heap heap per replica over time
     */
    public record Series(List<LatencyPoint> latency, List<RatePoint> throughput, Map<String, List<HeapPoint>> heap) {
    }

    /** Latency percentiles of one window (seconds since start, milliseconds). */
    public record LatencyPoint(double seconds, int count, double p50, double p90, double p99) {
    }

    /** A rate in one window. */
    public record RatePoint(double seconds, double perSecond) {
    }

    /** Heap and CPU use of one replica at one time. */
    public record HeapPoint(double seconds, double heapMiB, double cpuUsage) {
    }
}
