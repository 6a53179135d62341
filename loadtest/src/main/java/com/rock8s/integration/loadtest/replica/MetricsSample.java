package com.rock8s.integration.loadtest.replica;

/**
 * One scrape of a replica's {@code /metrics}, plus the CPU time the OS reports for its process.
 *
 * @param atMillis when, in milliseconds since the run started
 * @param heapBytes {@code jvm_memory_used_bytes{area="heap"}} summed over the pools
 * @param cpuUsage {@code process_cpu_usage} (share of all cores, 0..1)
 * @param threads {@code jvm_threads_live_threads}
 * @param cpuSeconds CPU seconds the process has used so far (user + system), -1 when unknown
 */
public record MetricsSample(double atMillis, double heapBytes, double cpuUsage, double threads, double cpuSeconds) {

    /**
     * Reads the figures this harness needs from a Prometheus text exposition.
     *
     * @param text the body of {@code /metrics}
     * @param atMillis when it was taken
     * @param cpuSeconds CPU seconds from the OS, or -1
     * @return the sample; absent metrics read as 0
     */
    public static MetricsSample parse(String text, double atMillis, double cpuSeconds) {
        double heap = 0;
        double cpu = 0;
        double threads = 0;
        double processCpuSeconds = -1;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += value(line);
            } else if (line.startsWith("process_cpu_usage ")) {
                cpu = value(line);
            } else if (line.startsWith("jvm_threads_live_threads ")) {
                threads = value(line);
            } else if (line.startsWith("process_cpu_time_ns_total ")) {
                processCpuSeconds = value(line) / 1e9;
            }
        }
        return new MetricsSample(atMillis, heap, cpu, threads, cpuSeconds >= 0 ? cpuSeconds : processCpuSeconds);
    }

    private static double value(String line) {
        int space = line.lastIndexOf(' ');
        try {
            return Double.parseDouble(line.substring(space + 1).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
