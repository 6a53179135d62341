package com.rock8s.integration.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.rock8s.integration.loadtest.measure.LatencySample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes {@code report.json}, {@code latencies.csv} and {@code report.html} into one directory. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /**
     * Writes the three files.
     *
     * @param directory created when missing
     * @param report the figures
     * @param samples every latency, one CSV row each
     * @throws IOException when a file cannot be written
     */
    public static void write(Path directory, Report report, List<LatencySample> samples) throws IOException {
        Files.createDirectories(directory);
        JSON.writeValue(directory.resolve("report.json").toFile(), report);
        try (BufferedWriter out = Files.newBufferedWriter(directory.resolve("latencies.csv"), StandardCharsets.UTF_8)) {
            out.write("phase,object,start_ms,latency_ms\n");
            for (LatencySample s : samples) {
                out.write(s.phase() + "," + s.object() + "," + String.format(Locale.ROOT, "%.1f", s.startMillis())
                        + "," + String.format(Locale.ROOT, "%.1f", s.latencyMillis()) + "\n");
            }
        }
        Files.writeString(directory.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
    }

    /** Reads a written {@code report.json} back. */
    public static Report read(Path reportJson) throws IOException {
        return JSON.readValue(reportJson.toFile(), Report.class);
    }
}
