package com.rock8s.integration.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FlowControlTest {
    private static final String BEFORE = """
            # HELP apiserver_flowcontrol_dispatched_requests_total [BETA] Number of requests executed
            # TYPE apiserver_flowcontrol_dispatched_requests_total counter
            apiserver_flowcontrol_dispatched_requests_total{flow_schema="exempt",priority_level="exempt"} 40
            apiserver_flowcontrol_dispatched_requests_total{flow_schema="service-accounts",priority_level="workload-low"} 100
            apiserver_flowcontrol_request_wait_duration_seconds_bucket{execute="true",flow_schema="service-accounts",priority_level="workload-low",le="0.005"} 90
            apiserver_flowcontrol_request_wait_duration_seconds_sum{execute="true",flow_schema="service-accounts",priority_level="workload-low"} 0.1
            apiserver_flowcontrol_request_wait_duration_seconds_count{execute="true",flow_schema="service-accounts",priority_level="workload-low"} 100
            apiserver_flowcontrol_current_inqueue_requests{flow_schema="service-accounts",priority_level="workload-low"} 3
            """;
    private static final String AFTER = """
            apiserver_flowcontrol_dispatched_requests_total{flow_schema="exempt",priority_level="exempt"} 40
            apiserver_flowcontrol_dispatched_requests_total{flow_schema="service-accounts",priority_level="workload-low"} 300
            apiserver_flowcontrol_dispatched_requests_total{flow_schema="global-default",priority_level="global-default"} 5
            apiserver_flowcontrol_rejected_requests_total{flow_schema="service-accounts",priority_level="workload-low",reason="queue-full"} 2
            apiserver_flowcontrol_rejected_requests_total{flow_schema="service-accounts",priority_level="workload-low",reason="time-out"} 1
            apiserver_flowcontrol_request_wait_duration_seconds_sum{execute="true",flow_schema="service-accounts",priority_level="workload-low"} 0.5
            apiserver_flowcontrol_request_wait_duration_seconds_count{execute="true",flow_schema="service-accounts",priority_level="workload-low"} 300
            apiserver_flowcontrol_request_wait_duration_seconds_sum{execute="false",flow_schema="service-accounts",priority_level="workload-low"} 0.3
            apiserver_flowcontrol_request_wait_duration_seconds_count{execute="false",flow_schema="service-accounts",priority_level="workload-low"} 3
            """;

    @Test
    void aPhaseSeesWhatEachPriorityLevelDispatchedRejectedAndWaited() {
        FlowControl.Snapshot during = FlowControl.parse(AFTER).minus(FlowControl.parse(BEFORE));

        assertThat(during.levels()).containsOnlyKeys("workload-low", "global-default");
        FlowControl.Level low = during.levels().get("workload-low");
        assertThat(low.dispatched()).isEqualTo(200);
        assertThat(low.rejected()).isEqualTo(3);
        // (0.5 + 0.3 - 0.1) s over (300 + 3 - 100) requests
        assertThat(low.meanWaitMillis()).isCloseTo(700.0 / 203, within(1e-9));
        assertThat(during.rejected()).isEqualTo(3);
        assertThat(during.describe()).isEqualTo("global-default: 5 dispatched, 0 rejected, mean wait 0.00 ms; "
                + "workload-low: 200 dispatched, 3 rejected, mean wait 3.45 ms");
    }

    @Test
    void aServerWithoutApfMetricsDescribesNothing() {
        FlowControl.Snapshot none = FlowControl.parse("process_cpu_seconds_total 12\n");
        assertThat(none.levels()).isEmpty();
        assertThat(none.minus(FlowControl.Snapshot.EMPTY).describe()).isEmpty();
    }
}
