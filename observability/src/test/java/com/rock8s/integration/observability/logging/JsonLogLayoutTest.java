package com.rock8s.integration.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogLayoutTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("com.example.Thing");
    private final JsonLogLayout layout = new JsonLogLayout();

    @Test
    void writesOneJsonObjectPerLineWithMdcFieldsAndTraceIds() {
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "event=coupled plug={} note=\"{}\"", null,
                new Object[] {"ns/a", "line1\nline2 \"quoted\""});
        event.setMDCPropertyMap(Map.of("trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331",
                "plug_namespace", "ns", "shard", "3"));
        event.setThreadName("reconciler-1");
        event.setTimeStamp(0L);
        String line = layout.doLayout(event);

        assertThat(line).endsWith("\n").doesNotContain("\n\"").hasLineCount(1);
        assertThat(line.trim()).startsWith("{\"time\":\"1970-01-01T00:00:00Z\",\"level\":\"INFO\",")
                .endsWith("}")
                .contains("\"logger\":\"com.example.Thing\"")
                .contains("\"message\":\"event=coupled plug=ns/a note=\\\"line1\\nline2 \\\"quoted\\\"\\\"\"")
                .contains("\"thread\":\"reconciler-1\"")
                .contains("\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"")
                .contains("\"span_id\":\"b7ad6b7169203331\"")
                .contains("\"plug_namespace\":\"ns\"")
                .contains("\"shard\":\"3\"");
        assertThat(line).containsOnlyOnce("trace_id");
    }

    @Test
    void includesTheStackTraceAndLeavesOutAbsentTraceIds() {
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.ERROR, "failed", new IllegalStateException("boom"),
                null);
        event.setMDCPropertyMap(Map.of());
        String line = layout.doLayout(event);
        assertThat(line).doesNotContain("trace_id").contains("\"level\":\"ERROR\"")
                .contains("IllegalStateException: boom").contains("\\tat ").hasLineCount(1);
    }

    @Test
    void logLevelComesFromTheEnvironmentValueWithInfoAsTheDefault() {
        LogLevelDefiner definer = new LogLevelDefiner();
        definer.setContext(context);
        assertThat(definer.level(null)).isEqualTo("INFO");
        assertThat(definer.level("debug")).isEqualTo("DEBUG");
        assertThat(definer.level(" warning ")).isEqualTo("WARN");
        assertThat(definer.level("chatty")).isEqualTo("INFO");
    }
}
