package com.rock8s.integration.operator.apparatus;

import com.rock8s.integration.operator.api.Apparatus;
import com.rock8s.integration.operator.api.IntegrationSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pod and Service of an apparatus that has {@code containers} and a path endpoint, both named
 * {@code <owner>-apparatus}, owned by the Plug or Socket (so they go with it), run as the owner's service account,
 * without architecture pinning and with a readiness probe on {@code <path>/ping}. The idle deadline lives on the Pod
 * as the {@value #IDLE_DEADLINE} annotation, so any replica, restarted or not, can clean it up
 * ({@link ApparatusJanitor}); the Service stays, it costs nothing and keeps the address stable.
 */
public final class ManagedApparatus {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedApparatus.class);
    /** Label on the Pod and Service (value: their name); the Service selects the Pod by it. */
    public static final String LABEL = "integration.rock8s.com/apparatus";
    /** RFC 3339 instant after which the Pod may be deleted if no call came. */
    public static final String IDLE_DEADLINE = "integration.rock8s.com/idle-deadline";
    /** Digest of what the Pod was made from; a different one replaces the Pod. */
    public static final String SPEC_HASH = "integration.rock8s.com/apparatus-hash";
    /** Seconds without calls before the Pod goes, when {@code idleTimeout} is absent or not positive. */
    public static final long DEFAULT_IDLE_SECONDS = 60;
    /** The port the Service offers (the default service URL has none, so it is 80). */
    public static final int SERVICE_PORT = 80;
    /** The container port name the Service targets when a container declares it (as in the Go operator). */
    public static final String CONTAINER_PORT_NAME = "container";
    private static final Duration PING_INTERVAL = Duration.ofMillis(500);
    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofSeconds(5);
    /** How far before the idle deadline this process wrote a Pod stops being taken as alive without asking the API. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final ApparatusClient calls;
    private final ApparatusSettings settings;
    private final Clock clock;
    /** What this process learned of each apparatus Pod it called, by {@code <namespace>/<name>}. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public ManagedApparatus(KubernetesClient client, ApparatusClient calls, ApparatusSettings settings, Clock clock) {
        this.client = client;
        this.calls = calls;
        this.settings = settings;
        this.clock = clock;
    }

    /** {@code <owner>-apparatus}, shortened with a digest where the owner's name would make it too long for a Service. */
    public static String name(String owner) {
        String suffix = "-apparatus";
        String base = owner.toLowerCase(java.util.Locale.ROOT).replace('.', '-');
        if (base.length() + suffix.length() <= 63) {
            return base + suffix;
        }
        String digest = digest(owner).substring(0, 8);
        return base.substring(0, 63 - suffix.length() - digest.length() - 1) + "-" + digest + suffix;
    }

    /** The idle timeout of {@code apparatus}. */
    public static Duration idleTimeout(Apparatus apparatus) {
        Long seconds = apparatus.getIdleTimeout();
        return Duration.ofSeconds(seconds == null || seconds <= 0 ? DEFAULT_IDLE_SECONDS : seconds);
    }

    /**
     * Makes sure the owner's apparatus Pod and Service exist and returns the Pod. A Pod made from an older spec is
     * deleted; the step then fails as unavailable and the retry creates the new one. A Pod that answered
     * {@code /ping} and whose idle deadline this process moved is not looked up again until that deadline is near:
     * nothing but this replica's janitor deletes it before then, and a call that cannot reach it forgets it.
     *
     * @throws ApparatusUnavailableException when the Pod is being deleted or replaced
     */
    public Pod ensure(HasMetadata owner, IntegrationSpec spec, Endpoint endpoint)
            throws ApparatusUnavailableException {
        String namespace = owner.getMetadata().getNamespace();
        String name = name(owner.getMetadata().getName());
        String hash = specHash(spec, endpoint);
        Known last = known.get(namespace + "/" + name);
        if (last != null && last.alive(owner, hash, clock.instant().plus(DEADLINE_MARGIN))) {
            return last.pod();
        }
        Pod current = client.pods().inNamespace(namespace).withName(name).get();
        if (current != null && current.getMetadata().getDeletionTimestamp() != null) {
            throw new ApparatusUnavailableException("apparatus pod " + namespace + "/" + name
                    + " is being deleted; retrying");
        }
        if (current != null && ownedByOtherKind(current, owner)) {
            // a Plug and a Socket of the same name share the name <name>-apparatus: replacing the other's Pod would
            // make the two replace each other's Pod forever
            throw new ApparatusUnavailableException("apparatus pod " + namespace + "/" + name + " belongs to the "
                    + current.getMetadata().getOwnerReferences().get(0).getKind() + " of the same name; a Plug and a"
                    + " Socket with the same name in one namespace cannot both have a managed apparatus: rename one"
                    + " or give one an absolute endpoint URL");
        }
        if (current != null && !hash.equals(annotation(current, SPEC_HASH))) {
            client.pods().inNamespace(namespace).withName(name).delete();
            forget(current);
            LOG.info("event=apparatus_pod_replaced namespace={} pod={} owner={}", namespace, name,
                    owner.getMetadata().getName());
            throw new ApparatusUnavailableException("apparatus pod " + namespace + "/" + name
                    + " was made from an older spec and is being replaced; retrying");
        }
        if (current != null) {
            return current;
        }
        Pod desired = pod(owner, spec, endpoint, hash);
        createIgnoringConflict(service(owner, spec));
        Pod created = createIgnoringConflict(desired);
        LOG.info("event=apparatus_pod_created namespace={} pod={} owner={} serviceAccount={}", namespace, name,
                owner.getMetadata().getName(), desired.getSpec().getServiceAccountName());
        return created != null ? created : client.pods().inNamespace(namespace).withName(name).get();
    }

    /**
     * Waits, at most {@link ApparatusSettings#readyTimeout()}, until the Pod's apparatus answers {@code /ping}. A Pod
     * that answered once is not asked again until a call to it fails to connect ({@link #forget}).
     *
     * @throws ApparatusUnavailableException when it did not answer in time; the message says what the last ping got
     */
    public void awaitReady(Pod pod, Endpoint endpoint) throws ApparatusUnavailableException {
        if (knownFor(pod) != null) {
            return;
        }
        Instant deadline = clock.instant().plus(settings.readyTimeout());
        CompletableFuture<ApparatusCallException> pinging = pingUntil(endpoint, deadline);
        ApparatusCallException last;
        try {
            last = pinging.get(settings.readyTimeout().plus(settings.requestTimeout()).plusSeconds(1).toMillis(),
                    TimeUnit.MILLISECONDS);
            if (last == null) {
                if (pod.getMetadata().getUid() != null) {
                    known.put(key(pod), new Known(pod, null, null));
                }
                return;
            }
        } catch (TimeoutException | ExecutionException e) {
            pinging.cancel(true);
            last = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pinging.cancel(true);
            throw new ApparatusUnavailableException("interrupted while waiting for the apparatus");
        }
        String why = last == null ? "no answer" : last.getMessage();
        throw new ApparatusUnavailableException("apparatus pod " + pod.getMetadata().getNamespace() + "/"
                + pod.getMetadata().getName() + " did not answer GET " + endpoint.call("ping") + " within "
                + settings.readyTimeout().toSeconds() + "s (last: " + why + "); retrying");
    }

    /** Pings now and every {@link #PING_INTERVAL} until one succeeds (null) or the deadline passed (last failure). */
    private CompletableFuture<ApparatusCallException> pingUntil(Endpoint endpoint, Instant deadline) {
        return calls.pingAsync(endpoint).thenCompose(failure -> {
            if (failure == null || !clock.instant().plus(PING_INTERVAL).isBefore(deadline)) {
                return CompletableFuture.completedFuture(failure);
            }
            return CompletableFuture.supplyAsync(() -> deadline, CompletableFuture.delayedExecutor(
                    PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)).thenCompose(d -> pingUntil(endpoint, d));
        });
    }

    /** The Pod's apparatus stopped answering: look the Pod up and ping it again before the next call. */
    public void forget(Pod pod) {
        known.remove(key(pod));
    }

    /**
     * Moves the Pod's idle deadline to now plus {@code idleTimeout}. Writes at most every few seconds per Pod (a
     * tenth of the timeout, at most 5 s), so a burst of calls is one write; the deadline is that much early at worst.
     */
    public void touch(Pod pod, Duration idleTimeout) {
        Instant now = clock.instant();
        Duration every = idleTimeout.dividedBy(10).compareTo(MAX_TOUCH_INTERVAL) > 0 ? MAX_TOUCH_INTERVAL
                : idleTimeout.dividedBy(10);
        Known last = knownFor(pod);
        if (last != null && last.touched() != null && last.touched().plus(every).isAfter(now)) {
            return;
        }
        Instant deadline = now.plus(idleTimeout).truncatedTo(ChronoUnit.SECONDS);
        try {
            // on the Pod itself: patching by name would read the Pod first
            client.pods().resource(pod).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of(
                    "metadata", Map.of("annotations", Map.of(IDLE_DEADLINE, deadline.toString())))));
            // only while the Pod is still known: a failed call may have just forgotten it
            known.computeIfPresent(key(pod), (key, was) -> was.is(pod) ? new Known(was.pod(), now, deadline) : was);
        } catch (KubernetesClientException e) {
            // the janitor may have just deleted it; the next call recreates it
            LOG.info("event=apparatus_touch_failed namespace={} pod={} code={} message=\"{}\"",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getCode(), e.getMessage());
            forget(pod);
        }
    }

    /** What {@code pod} was made from, which {@value #SPEC_HASH} records: containers, service account, path. */
    private static String specHash(IntegrationSpec spec, Endpoint endpoint) {
        return digest(Serialization.asJson(spec.getApparatus().getContainers()) + "|" + serviceAccount(spec) + "|"
                + endpoint.path()).substring(0, 16);
    }

    private static String serviceAccount(IntegrationSpec spec) {
        return spec.getServiceAccountName() == null || spec.getServiceAccountName().isBlank()
                ? "default" : spec.getServiceAccountName();
    }

    /** The Pod as the operator creates it. */
    Pod pod(HasMetadata owner, IntegrationSpec spec, Endpoint endpoint, String hash) {
        String namespace = owner.getMetadata().getNamespace();
        String name = name(owner.getMetadata().getName());
        String serviceAccount = serviceAccount(spec);
        List<Container> containers = new ArrayList<>();
        spec.getApparatus().getContainers().forEach(c -> containers.add(Serialization.clone(c)));
        addReadinessProbe(containers, endpoint);
        Duration idle = idleTimeout(spec.getApparatus());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("sidecar.istio.io/inject", "false");
        annotations.put(SPEC_HASH, hash);
        // counted from creation, plus the time it gets to become ready: one that never does is still cleaned up
        annotations.put(IDLE_DEADLINE, clock.instant().plus(idle).plus(settings.readyTimeout())
                .truncatedTo(ChronoUnit.SECONDS).toString());
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels(owner, name))
                .withAnnotations(annotations).withOwnerReferences(ownerReference(owner)).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withContainers(containers).endSpec()
                .build();
    }

    /** The Service in front of the Pod: port {@value #SERVICE_PORT} to the apparatus container's port. */
    Service service(HasMetadata owner, IntegrationSpec spec) {
        String name = name(owner.getMetadata().getName());
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(owner.getMetadata().getNamespace()).withName(name)
                .withLabels(labels(owner, name)).withOwnerReferences(ownerReference(owner)).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(Map.of(LABEL, name))
                .addNewPort().withName("http").withProtocol("TCP").withPort(SERVICE_PORT)
                .withTargetPort(targetPort(spec.getApparatus().getContainers())).endPort()
                .endSpec().build();
    }

    /** The named port {@code container} where a container declares it, else the first port, else 80. */
    private static IntOrString targetPort(List<Container> containers) {
        Optional<ContainerPort> first = Optional.empty();
        for (Container container : containers) {
            for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                if (CONTAINER_PORT_NAME.equals(port.getName())) {
                    return new IntOrString(CONTAINER_PORT_NAME);
                }
                if (first.isEmpty()) {
                    first = Optional.of(port);
                }
            }
        }
        return new IntOrString(first.map(ContainerPort::getContainerPort).orElse(SERVICE_PORT));
    }

    /** A readiness probe on {@code <path>/ping}, on the container that serves the target port (unless it has one). */
    private static void addReadinessProbe(List<Container> containers, Endpoint endpoint) {
        IntOrString port = targetPort(containers);
        Container serving = containers.stream().filter(c -> c.getPorts() != null && c.getPorts().stream().anyMatch(
                        p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                                : port.getIntVal().equals(p.getContainerPort())))
                .findFirst().orElse(containers.get(0));
        if (serving.getReadinessProbe() == null) {
            serving.setReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath(endpoint.path() + "/ping")
                    .withPort(port).endHttpGet().withPeriodSeconds(2).withFailureThreshold(3).build());
        }
    }

    private static Map<String, String> labels(HasMetadata owner, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL, name);
        labels.put("app.kubernetes.io/managed-by", "integration-operator");
        labels.put("app.kubernetes.io/component", "apparatus");
        labels.put("integration.rock8s.com/owner", owner.getKind() == null ? "" : owner.getKind()
                .toLowerCase(java.util.Locale.ROOT));
        return labels;
    }

    /**
     * Whether {@code pod} was made for an owner of another kind. The same kind and name is the same owner, or its
     * successor after a delete and re-create (whose old Pod the garbage collector removes), so its Pod may be replaced.
     */
    private static boolean ownedByOtherKind(Pod pod, HasMetadata owner) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners != null && !owners.isEmpty() && !owner.getKind().equals(owners.get(0).getKind());
    }

    private static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(false).build();
    }

    private <T extends HasMetadata> T createIgnoringConflict(T object) {
        try {
            return client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** What this process knows of {@code pod}: null unless this very Pod (same uid) answered {@code /ping}. */
    private Known knownFor(Pod pod) {
        Known last = known.get(key(pod));
        return last != null && last.is(pod) ? last : null;
    }

    /**
     * A Pod that answered {@code /ping}, and when this process last wrote its idle deadline and to what (both null
     * before the first write).
     */
    private record Known(Pod pod, Instant touched, Instant deadline) {
        boolean is(Pod other) {
            return other.getMetadata().getUid() != null
                    && other.getMetadata().getUid().equals(pod.getMetadata().getUid());
        }

        /** Still the owner's current Pod from the same spec, with the deadline this process wrote after {@code at}. */
        boolean alive(HasMetadata owner, String hash, Instant at) {
            return deadline != null && deadline.isAfter(at) && hash.equals(annotation(pod, SPEC_HASH))
                    && pod.getMetadata().getOwnerReferences().stream()
                    .anyMatch(ref -> Objects.equals(owner.getMetadata().getUid(), ref.getUid()));
        }
    }

    static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** The Pod's idle deadline, or empty when it has none or an unreadable one. */
    static Optional<Instant> deadline(HasMetadata pod) {
        String value = annotation(pod, IDLE_DEADLINE);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The managed apparatus cannot take calls now (starting, being replaced, not answering); retried later. */
    public static final class ApparatusUnavailableException extends Exception {
        public ApparatusUnavailableException(String message) {
            super(message);
        }
    }
}
