package com.rock8s.integration.operator.examples;

import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every pair in {@code deploy/examples/} couples, with the values each example's comment promises. */
class ExamplesTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void postgresExampleCouplesAndRecreatesTheCreateDatabaseJobWithBothConfigs() throws IOException {
        apply("01-postgres-createdb.yaml");
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug("app", "postgres")));
        await().atMost(TIMEOUT).until(() -> job("postgres-namespace", "postgres-coupled-or-updated-app") != null);
        Map<String, String> env = job("postgres-namespace", "postgres-coupled-or-updated-app").getSpec().getTemplate()
                .getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("POSTGRES_DATABASE", "app").containsEntry("POSTGRES_PORT", "5432")
                .containsEntry("POSTGRES_HOSTNAME", "postgres-service.postgres-namespace.svc.cluster.local");
        assertThat(env.get("POSTGRES_PASSWORD")).as("password from Secret postgres-secret").isNotBlank();
        Socket socket = cluster.socket("postgres-namespace", "postgres");
        assertThat(socket.getStatus().getCoupledPlugCount()).isEqualTo(1);
    }

    @Test
    void minimalPairCouplesAcrossNamespaces() throws IOException {
        apply("03-minimal-pair.yaml");
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug("bar-namespace", "bar")));
        Plug plug = cluster.plug("bar-namespace", "bar");
        assertThat(plug.getStatus().getCoupledSocket().getNamespace()).isEqualTo("foo-namespace");
        assertThat(plug.getStatus().getCoupledSocket().getName()).isEqualTo("foo");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cluster.eventCount(plug, "Created")).isEqualTo(1);
            assertThat(cluster.eventCount(plug, "Coupled")).isEqualTo(1);
        });
    }

    @Test
    void interfaceExampleKeepsOnlyDeclaredKeysAndRendersTheResultTemplateFromPlugConfig() throws IOException {
        apply("04-interface-config-result.yaml");
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug("default", "consumer")));
        Plug plug = cluster.plug("default", "consumer");
        assertThat(plug.getStatus().getCoupledResult().getSocket()).containsExactly(Map.entry("foo", "from-secret"));
        assertThat(plug.getStatus().getCoupledResult().getPlug()).isEmpty();
    }

    @Test
    void recreateReplacesThePostgresJobOnUpdated() throws IOException {
        apply("01-postgres-createdb.yaml");
        await().atMost(TIMEOUT).until(() -> job("postgres-namespace", "postgres-coupled-or-updated-app") != null);
        String firstUid = job("postgres-namespace", "postgres-coupled-or-updated-app").getMetadata().getUid();

        cluster.client().resources(Plug.class).inNamespace("app").withName("postgres").edit(p -> {
            p.getSpec().setEpoch("recreate-" + firstUid);
            return p;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Job job = job("postgres-namespace", "postgres-coupled-or-updated-app");
            assertThat(job).isNotNull();
            assertThat(job.getMetadata().getUid()).as("a new Job, not a patched one").isNotEqualTo(firstUid);
            assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .contains(new EnvVar("POSTGRES_DATABASE", "app", null));
        });
    }

    @Test
    void resourcesExampleAppliesTheJobAndTheResultJobOnlyOnceTheFirstSucceeded() throws IOException {
        apply("05-resources-resultresources.yaml");
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug("app", "worker-client")));
        Plug plug = cluster.plug("app", "worker-client");
        Job job = job("app", "my-job");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .containsExactly(new EnvVar("HELLO", "world", null));
        assertThat(job.getMetadata().getLabels()).containsEntry("integration.rock8s.com/plug-uid",
                plug.getMetadata().getUid());
        assertThat(plug.getStatus().getInventory()).extracting(i -> i.getKind() + "/" + i.getName())
                .containsExactly("Job/my-job");
        assertThat(plug.getStatus().getCoupledResult().getPlug()).containsEntry("resultJob", "");
        assertThat(job("app", "my-result-job")).as("skipped while my-job has not succeeded").isNull();

        // The local control plane runs no Job controller, so the test can play it; on a full cluster the
        // placeholder image would never succeed and the controller would overwrite the status.
        assumeTrue(cluster.controlPlane() != null, "needs a control plane without a Job controller");
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        cluster.client().resource(job).updateStatus();
        cluster.client().resources(Plug.class).inNamespace("app").withName("worker-client").edit(p -> {
            p.getSpec().setEpoch("job-finished");
            return p;
        });
        await().atMost(TIMEOUT).until(() -> job("app", "my-result-job") != null);
        assertThat(cluster.plug("app", "worker-client").getStatus().getCoupledResult().getPlug())
                .containsEntry("resultJob", "1");

        cluster.client().resource(plug).delete();
        await().atMost(TIMEOUT).until(() -> job("app", "my-job") == null);
        assertThat(job("app", "my-result-job")).as("resultResources are not deleted on decouple").isNotNull();
    }

    @Test
    void deferredResourceExampleAppliesTheConfigMapAfterItsTimeoutAsItsServiceAccount() throws IOException {
        apply("06-deferred-resource.yaml");
        String ns = "deferred-example";
        await().atMost(TIMEOUT).until(() -> cluster.client().configMaps().inNamespace(ns).withName("welcome")
                .get() != null);
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("welcome").get().getData())
                .containsEntry("greeting", "hello");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            DeferredResource welcome = cluster.client().resources(DeferredResource.class).inNamespace(ns)
                    .withName("welcome").get();
            assertThat(welcome.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Resolved");
                assertThat(c.getReason()).isEqualTo("Applied");
            });
            assertThat(welcome.getStatus().getAppliedResource().getAppliedAs())
                    .isEqualTo("system:serviceaccount:deferred-example:deferred-applier");
            assertThat(java.time.Instant.parse(cluster.client().configMaps().inNamespace(ns).withName("welcome").get()
                    .getMetadata().getCreationTimestamp()))
                    .as("applied after the 5 s timeout")
                    .isAfterOrEqualTo(java.time.Instant.parse(welcome.getMetadata().getCreationTimestamp())
                            .plusSeconds(5));
        });
    }

    private static final List<HasMetadata> APPLIED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void apply(String example) throws IOException {
        Path file = TestCluster.repositoryRoot().resolve("deploy/examples").resolve(example);
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(file)) {
            objects = cluster.client().load(in).items();
        }
        for (HasMetadata object : objects) {
            cluster.client().resource(object).forceConflicts().serverSideApply();
            APPLIED.add(object);
        }
    }

    /**
     * The examples use fixed namespaces (one of them {@code default}, which cannot be deleted): what they applied is
     * deleted while the operator still runs, so no example plug is left on the shared API server.
     */
    @org.junit.jupiter.api.AfterAll
    static void deleteTheExamples() {
        for (HasMetadata object : APPLIED) {
            cluster.client().resource(object).delete();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> APPLIED.stream()
                .allMatch(object -> cluster.client().resource(object).get() == null));
    }

    private static Job job(String namespace, String name) {
        return cluster.client().batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }
}
