package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Plug, Socket and DeferredResource controllers of one shard: a Java Operator SDK {@link Operator} of its own
 * whose primary informers select {@code integration.rock8s.com/shard=<k>} on the server, so the replica caches only the
 * objects of the shards it holds. Started when the shard is gained (it then reconciles every object of the shard),
 * stopped when it is lost — within a bounded time, interrupting reconciles still running, because another replica may
 * take the shard soon after.
 */
final class ShardController {
    private static final Logger LOG = LoggerFactory.getLogger(ShardController.class);

    private final int shard;
    private final Operator operator;
    private final ThreadPoolExecutor reconcilers;

    ShardController(int shard, KubernetesClient client, OperatorSettings settings, Metrics metrics,
                    PlugReconciler plugs, SocketReconciler sockets, DeferredResourceReconciler deferred,
                    Duration stopGrace) {
        this.shard = shard;
        AtomicInteger threads = new AtomicInteger();
        this.reconcilers = new ThreadPoolExecutor(settings.reconcileThreads(), settings.reconcileThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "reconcile-shard-" + shard + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        reconcilers.allowCoreThreadTimeOut(true);
        String selector = ShardLabeler.LABEL + "=" + shard;
        this.operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(false)
                .withExecutorService(reconcilers)
                .withReconciliationTerminationTimeout(stopGrace)
                .withStopOnInformerErrorDuringStartup(false)
                .withMetrics(metrics));
        operator.register(plugs, c -> c
                .withName("plugs")
                .withLabelSelector(selector)
                .withFinalizer(OperatorSettings.FINALIZER)
                .withReconciliationMaxInterval(settings.resyncInterval()));
        operator.register(sockets, c -> c
                .withName("sockets")
                .withLabelSelector(selector)
                .withFinalizer(OperatorSettings.FINALIZER)
                .withReconciliationMaxInterval(settings.resyncInterval()));
        operator.register(deferred, c -> c
                .withName("deferredresources")
                .withLabelSelector(selector)
                .withFinalizer(OperatorSettings.FINALIZER)
                .withReconciliationMaxInterval(settings.resyncInterval()));
    }

    /** Starts the controllers; returns once their informers have listed the shard's objects. */
    void start() {
        operator.start();
        LOG.info("event=shard_controllers_started shard={}", shard);
    }

    boolean healthy() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /**
     * Stops within about {@code bound}: the SDK stops its informers and waits for running reconciles; what still runs
     * after that is interrupted (a reconcile blocked on an unreachable API must not outlive the lease).
     */
    void stop(Duration bound) {
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(operator::stop, r -> {
            Thread thread = new Thread(r, "stop-shard-" + shard);
            thread.setDaemon(true);
            thread.start();
        });
        try {
            stopping.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("event=shard_stop_slow shard={} boundMillis={}", shard, bound.toMillis());
        } catch (ExecutionException e) {
            LOG.warn("event=shard_stop_failed shard={} message=\"{}\"", shard, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reconcilers.shutdownNow();
        try {
            if (!reconcilers.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("event=shard_reconciles_still_running shard={}", shard);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("event=shard_controllers_stopped shard={}", shard);
    }
}
