package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import com.rock8s.integration.sharding.testing.NetworkPartition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-socket write queue survives an API that does not answer. */
class SocketStatusWriterTest {
    private static final String NS = "socket-status-writer";
    private static TestCluster.Access api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = TestCluster.access();
        client = api.newAdminClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        client.namespaces().withName(NS).delete();
        client.close();
    }

    @Test
    void aTransportFailureFailsItsWaitersAndLaterWritesOfTheSameSocketStillHappen() throws Exception {
        Socket created = client.resource(socket(NS, "db", none())).create();
        ObjectRef socketRef = ObjectRef.of(created);
        ObjectRef plug = new ObjectRef("integration.rock8s.com/v1beta1", "Plug", "app", "team", "plug-uid");
        try (NetworkPartition partition = new NetworkPartition();
             KubernetesClient writerClient = partition.client(api.operator());
             SocketStatusWriter writer = new SocketStatusWriter(writerClient, ref -> Optional.empty(), 1)) {
            partition.set(NetworkPartition.Mode.REFUSE);
            assertThatThrownBy(() -> writer.couple(socketRef, plug).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);

            partition.set(NetworkPartition.Mode.HEALTHY);
            writer.couple(socketRef, plug).get(30, TimeUnit.SECONDS);
        }
        Socket written = client.resources(Socket.class).inNamespace(NS).withName("db").get();
        assertThat(written.getStatus().getCoupledPlugs()).extracting(ObjectRef::getUid).containsExactly("plug-uid");
    }
}
