package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.controller.OperatorRuntime;
import com.rock8s.integration.sharding.testing.NetworkPartition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * One operator replica a test started, with its own clients behind a partition the test can cut.
 *
 * @param clients the replica's API client and lease client, closed with it
 */
public record Replica(String identity, OperatorRuntime runtime, NetworkPartition partition,
                      List<KubernetesClient> clients) {

    /** Graceful shutdown: work stops, leases are released. */
    public void stop() {
        runtime.close();
        clients.forEach(KubernetesClient::close);
    }

    /** Dies without a word: no lease released, nothing more written. */
    public void crash() {
        partition.set(NetworkPartition.Mode.REFUSE);
        runtime.halt();
        clients.forEach(KubernetesClient::close);
    }
}
