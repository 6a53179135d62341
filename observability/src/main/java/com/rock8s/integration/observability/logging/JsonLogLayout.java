package com.rock8s.integration.observability.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line: {@code time} (RFC 3339, UTC), {@code level}, {@code logger}, {@code message},
 * {@code thread}, {@code trace_id} and {@code span_id} when a span is current, then every MDC entry and every
 * SLF4J key-value pair as a field of its own, and {@code exception} with the stack trace. Log shippers (Loki,
 * Elasticsearch, Cloud Logging) read it without parsing rules.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    private static final String TRACE_ID = "trace_id";
    private static final String SPAN_ID = "span_id";
    private static final Set<String> RESERVED = Set.of("time", "level", "logger", "message", "thread", TRACE_ID,
            SPAN_ID, "exception");

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "message", event.getFormattedMessage());
        field(json, "thread", event.getThreadName());
        Map<String, String> mdc = event.getMDCPropertyMap();
        String traceId = mdc.get(TRACE_ID);
        String spanId = mdc.get(SPAN_ID);
        if (traceId == null) {
            // logback formats on the logging thread, so the current span is the one the line was written in
            SpanContext current = Span.current().getSpanContext();
            if (current.isValid()) {
                traceId = current.getTraceId();
                spanId = current.getSpanId();
            }
        }
        field(json, TRACE_ID, traceId);
        field(json, SPAN_ID, spanId);
        mdc.forEach((key, value) -> {
            if (!RESERVED.contains(key)) {
                field(json, key, value);
            }
        });
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                if (!RESERVED.contains(pair.key) && !mdc.containsKey(pair.key)) {
                    field(json, pair.key, pair.value == null ? null : String.valueOf(pair.value));
                }
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            field(json, "exception", ThrowableProxyUtil.asString(error));
        }
        return json.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    @Override
    public String getContentType() {
        return "application/json";
    }

    private static void field(StringBuilder json, String key, String value) {
        if (value == null) {
            return;
        }
        if (json.length() > 1) {
            json.append(',');
        }
        quote(json, key);
        json.append(':');
        quote(json, value);
    }

    static void quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
