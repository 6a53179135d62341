package com.rock8s.integration.loadtest.measure;

import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugStatus;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Watches every plug and socket and turns watch events into latencies: create to {@code Coupled=True}, a change of
 * a plug's inputs to a new {@code status.inputDigest} (the operator's {@code updated}), and delete to the object being
 * gone (decoupled and finalizer released).
 *
 * <p>Times are taken on the watch thread when the event arrives, so each latency includes the watch delivery; that is
 * what a user waiting on the plug would see.
 */
public final class PlugTracker implements AutoCloseable {
    private final long runStartNanos;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Set<String> socketsCreated = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> coupled = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gone = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> changed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> notReadyReasons = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<LatencySample> samples = new ConcurrentLinkedQueue<>();
    private SharedIndexInformer<Plug> plugInformer;
    private SharedIndexInformer<Socket> socketInformer;

    /** @param runStartNanos {@link System#nanoTime()} at the start of the run, the zero of every sample */
    public PlugTracker(long runStartNanos) {
        this.runStartNanos = runStartNanos;
    }

    /** Starts watching plugs and sockets in every namespace. */
    public PlugTracker start(KubernetesClient client) {
        plugInformer = client.resources(Plug.class).inAnyNamespace().inform(handler(this::seen, this::deleted), 0);
        socketInformer = client.resources(Socket.class).inAnyNamespace()
                .inform(handler(this::socketSeen, socket -> socketsCreated.remove(key(socket))), 0);
        return this;
    }

    /** A handler that treats an add and an update alike: both show the object's current state. */
    private static <T> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                seen.accept(object);
            }

            @Override
            public void onUpdate(T old, T object) {
                seen.accept(object);
            }

            @Override
            public void onDelete(T object, boolean unknownFinalState) {
                deleted.accept(object);
            }
        };
    }

    /** Call right before creating a plug; its {@code Coupled=True} is then a sample of {@code phase}. */
    public void expectCreate(String key, String phase) {
        Track track = tracks.computeIfAbsent(key, k -> new Track());
        synchronized (track) {
            track.phase = phase;
            track.sentNanos = System.nanoTime();
        }
    }

    /**
     * Call right before a write that changes a plug's inputs. A plug already waiting keeps its earlier start, so the
     * latency is measured from the first change it has not yet shown.
     *
     * @return whether the plug was coupled and now waits for its change
     */
    public boolean expectChange(String key, String phase) {
        Track track = tracks.get(key);
        if (track == null) {
            return false;
        }
        synchronized (track) {
            if (track.coupledNanos == 0 || track.pendingSince != 0 || track.goneNanos != 0) {
                return false;
            }
            track.pendingSince = System.nanoTime();
            track.pendingDigest = track.digest;
            track.pendingPhase = phase;
        }
        add(pending, phase, 1);
        return true;
    }

    /** Call right before deleting a plug. */
    public void expectDelete(String key, String phase) {
        Track track = tracks.get(key);
        if (track != null) {
            synchronized (track) {
                track.deletePhase = phase;
                track.deleteSentNanos = System.nanoTime();
            }
        }
    }

    /** Plugs of {@code phase} seen {@code Coupled=True}. */
    public long coupled(String phase) {
        return counter(coupled, phase);
    }

    /** Plugs whose change of {@code phase} has shown. */
    public long changed(String phase) {
        return counter(changed, phase);
    }

    /** Plugs still waiting for a change of {@code phase} to show. */
    public long pending(String phase) {
        return counter(pending, phase);
    }

    /** Deleted plugs of {@code phase} seen gone. */
    public long gone(String phase) {
        return counter(gone, phase);
    }

    /** Sockets whose own {@code created} has run (they carry a {@code Coupled} condition). */
    public int socketsCreated() {
        return socketsCreated.size();
    }

    /** Whether the given socket ({@code namespace/name}) has run its {@code created}. */
    public boolean socketCreated(String key) {
        return socketsCreated.contains(key);
    }

    /** Every sample so far, in arrival order. */
    public List<LatencySample> samples() {
        return new ArrayList<>(samples);
    }

    /** Samples of one phase. */
    public List<Double> latencies(String phase) {
        return samples.stream().filter(s -> s.phase().equals(phase)).map(LatencySample::latencyMillis).toList();
    }

    /** How often a plug reported a {@code Ready=False} reason it did not report just before, by reason. */
    public Map<String, Long> notReadyReasons() {
        Map<String, Long> out = new TreeMap<>();
        notReadyReasons.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Sockets in {@code namespace} the watch still sees, whatever their state. */
    public long sockets(String namespace) {
        return socketInformer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).size();
    }

    private static long counter(Map<String, AtomicLong> counters, String phase) {
        AtomicLong c = counters.get(phase);
        return c == null ? 0 : c.get();
    }

    private static void add(Map<String, AtomicLong> counters, String phase, long delta) {
        counters.computeIfAbsent(phase, k -> new AtomicLong()).addAndGet(delta);
    }

    private void seen(Plug plug) {
        long now = System.nanoTime();
        Track track = tracks.computeIfAbsent(key(plug), k -> new Track());
        PlugStatus status = plug.getStatus();
        List<Condition> conditions = status == null ? List.of() : status.getConditions();
        boolean isCoupled = Conditions.find(conditions, Conditions.COUPLED)
                .filter(c -> "True".equals(c.getStatus())).isPresent();
        Optional<Condition> ready = Conditions.find(conditions, Conditions.READY);
        String notReady = ready.filter(c -> "False".equals(c.getStatus())).map(Condition::getReason).orElse(null);
        String digest = status == null ? null : status.getInputDigest();
        LatencySample sample = null;
        String coupledPhase = null;
        String changedPhase = null;
        synchronized (track) {
            if (notReady != null && !notReady.equals(track.lastNotReady)) {
                notReadyReasons.computeIfAbsent(notReady, k -> new LongAdder()).increment();
            }
            track.lastNotReady = notReady;
            track.digest = digest;
            if (isCoupled && track.coupledNanos == 0 && track.sentNanos != 0) {
                track.coupledNanos = now;
                coupledPhase = track.phase;
                sample = sample(track.phase, plug, track.sentNanos, now);
            } else if (track.pendingSince != 0 && digest != null && !digest.equals(track.pendingDigest)) {
                changedPhase = track.pendingPhase;
                sample = sample(changedPhase, plug, track.pendingSince, now);
                track.pendingSince = 0;
                track.pendingDigest = null;
            }
        }
        if (sample != null) {
            samples.add(sample);
        }
        if (coupledPhase != null) {
            add(coupled, coupledPhase, 1);
        }
        if (changedPhase != null) {
            add(changed, changedPhase, 1);
            add(pending, changedPhase, -1);
        }
    }

    private void deleted(Plug plug) {
        long now = System.nanoTime();
        Track track = tracks.get(key(plug));
        if (track == null) {
            return;
        }
        String phase = null;
        LatencySample sample = null;
        String abandoned = null;
        synchronized (track) {
            if (track.goneNanos == 0 && track.deleteSentNanos != 0) {
                track.goneNanos = now;
                phase = track.deletePhase;
                sample = sample(phase, plug, track.deleteSentNanos, now);
            }
            if (track.pendingSince != 0) {
                abandoned = track.pendingPhase;
                track.pendingSince = 0;
            }
        }
        if (sample != null) {
            samples.add(sample);
            add(gone, phase, 1);
        }
        if (abandoned != null) {
            add(pending, abandoned, -1);
        }
    }

    private void socketSeen(Socket socket) {
        if (socket.getStatus() != null
                && Conditions.find(socket.getStatus().getConditions(), Conditions.COUPLED).isPresent()) {
            socketsCreated.add(key(socket));
        }
    }

    private LatencySample sample(String phase, HasMetadata object, long startNanos, long endNanos) {
        return new LatencySample(phase, key(object), (startNanos - runStartNanos) / 1e6, (endNanos - startNanos) / 1e6);
    }

    /** {@code namespace/name}. */
    public static String key(HasMetadata object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    /** {@code namespace/name} of an object the harness is about to write, the same key its watch events get. */
    public static String key(NamespacedName where) {
        return Cache.namespaceKeyFunc(where.getNamespace(), where.getName());
    }

    @Override
    public void close() {
        if (plugInformer != null) {
            plugInformer.close();
        }
        if (socketInformer != null) {
            socketInformer.close();
        }
    }

    /** What the harness knows of one plug; guarded by its own monitor. */
    private static final class Track {
        String phase;
        long sentNanos;
        long coupledNanos;
        String digest;
        long pendingSince;
        String pendingDigest;
        String pendingPhase;
        String deletePhase;
        long deleteSentNanos;
        long goneNanos;
        String lastNotReady;
    }
}
