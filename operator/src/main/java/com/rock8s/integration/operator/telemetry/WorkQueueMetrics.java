package com.rock8s.integration.operator.telemetry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java Operator SDK's metrics, plus the depth of each controller's work queue under one stable name. The SDK
 * counts the same thing but puts the controller's name into the metric name, which no dashboard can select on; here
 * the controller is a label. A reconcile is queued from submission until a worker thread starts it, then in flight
 * until it finishes.
 */
public final class WorkQueueMetrics implements Metrics {
    private static final String CONTROLLER = "controller";
    /** Where the SDK puts the controller's name in the metadata it passes to every callback. */
    private static final String CONTROLLER_NAME = "controller.name";

    private final Metrics delegate;
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    public WorkQueueMetrics(Metrics delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
        String name = controller.getConfiguration().getName();
        gauge(queued, MetricNames.WORK_QUEUE_DEPTH, name, "Reconciles waiting for a worker thread");
        gauge(running, MetricNames.RECONCILES_IN_FLIGHT, name, "Reconciles running now");
        delegate.controllerRegistered(controller);
    }

    private void gauge(Map<String, AtomicInteger> values, String family, String controller, String description) {
        AtomicInteger value = values.computeIfAbsent(controller, c -> new AtomicInteger());
        Gauge.builder(family, value, AtomicInteger::get).description(description).tag(CONTROLLER, controller)
                .register(registry);
    }

    private static void add(Map<String, AtomicInteger> values, Map<String, Object> metadata, int delta) {
        Object controller = metadata == null ? null : metadata.get(CONTROLLER_NAME);
        AtomicInteger value = controller == null ? null : values.get(String.valueOf(controller));
        if (value != null) {
            // never below zero: a reconcile submitted before the controller registered is not counted in
            value.updateAndGet(v -> Math.max(0, v + delta));
        }
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        add(queued, metadata, 1);
        delegate.reconcileCustomResource(resource, retryInfo, metadata);
    }

    @Override
    public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
        add(queued, metadata, -1);
        add(running, metadata, 1);
        delegate.reconciliationExecutionStarted(resource, metadata);
    }

    @Override
    public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
        add(running, metadata, -1);
        delegate.reconciliationExecutionFinished(resource, metadata);
    }

    @Override
    public void receivedEvent(Event event, Map<String, Object> metadata) {
        delegate.receivedEvent(event, metadata);
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        delegate.failedReconciliation(resource, exception, metadata);
    }

    @Override
    public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
        delegate.cleanupDoneFor(resourceID, metadata);
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        delegate.finishedReconciliation(resource, metadata);
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        return delegate.timeControllerExecution(execution);
    }

    @Override
    public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
        return delegate.monitorSizeOf(map, name);
    }
}
