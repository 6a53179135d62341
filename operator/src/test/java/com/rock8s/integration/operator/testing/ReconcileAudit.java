package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.controller.ReconcileObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Records when each replica starts and finishes reconciling an object, on one monotonic clock, and finds the moments
 * two replicas worked on the same namespace at once (which sharding must never allow).
 */
public final class ReconcileAudit implements ReconcileObserver {
    /** One reconcile; {@code end} is {@link Long#MAX_VALUE} while it runs. */
    public record Span(String replica, String namespace, String name, long start, long end) {
        boolean overlaps(Span other) {
            return start < other.end && other.start < end;
        }
    }

    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final List<Span> spans = new ArrayList<>();

    @Override
    public void started(String replica, String kind, String namespace, String name) {
        running.put(key(replica, kind, namespace, name), System.nanoTime());
    }

    @Override
    public void finished(String replica, String kind, String namespace, String name) {
        Long start = running.remove(key(replica, kind, namespace, name));
        if (start != null) {
            synchronized (spans) {
                spans.add(new Span(replica, namespace, kind + "/" + name, start, System.nanoTime()));
            }
        }
    }

    private static String key(String replica, String kind, String namespace, String name) {
        return replica + "|" + kind + "|" + namespace + "|" + name;
    }

    /** Every reconcile seen so far, finished or still running. */
    public List<Span> spans() {
        List<Span> all;
        synchronized (spans) {
            all = new ArrayList<>(spans);
        }
        running.forEach((key, start) -> {
            String[] parts = key.split("\\|");
            all.add(new Span(parts[0], parts[2], parts[1] + "/" + parts[3], start, Long.MAX_VALUE));
        });
        return all;
    }

    /** Pairs of reconciles of one namespace by two replicas that overlapped in time. */
    public List<String> overlaps() {
        List<String> found = new ArrayList<>();
        Map<String, List<Span>> byNamespace = spans().stream().collect(Collectors.groupingBy(Span::namespace));
        byNamespace.forEach((namespace, list) -> {
            list.sort(Comparator.comparingLong(Span::start));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size() && list.get(j).start() < list.get(i).end(); j++) {
                    Span a = list.get(i);
                    Span b = list.get(j);
                    if (!a.replica().equals(b.replica()) && a.overlaps(b)) {
                        found.add(namespace + ": " + a + " and " + b);
                    }
                }
            }
        });
        return found;
    }

    /** The replicas that reconciled something in {@code namespace}. */
    public List<String> replicasOf(String namespace) {
        return spans().stream().filter(s -> s.namespace().equals(namespace)).map(Span::replica).distinct().toList();
    }
}
