/** Structured JSON logs for logback, with trace ids and MDC fields, and the level from {@code LOG_LEVEL}. */
package com.rock8s.integration.observability.logging;
