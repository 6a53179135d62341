package com.rock8s.integration.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.operator.embedded.ApiRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestCounterTest {

    @Test
    void namesResourceAndSubresource() {
        assertThat(RequestCounter.resource("/apis/integration.rock8s.com/v1beta1/namespaces/a/plugs/p/status"))
                .isEqualTo("plugs/status");
        assertThat(RequestCounter.resource("/apis/integration.rock8s.com/v1beta1/namespaces/a/plugs/p"))
                .isEqualTo("plugs");
        assertThat(RequestCounter.resource("/api/v1/namespaces/a/events")).isEqualTo("events");
        assertThat(RequestCounter.resource("/api/v1/namespaces/a")).isEqualTo("namespaces");
        assertThat(RequestCounter.resource("/apis/coordination.k8s.io/v1/namespaces/x/leases/shard-1"))
                .isEqualTo("leases");
    }

    @Test
    void countsOnlyTheOperatorsRequestsAndItsWritesByKind() {
        RequestCounter counter = new RequestCounter();
        RequestCounter.Snapshot before = counter.snapshot();
        counter.accept(request("PATCH", "/apis/g/v/namespaces/a/plugs/p/status", "fabric8-kubernetes-client/7.5.2",
                200));
        counter.accept(request("GET", "/apis/g/v/namespaces/a/plugs", "fabric8-kubernetes-client/7.5.2", 200));
        counter.accept(request("PUT", "/apis/g/v/namespaces/a/sockets/s/status", "fabric8", 409));
        counter.accept(request("POST", "/api/v1/namespaces/a/events", RequestCounter.HARNESS_AGENT + "/driver", 201));
        RequestCounter.Snapshot delta = counter.snapshot().minus(before);
        assertThat(delta.operatorRequests()).isEqualTo(3);
        assertThat(delta.operatorWrites()).isEqualTo(2);
        assertThat(delta.harnessRequests()).isEqualTo(1);
        assertThat(delta.writesByResource()).containsExactlyInAnyOrderEntriesOf(
                Map.of("PATCH plugs/status", 1L, "PUT sockets/status", 1L));
        assertThat(delta.errorsByStatus()).containsOnlyKeys("http 409 PUT sockets/status");
    }

    @Test
    void leaseTrafficIsCountedApartFromCouplingWork() {
        RequestCounter counter = new RequestCounter();
        counter.accept(request("PUT", "/apis/coordination.k8s.io/v1/namespaces/o/leases/op-shard-3", "fabric8", 200));
        counter.accept(request("PUT", "/apis/coordination.k8s.io/v1/namespaces/o/leases/op-shard-4", "fabric8", 409));
        counter.accept(request("PATCH", "/apis/g/v/namespaces/a/plugs/p", "fabric8", 200));
        RequestCounter.Snapshot s = counter.snapshot();
        assertThat(s.leaseRequests()).isEqualTo(2);
        assertThat(s.operatorRequests()).isEqualTo(1);
        assertThat(s.operatorWrites()).isEqualTo(1);
        assertThat(s.writesByResource()).containsOnlyKeys("PATCH plugs");
    }

    private static ApiRequest request(String method, String path, String agent, int status) {
        return new ApiRequest(method, path, "", null, Map.of(), agent, null, status);
    }
}
