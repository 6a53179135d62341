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
    void shardsAreTheEqualRangesOfTheHashSpace() {
        ShardRing four = new ShardRing(4);
        // "a" hashes to 0xaf63…, in the third quarter of the unsigned range; "" to 0xcbf2…, in the fourth.
        assertThat(four.shardOf("a")).isEqualTo(2);
        assertThat(four.shardOf("")).isEqualTo(3);
        assertThat(new ShardRing(1).shardOf("anything")).isZero();
        // 0x85944171… is just above half of 2^64: shard 8 of 16.
        assertThat(new ShardRing(16).shardOf("foobar")).isEqualTo(8);
    }

    @Test
    void namespacesSpreadRoughlyEvenly() {
        ShardRing ring = new ShardRing(16);
        int[] counts = new int[16];
        // Names that differ only in their last characters share most FNV-1a high bits; real namespace names
        // vary more, as these random ones do (fixed seed, so the test is repeatable).
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
