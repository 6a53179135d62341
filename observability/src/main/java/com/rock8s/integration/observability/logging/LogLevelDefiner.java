package com.rock8s.integration.observability.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;
import java.util.Set;

/**
 * The root log level from {@code LOG_LEVEL} ({@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN},
 * {@code ERROR}, {@code OFF}; any case), {@code INFO} when unset. An unknown value falls back to {@code INFO} with a
 * warning, where logback itself would silently pick {@code DEBUG}.
 */
public final class LogLevelDefiner extends PropertyDefinerBase {
    static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    @Override
    public String getPropertyValue() {
        return level(System.getenv("LOG_LEVEL"));
    }

    String level(String configured) {
        if (configured == null || configured.isBlank()) {
            return "INFO";
        }
        String level = configured.trim().toUpperCase(Locale.ROOT);
        if (level.equals("WARNING")) {
            return "WARN";
        }
        if (!LEVELS.contains(level)) {
            addWarn("LOG_LEVEL='" + configured + "' is not one of " + LEVELS + "; logging at INFO");
            return "INFO";
        }
        return level;
    }
}
