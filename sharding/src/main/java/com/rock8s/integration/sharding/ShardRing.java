package com.rock8s.integration.sharding;

import java.nio.charset.StandardCharsets;

/**
 * Maps a namespace to its shard: shard k owns the k-th of S equal ranges of a 64-bit hash of the namespace name, the
 * FNV-1a hash passed through MurmurHash3's 64-bit finalizer. The finalizer matters: FNV-1a alone barely changes its
 * high bits when only the last characters differ, so names such as {@code tenant-0001} ... {@code tenant-0100} all fell
 * into one range, and one replica did the work of every shard.
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
        long hash = fmix64(fnv1a64(namespace));
        // The high 64 bits of the unsigned 128-bit product hash × S.
        long high = Math.multiplyHigh(hash, shards) + ((hash >> 63) & shards);
        return (int) high;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit, the high ones included. */
    public static long fmix64(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
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
