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
 * The harness end to end on a small scale: 200 plugs, 2 replica JVMs, the embedded API, every phase. Checks that the
 * report is complete and consistent, never how fast anything was.
 */
class LoadTestSmokeTest {

    @Test
    void smallRunProducesAConsistentReport(@TempDir Path out) throws Exception {
        LoadTestOptions options = LoadTestOptions.parse(List.of("--plugs", "200", "--replicas", "2", "--sockets", "10",
                "--namespaces", "10", "--rate", "0", "--churn-rate", "2", "--duration", "3s", "--hot-plugs", "50",
                "--baseline", "50", "--kill-replica", "--replica-heap", "256m", "--phase-timeout", "60",
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
        assertThat(c.plugsCreated()).isEqualTo(200);
        assertThat(c.plugsCoupled()).isEqualTo(200);
        assertThat(c.hotPlugsCreated()).isEqualTo(50);
        assertThat(c.hotPlugsCoupled()).isEqualTo(50);
        assertThat(c.updatesExpected()).isPositive().isEqualTo(c.updatesObserved());
        assertThat(c.recoveriesExpected()).isEqualTo(250).isEqualTo(c.recoveriesObserved());
        assertThat(c.plugsDeleted()).isEqualTo(250).isEqualTo(c.plugsGone());
        assertThat(c.latencySamples()).isEqualTo(c.plugsCoupled() + c.updatesObserved() + c.hotPlugsCoupled()
                + c.recoveriesObserved() + c.plugsGone());
        List<String> csv = Files.readAllLines(out.resolve("latencies.csv"));
        assertThat(csv).hasSize((int) c.latencySamples() + 1);
        assertThat(csv.get(0)).isEqualTo("phase,object,start_ms,latency_ms");

        Report.Figures f = report.figures();
        assertThat(f.createLatency().count()).isEqualTo(200);
        assertThat(f.hotLatency().count()).isEqualTo(50);
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
        assertThat(report.phases().get(2).note()).as("phase (c) cross-checks the operator's client metrics")
                .containsPattern("client metrics counted [0-9.]+ requests and [0-9.]+ writes per coupling");
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
    }
}
