package com.rock8s.integration.loadtest.replica;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsSampleTest {

    @Test
    void sumsHeapPoolsAndIgnoresNonHeapAndComments() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
                process_cpu_usage 0.25
                jvm_threads_live_threads 42.0
                process_cpu_time_ns_total 3.0E9
                """;
        MetricsSample s = MetricsSample.parse(text, 1500, -1);
        assertThat(s.heapBytes()).isEqualTo(10_485_760 + 2_097_152);
        assertThat(s.cpuUsage()).isEqualTo(0.25);
        assertThat(s.threads()).isEqualTo(42);
        assertThat(s.cpuSeconds()).isEqualTo(3.0);
        assertThat(s.atMillis()).isEqualTo(1500);
    }

    @Test
    void theOperatingSystemsCpuFigureWinsOverTheMetric() {
        assertThat(MetricsSample.parse("process_cpu_time_ns_total 3.0E9\n", 0, 7.5).cpuSeconds()).isEqualTo(7.5);
        assertThat(MetricsSample.parse("", 0, -1).heapBytes()).isZero();
    }
}
