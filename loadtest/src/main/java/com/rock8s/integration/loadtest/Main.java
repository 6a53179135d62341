package com.rock8s.integration.loadtest;

import com.rock8s.integration.loadtest.bench.TemplateBenchmark;
import com.rock8s.integration.loadtest.report.Report;
import com.rock8s.integration.loadtest.run.LoadTest;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The load-test command line.
 *
 * <pre>
 * integration-loadtest.jar [run] [options]   run phases (a)-(g) and write report.json, latencies.csv, report.html
 * integration-loadtest.jar help              print the options
 * </pre>
 *
 * Further subcommands (benchmarks of single components) can be added beside {@code run}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // the replicas' and the mock server's chatter would drown the progress bar
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<String> rest = Arrays.asList(args);
        String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "run" : rest.get(0);
        List<String> options = rest.isEmpty() || rest.get(0).startsWith("--") ? rest : rest.subList(1, rest.size());
        switch (command) {
            case "run" -> {
                LoadTestOptions parsed;
                try {
                    parsed = LoadTestOptions.parse(options);
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage() + "\n" + usage());
                    System.exit(2);
                    return;
                }
                Report report = new LoadTest(parsed, System.out).run();
                printSummary(report, parsed, System.out);
                // informer and HTTP client threads of fabric8 are not all daemons
                System.exit(report.counts().plugsCoupled() == report.counts().plugsCreated() ? 0 : 1);
            }
            case "bench-templates" -> TemplateBenchmark.command(options, System.out);
            case "help", "-h", "--help" -> System.out.println(usage());
            default -> {
                System.err.println("unknown command '" + command + "'\n" + usage());
                System.exit(2);
            }
        }
    }

    static void printSummary(Report r, LoadTestOptions o, PrintStream out) {
        Report.Figures f = r.figures();
        out.printf(Locale.ROOT, "%nbaseline %.1f couplings/s | coupled %.1f/s (%.0f %% of baseline) | hot %.1f/s "
                        + "(%.0f %%)%ncreate→Coupled p50 %.0f p90 %.0f p99 %.0f max %.0f ms | updated p99 %.0f ms"
                        + " | writes/coupling %.2f | heap %.1f MiB per 1,000 plugs%nreport: %s%n",
                f.baselineCouplingsPerSecond(), f.couplingsPerSecond(), f.ratioToBaseline() * 100,
                f.hotCouplingsPerSecond(), f.hotRatioToBaseline() * 100, f.createLatency().p50(),
                f.createLatency().p90(), f.createLatency().p99(), f.createLatency().max(), f.updateLatency().p99(),
                f.writesPerCoupling(), f.heapMiBPerThousandPlugs(),
                o.outputDirectory().resolve("report.html").toAbsolutePath());
    }

    static String usage() {
        return """
                usage: java -jar loadtest/target/integration-loadtest.jar [run] [options]
                  --plugs N            plugs created in phase (c)                      (default 5000)
                  --sockets N          sockets the plugs spread over                  (default 100)
                  --namespaces N       namespaces the plugs spread over               (default 100)
                  --rate R             plugs created per second, 0 = full speed       (default 100)
                  --churn-rate R       socket or Secret updates per second in (d)     (default 2)
                  --duration S         length of the churn phase (d), e.g. 30s or 2m  (default 30s)
                  --hot-plugs N        plugs on one socket at once in (e), 0 = skip   (default min(2000, plugs))
                  --replicas N         operator replica JVMs (local, embedded target) (default 1)
                  --shards N           SHARD_COUNT of every replica                   (default 16)
                  --kill-replica       phase (f): kill a replica, time until every plug is served again
                  --baseline N         couplings written directly in (a)              (default min(1000, plugs))
                  --threads N          MAX_CONCURRENT_RECONCILES, also (a)'s threads  (default 10)
                  --replica-heap SIZE  -Xmx of each replica                           (default 768m)
                  --lease-seconds N    LEASE_DURATION_SECONDS of each replica         (default 15)
                  --phase-timeout S    give up waiting for a phase after S seconds    (default 900)
                  --target T           local (default: a real control plane started for the run),
                                       embedded (fabric8's mock API, for comparison) or
                                       kubeconfig (the cluster in KUBECONFIG, operator already deployed)
                  --operator-metrics URL[,URL]  kubeconfig target: the replicas' /metrics, to count requests
                  --api-port N         embedded API port, 0 = any free port           (default 0)
                  --out DIR            report directory                   (default loadtest-out/<timestamp>)
                  --profile            record a CPU profile (JFR) in each replica, summarised in profiles/
                  --no-progress        print progress lines instead of redrawing one""";
    }
}
