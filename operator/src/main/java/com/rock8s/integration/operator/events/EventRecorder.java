package com.rock8s.integration.operator.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on plugs and sockets. Writes are asynchronous (an Event is a report, never worth blocking
 * a coupling for) and an identical Warning on the same object is sent at most once per ten minutes, so a plug that
 * keeps failing the same way does not flood the API.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final String COMPONENT = "integration-operator";

    private final KubernetesClient client;
    private final String instance;
    private static final int WRITERS = 4;
    private static final int MAX_QUEUED = 10_000;
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(10);

    private final AtomicInteger dropped = new AtomicInteger();
    /**
     * A few writers so that a burst (hundreds of plugs coupling at once) does not delay the events of everything
     * after it, each object's Events always through the same one so they are stored in the order they happened
     * ({@code kubectl describe} and the API list them by that order when timestamps tie within a second); bounded
     * queues so that an API outage cannot grow memory without limit (overflow is counted and logged, an Event being a
     * report and not state).
     */
    private final ThreadPoolExecutor[] writers = new ThreadPoolExecutor[WRITERS];
    private final Cache<String, Boolean> recentWarnings = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(50_000).build();

    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
        ThreadFactory threads = daemonThreads();
        for (int i = 0; i < WRITERS; i++) {
            writers[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(MAX_QUEUED / WRITERS), threads, (task, pool) -> {
                        int count = dropped.incrementAndGet();
                        if (count == 1 || count % 1000 == 0) {
                            LOG.warn("event=events_dropped count={} reason=\"event queue full\"", count);
                        }
                    });
        }
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        String key = object.getMetadata().getUid() + "|" + reason + "|" + message;
        if (recentWarnings.asMap().putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                .withNamespace(object.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        String uid = object.getMetadata().getUid();
        writers[Math.floorMod(uid == null ? 0 : uid.hashCode(), WRITERS)].execute(() -> {
            try {
                client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("because it is being terminated")) {
                    // The namespace is going away with the object; the API server takes nothing new into it.
                    LOG.debug("event=record_skipped kind={} namespace={} name={} reason={} cause=namespace_terminating",
                            object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(),
                            reason);
                    return;
                }
                LOG.warn("event=record_failed kind={} namespace={} name={} reason={} error=\"{}\"",
                        object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName(),
                        reason, e.getMessage());
            }
        });
    }

    /** Writes what is queued (for a bounded time) and stops. */
    @Override
    public void close() {
        for (ThreadPoolExecutor writer : writers) {
            writer.shutdown();
        }
        long deadline = System.nanoTime() + DRAIN_ON_CLOSE.toNanos();
        try {
            for (ThreadPoolExecutor writer : writers) {
                if (!writer.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("event=events_not_flushed pending={}", writer.getQueue().size());
                    writer.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (ThreadPoolExecutor writer : writers) {
                writer.shutdownNow();
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, "event-recorder-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
