package com.rock8s.integration.operator.deferred;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rock8s.integration.operator.api.DeferredResource;
import com.rock8s.integration.operator.api.DeferredResourceApplied;
import com.rock8s.integration.operator.api.DeferredResourceStatus;
import com.rock8s.integration.operator.api.DeferredResourceWaitFor;
import com.rock8s.integration.operator.config.ObjectReader;
import com.rock8s.integration.operator.resource.ResourceApplier;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One resolver pass on a fixed clock, without an API: what it waits for, for how long, and what it reads as whom. */
class DeferredResourceResolverTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");
    /** Never called in these passes: they wait, fail on input, or are already resolved. */
    private static final ResourceApplier NO_APPLIER = new ResourceApplier(null, true, Duration.ofSeconds(1));

    private final List<String> reads = new CopyOnWriteArrayList<>();

    @Test
    void aRunningDelayReschedulesForExactlyTheTimeLeftAndReadsNothing() {
        DeferredResource deferred = deferred(spec -> spec.getSpec().setTimeout(60L));
        DeferredOutcome outcome = resolver(Set.of(), CREATED.plusSeconds(10)).resolve(deferred);
        assertThat(outcome.recheckAfter()).contains(Duration.ofSeconds(50));
        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.applied()).isFalse();
        assertThat(reason(outcome)).isEqualTo("Waiting");
        assertThat(outcome.status().getConditions().get(0).getMessage()).contains("2026-01-01T10:01:00Z");
        assertThat(reads).as("waitFor is looked at only after the delay").isEmpty();
    }

    @Test
    void theWaitingMessageDoesNotChangeFromPassToPass() {
        DeferredResource deferred = deferred(spec -> spec.getSpec().setTimeout(3600L));
        String first = resolver(Set.of(), CREATED.plusSeconds(1)).resolve(deferred).status().getConditions().get(0)
                .getMessage();
        String later = resolver(Set.of(), CREATED.plusSeconds(1000)).resolve(deferred).status().getConditions().get(0)
                .getMessage();
        assertThat(later).isEqualTo(first);
    }

    @Test
    void missingWaitForObjectsArePolledEveryFewSecondsAndReadAsTheServiceAccount() {
        DeferredResource deferred = deferred(d -> {
            d.getSpec().setServiceAccountName("watcher");
            DeferredResourceWaitFor crd = new DeferredResourceWaitFor(null, "CustomResourceDefinition",
                    "widgets.example.com");
            crd.setGroup("apiextensions.k8s.io");
            crd.setVersion("v1");
            d.getSpec().setWaitFor(List.of(new DeferredResourceWaitFor("v1", "Secret", "present"), crd));
        });
        DeferredOutcome outcome = resolver(Set.of("Secret/present"), CREATED.plusSeconds(1)).resolve(deferred);
        assertThat(reason(outcome)).isEqualTo("WaitingForObjects");
        assertThat(outcome.recheckAfter()).contains(DeferredResourceResolver.WAIT_FOR_POLL);
        assertThat(outcome.status().getConditions().get(0).getMessage())
                .isEqualTo("waiting for CustomResourceDefinition team/widgets.example.com");
        assertThat(reads).containsExactly(
                "v1 Secret team/present as system:serviceaccount:team:watcher",
                "apiextensions.k8s.io/v1 CustomResourceDefinition team/widgets.example.com as "
                        + "system:serviceaccount:team:watcher");
    }

    @Test
    void aReadThatFailsIsRetriedWithBackoffAndAKindNotServedYetCountsAsMissing() {
        ObjectReader forbidden = (apiVersion, kind, namespace, name, user) -> {
            throw new KubernetesClientException("secrets \"present\" is forbidden", 403, null);
        };
        DeferredResource deferred = deferred(d -> d.getSpec().setWaitFor(List.of(
                new DeferredResourceWaitFor("v1", "Secret", "present"))));
        DeferredOutcome failed = new DeferredResourceResolver(forbidden, NO_APPLIER, clock(CREATED)).resolve(deferred);
        assertThat(reason(failed)).isEqualTo("WaitForFailed");
        assertThat(failed.failure().orElseThrow().reason().retriedWithBackoff()).isTrue();

        ObjectReader notServed = (apiVersion, kind, namespace, name, user) -> {
            throw new KubernetesClientException("Could not find the metadata for the resource with apiVersion "
                    + apiVersion + " and kind " + kind);
        };
        DeferredOutcome waiting = new DeferredResourceResolver(notServed, NO_APPLIER, clock(CREATED))
                .resolve(deferred);
        assertThat(reason(waiting)).isEqualTo("WaitingForObjects");
    }

    @Test
    void aDeferredResourceAppliedFromItsCurrentGenerationMakesNoCall() {
        DeferredResource deferred = deferred(d -> {
            d.getSpec().setWaitFor(List.of(new DeferredResourceWaitFor("v1", "Secret", "present")));
            DeferredResourceStatus status = new DeferredResourceStatus();
            status.setAppliedResource(new DeferredResourceApplied("v1", "ConfigMap", "team", "payload",
                    "system:serviceaccount:team:default", 1L));
            d.setStatus(status);
        });
        DeferredOutcome outcome = resolver(Set.of(), CREATED.plusSeconds(1)).resolve(deferred);
        assertThat(reason(outcome)).isEqualTo("Applied");
        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.recheckAfter()).isEmpty();
        assertThat(reads).isEmpty();
    }

    @Test
    void badInputIsReportedBeforeAnyWaitingAndWaitsForAChange() {
        DeferredResource deferred = deferred(d -> {
            d.getSpec().setTimeout(3600L);
            ((com.fasterxml.jackson.databind.node.ObjectNode) d.getSpec().getResource()).remove("apiVersion");
        });
        DeferredOutcome outcome = resolver(Set.of(), CREATED.plusSeconds(1)).resolve(deferred);
        assertThat(reason(outcome)).isEqualTo("InvalidResource");
        assertThat(outcome.failure().orElseThrow().reason().retriedWithBackoff()).isFalse();
        assertThat(outcome.recheckAfter()).isEmpty();
    }

    private DeferredResourceResolver resolver(Set<String> existing, Instant now) {
        ObjectReader reader = (apiVersion, kind, namespace, name, user) -> {
            reads.add(apiVersion + " " + kind + " " + namespace + "/" + name + " as " + user);
            return existing.contains(kind + "/" + name)
                    ? Optional.<JsonNode>of(JsonNodeFactory.instance.objectNode()) : Optional.empty();
        };
        return new DeferredResourceResolver(reader, NO_APPLIER, clock(now));
    }

    private static Clock clock(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    private static String reason(DeferredOutcome outcome) {
        return outcome.status().getConditions().get(0).getReason();
    }

    private static DeferredResource deferred(java.util.function.Consumer<DeferredResource> change) {
        DeferredResource deferred = DeferredResourceTest.deferred("team", "later",
                spec -> spec.setResource(DeferredResourceTest.payload("payload", Map.of("k", "v"))));
        deferred.getMetadata().setUid("uid-1");
        deferred.getMetadata().setGeneration(1L);
        deferred.getMetadata().setCreationTimestamp(CREATED.toString());
        change.accept(deferred);
        return deferred;
    }
}
