package com.rock8s.integration.operator.controller;

import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.rock8s.integration.operator.identity.Impersonation;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.config.SideResolver;
import com.rock8s.integration.operator.coupling.ObjectViews;
import com.rock8s.integration.operator.coupling.PlugCoupler;
import com.rock8s.integration.operator.coupling.SideEffects;
import com.rock8s.integration.operator.coupling.SocketLifecycle;
import com.rock8s.integration.operator.coupling.SocketStatusWriter;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.interfaces.InterfaceValidator;
import com.rock8s.integration.operator.resource.ResourceApplier;
import com.rock8s.integration.operator.resource.ResourceRenderer;
import com.rock8s.integration.operator.template.TemplateEngine;
import com.rock8s.integration.operator.telemetry.CouplingTelemetry;
import com.rock8s.integration.operator.telemetry.Placement;
import com.rock8s.integration.operator.telemetry.WorkQueueMetrics;
import com.rock8s.integration.observability.tracing.Traces;
import com.rock8s.integration.observability.tracing.Tracing;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * One running operator: the Plug and Socket controllers on a shared client, with the coupling engine between them.
 * Start it, stop it; it owns nothing it did not create (the client is the caller's).
 */
public final class OperatorRuntime implements AutoCloseable {
    /** Template views of plug and socket versions kept in memory (about a few KiB each). */
    private static final long OBJECT_VIEWS = 10_000;
    private final Operator operator;
    private final SocketStatusWriter socketStatus;
    private final EventRecorder events;
    private final CacheDirectory directory;

    public OperatorRuntime(KubernetesClient client, OperatorSettings settings) {
        this(client, settings, new SimpleMeterRegistry());
    }

    /**
     * @param metrics where the Java Operator SDK's reconcile metrics go (without per-resource tags, so the number
     *                of series does not grow with the number of plugs)
     */
    public OperatorRuntime(KubernetesClient client, OperatorSettings settings, MeterRegistry metrics) {
        this(client, settings, metrics, Tracing.local("integration-operator"));
    }

    /**
     * @param metrics where the operator's own meters and the SDK's reconcile metrics go
     * @param tracing where each coupling step's trace goes (the caller closes it)
     */
    public OperatorRuntime(KubernetesClient client, OperatorSettings settings, MeterRegistry metrics,
                           Tracing tracing) {
        CouplingTelemetry telemetry = new CouplingTelemetry(new Traces(tracing, "integration-operator"), metrics,
                Placement.single(settings.identity()));
        this.directory = new CacheDirectory(namespace -> true);
        CacheSourceReader sources = new CacheSourceReader();
        TemplateEngine templates = new TemplateEngine();
        this.events = new EventRecorder(client, settings.identity());
        this.socketStatus = new SocketStatusWriter(client, this::cachedSocket, 4);
        Impersonation identities = new Impersonation(client);
        ObjectViews views = new ObjectViews(OBJECT_VIEWS);
        SideEffects effects = new SideEffects(new ResourceRenderer(templates),
                new ResourceApplier(identities, settings.forceConflicts(), settings.deletionTimeout()), events, views);
        SideResolver resolver = new SideResolver(sources, new ClusterObjectReader(identities), templates);
        PlugCoupler coupler = new PlugCoupler(directory, resolver, new InterfaceValidator(), effects, socketStatus,
                views, telemetry);
        SocketLifecycle socketLifecycle = new SocketLifecycle(directory, effects, socketStatus, telemetry);

        this.operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(false)
                .withConcurrentReconciliationThreads(settings.reconcileThreads())
                .withStopOnInformerErrorDuringStartup(false)
                .withMetrics(new WorkQueueMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics), metrics)));
        operator.register(new PlugReconciler(directory, sources, coupler, events, client), c -> c
                .withFinalizer(OperatorSettings.FINALIZER)
                .withReconciliationMaxInterval(settings.resyncInterval()));
        operator.register(new SocketReconciler(socketLifecycle, events), c -> c
                .withFinalizer(OperatorSettings.FINALIZER)
                .withReconciliationMaxInterval(settings.resyncInterval()));
    }

    private Optional<com.rock8s.integration.operator.api.Socket> cachedSocket(ObjectRef ref) {
        if (directory.sockets() == null) {
            return Optional.empty();
        }
        return directory.sockets().get(new ResourceID(ref.getName(), ref.getNamespace()));
    }

    public OperatorRuntime start() {
        operator.start();
        return this;
    }

    /** Started, and every informer is healthy: what {@code /readyz} reports. */
    public boolean isReady() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** Socket status writes made so far (for tests and load figures). */
    public int socketStatusWrites() {
        return socketStatus.writes();
    }

    @Override
    public void close() {
        operator.stop();
        socketStatus.close();
        events.close();
    }
}
