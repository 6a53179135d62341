/**
 * Tracing: the OpenTelemetry SDK configured from {@code OTEL_*} variables, a try-with-resources span API and W3C
 * trace-context injection for {@code java.net.http}. Knows nothing of plugs or sockets.
 */
package com.rock8s.integration.observability.tracing;
