package com.rock8s.integration.loadtest.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a Java Flight Recorder file's CPU samples: the methods found on top of the stack most often (where the
 * time is spent) and, for each sample, the first operator method on the stack (which of the operator's steps pays for
 * it). Enough to say what limits a run without opening a profiler.
 */
public final class CpuProfile {
    private static final String OPERATOR_PACKAGE = "com.rock8s.integration.";

    private CpuProfile() {
    }

    /** JVM options that make a replica record a profile into {@code file}, written when the JVM exits normally. */
    public static List<String> jvmOptions(Path file) {
        return List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file.toAbsolutePath());
    }

    /**
     * Writes the summary of {@code recording} next to it ({@code .txt}).
     *
     * @param recording the JFR file
     * @param top how many methods each list keeps
     * @return the summary file
     * @throws IOException when the recording cannot be read or the summary written
     */
    public static Path summarise(Path recording, int top) throws IOException {
        Map<String, Integer> selfFrames = new HashMap<>();
        Map<String, Integer> operatorFrames = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            selfFrames.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
            String operator = "(no operator frame)";
            for (RecordedFrame frame : stack.getFrames()) {
                if (frame.getMethod().getType().getName().startsWith(OPERATOR_PACKAGE)) {
                    operator = name(frame);
                    break;
                }
            }
            operatorFrames.merge(operator, 1, Integer::sum);
        }
        List<String> lines = new ArrayList<>();
        lines.add("CPU samples: " + samples + " in " + recording.getFileName());
        lines.add("");
        lines.add("Top of stack (self time):");
        lines.addAll(ranked(selfFrames, samples, top));
        lines.add("");
        lines.add("Innermost operator method on the stack (who pays):");
        lines.addAll(ranked(operatorFrames, samples, top));
        Path summary = recording.resolveSibling(recording.getFileName().toString().replace(".jfr", "") + "-cpu.txt");
        Files.write(summary, lines, StandardCharsets.UTF_8);
        return summary;
    }

    private static List<String> ranked(Map<String, Integer> counts, int total, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "%6d %5.1f%%  %s", e.getValue(),
                        total == 0 ? 0.0 : 100.0 * e.getValue() / total, e.getKey()))
                .toList();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
