package com.rock8s.integration.operator.apparatus;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes managed apparatus Pods whose idle deadline ({@value ManagedApparatus#IDLE_DEADLINE}) has passed. The deadline
 * is read from the Pod, not from memory, so Pods started by a replica that has since stopped are cleaned up too. With
 * sharding each replica sweeps only the namespaces it serves ({@code servesNamespace}).
 */
public final class ApparatusJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApparatusJanitor.class);

    private final KubernetesClient client;
    private final Duration interval;
    private final Predicate<String> servesNamespace;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "apparatus-janitor");
        thread.setDaemon(true);
        return thread;
    });

    public ApparatusJanitor(KubernetesClient client, Duration interval, Predicate<String> servesNamespace,
                            Clock clock) {
        this.client = client;
        this.interval = interval;
        this.servesNamespace = servesNamespace;
        this.clock = clock;
    }

    /** Sweeps every {@code interval}, the first time one interval from now. */
    public ApparatusJanitor start() {
        timer.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Deletes the idle Pods of the namespaces served now and returns how many. */
    public int sweep() {
        Instant now = clock.instant();
        int deleted = 0;
        for (Pod pod : client.pods().inAnyNamespace().withLabel(ManagedApparatus.LABEL).list().getItems()) {
            String namespace = pod.getMetadata().getNamespace();
            Optional<Instant> deadline = ManagedApparatus.deadline(pod);
            if (!servesNamespace.test(namespace) || deadline.isEmpty() || deadline.get().isAfter(now)
                    || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
            deleted++;
            LOG.info("event=apparatus_pod_idle_deleted namespace={} pod={} deadline={}", namespace,
                    pod.getMetadata().getName(), deadline.get());
        }
        return deleted;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (KubernetesClientException e) {
            // the next sweep tries again; an API hiccup must not end the schedule
            LOG.warn("event=apparatus_janitor_failed code={} message=\"{}\"", e.getCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("event=apparatus_janitor_failed message=\"{}\"", e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
