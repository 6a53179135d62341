package com.rock8s.integration.sharding;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardRingTest {
    @Test
    void fnv1aMatchesTheReferenceVectors() {
        assertThat(ShardRing.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(ShardRing.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(ShardRing.fnv1a64("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void shardsAreTheEqualRangesOfTheMixedHashSpace() {
        assertThat(ShardRing.fmix64(ShardRing.fnv1a64("a"))).isEqualTo(0x82a2a958a9bece5bL);
        ShardRing four = new ShardRing(4);
        // "a" mixes to 0x82a2…, in the third quarter of the unsigned range; "" to 0xefd0…, in the fourth.
        assertThat(four.shardOf("a")).isEqualTo(2);
        assertThat(four.shardOf("")).isEqualTo(3);
        assertThat(new ShardRing(1).shardOf("anything")).isZero();
        // "foobar" mixes to 0x2c22…: shard 2 of 16.
        assertThat(new ShardRing(16).shardOf("foobar")).isEqualTo(2);
    }

    @Test
    void namespacesThatDifferOnlyAtTheEndSpreadEvenly() {
        // Tenants are named in series; FNV-1a's ranges alone put tenant-0000 ... tenant-0099 all in one shard.
        ShardRing ring = new ShardRing(16);
        int[] counts = new int[16];
        IntStream.range(0, 10_000).forEach(i -> counts[ring.shardOf(String.format("tenant-%04d", i))]++);
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(550, 700));

        long shardsOfAHundred = IntStream.range(0, 100).map(i -> ring.shardOf(String.format("lt-ns-%04d", i)))
                .distinct().count();
        assertThat(shardsOfAHundred).isEqualTo(16);
    }

    @Test
    void randomNamesSpreadEvenly() {
        ShardRing ring = new ShardRing(16);
        int[] counts = new int[16];
        java.util.Random random = new java.util.Random(42);
        IntStream.range(0, 10_000).forEach(i -> counts[ring.shardOf(
                new java.util.UUID(random.nextLong(), random.nextLong()).toString())]++);
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(500, 750));
    }

    @Test
    void everyShardIndexIsInRange() {
        for (int shards : new int[] {1, 3, 7, 16, 100}) {
            ShardRing ring = new ShardRing(shards);
            IntStream.range(0, 2_000).forEach(i -> assertThat(ring.shardOf("ns-" + i)).isBetween(0, shards - 1));
        }
        assertThatThrownBy(() -> new ShardRing(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
