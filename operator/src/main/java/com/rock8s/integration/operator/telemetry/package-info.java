/**
 * The operator's own metrics and traces, in terms of plugs, sockets and lifecycle events: one trace per coupling step
 * ({@link com.rock8s.integration.operator.telemetry.CouplingTelemetry}), spans and meters for the work inside it
 * ({@link com.rock8s.integration.operator.telemetry.Step}), and the work queue depth of the controllers. Meter names
 * are listed in {@link com.rock8s.integration.operator.telemetry.MetricNames}.
 */
package com.rock8s.integration.operator.telemetry;
