package com.rock8s.integration.sharding;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this replica's fair share of shard Leases and tells a {@link ShardListener} which shards it holds.
 *
 * <p>Every retry period one thread renews the replica's membership Lease and its shard Leases, counts the live
 * replicas (membership Leases renewed within the lease duration), and moves towards holding ceil(S / live) shards:
 * it takes free or expired shard Leases when below that share and releases the surplus when above it (work stops
 * first, then the Lease is cleared, so the next replica can take it at once). Updates carry the resourceVersion they
 * read, so two replicas racing for a Lease cannot both win.
 *
 * <p>Fencing: a separate watchdog, which never waits on the network, calls {@link ShardListener#shardLost} as soon
 * as this replica's own monotonic clock says the renew deadline has passed since the last renew that succeeded
 * (measured from when that request was sent). Other replicas consider a Lease expired only after its
 * resourceVersion stayed unchanged for the whole lease duration on their clocks, which is later. Lease traffic uses a
 * {@link #fastFailingClient fast-failing client} so a hanging API delays nothing but that traffic.
 */
public final class ShardCoordinator implements AutoCloseable {
    /** Label on the Leases this coordinator manages; its value is the lease prefix. */
    public static final String GROUP_LABEL = "integration.rock8s.com/lease-group";
    private static final Logger LOG = LoggerFactory.getLogger(ShardCoordinator.class);

    private final KubernetesClient client;
    private final ShardingSettings settings;
    private final ShardListener listener;
    private final ScheduledExecutorService loop;
    private final ScheduledExecutorService watchdog;
    private final ExecutorService callbacks;
    private final ExecutorService calls;
    private final Map<Integer, Held> held = new ConcurrentHashMap<>();
    /** Lease name → the resourceVersion last seen and when it was first seen (loop thread only). */
    private final Map<String, Observation> observed = new HashMap<>();
    private volatile boolean running;
    private Lease membership;

    private final Counter acquisitions;
    private final MeterRegistry metrics;
    private final Timer renewLatency;
    private final Counter renewFailures;
    private final Timer handoff;

    private record Held(long renewedAtNanos, Lease lease) {
    }

    private record Observation(String resourceVersion, long seenAtNanos) {
    }

    public ShardCoordinator(KubernetesClient leaseClient, ShardingSettings settings, ShardListener listener,
                            MeterRegistry metrics) {
        this.client = leaseClient;
        this.settings = settings;
        this.listener = listener;
        this.metrics = metrics;
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("shard-leases-" + settings.identity()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("shard-fence-" + settings.identity()));
        this.callbacks = Executors.newSingleThreadExecutor(daemon("shard-callbacks-" + settings.identity()));
        this.calls = Executors.newCachedThreadPool(daemon("shard-lease-calls-" + settings.identity()));
        Gauge.builder("integration.operator.shards.held", held, Map::size)
                .description("shard Leases this replica holds").register(metrics);
        this.acquisitions = Counter.builder("integration.operator.shard.acquisitions")
                .description("shard Leases acquired").register(metrics);
        this.renewLatency = Timer.builder("integration.operator.lease.renew")
                .description("latency of successful Lease renewals").register(metrics);
        this.renewFailures = Counter.builder("integration.operator.lease.renew.failures")
                .description("Lease renewals that failed or timed out").register(metrics);
        this.handoff = Timer.builder("integration.operator.shard.handoff.duration")
                .description("from a shard Lease becoming free (released, or expired) to this replica holding it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(metrics);
    }

    /**
     * A client for Lease traffic that fails fast: no retries with backoff, and connect and request timeouts of a
     * quarter of the renew deadline, so a renew that cannot succeed fails while the Lease is still valid.
     */
    public static KubernetesClient fastFailingClient(Config base, ShardingSettings settings) {
        int timeout = (int) Math.max(200, settings.renewDeadline().toMillis() / 4);
        Config config = new ConfigBuilder(base)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(timeout)
                .withRequestTimeout(timeout)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    public ShardCoordinator start() {
        running = true;
        loop.scheduleWithFixedDelay(this::tick, 0, settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        long fenceCheck = Math.max(20, settings.retryPeriod().toMillis() / 5);
        watchdog.scheduleWithFixedDelay(this::fence, fenceCheck, fenceCheck, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The shards held now (a snapshot). */
    public Set<Integer> heldShards() {
        return Collections.unmodifiableSet(new TreeSet<>(held.keySet()));
    }

    public boolean holds(int shard) {
        return held.containsKey(shard);
    }

    /** Graceful: stops work on every shard, then releases the Leases so others take them at their next retry. */
    @Override
    public void close() {
        if (!stopLoop()) {
            return;
        }
        for (Integer shard : new ArrayList<>(held.keySet())) {
            release(shard, "shutdown");
        }
        if (membership != null) {
            try {
                call(() -> client.leases().inNamespace(settings.namespace())
                        .withName(membership.getMetadata().getName()).delete());
            } catch (Exception e) {
                LOG.info("event=membership_release_failed replica={} message=\"{}\"", settings.identity(),
                        e.getMessage());
            }
        }
        shutdownExecutors();
    }

    /** As if the process died: renewing stops and work stops, no Lease is touched (tests, chaos). */
    public void halt() {
        if (!stopLoop()) {
            return;
        }
        for (Integer shard : new ArrayList<>(held.keySet())) {
            Held was = held.remove(shard);
            if (was != null) {
                awaitCallback(() -> listener.shardLost(shard));
            }
        }
        shutdownExecutors();
    }

    private boolean stopLoop() {
        if (!running) {
            return false;
        }
        running = false;
        loop.shutdown();
        watchdog.shutdown();
        try {
            if (!loop.awaitTermination(settings.renewDeadline().toMillis(), TimeUnit.MILLISECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private void shutdownExecutors() {
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(settings.renewDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
    }

    /** Stops work on shards whose renew deadline has passed; runs on its own thread, never on the network. */
    private void fence() {
        long now = System.nanoTime();
        long deadline = settings.renewDeadline().toNanos();
        held.forEach((shard, h) -> {
            if (now - h.renewedAtNanos() > deadline && held.remove(shard, h)) {
                LOG.warn("event=shard_fenced replica={} shard={} reason=renew_deadline_passed", settings.identity(),
                        shard);
                metrics.counter("integration.operator.shard.releases", "reason", "deadline").increment();
                callbacks.execute(() -> listener.shardLost(shard));
            }
        });
    }

    /**
     * One round. Shard renewals come first and never wait on the membership Lease or the list: they are what keeps
     * work running. Rebalancing needs the list and is skipped when it fails.
     */
    private void tick() {
        if (!running) {
            return;
        }
        try {
            Map<String, Lease> leases = listLeases();
            if (leases != null) {
                observe(leases.values());
            }
            renewShards(leases == null ? Map.of() : leases);
            renewMembership();
            if (leases != null) {
                rebalance(leases);
            }
        } catch (LeaseCallFailed e) {
            LOG.info("event=lease_round_failed replica={} message=\"{}\"", settings.identity(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("event=lease_round_error replica={} message=\"{}\"", settings.identity(), e.toString());
        }
    }

    /** This group's Leases by name, or null when the API did not answer. */
    private Map<String, Lease> listLeases() {
        try {
            Map<String, Lease> leases = new HashMap<>();
            for (Lease lease : call(() -> client.leases().inNamespace(settings.namespace())
                    .withLabel(GROUP_LABEL, settings.leasePrefix()).list().getItems())) {
                leases.put(lease.getMetadata().getName(), lease);
            }
            return leases;
        } catch (LeaseCallFailed e) {
            LOG.info("event=lease_list_failed replica={} message=\"{}\"", settings.identity(), e.getMessage());
            return null;
        }
    }

    private void renewMembership() {
        String name = settings.memberLeaseName(settings.identity());
        Lease current = membership;
        try {
            if (current == null) {
                current = call(() -> client.leases().inNamespace(settings.namespace()).withName(name).get());
            }
            Lease desired = stamped(current == null ? newLease(name) : current, settings.identity(), false);
            membership = current == null
                    ? call(() -> client.leases().inNamespace(settings.namespace()).resource(desired).create())
                    : call(() -> client.leases().inNamespace(settings.namespace()).resource(desired).update());
        } catch (LeaseCallFailed e) {
            // Re-read next round. A missed membership renewal only delays how others count this replica.
            membership = null;
            LOG.info("event=membership_renew_failed replica={} message=\"{}\"", settings.identity(),
                    e.getMessage());
        }
    }

    private void observe(Iterable<Lease> leases) {
        long now = System.nanoTime();
        for (Lease lease : leases) {
            String name = lease.getMetadata().getName();
            String version = lease.getMetadata().getResourceVersion();
            Observation seen = observed.get(name);
            if (seen == null || !Objects.equals(seen.resourceVersion(), version)) {
                observed.put(name, new Observation(version, now));
            }
        }
    }

    private boolean expired(Lease lease) {
        Observation seen = observed.get(lease.getMetadata().getName());
        return seen != null && System.nanoTime() - seen.seenAtNanos() >= settings.leaseDuration().toNanos();
    }

    private static boolean free(Lease lease) {
        return lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null
                || lease.getSpec().getHolderIdentity().isEmpty();
    }

    /**
     * Renews every held shard Lease at once: one slow but answering call per shard, one after another, could add up
     * to more than the renew deadline and fence shards whose renewals all succeed.
     */
    private void renewShards(Map<String, Lease> leases) {
        Map<Integer, Future<Lease>> renewals = new HashMap<>();
        Map<Integer, Held> before = new HashMap<>(held);
        long sent = System.nanoTime();
        before.forEach((shard, was) -> {
            Lease lease = leases.getOrDefault(settings.shardLeaseName(shard), was.lease());
            if (lease.getSpec() == null || !settings.identity().equals(lease.getSpec().getHolderIdentity())) {
                if (held.remove(shard, was)) {
                    LOG.warn("event=shard_taken replica={} shard={} holder={}", settings.identity(), shard,
                            lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity());
                    metrics.counter("integration.operator.shard.releases", "reason", "lost").increment();
                    callbacks.execute(() -> listener.shardLost(shard));
                }
                return;
            }
            Lease desired = stamped(lease, settings.identity(), false);
            renewals.put(shard, calls.submit(() -> client.leases().inNamespace(settings.namespace())
                    .resource(desired).update()));
        });
        long deadline = sent + settings.renewDeadline().toNanos() / 2;
        renewals.forEach((shard, renewal) -> {
            try {
                Lease renewed = await(renewal, deadline);
                renewLatency.record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
                // Only if the watchdog has not fenced the shard meanwhile.
                held.replace(shard, before.get(shard), new Held(sent, renewed));
            } catch (LeaseCallFailed e) {
                renewFailures.increment();
            }
        });
    }

    /**
     * Moves towards every live replica holding floor(S / live) or ceil(S / live) shards: above the ceiling the
     * surplus is released; at the ceiling one shard is released while some replica is below the floor; below the
     * floor free or expired shards are taken, and between floor and ceiling only when nobody is below the floor (so
     * a freed shard goes to the replica that needs it).
     */
    private void rebalance(Map<String, Lease> leases) {
        Map<String, Integer> counts = liveMembers(leases);
        int live = counts.size();
        int floor = settings.shards() / live;
        int ceiling = (settings.shards() + live - 1) / live;
        int mine = held.size();
        boolean someoneBelowFloor = counts.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(settings.identity()) && e.getValue() < floor);
        int release = mine > ceiling ? mine - ceiling : mine == ceiling && floor < ceiling && someoneBelowFloor ? 1 : 0;
        if (release > 0) {
            List<Integer> surplus = new ArrayList<>(held.keySet());
            Collections.shuffle(surplus);
            for (Integer shard : surplus.subList(0, release)) {
                release(shard, "rebalance");
            }
            return;
        }
        int target = mine < floor || !someoneBelowFloor ? ceiling : floor;
        if (mine >= target) {
            return;
        }
        List<Integer> candidates = new ArrayList<>();
        for (int shard = 0; shard < settings.shards(); shard++) {
            Lease lease = leases.get(settings.shardLeaseName(shard));
            if (!held.containsKey(shard) && (lease == null || free(lease) || expired(lease)
                    || settings.identity().equals(lease.getSpec().getHolderIdentity()))) {
                candidates.add(shard);
            }
        }
        Collections.shuffle(candidates);
        for (Integer shard : candidates) {
            if (held.size() >= target || !running) {
                return;
            }
            acquire(shard, leases.get(settings.shardLeaseName(shard)));
        }
    }

    /** Live replicas (this one and every unexpired membership Lease) → shard Leases each validly holds. */
    private Map<String, Integer> liveMembers(Map<String, Lease> leases) {
        String memberPrefix = settings.memberLeaseName("");
        String shardPrefix = settings.shardLeasePrefix();
        Map<String, Integer> counts = new HashMap<>();
        counts.put(settings.identity(), held.size());
        for (Lease lease : leases.values()) {
            String name = lease.getMetadata().getName();
            if (name.startsWith(memberPrefix) && !free(lease) && !expired(lease)) {
                counts.putIfAbsent(lease.getSpec().getHolderIdentity(), 0);
            }
        }
        for (Lease lease : leases.values()) {
            String name = lease.getMetadata().getName();
            if (name.startsWith(shardPrefix) && !free(lease) && !expired(lease)) {
                String holder = lease.getSpec().getHolderIdentity();
                if (!holder.equals(settings.identity())) {
                    counts.computeIfPresent(holder, (k, v) -> v + 1);
                }
            }
        }
        return counts;
    }

    private void acquire(int shard, Lease current) {
        String name = settings.shardLeaseName(shard);
        long freeSince = freeSinceMillis(current);
        long sent = System.nanoTime();
        Lease acquired;
        try {
            Lease desired = stamped(current == null ? newLease(name) : current, settings.identity(), true);
            acquired = current == null
                    ? call(() -> client.leases().inNamespace(settings.namespace()).resource(desired).create())
                    : call(() -> client.leases().inNamespace(settings.namespace()).resource(desired).update());
        } catch (LeaseCallFailed e) {
            if (e.conflict()) {
                return;
            }
            throw e;
        }
        held.put(shard, new Held(sent, acquired));
        acquisitions.increment();
        if (freeSince > 0) {
            handoff.record(Math.max(0, System.currentTimeMillis() - freeSince), TimeUnit.MILLISECONDS);
        }
        LOG.info("event=shard_acquired replica={} shard={} held={}", settings.identity(), shard, held.size());
        callbacks.execute(() -> listener.shardGained(shard));
    }

    /** Wall-clock millis since which the Lease has been free (its last renew, plus the duration if it expired). */
    private long freeSinceMillis(Lease lease) {
        if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
            return 0;
        }
        long renewed = lease.getSpec().getRenewTime().toInstant().toEpochMilli();
        return free(lease) ? renewed : renewed + settings.leaseDuration().toMillis();
    }

    /** Stops work on the shard, then clears the Lease's holder so another replica can take it at once. */
    private void release(int shard, String reason) {
        Held was = held.remove(shard);
        if (was == null) {
            return;
        }
        awaitCallback(() -> listener.shardLost(shard));
        metrics.counter("integration.operator.shard.releases", "reason", reason).increment();
        Lease cleared = new LeaseBuilder(was.lease()).editSpec().withHolderIdentity(null).withRenewTime(now())
                .endSpec().build();
        try {
            call(() -> client.leases().inNamespace(settings.namespace()).resource(cleared).update());
            LOG.info("event=shard_released replica={} shard={} reason={}", settings.identity(), shard, reason);
        } catch (LeaseCallFailed e) {
            // It expires on its own; stopping work did not depend on this write.
            LOG.info("event=shard_release_failed replica={} shard={} message=\"{}\"", settings.identity(), shard,
                    e.getMessage());
        }
    }

    private void awaitCallback(Runnable callback) {
        try {
            callbacks.submit(callback).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("event=shard_callback_failed replica={} message=\"{}\"", settings.identity(),
                    e.getCause().toString());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            callback.run();
        }
    }

    private Lease newLease(String name) {
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace(settings.namespace())
                .addToLabels(GROUP_LABEL, settings.leasePrefix()).endMetadata().withNewSpec().endSpec().build();
    }

    private Lease stamped(Lease lease, String holder, boolean acquiring) {
        ZonedDateTime now = now();
        LeaseBuilder builder = new LeaseBuilder(lease);
        builder.editSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds((int) Math.max(1, settings.leaseDuration().toSeconds()))
                .withRenewTime(now)
                .endSpec();
        if (acquiring) {
            int transitions = lease.getSpec() == null || lease.getSpec().getLeaseTransitions() == null ? 0
                    : lease.getSpec().getLeaseTransitions();
            builder.editSpec().withAcquireTime(now)
                    .withLeaseTransitions(free(lease) || holder.equals(lease.getSpec().getHolderIdentity())
                            ? transitions : transitions + 1)
                    .endSpec();
        }
        return builder.build();
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    /** Runs one API call, bounded by the renew deadline whatever the client does. */
    private <T> T call(Callable<T> request) {
        return await(calls.submit(request), System.nanoTime() + settings.renewDeadline().toNanos() / 2);
    }

    /** The call's result, bounded by {@code deadlineNanos} on the monotonic clock whatever the client does. */
    private static <T> T await(Future<T> future, long deadlineNanos) {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new LeaseCallFailed("lease call timed out", false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            boolean conflict = cause instanceof KubernetesClientException k && (k.getCode() == 409
                    || k.getCode() == 404);
            throw new LeaseCallFailed(cause.toString(), conflict);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseCallFailed("interrupted", false);
        }
    }

    private static final class LeaseCallFailed extends RuntimeException {
        private final boolean conflict;

        LeaseCallFailed(String message, boolean conflict) {
            super(message, null, false, false);
            this.conflict = conflict;
        }

        /** The API answered: someone else changed or removed the Lease (as opposed to no answer at all). */
        boolean conflict() {
            return conflict;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
