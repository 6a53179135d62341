package com.rock8s.integration.sharding;

import com.rock8s.integration.sharding.testing.NetworkPartition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shard Leases on fabric8's mock API server: balance, failover, fencing, handover, scaling. */
@EnableKubernetesMockClient(crud = true, https = false)
class ShardCoordinatorTest {
    private static final int SHARDS = 16;
    // Short enough for quick tests, long enough that a busy 2-core CI machine still renews in time.
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration RENEW = Duration.ofSeconds(3);
    private static final Duration RETRY = Duration.ofMillis(500);

    KubernetesMockServer server;
    KubernetesClient client;

    private final Audit audit = new Audit();
    private final Map<String, Member> members = new HashMap<>();

    /** One replica's coordinator, its partition and its lease client. */
    private record Member(ShardCoordinator coordinator, NetworkPartition partition, KubernetesClient client) {
    }

    /** Gained and lost callbacks of all replicas on one monotonic clock. */
    private static final class Audit {
        private record Entry(long at, String replica, int shard, boolean gained) {
        }

        private final List<Entry> entries = new ArrayList<>();

        ShardListener listener(String replica) {
            return new ShardListener() {
                @Override
                public void shardGained(int shard) {
                    record(new Entry(System.nanoTime(), replica, shard, true));
                }

                @Override
                public void shardLost(int shard) {
                    record(new Entry(System.nanoTime(), replica, shard, false));
                }
            };
        }

        private synchronized void record(Entry entry) {
            entries.add(entry);
        }

        /** Gains of a shard while another replica had not yet reported losing it. */
        synchronized List<String> overlaps() {
            List<String> found = new ArrayList<>();
            Map<Integer, String> holder = new HashMap<>();
            entries.stream().sorted(Comparator.comparingLong(Entry::at)).forEach(e -> {
                String current = holder.get(e.shard());
                if (e.gained()) {
                    if (current != null && !current.equals(e.replica())) {
                        found.add("shard " + e.shard() + " gained by " + e.replica() + " while held by " + current);
                    }
                    holder.put(e.shard(), e.replica());
                } else if (e.replica().equals(current)) {
                    holder.remove(e.shard());
                }
            });
            return found;
        }
    }

    private Member start(String identity) {
        ShardingSettings settings = new ShardingSettings(SHARDS, LEASE, RENEW, RETRY, "ops", identity, "io");
        NetworkPartition partition = new NetworkPartition();
        KubernetesClient fast = ShardCoordinator.fastFailingClient(client.getConfiguration(), settings);
        KubernetesClient leaseClient = partition.client(fast.getConfiguration());
        fast.close();
        ShardCoordinator coordinator = new ShardCoordinator(leaseClient, settings, audit.listener(identity),
                new SimpleMeterRegistry()).start();
        Member member = new Member(coordinator, partition, leaseClient);
        members.put(identity, member);
        return member;
    }

    @AfterEach
    void stopAll() {
        members.values().forEach(m -> {
            m.coordinator().halt();
            m.client().close();
            m.partition().close();
        });
    }

    private void assertBalanced(List<Member> live) {
        Map<Integer, List<ShardCoordinator>> holders = new HashMap<>();
        live.forEach(m -> m.coordinator().heldShards()
                .forEach(s -> holders.computeIfAbsent(s, k -> new ArrayList<>()).add(m.coordinator())));
        assertThat(holders.keySet()).hasSize(SHARDS);
        holders.forEach((shard, by) -> assertThat(by).as("holders of shard %d", shard).hasSize(1));
        IntSummaryStatistics held = live.stream().mapToInt(m -> m.coordinator().heldShards().size())
                .summaryStatistics();
        assertThat(held.getMax() - held.getMin()).isLessThanOrEqualTo(1);
        Map<String, String> leaseHolders = new HashMap<>();
        for (Lease lease : client.leases().inNamespace("ops").list().getItems()) {
            leaseHolders.put(lease.getMetadata().getName(), lease.getSpec().getHolderIdentity());
        }
        members.forEach((identity, m) -> {
            if (live.contains(m)) {
                m.coordinator().heldShards().forEach(s -> assertThat(leaseHolders.get("io-shard-" + s))
                        .isEqualTo(identity));
            }
        });
    }

    @Test
    void aSingleReplicaHoldsEveryShard() {
        Member only = start("solo");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(only.coordinator().heldShards()).hasSize(SHARDS));
        assertThat(client.leases().inNamespace("ops").withName("io-member-solo").get()).isNotNull();
    }

    @Test
    void threeReplicasSplitSixteenShardsFairly() {
        List<Member> three = List.of(start("a"), start("b"), start("c"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(three));
        assertThat(audit.overlaps()).isEmpty();
    }

    @Test
    void aCrashedReplicasShardsAreHeldByTheOthersWithinTheLeaseDurationAndTwoRetries() {
        Member a = start("a");
        Member b = start("b");
        Member c = start("c");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(List.of(a, b, c)));
        Set<Integer> orphaned = c.coordinator().heldShards();
        c.partition().set(NetworkPartition.Mode.REFUSE);
        c.coordinator().halt();
        long crashed = System.nanoTime();
        await().atMost(LEASE.plus(RETRY.multipliedBy(2)).plusMillis(600)).untilAsserted(() -> {
            Set<Integer> held = new TreeSet<>(a.coordinator().heldShards());
            held.addAll(b.coordinator().heldShards());
            assertThat(held).containsAll(orphaned);
        });
        System.out.printf("orphaned shards re-held after %d ms%n", (System.nanoTime() - crashed) / 1_000_000);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertBalanced(List.of(a, b)));
        assertThat(audit.overlaps()).isEmpty();
    }

    @Test
    void aReplicaWhoseRequestsHangStopsWorkBeforeAnyoneTakesItsShards() {
        partitionedReplicaStopsFirst(NetworkPartition.Mode.HANG);
    }

    @Test
    void aReplicaWhoseRequestsAreRefusedStopsWorkBeforeAnyoneTakesItsShards() {
        partitionedReplicaStopsFirst(NetworkPartition.Mode.REFUSE);
    }

    private void partitionedReplicaStopsFirst(NetworkPartition.Mode mode) {
        Member a = start("a");
        Member b = start("b");
        Member c = start("c");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(List.of(a, b, c)));
        c.partition().set(mode);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(c.coordinator().heldShards()).isEmpty();
            assertBalanced(List.of(a, b));
        });
        assertThat(audit.overlaps()).isEmpty();
        c.partition().set(NetworkPartition.Mode.HEALTHY);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertBalanced(List.of(a, b, c)));
        assertThat(audit.overlaps()).isEmpty();
    }

    @Test
    void aGracefulShutdownHandsOverWithoutWaitingForExpiry() {
        Member a = start("a");
        Member b = start("b");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(List.of(a, b)));
        b.coordinator().close();
        members.remove("b");
        // Released Leases are free at once: taken at a's next retries, before they could have expired.
        await().atMost(LEASE.minusSeconds(1)).untilAsserted(() ->
                assertThat(a.coordinator().heldShards()).hasSize(SHARDS));
        assertThat(client.leases().inNamespace("ops").withName("io-member-b").get()).isNull();
        assertThat(audit.overlaps()).isEmpty();
        b.client().close();
        b.partition().close();
    }

    @Test
    void scalingOutAndInRebalances() {
        Member a = start("a");
        Member b = start("b");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(List.of(a, b)));
        Member c = start("c");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(List.of(a, b, c)));
        c.coordinator().close();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertBalanced(List.of(a, b)));
        assertThat(audit.overlaps()).isEmpty();
    }
}
