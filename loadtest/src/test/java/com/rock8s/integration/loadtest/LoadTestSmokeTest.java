package com.rock8s.integration.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.loadtest.measure.Summary;
import com.rock8s.integration.loadtest.report.Report;
import com.rock8s.integration.loadtest.report.ReportWriter;
import com.rock8s.integration.loadtest.run.LoadTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on a small scale, every phase with 2 replica JVMs: on the local control plane (a real
 * kube-apiserver with etcd, started by the harness, the replicas as the operator's ServiceAccount), and on the
 * embedded API it keeps as a comparison target. Checks that the report is complete and consistent, never how fast
 * anything was.
 */
class LoadTestSmokeTest {

    @Test
    void smallRunOnTheLocalControlPlaneProducesAConsistentReport(@TempDir Path out) throws Exception {
        Report report = run("local", 20, 10, out);

        assertThat(report.environment().get("target")).isEqualTo("local");
        assertThat(String.valueOf(report.environment().get("api"))).startsWith("local control plane https://");
        // the replicas are the only source of the request count there: every coupling wrote through them
        assertThat(report.figures().writesByResource()).containsKeys("PATCH plugs", "PUT plugs/status",
                "PATCH configmaps", "POST events");
        assertThat(report.phases().get(0).note()).as("the baseline wrote as the operator's ServiceAccount")
                .contains("as the operator's ServiceAccount")
                .containsPattern("API priority and fairness by priority level: .*[1-9][0-9]* dispatched");
        // the operator's metric keeps 404, 409 and 429 apart and folds every other 4xx (403 Forbidden included)
        // into 4xx: the operator's least-privilege rights and the namespaces' edit bindings sufficed. A 429 can come
        // from a watch cache still initialising after the CRDs were created (the client retries it); the server's
        // own priority-and-fairness counters say whether APF refused anything, and it did not
        assertThat(report.figures().errors().keySet()).as("errors of the run")
                .noneMatch(reason -> reason.matches("operator http (4xx|5xx|error) .*"))
                .noneMatch(reason -> reason.contains("priority and fairness"));
        String kubeconfig = Files.readString(out.resolve("kubeconfig.yaml"));
        assertThat(kubeconfig).as("replicas authenticate with a token, never the admin's client certificate")
                .contains("token: ").doesNotContain("client-certificate");
        assertThat(Files.readString(out.resolve("logs").resolve("local-cluster.log"))).contains("admin.kubeconfig");
        assertThat(out.resolve("local-cluster").resolve("etcd")).as("the control plane was stopped and its data "
                + "removed").doesNotExist();
    }

    @Test
    void smallRunOnTheEmbeddedApiProducesAConsistentReport(@TempDir Path out) throws Exception {
        Report report = run("embedded", 60, 20, out);

        assertThat(report.environment().get("target")).isEqualTo("embedded");
        assertThat(report.phases().get(2).note()).as("phase (c) cross-checks the operator's client metrics")
                .containsPattern("client metrics counted [0-9.]+ requests and [0-9.]+ writes per coupling");
    }

    /** Runs every phase with 2 replicas on {@code target} and checks what any target's report must satisfy. */
    private static Report run(String target, int plugs, int hotPlugs, Path out) throws Exception {
        LoadTestOptions options = LoadTestOptions.parse(List.of("--target", target, "--plugs",
                Integer.toString(plugs), "--replicas", "2", "--sockets", "5", "--namespaces", "5", "--rate", "0",
                "--churn-rate", "2", "--duration", "3s", "--hot-plugs", Integer.toString(hotPlugs),
                "--baseline", "20", "--kill-replica", "--replica-heap", "256m", "--phase-timeout", "120",
                "--no-progress", "--out", out.toString()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Report written = new LoadTest(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        // kept in the test's output file, so a failure can be read against the phase lines
        System.out.println(console.toString(StandardCharsets.UTF_8));

        Report report = ReportWriter.read(out.resolve("report.json"));
        assertThat(report.phases()).extracting(Report.Phase::id).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat(report.phases()).allSatisfy(p -> assertThat(p.timedOut()).as("phase %s timed out", p.id())
                .isFalse());

        Report.Counts c = report.counts();
        assertThat(c.plugsCreated()).isEqualTo(plugs);
        assertThat(c.plugsCoupled()).isEqualTo(plugs);
        assertThat(c.hotPlugsCreated()).isEqualTo(hotPlugs);
        assertThat(c.hotPlugsCoupled()).isEqualTo(hotPlugs);
        assertThat(c.updatesExpected()).isPositive().isEqualTo(c.updatesObserved());
        assertThat(c.recoveriesExpected()).isEqualTo(plugs + hotPlugs).isEqualTo(c.recoveriesObserved());
        assertThat(c.plugsDeleted()).isEqualTo(plugs + hotPlugs).isEqualTo(c.plugsGone());
        assertThat(c.latencySamples()).isEqualTo(c.plugsCoupled() + c.updatesObserved() + c.hotPlugsCoupled()
                + c.recoveriesObserved() + c.plugsGone());
        List<String> csv = Files.readAllLines(out.resolve("latencies.csv"));
        assertThat(csv).hasSize((int) c.latencySamples() + 1);
        assertThat(csv.get(0)).isEqualTo("phase,object,start_ms,latency_ms");

        Report.Figures f = report.figures();
        assertThat(f.createLatency().count()).isEqualTo(plugs);
        assertThat(f.hotLatency().count()).isEqualTo(hotPlugs);
        for (Summary s : List.of(f.createLatency(), f.updateLatency(), f.hotLatency(), f.recoverLatency(),
                f.deleteLatency())) {
            assertThat(s.count()).isPositive();
            assertThat(s.p50()).isPositive().isLessThanOrEqualTo(s.p90());
            assertThat(s.p90()).isLessThanOrEqualTo(s.p99());
            assertThat(s.p99()).isLessThanOrEqualTo(s.max());
        }
        assertThat(f.baselineCouplingsPerSecond()).isPositive();
        assertThat(f.couplingsPerSecond()).isPositive();
        assertThat(f.ratioToBaseline()).isEqualTo(f.couplingsPerSecond() / f.baselineCouplingsPerSecond());
        assertThat(f.writesPerCoupling()).isPositive().isLessThanOrEqualTo(f.requestsPerCoupling());
        assertThat(f.writesByResource().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(f.writesPerCoupling(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(f.recoverySeconds()).isPositive();
        assertThat(report.phases().get(5).note()).as("phase (f): the survivors took the killed replica's shards")
                .contains("all taken over after");

        assertThat(report.replicas()).hasSize(2);
        assertThat(report.replicas()).filteredOn(Report.Replica::killed).hasSize(1);
        assertThat(report.replicas()).allSatisfy(r -> {
            assertThat(r.heapIdleMiB()).isPositive();
            assertThat(r.heapPeakMiB()).isPositive();
            assertThat(r.cpuSeconds()).isPositive();
        });
        assertThat(report.series().latency()).isNotEmpty();
        assertThat(report.series().throughput().stream().mapToDouble(Report.RatePoint::perSecond).sum()).isPositive();

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "polyline", "raw baseline").doesNotContain("<script", " src=", "<link");
        assertThat(written.counts()).isEqualTo(report.counts());
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("(c) plugs coupled", "event=phase id=g");
        for (String replica : List.of("replica-0", "replica-1")) {
            assertThat(Files.readString(out.resolve("logs").resolve(replica + ".log")))
                    .as("a replica in run mode caches only its shards' plugs and prints no per-plug lines")
                    .contains("Metrics and probes on").doesNotContain("coupled    plug");
        }
        return report;
    }
}
