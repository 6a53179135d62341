package com.rock8s.integration.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's result structure on a tiny run (speed is not asserted: it depends on the machine). */
class TemplateBenchmarkTest {

    @Test
    void aTinyRunReportsBothEnginesFigures() throws Exception {
        TemplateBenchmark.Result result = TemplateBenchmark.run(40, 10);

        assertThat(result.templateChars()).isEqualTo(TemplateBenchmark.TEMPLATE.length());
        assertThat(result.warmup()).isEqualTo(10);
        for (TemplateBenchmark.Run run : List.of(result.cached(), result.uncached())) {
            assertThat(run.renders()).isEqualTo(40);
            assertThat(run.rendersPerSecond()).isPositive();
            assertThat(run.p50Micros()).isPositive().isLessThanOrEqualTo(run.p99Micros());
        }
        assertThat(result.cached().cache()).isEqualTo("on");
        assertThat(result.uncached().cache()).isEqualTo("off");
        // 64 agreement checks + 10 warm-up + 40 measured renders of one text: one miss, the rest hits
        assertThat(result.cached().cacheHits()).isEqualTo(64 + 10 + 40 - 1);
        assertThat(result.uncached().cacheHits()).isZero();
        assertThat(result.speedUp()).isPositive();
    }

    @Test
    void theCommandPrintsATableWithBothEngines() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        TemplateBenchmark.command(List.of("--renders", "20", "--warmup", "5"),
                new PrintStream(buffer, true, StandardCharsets.UTF_8));

        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("20 renders per engine after 5 warm-up renders")
                .containsPattern("(?m)^on +[0-9,]+ +[0-9.]+ +[0-9.]+ +[0-9,]+$")
                .containsPattern("(?m)^off +[0-9,]+ +[0-9.]+ +[0-9.]+ +0$")
                .contains("× as many templates per second");
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThatThrownBy(() -> TemplateBenchmark.command(List.of("--fast"), System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--fast");
    }

    @Test
    void percentileIsNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(TemplateBenchmark.percentile(sorted, 0.5)).isEqualTo(5);
        assertThat(TemplateBenchmark.percentile(sorted, 0.99)).isEqualTo(10);
        assertThat(TemplateBenchmark.percentile(new long[] {7}, 0.5)).isEqualTo(7);
    }
}
