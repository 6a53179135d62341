package com.rock8s.integration.operator.deferred;

import static com.rock8s.integration.operator.testing.Manifests.configMap;
import static com.rock8s.integration.operator.testing.Manifests.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.DeferredResourceSpec;
import com.rock8s.integration.operator.api.DeferredResourceWaitFor;
import com.rock8s.integration.operator.testing.RequestRecorder;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DeferredResources end to end against the API: delay, waitFor, applied once as the service account, deletion. */
class DeferredResourceTest {
    /** A one-second resync, so that "not applied again" is checked across many passes. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster(new OperatorSettings(10, Duration.ofSeconds(1), true,
            Duration.ofSeconds(20), "test-operator"));

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<RequestRecorder.Request> requests = new CopyOnWriteArrayList<>();
    private final Consumer<RequestRecorder.Request> listener = requests::add;

    @BeforeEach
    void listen() {
        cluster.requests().addListener(listener);
    }

    @AfterEach
    void stopListening() {
        cluster.requests().removeListener(listener);
    }

    @Test
    void theDelayIsWaitedOutBeforeApplying() {
        String ns = cluster.newNamespace("deferred-delay");
        cluster.create(deferred(ns, "later", spec -> {
            spec.setTimeout(3600L);
            spec.setResource(payload("welcome", Map.of("hello", "world")));
        }));
        await().atMost(TIMEOUT).until(() -> "Waiting".equals(reason(ns, "later")));
        assertThat(resolved(ns, "later").orElseThrow().getMessage()).contains("3600s after creation");
        assertThat(resolved(ns, "later").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(configMapIn(ns, "welcome")).as("not applied before the timeout").isNull();
        // No busy loop: the next pass is scheduled for when the timeout ends, not in a few milliseconds (the
        // one-second resync of this fixture does not apply to a DeferredResource that asked to come back later).
        long passesSoFar = passes(ns, "later");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> passes(ns, "later") <= passesSoFar + 1);
        assertThat(configMapIn(ns, "welcome")).isNull();
        assertThat(requests).filteredOn(r -> r.path().endsWith("/namespaces/" + ns + "/deferredresources/later/status")
                        && r.status() < 300)
                .as("waiting passes do not rewrite the status").hasSizeLessThanOrEqualTo(1);

        // A shorter delay that has already passed since creation: applied on the pass the spec change triggers.
        cluster.client().resources(DeferredResource.class).inNamespace(ns).withName("later").edit(d -> {
            d.getSpec().setTimeout(1L);
            return d;
        });
        await().atMost(TIMEOUT).until(() -> configMapIn(ns, "welcome") != null);
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "later")));
        assertThat(configMapIn(ns, "welcome").getData()).containsEntry("hello", "world");
    }

    @Test
    void aShortDelayIsRescheduledNotMissed() {
        String ns = cluster.newNamespace("deferred-short");
        cluster.create(deferred(ns, "soon", spec -> {
            spec.setTimeout(2L);
            spec.setResource(payload("soon", Map.of("a", "b")));
        }));
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "soon")));
        DeferredResource resolved = deferred(ns, "soon");
        ConfigMap applied = configMapIn(ns, "soon");
        assertThat(applied).isNotNull();
        assertThat(java.time.Instant.parse(applied.getMetadata().getCreationTimestamp()))
                .as("applied no earlier than the timeout after the DeferredResource's creation")
                .isAfterOrEqualTo(java.time.Instant.parse(resolved.getMetadata().getCreationTimestamp())
                        .plusSeconds(2));
    }

    @Test
    void waitForKeepsItWaitingUntilEveryObjectExists() {
        String ns = cluster.newNamespace("deferred-waitfor");
        cluster.create(deferred(ns, "gated", spec -> {
            spec.setWaitFor(List.of(new DeferredResourceWaitFor("v1", "ConfigMap", "settings"),
                    new DeferredResourceWaitFor("v1", "Secret", "credentials")));
            spec.setResource(payload("gated", Map.of("ready", "yes")));
        }));
        await().atMost(TIMEOUT).until(() -> "WaitingForObjects".equals(reason(ns, "gated")));
        assertThat(resolved(ns, "gated").orElseThrow().getMessage())
                .contains("ConfigMap " + ns + "/settings", "Secret " + ns + "/credentials");

        cluster.create(configMap(ns, "settings", Map.of("k", "v")));
        await().atMost(TIMEOUT).until(() -> message(ns, "gated").filter(m -> !m.contains("settings")).isPresent());
        assertThat(reason(ns, "gated")).isEqualTo("WaitingForObjects");
        assertThat(message(ns, "gated").orElseThrow()).contains("Secret " + ns + "/credentials");
        assertThat(configMapIn(ns, "gated")).isNull();

        cluster.create(secret(ns, "credentials", Map.of("password", "s3cret")));
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "gated")));
        assertThat(configMapIn(ns, "gated").getData()).containsEntry("ready", "yes");
    }

    @Test
    void thePayloadIsAppliedOnceAsTheServiceAccountAndNotAgainOnResync() {
        String ns = cluster.newNamespace("deferred-once");
        DeferredResource created = cluster.create(deferred(ns, "once", spec -> {
            spec.setServiceAccountName("deployer");
            spec.setResource(payload("once", Map.of("mode", "initial")));
        }));
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "once")));
        ConfigMap applied = configMapIn(ns, "once");
        assertThat(applied.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "integration-operator")
                .containsEntry("integration.rock8s.com/owner", "deferredresource")
                .containsEntry(DeferredPlan.LABEL_DEFERRED_RESOURCE_UID, created.getMetadata().getUid());
        DeferredResource resolved = deferred(ns, "once");
        assertThat(resolved.getStatus().getAppliedResource().getAppliedAs())
                .isEqualTo("system:serviceaccount:" + ns + ":deployer");
        assertThat(resolved.getStatus().getObservedGeneration()).isEqualTo(resolved.getMetadata().getGeneration());
        assertThat(resolved.getMetadata().getFinalizers()).contains(OperatorSettings.FINALIZER);

        Predicate<RequestRecorder.Request> payloadWrite = r -> r.path().endsWith("/namespaces/" + ns + "/configmaps/once")
                && !"GET".equals(r.method());
        assertThat(requests).filteredOn(payloadWrite).hasSize(1).allSatisfy(r -> {
            assertThat(r.contentType()).as("server-side apply").contains("apply-patch");
            assertThat(r.impersonateUser()).isEqualTo("system:serviceaccount:" + ns + ":deployer");
        });

        // A manual edit of the payload is left alone: applied once means no drift correction.
        cluster.client().configMaps().inNamespace(ns).withName("once").edit(cm -> {
            cm.setData(Map.of("mode", "edited by hand"));
            return cm;
        });
        long passesSoFar = passes(ns, "once");
        await().atMost(TIMEOUT).until(() -> passes(ns, "once") >= passesSoFar + 3);
        assertThat(requests).filteredOn(payloadWrite.and(r -> String.valueOf(r.contentType()).contains("apply-patch")))
                .as("one apply, however many passes").hasSize(1);
        assertThat(configMapIn(ns, "once").getData()).containsEntry("mode", "edited by hand");
        assertThat(requests).filteredOn(r -> r.path().endsWith("/namespaces/" + ns + "/deferredresources/once/status")
                        && r.status() < 300)
                .as("the resolved status is written once").hasSize(1);
        await().atMost(TIMEOUT).until(() -> cluster.eventCount(created, "Applied") == 1);
    }

    @Test
    void aSpecChangeAppliesAgainAndReplacesAnObjectWithAnotherName() {
        String ns = cluster.newNamespace("deferred-change");
        cluster.create(deferred(ns, "moving", spec -> spec.setResource(payload("first", Map.of("v", "1")))));
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "moving")));
        assertThat(configMapIn(ns, "first")).isNotNull();

        cluster.client().resources(DeferredResource.class).inNamespace(ns).withName("moving").edit(d -> {
            d.getSpec().setResource(payload("second", Map.of("v", "2")));
            return d;
        });
        await().atMost(TIMEOUT).until(() -> configMapIn(ns, "second") != null && configMapIn(ns, "first") == null);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            DeferredResource current = deferred(ns, "moving");
            assertThat(current.getStatus().getAppliedResource().getName()).isEqualTo("second");
            assertThat(current.getStatus().getAppliedResource().getGeneration())
                    .isEqualTo(current.getMetadata().getGeneration());
        });
    }

    @Test
    void deletingTheDeferredResourceDeletesThePayloadAndReleasesTheFinalizer() {
        String ns = cluster.newNamespace("deferred-delete");
        cluster.create(deferred(ns, "doomed", spec -> {
            spec.setServiceAccountName("cleaner");
            spec.setResource(payload("doomed", Map.of("x", "y")));
        }));
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "doomed")));
        assertThat(deferred(ns, "doomed").getMetadata().getFinalizers()).contains(OperatorSettings.FINALIZER);
        requests.clear();

        cluster.client().resources(DeferredResource.class).inNamespace(ns).withName("doomed").delete();
        await().atMost(TIMEOUT).until(() -> deferred(ns, "doomed") == null);
        assertThat(configMapIn(ns, "doomed")).as("the payload goes with it").isNull();
        assertThat(requests).filteredOn(r -> "DELETE".equals(r.method())
                        && r.path().endsWith("/namespaces/" + ns + "/configmaps/doomed"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.impersonateUser())
                        .isEqualTo("system:serviceaccount:" + ns + ":cleaner"));
    }

    @Test
    void deletingAWaitingDeferredResourceReleasesItAndAPayloadAlreadyGoneIsFine() {
        String ns = cluster.newNamespace("deferred-release");
        cluster.create(deferred(ns, "never", spec -> {
            spec.setTimeout(3600L);
            spec.setResource(payload("never", Map.of()));
        }));
        cluster.create(deferred(ns, "gone", spec -> spec.setResource(payload("gone", Map.of()))));
        await().atMost(TIMEOUT).until(() -> "Waiting".equals(reason(ns, "never"))
                && "Applied".equals(reason(ns, "gone")));
        cluster.client().configMaps().inNamespace(ns).withName("gone").delete();
        await().atMost(TIMEOUT).until(() -> configMapIn(ns, "gone") == null);

        cluster.client().resources(DeferredResource.class).inNamespace(ns).delete();
        await().atMost(TIMEOUT).until(() -> deferred(ns, "never") == null && deferred(ns, "gone") == null);
        assertThat(configMapIn(ns, "never")).isNull();
    }

    @Test
    void badInputsSayWhatIsWrongWithAWarningAndApplyNothing() {
        String ns = cluster.newNamespace("deferred-bad");
        DeferredResource elsewhere = cluster.create(deferred(ns, "elsewhere", spec -> {
            ObjectMeta meta = new ObjectMeta();
            meta.setName("elsewhere");
            meta.setNamespace("kube-system");
            ConfigMap cm = new ConfigMap();
            cm.setMetadata(meta);
            cm.setData(Map.of("a", "b"));
            spec.setResource(Serialization.jsonMapper().valueToTree(cm));
        }));
        DeferredResource kindless = cluster.create(deferred(ns, "kindless", spec -> {
            var node = payload("kindless", Map.of());
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("kind");
            spec.setResource(node);
        }));
        DeferredResource waitsElsewhere = cluster.create(deferred(ns, "waits-elsewhere", spec -> {
            DeferredResourceWaitFor target = new DeferredResourceWaitFor("v1", "ConfigMap", "settings");
            target.setNamespace("kube-system");
            spec.setWaitFor(List.of(target));
            spec.setResource(payload("waits-elsewhere", Map.of()));
        }));
        DeferredResource negative = cluster.create(deferred(ns, "negative", spec -> {
            spec.setTimeout(-5L);
            spec.setResource(payload("negative", Map.of()));
        }));
        DeferredResource nameless = cluster.create(deferred(ns, "nameless", spec -> {
            spec.setWaitFor(List.of(new DeferredResourceWaitFor("v1", "ConfigMap", null)));
            spec.setResource(payload("nameless", Map.of()));
        }));

        Map<DeferredResource, String> expected = Map.of(elsewhere, "NamespaceForbidden", kindless, "InvalidResource",
                waitsElsewhere, "NamespaceForbidden", negative, "InvalidSpec", nameless, "InvalidSpec");
        expected.forEach((bad, reason) -> {
            String name = bad.getMetadata().getName();
            await().atMost(TIMEOUT).until(() -> reason.equals(reason(ns, name)));
            assertThat(resolved(ns, name).orElseThrow().getStatus()).isEqualTo("False");
            await().atMost(TIMEOUT).until(() -> cluster.eventCount(bad, reason) == 1);
            assertThat(cluster.events(bad)).filteredOn(e -> reason.equals(e.getReason()))
                    .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
        });
        assertThat(message(ns, "elsewhere").orElseThrow()).contains("kube-system");
        assertThat(message(ns, "kindless").orElseThrow()).contains("kind");
        assertThat(cluster.client().configMaps().inNamespace("kube-system").withName("elsewhere").get()).isNull();
        assertThat(cluster.client().configMaps().inNamespace(ns).list().getItems())
                .extracting(cm -> cm.getMetadata().getName())
                .doesNotContain("elsewhere", "kindless", "waits-elsewhere", "negative", "nameless");

        // Fixing the spec is the change bad input waits for.
        cluster.client().resources(DeferredResource.class).inNamespace(ns).withName("negative").edit(d -> {
            d.getSpec().setTimeout(0L);
            return d;
        });
        await().atMost(TIMEOUT).until(() -> "Applied".equals(reason(ns, "negative")));
    }

    private long passes(String ns, String name) {
        return cluster.audit().spans().stream()
                .filter(s -> s.namespace().equals(ns) && s.name().equals("DeferredResource/" + name)
                        && s.end() != Long.MAX_VALUE)
                .count();
    }

    static DeferredResource deferred(String namespace, String name, Consumer<DeferredResourceSpec> spec) {
        DeferredResource deferred = new DeferredResource();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        deferred.setMetadata(meta);
        DeferredResourceSpec value = new DeferredResourceSpec();
        spec.accept(value);
        deferred.setSpec(value);
        return deferred;
    }

    static com.fasterxml.jackson.databind.JsonNode payload(String name, Map<String, String> data) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        ConfigMap cm = new ConfigMap();
        cm.setMetadata(meta);
        cm.setData(data);
        return Serialization.jsonMapper().valueToTree(cm);
    }

    private static DeferredResource deferred(String ns, String name) {
        return cluster.client().resources(DeferredResource.class).inNamespace(ns).withName(name).get();
    }

    private static ConfigMap configMapIn(String ns, String name) {
        return cluster.client().configMaps().inNamespace(ns).withName(name).get();
    }

    private static Optional<Condition> resolved(String ns, String name) {
        DeferredResource deferred = deferred(ns, name);
        if (deferred == null || deferred.getStatus() == null) {
            return Optional.empty();
        }
        return deferred.getStatus().getConditions().stream()
                .filter(c -> DeferredResourceResolver.RESOLVED.equals(c.getType())).findFirst();
    }

    private static String reason(String ns, String name) {
        return resolved(ns, name).map(Condition::getReason).orElse(null);
    }

    private static Optional<String> message(String ns, String name) {
        return resolved(ns, name).map(Condition::getMessage);
    }
}
