package com.rock8s.integration.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The paced creators must keep the asked rate while a real API server takes its time per create. */
class CreatorThreadsTest {

    @Test
    void enoughThreadsToHoldTheRateAtAQuarterSecondPerCreate() {
        for (double rate : new double[] {1, 10, 100, 200}) {
            int threads = LoadTest.creatorThreads(rate);
            assertThat(threads / 0.25).as("creates/s %s threads can send at 250 ms each", threads)
                    .isGreaterThanOrEqualTo(rate);
            assertThat(threads).isBetween(4, 64);
        }
        assertThat(LoadTest.creatorThreads(100)).isEqualTo(25);
        assertThat(LoadTest.creatorThreads(10_000)).isEqualTo(64);
        assertThat(LoadTest.creatorThreads(0)).as("as fast as the harness can").isEqualTo(LoadTest.DRIVER_THREADS);
    }
}
