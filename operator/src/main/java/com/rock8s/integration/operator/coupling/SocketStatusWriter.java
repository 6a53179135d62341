package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.SocketStatus;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of socket status in a replica. Many plugs on one socket is the normal case (one shared database,
 * hundreds of tenants), so changes are queued per socket and each batch becomes a single optimistic-concurrency
 * status write: a burst of 500 couplings costs a handful of writes, not 500, and a conflict with another replica is
 * resolved by re-reading and re-applying the batch.
 *
 * <p>The plug's own status is the source of truth for "this plug is coupled to that socket"; the socket's
 * {@code coupledPlugs} is kept equal to it by this writer and repaired by every plug and socket reconcile.
 */
public final class SocketStatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketStatusWriter.class);
    private static final int MAX_ATTEMPTS = 10;
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String READY_REASON = "Ready";
    static final String READY_MESSAGE = "socket accepts plugs";

    private final KubernetesClient client;
    private final Function<ObjectRef, Optional<Socket>> cache;
    private final ExecutorService executor;
    private final Map<String, Batch> pending = new HashMap<>();
    private final Set<String> draining = new HashSet<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final Predicate<String> servesPlugNamespace;

    /**
     * A writer for a single replica that serves every namespace (tests of the writer itself).
     *
     * @param cache a possibly stale view of sockets; the writer falls back to a fresh read on conflict
     */
    public SocketStatusWriter(KubernetesClient client, Function<ObjectRef, Optional<Socket>> cache, int threads) {
        this(client, cache, threads, namespace -> true);
    }

    /**
     * @param cache               a possibly stale view of sockets; the writer falls back to a fresh read on conflict
     * @param servesPlugNamespace whether this replica still serves a plug's namespace when a listing is written: a
     *                            listing queued by a reconcile that was cut short by a shard handover must not be
     *                            written after the new holder decoupled (or deleted) the plug
     */
    public SocketStatusWriter(KubernetesClient client, Function<ObjectRef, Optional<Socket>> cache, int threads,
                              Predicate<String> servesPlugNamespace) {
        this.servesPlugNamespace = servesPlugNamespace;
        this.client = client;
        this.cache = cache;
        AtomicInteger counter = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "socket-status-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Lists {@code plug} in the socket's {@code coupledPlugs}. */
    public CompletableFuture<Void> couple(ObjectRef socket, ObjectRef plug) {
        return submit(socket, status -> {
            if (!servesPlugNamespace.test(plug.getNamespace())) {
                return;
            }
            status.getCoupledPlugs().removeIf(p -> sameObject(p, plug));
            status.getCoupledPlugs().add(plug);
        });
    }

    /**
     * Lists {@code plug} unless the socket already lists {@code limit} other plugs. Runs in the socket's write queue,
     * so concurrent plugs cannot overshoot the limit. Completes with whether the plug is listed.
     */
    public CompletableFuture<Boolean> reserve(ObjectRef socket, ObjectRef plug, int limit) {
        AtomicBoolean listed = new AtomicBoolean();
        return submit(socket, status -> {
            if (!servesPlugNamespace.test(plug.getNamespace())) {
                listed.set(false);
            } else if (status.getCoupledPlugs().stream().anyMatch(p -> sameObject(p, plug))) {
                listed.set(true);
            } else if (status.getCoupledPlugs().size() >= limit) {
                listed.set(false);
            } else {
                status.getCoupledPlugs().add(plug);
                listed.set(true);
            }
        }).thenApply(written -> listed.get());
    }

    /** Removes {@code plug} from the socket's {@code coupledPlugs}. */
    public CompletableFuture<Void> decouple(ObjectRef socket, ObjectRef plug) {
        return submit(socket, status -> status.getCoupledPlugs().removeIf(p -> sameObject(p, plug)));
    }

    /** Records that the socket's {@code created} event ran. */
    public CompletableFuture<Void> markCreated(ObjectRef socket, Long generation) {
        return submit(socket, status -> {
            if (Conditions.find(status.getConditions(), Conditions.COUPLED).isEmpty()) {
                status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, false,
                        Reason.SOCKET_CREATED.value(), Reason.SOCKET_CREATED.defaultMessage(), generation));
            }
            status.setObservedGeneration(generation);
        });
    }

    /**
     * Waits (bounded) for a queued write; a write that failed or did not finish in time is an {@code ApiError}
     * for the step that needed it, which is then retried.
     */
    public static <T> T await(CompletableFuture<T> write, ObjectRef socket) throws CouplingFailure {
        try {
            return write.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CouplingFailure(Reason.API_ERROR, "interrupted while updating socket " + socket.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CouplingFailure(Reason.API_ERROR, "could not update the status of socket " + socket.key()
                    + ": " + e.getMessage(), e);
        }
    }

    /** How many status writes this writer made (for tests and load figures). */
    public int writes() {
        return writes.get();
    }

    private CompletableFuture<Void> submit(ObjectRef socket, Consumer<SocketStatus> mutation) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String key = socket.key() + "@" + socket.getUid();
        boolean start;
        synchronized (this) {
            pending.computeIfAbsent(key, k -> new Batch(socket)).add(socket, mutation, done);
            start = draining.add(key);
        }
        if (start) {
            executor.execute(() -> drain(key));
        }
        return done;
    }

    private void drain(String key) {
        while (true) {
            Batch batch;
            synchronized (this) {
                batch = pending.remove(key);
                if (batch == null) {
                    draining.remove(key);
                    return;
                }
            }
            try {
                write(batch);
            } catch (RuntimeException e) {
                // An API that does not answer (a read or write that fails in transport) fails this batch's waiters,
                // who retry with backoff; the queue itself must keep draining, or the socket's writes stop for good.
                LOG.warn("event=socket_status_write_failed socket={} error=\"{}\"", batch.socket.key(),
                        e.getMessage());
                batch.complete(e);
            }
        }
    }

    private void write(Batch batch) {
        boolean fresh = false;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Socket> current = fresh ? read(batch.socket)
                    : cache.apply(batch.socket).or(() -> read(batch.socket));
            Optional<Socket> target = current.filter(s -> batch.uid == null
                    || batch.uid.equals(s.getMetadata().getUid()));
            if (target.isEmpty()) {
                batch.complete(null);
                return;
            }
            Socket socket = copy(target.get());
            SocketStatus before = socket.getStatus() == null ? new SocketStatus() : socket.getStatus();
            SocketStatus after = copy(before);
            batch.mutations.forEach(m -> m.accept(after));
            finish(after, socket);
            if (sameStatus(before, after)) {
                batch.complete(null);
                return;
            }
            socket.setStatus(after);
            try {
                client.resources(Socket.class).inNamespace(socket.getMetadata().getNamespace()).resource(socket)
                        .updateStatus();
                writes.incrementAndGet();
                batch.complete(null);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    batch.complete(null);
                    return;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    LOG.warn("event=socket_status_write_failed socket={} attempt={} error=\"{}\"", batch.socket.key(),
                            attempt, e.getMessage());
                }
                fresh = true;
            }
        }
        batch.complete(new IllegalStateException("socket " + batch.socket.key() + " status not written after "
                + MAX_ATTEMPTS + " attempts"));
    }

    private Optional<Socket> read(ObjectRef ref) {
        return Optional.ofNullable(client.resources(Socket.class).inNamespace(ref.getNamespace())
                .withName(ref.getName()).get());
    }

    /** Derives count and Coupled condition from the list, once the socket's created event has run. */
    private static void finish(SocketStatus status, Socket socket) {
        status.getCoupledPlugs().sort(Comparator.comparing(ObjectRef::getNamespace)
                .thenComparing(ObjectRef::getName));
        int count = status.getCoupledPlugs().size();
        status.setCoupledPlugCount(count);
        if (Conditions.find(status.getConditions(), Conditions.COUPLED).isEmpty()) {
            return;
        }
        Long generation = socket.getMetadata().getGeneration();
        if (socket.getMetadata().getDeletionTimestamp() != null) {
            status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, count > 0,
                    Reason.SOCKET_DELETING.value(), "socket is being deleted, " + plugs(count) + " still coupled",
                    generation));
        } else if (count > 0) {
            status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, true,
                    Reason.SOCKET_COUPLED.value(), plugs(count) + " coupled", generation));
        } else {
            status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, false,
                    Reason.SOCKET_EMPTY.value(), Reason.SOCKET_EMPTY.defaultMessage(), generation));
        }
        if (Conditions.find(status.getConditions(), Conditions.READY).isEmpty()) {
            status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, true, READY_REASON,
                    READY_MESSAGE, generation));
        }
    }

    /**
     * Records whether the socket's own spec is usable: {@code Ready} True, or False with the reason and message of
     * {@code problem} (an invalid namespace pattern, an unknown template syntax).
     */
    public CompletableFuture<Void> markReady(ObjectRef socket, Long generation, CouplingFailure problem) {
        return submit(socket, status -> {
            status.setConditions(problem == null
                    ? Conditions.set(status.getConditions(), Conditions.READY, true, READY_REASON, READY_MESSAGE,
                            generation)
                    : Conditions.set(status.getConditions(), Conditions.READY, false, problem.reason().value(),
                            problem.getMessage(), generation));
            status.setObservedGeneration(generation);
        });
    }

    private static String plugs(int count) {
        return count == 1 ? "1 plug" : count + " plugs";
    }

    private static boolean sameStatus(SocketStatus a, SocketStatus b) {
        return Objects.equals(a.getCoupledPlugs(), b.getCoupledPlugs())
                && Objects.equals(a.getCoupledPlugCount(), b.getCoupledPlugCount())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Conditions.same(a.getConditions(), b.getConditions());
    }

    private static boolean sameObject(ObjectRef a, ObjectRef b) {
        return Objects.equals(a.getUid(), b.getUid())
                || (Objects.equals(a.getNamespace(), b.getNamespace()) && Objects.equals(a.getName(), b.getName()));
    }

    private static Socket copy(Socket socket) {
        return Serialization.clone(socket);
    }

    private static SocketStatus copy(SocketStatus status) {
        SocketStatus copy = status == null ? new SocketStatus() : Serialization.clone(status);
        if (copy.getCoupledPlugs() == null) {
            copy.setCoupledPlugs(new ArrayList<>());
        }
        if (copy.getConditions() == null) {
            copy.setConditions(new ArrayList<>());
        }
        return copy;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The changes queued for one socket since its last write. */
    private static final class Batch {
        private final ObjectRef socket;
        private String uid;
        private final List<Consumer<SocketStatus>> mutations = new ArrayList<>();
        private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

        Batch(ObjectRef socket) {
            this.socket = socket;
            this.uid = socket.getUid();
        }

        void add(ObjectRef ref, Consumer<SocketStatus> mutation, CompletableFuture<Void> done) {
            if (uid == null) {
                uid = ref.getUid();
            }
            mutations.add(mutation);
            waiters.add(done);
        }

        void complete(Throwable failure) {
            for (CompletableFuture<Void> waiter : waiters) {
                if (failure == null) {
                    waiter.complete(null);
                } else {
                    waiter.completeExceptionally(failure);
                }
            }
        }
    }
}
