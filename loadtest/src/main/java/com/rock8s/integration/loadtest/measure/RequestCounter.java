package com.rock8s.integration.loadtest.measure;

import com.rock8s.integration.operator.embedded.ApiRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts the operator's requests to the embedded API, told apart from the harness's by user agent.
 *
 * <p>Runs on the API's request thread, so it only bumps counters. Writes are counted per
 * {@code METHOD resource[/subresource]} so that a report can say which write a coupling spends most on. Requests on
 * Leases (shard coordination) are counted apart: they come at a fixed rate per replica, not per coupling, so counting
 * them as coupling work would make writes per coupling depend on how long a phase took.
 */
public final class RequestCounter implements Consumer<ApiRequest> {
    /** The user agent of every client the harness builds. */
    public static final String HARNESS_AGENT = "integration-loadtest";
    /** The embedded API's own in-process applies. */
    private static final String EMBEDDED_AGENT = "embedded-api-server";
    private static final String LEASES = "leases";

    private final LongAdder operatorRequests = new LongAdder();
    private final LongAdder operatorWrites = new LongAdder();
    private final LongAdder harnessRequests = new LongAdder();
    private final LongAdder leaseRequests = new LongAdder();
    private final Map<String, LongAdder> writesByResource = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsByStatus = new ConcurrentHashMap<>();

    @Override
    public void accept(ApiRequest request) {
        String agent = request.userAgent() == null ? "" : request.userAgent();
        if (agent.startsWith(HARNESS_AGENT)) {
            harnessRequests.increment();
            return;
        }
        if (agent.startsWith(EMBEDDED_AGENT)) {
            return;
        }
        String resource = resource(request.path());
        if (resource.equals(LEASES)) {
            leaseRequests.increment();
            return;
        }
        operatorRequests.increment();
        if (isWrite(request.method())) {
            operatorWrites.increment();
            writesByResource.computeIfAbsent(request.method() + " " + resource, k -> new LongAdder()).increment();
        }
        if (request.status() >= 400) {
            errorsByStatus.computeIfAbsent("http " + request.status() + " " + request.method() + " " + resource,
                    k -> new LongAdder()).increment();
        }
    }

    /** The counters now; subtract two snapshots for one phase. */
    public Snapshot snapshot() {
        return new Snapshot(operatorRequests.sum(), operatorWrites.sum(), harnessRequests.sum(), leaseRequests.sum(),
                sums(writesByResource), sums(errorsByStatus));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static boolean isWrite(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    /**
     * The resource (plural) and subresource of an API path: {@code /apis/g/v/namespaces/ns/plugs/p/status} is
     * {@code plugs/status}, {@code /api/v1/namespaces/ns/events} is {@code events}.
     */
    static String resource(String path) {
        String[] parts = path.split("/");
        int start = path.startsWith("/apis/") ? 4 : path.startsWith("/api/") ? 3 : 1;
        if (start < parts.length && "namespaces".equals(parts[start]) && parts.length > start + 2) {
            start += 2;
        }
        if (start >= parts.length) {
            return path;
        }
        String plural = parts[start];
        return parts.length > start + 2 ? plural + "/" + parts[start + 2] : plural;
    }

    /**
     * Counters at one moment.
     *
     * @param operatorRequests every request not sent by the harness, Leases left out
     * @param operatorWrites POST, PUT, PATCH and DELETE among them
     * @param harnessRequests the harness's own requests
     * @param leaseRequests the operator's requests on Leases (shard coordination)
     * @param writesByResource operator writes by {@code METHOD resource[/subresource]}
     * @param errorsByStatus operator requests answered 4xx or 5xx, by status, method and resource
     */
    public record Snapshot(long operatorRequests, long operatorWrites, long harnessRequests, long leaseRequests,
                           Map<String, Long> writesByResource, Map<String, Long> errorsByStatus) {

        /** An all-zero snapshot, for targets where nothing is counted. */
        public static final Snapshot NONE = new Snapshot(0, 0, 0, 0, Map.of(), Map.of());

        /** What happened between {@code earlier} and this snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(operatorRequests - earlier.operatorRequests, operatorWrites - earlier.operatorWrites,
                    harnessRequests - earlier.harnessRequests, leaseRequests - earlier.leaseRequests,
                    diff(writesByResource, earlier.writesByResource),
                    diff(errorsByStatus, earlier.errorsByStatus));
        }

        private static Map<String, Long> diff(Map<String, Long> later, Map<String, Long> earlier) {
            Map<String, Long> out = new TreeMap<>();
            later.forEach((k, v) -> {
                long d = v - earlier.getOrDefault(k, 0L);
                if (d != 0) {
                    out.put(k, d);
                }
            });
            return out;
        }
    }
}
