package com.rock8s.integration.loadtest.report;

import com.rock8s.integration.loadtest.measure.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Report} as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** The page. */
    public static String render(Report r) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Integration operator load "
                + "test</title><style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;"
                + "color:#222}table{border-collapse:collapse;margin:8px 0 18px}td,th{border:1px solid #ccc;"
                + "padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:"
                + "left}code{background:#f5f5f5;padding:1px 4px}.t{font-weight:600;font-size:14px}.a{font-size:11px;"
                + "fill:#444}.bad{color:#b00020}.empty{color:#777}</style></head><body>");
        h.append("<h1>Integration operator load test</h1><p>Started ").append(escape(r.startedAt()))
                .append(". Reproduce with <code>").append(escape(r.command())).append("</code>.</p>");
        Report.Figures f = r.figures();
        h.append("<h2>Headline</h2><table><tr><th>figure</th><th>value</th></tr>");
        row(h, "raw baseline (a), couplings/s", num(f.baselineCouplingsPerSecond()));
        row(h, "throughput (c), couplings/s", num(f.couplingsPerSecond()));
        row(h, "ratio (c) to baseline", pct(f.ratioToBaseline()));
        row(h, "hot socket (e), couplings/s", num(f.hotCouplingsPerSecond()));
        row(h, "ratio (e) to baseline", pct(f.hotRatioToBaseline()));
        row(h, "create→Coupled p50 / p90 / p99 / max (ms)", summary(f.createLatency()));
        row(h, "change→updated p50 / p90 / p99 / max (ms)", summary(f.updateLatency()));
        row(h, "hot create→Coupled p50 / p90 / p99 / max (ms)", summary(f.hotLatency()));
        row(h, "after kill change→updated p50 / p90 / p99 / max (ms)", summary(f.recoverLatency()));
        row(h, "delete→gone p50 / p90 / p99 / max (ms)", summary(f.deleteLatency()));
        row(h, "replica kill: every plug served again (s)", f.recoverySeconds() < 0 ? "not run"
                : num(f.recoverySeconds()));
        row(h, "API requests per coupling", num(f.requestsPerCoupling()));
        row(h, "API writes per coupling (baseline needs " + num(f.baselineWritesPerCoupling()) + ")",
                num(f.writesPerCoupling()));
        row(h, "heap per 1,000 plugs (MiB, all replicas)", num(f.heapMiBPerThousandPlugs()));
        row(h, "CPU seconds per 1,000 plugs (all replicas)", num(f.cpuSecondsPerThousandPlugs()));
        h.append("</table>");

        h.append("<h2>Phases</h2><table><tr><th>phase</th><th>seconds</th><th>items</th><th>per second</th>"
                + "<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>operator requests</th>"
                + "<th>operator writes</th></tr>");
        for (Report.Phase p : r.phases()) {
            Summary s = p.latency();
            h.append("<tr><td>(").append(escape(p.id())).append(") ").append(escape(p.title()))
                    .append(p.timedOut() ? " <span class=\"bad\">timed out</span>" : "").append("</td><td>")
                    .append(num(p.seconds())).append("</td><td>").append(p.items()).append("</td><td>")
                    .append(num(p.perSecond())).append("</td><td>").append(num(s.p50())).append("</td><td>")
                    .append(num(s.p90())).append("</td><td>").append(num(s.p99())).append("</td><td>")
                    .append(num(s.max())).append("</td><td>").append(p.operatorRequests()).append("</td><td>")
                    .append(p.operatorWrites()).append("</td></tr>");
        }
        h.append("</table><ul>");
        for (Report.Phase p : r.phases()) {
            if (p.note() != null && !p.note().isBlank()) {
                h.append("<li>(").append(escape(p.id())).append(") ").append(escape(p.note())).append("</li>");
            }
        }
        h.append("</ul>");

        h.append("<h2>Charts</h2>");
        Map<String, List<double[]>> latency = new LinkedHashMap<>();
        latency.put("p50", new ArrayList<>());
        latency.put("p90", new ArrayList<>());
        latency.put("p99", new ArrayList<>());
        for (Report.LatencyPoint p : r.series().latency()) {
            latency.get("p50").add(new double[] {p.seconds(), p.p50()});
            latency.get("p90").add(new double[] {p.seconds(), p.p90()});
            latency.get("p99").add(new double[] {p.seconds(), p.p99()});
        }
        h.append(SvgChart.lines("create → Coupled latency by creation time, (c) then (e)", "seconds since start", "ms", latency));
        Map<String, List<double[]>> rate = new LinkedHashMap<>();
        rate.put("couplings/s", r.series().throughput().stream().map(p -> new double[] {p.seconds(), p.perSecond()})
                .toList());
        h.append(SvgChart.lines("throughput", "seconds since start", "couplings per second", rate));
        Map<String, List<double[]>> heap = new LinkedHashMap<>();
        r.series().heap().forEach((name, points) -> heap.put(name, points.stream()
                .map(p -> new double[] {p.seconds(), p.heapMiB()}).toList()));
        h.append(SvgChart.lines("heap per replica (before collection)", "seconds since start", "MiB", heap));

        h.append("<h2>Replicas</h2><table><tr><th>replica</th><th>heap idle MiB</th><th>heap with plugs MiB</th>"
                + "<th>peak heap MiB</th><th>CPU s</th><th>max threads</th><th>killed</th></tr>");
        for (Report.Replica rep : r.replicas()) {
            h.append("<tr><td>").append(escape(rep.name())).append("</td><td>").append(num(rep.heapIdleMiB()))
                    .append("</td><td>").append(num(rep.heapWithPlugsMiB())).append("</td><td>")
                    .append(num(rep.heapPeakMiB())).append("</td><td>").append(num(rep.cpuSeconds()))
                    .append("</td><td>").append(num(rep.maxThreads())).append("</td><td>")
                    .append(rep.killed() ? "yes" : "no").append("</td></tr>");
        }
        h.append("</table>");

        h.append("<h2>Writes per coupling in (c)</h2><table><tr><th>write</th><th>per coupling</th></tr>");
        f.writesByResource().forEach((k, v) -> row(h, k, num(v)));
        h.append("</table><h2>Errors by reason</h2>");
        if (f.errors().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table><tr><th>reason</th><th>count</th></tr>");
            f.errors().forEach((k, v) -> row(h, k, Long.toString(v)));
            h.append("</table>");
        }
        Report.Counts c = r.counts();
        h.append("<h2>Counts</h2><table><tr><th>count</th><th>value</th></tr>");
        row(h, "plugs requested / created / coupled", c.plugsRequested() + " / " + c.plugsCreated() + " / "
                + c.plugsCoupled());
        row(h, "hot plugs requested / created / coupled", c.hotPlugsRequested() + " / " + c.hotPlugsCreated()
                + " / " + c.hotPlugsCoupled());
        row(h, "updates expected / observed", c.updatesExpected() + " / " + c.updatesObserved());
        row(h, "after kill expected / observed", c.recoveriesExpected() + " / " + c.recoveriesObserved());
        row(h, "plugs deleted / gone", c.plugsDeleted() + " / " + c.plugsGone());
        row(h, "latency samples", Long.toString(c.latencySamples()));
        h.append("</table><h2>What limits this run</h2><ul>");
        r.limits().forEach(l -> h.append("<li>").append(escape(l)).append("</li>"));
        h.append("</ul><h2>Environment and options</h2><table>");
        r.environment().forEach((k, v) -> row(h, k, String.valueOf(v)));
        r.options().forEach((k, v) -> row(h, k, String.valueOf(v)));
        return h.append("</table></body></html>\n").toString();
    }

    private static void row(StringBuilder h, String label, String value) {
        h.append("<tr><td>").append(escape(label)).append("</td><td>").append(escape(value)).append("</td></tr>");
    }

    private static String summary(Summary s) {
        if (s.count() == 0) {
            return "no samples";
        }
        return num(s.p50()) + " / " + num(s.p90()) + " / " + num(s.p99()) + " / " + num(s.max()) + "  (n="
                + s.count() + ")";
    }

    static String num(double v) {
        return SvgChart.fmt(v);
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    /** HTML-escapes text. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
