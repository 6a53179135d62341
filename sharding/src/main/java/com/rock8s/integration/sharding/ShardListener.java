package com.rock8s.integration.sharding;

/**
 * Told which shards this replica holds. Calls come from one thread, in order, never concurrently.
 */
public interface ShardListener {
    /** The shard's Lease is held: start caching and reconciling its namespaces. */
    void shardGained(int shard);

    /**
     * The shard's Lease is no longer safely held (released, rebalanced, or not renewed within the renew deadline):
     * stop all work on it before returning. Called before any other replica can acquire the Lease.
     */
    void shardLost(int shard);
}
