package com.rock8s.integration.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values);
        Summary s = Summary.of(values);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p90()).isEqualTo(90);
        assertThat(s.p99()).isEqualTo(99);
        assertThat(s.max()).isEqualTo(100);
        assertThat(s.mean()).isEqualTo(50.5);
    }

    @Test
    void oneSampleIsEveryPercentileAndNoneIsEmpty() {
        assertThat(Summary.of(List.of(7.0))).isEqualTo(new Summary(1, 7, 7, 7, 7, 7));
        assertThat(Summary.of(List.of())).isEqualTo(Summary.EMPTY);
    }
}
