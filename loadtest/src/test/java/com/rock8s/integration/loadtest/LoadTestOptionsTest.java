package com.rock8s.integration.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadTestOptionsTest {

    @Test
    void defaultsFollowTheIssue() {
        LoadTestOptions o = LoadTestOptions.parse(List.of());
        assertThat(o.plugs()).isEqualTo(5000);
        assertThat(o.hotPlugs()).isEqualTo(2000);
        assertThat(o.replicas()).isEqualTo(1);
        assertThat(o.target()).isEqualTo(LoadTestOptions.Target.LOCAL);
        assertThat(o.commandLine()).contains("--target local");
    }

    @Test
    void everyTargetCanBeChosenAndTheEmbeddedOneKeepsItsPort() {
        assertThat(LoadTestOptions.parse(List.of("--target", "local")).target())
                .isEqualTo(LoadTestOptions.Target.LOCAL);
        LoadTestOptions embedded = LoadTestOptions.parse(List.of("--target", "EMBEDDED", "--api-port", "18080"));
        assertThat(embedded.target()).isEqualTo(LoadTestOptions.Target.EMBEDDED);
        assertThat(embedded.apiPort()).isEqualTo(18080);
        assertThat(embedded.commandLine()).contains("--target embedded");
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--api-port", "18080")))
                .hasMessageContaining("--target embedded");
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--target", "mock")))
                .hasMessageContaining("local, embedded or kubeconfig");
    }

    @Test
    void onlyAClusterWhereTheOperatorRunsMayHaveNoReplica() {
        assertThat(LoadTestOptions.parse(List.of("--target", "kubeconfig", "--replicas", "0")).replicas()).isZero();
        for (String target : List.of("local", "embedded")) {
            assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--target", target, "--replicas", "0")))
                    .hasMessageContaining("--replicas must be at least 1");
        }
    }

    @Test
    void parsesBothSpellingsAndDurations() {
        LoadTestOptions o = LoadTestOptions.parse(List.of("--plugs=10_000", "--replicas", "3", "--duration", "2m",
                "--target", "kubeconfig", "--kill-replica"));
        assertThat(o.plugs()).isEqualTo(10_000);
        assertThat(o.replicas()).isEqualTo(3);
        assertThat(o.churnSeconds()).isEqualTo(120);
        assertThat(o.killReplica()).isTrue();
        assertThat(o.target()).isEqualTo(LoadTestOptions.Target.KUBECONFIG);
        assertThat(o.commandLine()).contains("--plugs 10000", "--replicas 3", "--kill-replica", "--target kubeconfig");
    }

    @Test
    void operatorMetricsAreUrlsForAClusterOnly() {
        LoadTestOptions o = LoadTestOptions.parse(List.of("--target", "kubeconfig", "--operator-metrics",
                "http://127.0.0.1:9001/metrics,http://127.0.0.1:9002/metrics"));
        assertThat(o.operatorMetrics()).extracting(java.net.URI::getPort).containsExactly(9001, 9002);
        assertThat(o.commandLine()).contains(
                "--operator-metrics http://127.0.0.1:9001/metrics,http://127.0.0.1:9002/metrics");
        assertThat(LoadTestOptions.parse(List.of()).operatorMetrics()).isEmpty();
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--operator-metrics", "http://127.0.0.1:9001/metrics")))
                .hasMessageContaining("--target kubeconfig");
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--target", "local", "--operator-metrics",
                "http://127.0.0.1:9001/metrics"))).hasMessageContaining("--target kubeconfig");
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--target", "kubeconfig", "--operator-metrics",
                "127.0.0.1:9001"))).hasMessageContaining("http(s) URLs");
    }

    @Test
    void smallRunsShrinkTheHotSocketAndTheBaseline() {
        LoadTestOptions o = LoadTestOptions.parse(List.of("--plugs", "300"));
        assertThat(o.hotPlugs()).isEqualTo(300);
        assertThat(o.baselineCouplings()).isEqualTo(300);
    }

    @Test
    void rejectsUnknownOptionsAndBadValues() {
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--plug", "3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--plug");
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--plugs", "many")))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> LoadTestOptions.parse(List.of("--replicas", "0")))
                .hasMessageContaining("--replicas");
    }
}
