package com.rock8s.integration.loadtest.measure;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Priority and Fairness as a real kube-apiserver reports it on its {@code /metrics}: per priority level, the
 * requests dispatched, the requests rejected (429) and the time requests waited in APF's queues. The operator's and
 * the baseline's ServiceAccounts fall under one flow schema and priority level, the harness's admin under another
 * (exempt), so a phase's difference tells whether the operator was queued or throttled by the server.
 */
public final class FlowControl {
    private static final Pattern SAMPLE = Pattern.compile(
            "^(apiserver_flowcontrol_(?:dispatched_requests_total|rejected_requests_total"
                    + "|request_wait_duration_seconds_sum|request_wait_duration_seconds_count))\\{([^}]*)\\} (\\S+)$");
    private static final Pattern PRIORITY_LEVEL = Pattern.compile("priority_level=\"([^\"]*)\"");

    private FlowControl() {
    }

    /** Reads the server's {@code /metrics} as {@code admin}; empty when the server does not answer with them. */
    public static Snapshot read(KubernetesClient admin) {
        try {
            String text = admin.raw("/metrics");
            return text == null ? Snapshot.EMPTY : parse(text);
        } catch (RuntimeException e) {
            return Snapshot.EMPTY;
        }
    }

    /** The APF families of a Prometheus text exposition, summed per priority level. */
    static Snapshot parse(String text) {
        Map<String, Level> levels = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Matcher level = PRIORITY_LEVEL.matcher(m.group(2));
            if (!level.find()) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            Level add = switch (m.group(1)) {
                case "apiserver_flowcontrol_dispatched_requests_total" -> new Level(value, 0, 0, 0);
                case "apiserver_flowcontrol_rejected_requests_total" -> new Level(0, value, 0, 0);
                case "apiserver_flowcontrol_request_wait_duration_seconds_sum" -> new Level(0, 0, value, 0);
                default -> new Level(0, 0, 0, value);
            };
            levels.merge(level.group(1), add, Level::plus);
        }
        return new Snapshot(levels);
    }

    /**
     * One priority level's counters.
     *
     * @param dispatched requests APF let through
     * @param rejected requests APF refused (429: queue full, time out in queue, concurrency limit)
     * @param waitSeconds summed time requests waited in APF before they ran or were refused
     * @param waited how many requests that sum is over
     */
    public record Level(double dispatched, double rejected, double waitSeconds, double waited) {
        Level plus(Level o) {
            return new Level(dispatched + o.dispatched, rejected + o.rejected, waitSeconds + o.waitSeconds,
                    waited + o.waited);
        }

        Level minus(Level o) {
            return new Level(dispatched - o.dispatched, rejected - o.rejected, waitSeconds - o.waitSeconds,
                    waited - o.waited);
        }

        /** Mean wait in APF in milliseconds. */
        public double meanWaitMillis() {
            return waited > 0 ? waitSeconds / waited * 1000 : 0;
        }
    }

    /** Counters by priority level at one moment. */
    public record Snapshot(Map<String, Level> levels) {
        public static final Snapshot EMPTY = new Snapshot(Map.of());

        public Snapshot {
            levels = Map.copyOf(levels);
        }

        /** What happened between {@code earlier} and this snapshot; levels that saw nothing are left out. */
        public Snapshot minus(Snapshot earlier) {
            Map<String, Level> out = new TreeMap<>();
            levels.forEach((name, level) -> {
                Level d = level.minus(earlier.levels.getOrDefault(name, new Level(0, 0, 0, 0)));
                if (d.dispatched() > 0 || d.rejected() > 0) {
                    out.put(name, d);
                }
            });
            return new Snapshot(out);
        }

        /** Requests APF refused, over every level. */
        public double rejected() {
            return levels.values().stream().mapToDouble(Level::rejected).sum();
        }

        /** {@code level: N dispatched, R rejected, mean wait W ms; ...}, or "" when nothing was measured. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            new TreeMap<>(levels).forEach((name, l) -> {
                if (!b.isEmpty()) {
                    b.append("; ");
                }
                b.append(String.format(Locale.ROOT, "%s: %.0f dispatched, %.0f rejected, mean wait %.2f ms", name,
                        l.dispatched(), l.rejected(), l.meanWaitMillis()));
            });
            return b.toString();
        }
    }
}
