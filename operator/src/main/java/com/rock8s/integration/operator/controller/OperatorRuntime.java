package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.apparatus.ApparatusCallListener;
import com.rock8s.integration.operator.apparatus.ApparatusClient;
import com.rock8s.integration.operator.apparatus.ApparatusJanitor;
import com.rock8s.integration.operator.apparatus.Apparatuses;
import com.rock8s.integration.operator.apparatus.ManagedApparatus;
import com.rock8s.integration.operator.config.SideResolver;
import com.rock8s.integration.operator.coupling.ObjectViews;
import com.rock8s.integration.operator.coupling.PlugCoupler;
import com.rock8s.integration.operator.coupling.SideEffects;
import com.rock8s.integration.operator.coupling.SocketLifecycle;
import com.rock8s.integration.operator.coupling.SocketStatusWriter;
import com.rock8s.integration.operator.coupling.TerminatingNamespaces;
import com.rock8s.integration.operator.deferred.DeferredResourceResolver;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.identity.Impersonation;
import com.rock8s.integration.operator.interfaces.InterfaceValidator;
import com.rock8s.integration.operator.resource.ResourceApplier;
import com.rock8s.integration.operator.resource.ResourceRenderer;
import com.rock8s.integration.operator.template.TemplateEngine;
import com.rock8s.integration.operator.telemetry.CouplingTelemetry;
import com.rock8s.integration.operator.telemetry.Placement;
import com.rock8s.integration.operator.telemetry.WorkQueueMetrics;
import com.rock8s.integration.observability.tracing.TraceContext;
import com.rock8s.integration.observability.tracing.Traces;
import com.rock8s.integration.observability.tracing.Tracing;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import com.rock8s.integration.sharding.ShardCoordinator;
import com.rock8s.integration.sharding.ShardListener;
import com.rock8s.integration.sharding.ShardRing;
import com.rock8s.integration.sharding.ShardingSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the operator. Namespaces hash onto shards; a {@link ShardCoordinator} holds this replica's fair share
 * of the shard Leases, and for every shard held a {@link ShardController} runs the Plug and Socket controllers over
 * that shard's objects only. The coupling engine and the replica-wide informers (sockets, Secrets, ConfigMaps) are
 * shared by all shard controllers. The client is the caller's; everything else is created and closed here.
 */
public final class OperatorRuntime implements AutoCloseable {
    /** Whether the plug a socket lists still exists; when the API cannot tell, it is assumed to. */
    private static boolean plugExists(KubernetesClient client, ObjectRef listed) {
        try {
            com.rock8s.integration.operator.api.Plug plug = client.resources(
                    com.rock8s.integration.operator.api.Plug.class).inNamespace(listed.getNamespace())
                    .withName(listed.getName()).get();
            return plug != null && (listed.getUid() == null || listed.getUid().equals(plug.getMetadata().getUid()));
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            return true;
        }
    }

    /** The label naming the shard of every Plug and Socket. */
    public static final String SHARD_LABEL = ShardLabeler.LABEL;
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
    /** Template views of plug and socket versions kept in memory (about a few KiB each). */
    private static final long OBJECT_VIEWS = 10_000;

    private final KubernetesClient client;
    private final KubernetesClient leaseClient;
    private final boolean ownsLeaseClient;
    private final OperatorSettings settings;
    private final ShardingSettings sharding;
    private final MeterRegistry metrics;
    /** One instance for every shard's controllers, so their queue gauges add up per controller kind. */
    private final WorkQueueMetrics controllerMetrics;
    private final ShardRing ring;
    private final SharedCaches shared;
    private final ShardDirectory directory;
    private final ReconcileGate gate;
    private final ShardLabeler labeler;
    private final SocketStatusWriter socketStatus;
    private final EventRecorder events;
    private final PlugCoupler coupler;
    private final SocketLifecycle socketLifecycle;
    private final DeferredResourceResolver deferredResources;
    private final ApparatusJanitor apparatusJanitor;
    private final TerminatingNamespaces terminatingNamespaces;
    private final ShardCoordinator coordinator;
    private final Map<Integer, ShardController> controllers = new ConcurrentHashMap<>();
    /** Starts and stops shard controllers one at a time, off the coordinator's lease thread. */
    private final ExecutorService shardLifecycle = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "shard-lifecycle");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean started;

    /** A single replica with the default shard settings, as tests and the embedded mode run it. */
    public OperatorRuntime(KubernetesClient client, OperatorSettings settings) {
        this(client, settings, new SimpleMeterRegistry());
    }

    /**
     * @param metrics where the Java Operator SDK's reconcile metrics and the shard metrics go (the SDK's without
     *                per-resource tags, so the number of series does not grow with the number of plugs)
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
        this(client, null, settings, ShardingSettings.fromEnvironment(System.getenv())
                .withIdentity(settings.identity()), metrics, tracing, ReconcileObserver.NONE);
    }

    /**
     * @param leaseClient the client for shard Lease traffic; {@code null} builds a fast-failing one from
     *                    {@code client}'s configuration (lease calls must fail well within the renew deadline)
     * @param observer    told about every reconcile (tests audit with it)
     */
    public OperatorRuntime(KubernetesClient client, KubernetesClient leaseClient, OperatorSettings settings,
                           ShardingSettings sharding, MeterRegistry metrics, Tracing tracing,
                           ReconcileObserver observer) {
        this.client = client;
        this.ownsLeaseClient = leaseClient == null;
        this.leaseClient = leaseClient != null ? leaseClient
                : ShardCoordinator.fastFailingClient(client.getConfiguration(), sharding);
        this.settings = settings;
        this.sharding = sharding;
        this.metrics = metrics;
        this.controllerMetrics = new WorkQueueMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics), metrics);
        this.ring = new ShardRing(sharding.shards());
        this.shared = new SharedCaches(client);
        this.directory = new ShardDirectory(shared, ring::shardOf);
        this.coordinator = new ShardCoordinator(this.leaseClient, sharding, new Shards(), metrics);
        this.labeler = new ShardLabeler(client, ring::shardOf, coordinator::holds);
        this.gate = new ReconcileGate(sharding.identity(), ring::shardOf, labeler::label, observer);

        CouplingTelemetry telemetry = new CouplingTelemetry(new Traces(tracing, "integration-operator"), metrics,
                new Placement() {
                    @Override
                    public String replica() {
                        return sharding.identity();
                    }

                    @Override
                    public String shardOf(String namespace) {
                        return String.valueOf(ring.shardOf(namespace));
                    }
                });
        TemplateEngine templates = new TemplateEngine(TemplateEngine.DEFAULT_CACHE_SIZE,
                settings.templateRenderTimeout()).monitoredBy(metrics);
        this.events = new EventRecorder(client, settings.identity());
        this.socketStatus = new SocketStatusWriter(client, this::cachedSocket, 4, gate::admits);
        Impersonation identities = new Impersonation(client);
        ObjectViews views = new ObjectViews(OBJECT_VIEWS);
        ApparatusClient apparatusClient = new ApparatusClient(settings.apparatus(), TraceContext.injector(),
                ApparatusCallListener.NONE);
        Apparatuses apparatuses = new Apparatuses(apparatusClient, new ManagedApparatus(client, apparatusClient,
                settings.apparatus(), java.time.Clock.systemUTC()), settings.apparatus());
        this.apparatusJanitor = new ApparatusJanitor(client, settings.apparatus().janitorInterval(),
                directory::serves, java.time.Clock.systemUTC());
        ResourceApplier applier = new ResourceApplier(identities, settings.forceConflicts(),
                settings.deletionTimeout());
        terminatingNamespaces = new TerminatingNamespaces(client);
        SideEffects effects = new SideEffects(new ResourceRenderer(templates), applier, events, views,
                apparatuses, terminatingNamespaces);
        SideResolver resolver = new SideResolver(shared, new ClusterObjectReader(identities), templates,
                apparatuses);
        this.coupler = new PlugCoupler(directory, resolver, new InterfaceValidator().monitoredBy(metrics), effects,
                socketStatus, views, telemetry);
        this.socketLifecycle = new SocketLifecycle(directory, effects, socketStatus, telemetry,
                listed -> plugExists(client, listed));
        this.deferredResources = new DeferredResourceResolver(new ClusterObjectReader(identities), applier,
                java.time.Clock.systemUTC());
    }

    private Optional<Socket> cachedSocket(ObjectRef ref) {
        return shared.socket(ref.getNamespace(), ref.getName());
    }

    /** Starts the replica-wide informers, then takes part in shard leasing; shard controllers follow. */
    public OperatorRuntime start() {
        shared.start();
        labeler.start();
        coordinator.start();
        apparatusJanitor.start();
        started = true;
        LOG.info("event=replica_started replica={} shards={}", sharding.identity(), sharding.shards());
        return this;
    }

    /** Started, replica-wide informers synced, and every held shard's controllers running: {@code /readyz}. */
    public boolean isReady() {
        if (!started || !shared.synced()) {
            return false;
        }
        Set<Integer> held = coordinator.heldShards();
        return held.stream().allMatch(shard -> directory.serving(shard)
                && Optional.ofNullable(controllers.get(shard)).map(ShardController::healthy).orElse(false));
    }

    /** The shards whose controllers run here now. */
    public Set<Integer> servedShards() {
        return controllers.keySet().stream().filter(directory::serving).collect(Collectors.toCollection(TreeSet::new));
    }

    /** This replica's identity (its shard Leases' holder). */
    public String identity() {
        return sharding.identity();
    }

    /** The shard of a namespace. */
    public int shardOf(String namespace) {
        return ring.shardOf(namespace);
    }

    /**
     * The plugs and sockets in this replica's shard caches, as {@code Kind namespace/name} (tests check that a replica
     * caches only its shards' objects).
     */
    public List<String> cachedObjects() {
        return controllers.keySet().stream()
                .flatMap(shard -> directory.cached(shard).stream())
                .map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .sorted()
                .toList();
    }

    /** Socket status writes made so far (for tests and load figures). */
    public int socketStatusWrites() {
        return socketStatus.writes();
    }

    /**
     * Stops as if the process had died: no lease is released, nothing more is written. The others take this
     * replica's shards once their leases expire (for failover tests and the embedded chaos mode).
     */
    public void halt() {
        coordinator.halt();
        closeEngine();
    }

    /** Graceful stop: shard work ends first, then the leases are released so others take over at once. */
    @Override
    public void close() {
        coordinator.close();
        closeEngine();
    }

    private void closeEngine() {
        shardLifecycle.shutdownNow();
        apparatusJanitor.close();
        controllers.keySet().forEach(shard -> stopShard(shard));
        labeler.close();
        shared.close();
        socketStatus.close();
        events.close();
        if (ownsLeaseClient) {
            leaseClient.close();
        }
    }

    private void startShard(int shard) {
        if (controllers.containsKey(shard) || !coordinator.holds(shard)) {
            return;
        }
        gate.open(shard);
        ShardController controller = new ShardController(shard, client, settings, controllerMetrics,
                new PlugReconciler(shard, directory, shared, coupler, events, gate),
                new SocketReconciler(shard, directory, socketLifecycle, events, gate),
                new DeferredResourceReconciler(deferredResources, events, gate, terminatingNamespaces), stopGrace());
        controllers.put(shard, controller);
        controller.start();
        directory.serve(shard);
        labeler.shardGained(shard);
    }

    private void stopShard(int shard) {
        gate.close(shard);
        directory.withdraw(shard);
        ShardController controller = controllers.remove(shard);
        if (controller != null) {
            controller.stop(stopGrace());
        }
    }

    /**
     * How long a lost shard's controllers get to stop before their reconciles are interrupted: a quarter of the margin
     * between this replica's renew deadline and the lease's expiry, so all of it ends before another replica can
     * acquire the shard.
     */
    private Duration stopGrace() {
        return sharding.leaseDuration().minus(sharding.renewDeadline()).dividedBy(4);
    }

    /** The coordinator's callbacks: gains are started off its thread; a loss returns once the shard's work stopped. */
    private final class Shards implements ShardListener {
        @Override
        public void shardGained(int shard) {
            LOG.info("event=shard_gained replica={} shard={}", sharding.identity(), shard);
            shardLifecycle.execute(() -> {
                try {
                    startShard(shard);
                } catch (RuntimeException e) {
                    LOG.warn("event=shard_start_failed replica={} shard={} message=\"{}\"", sharding.identity(),
                            shard, e.getMessage());
                    stopShard(shard);
                }
            });
        }

        @Override
        public void shardLost(int shard) {
            // Fence first: from here no new reconcile of this shard starts, whatever the stopping below takes.
            gate.close(shard);
            directory.withdraw(shard);
            LOG.info("event=shard_lost replica={} shard={}", sharding.identity(), shard);
            // Within the margin between the renew deadline and the lease's expiry no other replica can take the
            // shard: stopping (which interrupts reconciles after a grace) and waiting for the last reconcile (a call
            // to a slow API may ignore the interrupt) both happen in it.
            long deadline = System.nanoTime() + sharding.leaseDuration().minus(sharding.renewDeadline()).toNanos();
            try {
                Future<?> stopping = shardLifecycle.submit(() -> stopShard(shard));
                stopping.get(stopGrace().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
                if (!gate.awaitIdle(shard, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    LOG.warn("event=shard_reconcile_still_running replica={} shard={}", sharding.identity(), shard);
                }
            } catch (TimeoutException e) {
                LOG.warn("event=shard_stop_slow replica={} shard={}", sharding.identity(), shard);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // The replica is closing and stops every shard itself.
                LOG.debug("event=shard_stop_left_to_close replica={} shard={}", sharding.identity(), shard);
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("event=shard_stop_failed replica={} shard={} message=\"{}\"", sharding.identity(), shard,
                        e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
