package com.rock8s.integration.sharding;

import java.nio.charset.StandardCharsets;

/**
 * Maps a namespace to its shard: shard k owns the k-th of S equal ranges of the unsigned 64-bit FNV-1a hash of the
 * namespace name. This is the hash-and-range form of Kubernetes' server-side sharded list/watch (KEP-5866), so the
 * assignment stays the same if that replaces the label this operator selects on.
 */
public final class ShardRing {
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int shards;

    public ShardRing(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("at least one shard, got " + shards);
        }
        this.shards = shards;
    }

    public int shards() {
        return shards;
    }

    /** The shard of a namespace: floor(hash × S / 2^64), the range its hash falls in. */
    public int shardOf(String namespace) {
        long hash = fnv1a64(namespace);
        // The high 64 bits of the unsigned 128-bit product hash × S.
        long high = Math.multiplyHigh(hash, shards) + ((hash >> 63) & shards);
        return (int) high;
    }

    /** 64-bit FNV-1a of the UTF-8 bytes. */
    public static long fnv1a64(String text) {
        long hash = FNV_OFFSET_BASIS;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
