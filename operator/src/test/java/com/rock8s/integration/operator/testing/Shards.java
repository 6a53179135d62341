package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.Collection;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What tests check about how shards are spread over replicas. */
public final class Shards {
    private Shards() {
    }

    /** Shard → the replicas serving it now. */
    public static Map<Integer, List<String>> servers(Collection<Replica> replicas) {
        Map<Integer, List<String>> servers = new TreeMap<>();
        for (Replica replica : replicas) {
            replica.runtime().servedShards().forEach(shard -> servers
                    .computeIfAbsent(shard, k -> new java.util.ArrayList<>()).add(replica.identity()));
        }
        return servers;
    }

    /** Every shard served by exactly one replica, the spread at most one, and each shard's Lease names its server. */
    public static void assertBalanced(TestCluster cluster, Collection<Replica> replicas) {
        int shards = cluster.sharding().shards();
        Map<Integer, List<String>> servers = servers(replicas);
        assertThat(servers.keySet()).as("served shards").hasSize(shards);
        servers.forEach((shard, by) -> assertThat(by).as("replicas serving shard %d", shard).hasSize(1));
        IntSummaryStatistics held = replicas.stream().mapToInt(r -> r.runtime().servedShards().size())
                .summaryStatistics();
        assertThat(held.getMax() - held.getMin()).as("spread of shards per replica %s", servers).isLessThanOrEqualTo(1);
        Map<Integer, String> holders = leaseHolders(cluster);
        servers.forEach((shard, by) -> assertThat(holders.get(shard)).as("holder of shard %d's lease", shard)
                .isEqualTo(by.get(0)));
    }

    /** Shard → holder identity, from the shard Leases. */
    public static Map<Integer, String> leaseHolders(TestCluster cluster) {
        String prefix = cluster.sharding().leasePrefix() + "-shard-";
        Map<Integer, String> holders = new HashMap<>();
        for (Lease lease : cluster.client().leases().inNamespace(cluster.sharding().namespace()).list().getItems()) {
            String name = lease.getMetadata().getName();
            if (name.startsWith(prefix) && lease.getSpec() != null) {
                holders.put(Integer.parseInt(name.substring(prefix.length())), lease.getSpec().getHolderIdentity());
            }
        }
        return holders;
    }

    /** Each replica caches only plugs and sockets of namespaces whose shard it serves. */
    public static void assertCachesHoldOnlyOwnShards(Collection<Replica> replicas) {
        for (Replica replica : replicas) {
            Set<Integer> served = replica.runtime().servedShards();
            List<String> foreign = replica.runtime().cachedObjects().stream()
                    .filter(o -> !served.contains(replica.runtime().shardOf(namespaceOf(o))))
                    .collect(Collectors.toList());
            assertThat(foreign).as("objects %s caches outside its shards %s", replica.identity(), served).isEmpty();
        }
    }

    /** The namespace of an entry of {@code OperatorRuntime.cachedObjects()} ({@code Kind namespace/name}). */
    static String namespaceOf(String cachedObject) {
        String path = cachedObject.substring(cachedObject.indexOf(' ') + 1);
        return path.substring(0, path.indexOf('/'));
    }

    /**
     * How many objects of {@code namespaces} the replicas cache in all, counting each plug and socket once per replica
     * caching it (other test classes' objects may still be on the shared API server).
     */
    public static long cachedTotal(Collection<Replica> replicas, Class<?> kind, Collection<String> namespaces) {
        String prefix = kind == Plug.class ? "Plug " : kind == Socket.class ? "Socket " : "";
        return replicas.stream().flatMap(r -> r.runtime().cachedObjects().stream())
                .filter(o -> o.startsWith(prefix) && namespaces.contains(namespaceOf(o))).count();
    }
}
