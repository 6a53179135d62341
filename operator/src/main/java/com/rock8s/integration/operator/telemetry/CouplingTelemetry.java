package com.rock8s.integration.operator.telemetry;

import com.rock8s.integration.observability.Meters;
import com.rock8s.integration.observability.tracing.SpanScope;
import com.rock8s.integration.observability.tracing.Traces;
import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The plug-aware face of tracing and metrics. Each lifecycle step of a plug or socket gets a trace whose root span is
 * {@code <event> plug <ns>/<name>} (or {@code reconcile plug ...} when nothing fires) with the attributes
 * {@code plug}, {@code socket}, {@code shard}, {@code replica} and {@code event}; while it runs, log lines carry the
 * same fields. The meters are registered on the registry {@code /metrics} serves.
 */
public final class CouplingTelemetry {
    /** The {@code outcome} of a pass that coupled or updated. */
    public static final String SUCCEEDED = "CouplingSucceeded";

    private final Traces traces;
    private final MeterRegistry registry;
    private final Placement placement;
    private final Timer couplingDuration;
    /** Each meter by family and tags, built once: steps record on every reconcile and every label value is bounded. */
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

    public CouplingTelemetry(Traces traces, MeterRegistry registry, Placement placement) {
        this.traces = traces;
        this.registry = registry;
        this.placement = placement;
        this.couplingDuration = Meters.histogram(MetricNames.meter(MetricNames.COUPLING_DURATION),
                "Seconds from a plug's creation (or its last decoupling) until its coupled event completed",
                Meters.LATENCY_BUCKETS).register(registry);
    }

    /** Opens the step of one plug pass; the socket attribute names the socket the plug asks for. */
    public Step plug(Plug plug) {
        String namespace = plug.getMetadata().getNamespace();
        String name = plug.getMetadata().getName();
        Optional<NamespacedName> socket = plug.socketRef();
        String socketNamespace = socket.map(NamespacedName::getNamespace).orElse(null);
        String socketName = socket.map(NamespacedName::getName).orElse(null);
        SpanScope root = root("plug", plug, socket.map(s -> s.getNamespace() + "/" + s.getName()).orElse(null))
                .mdc("plug_namespace", namespace).mdc("plug_name", name)
                .mdc("socket_namespace", socketNamespace).mdc("socket_name", socketName);
        return Step.open(this, root, "plug", namespace + "/" + name, waitingSince(plug));
    }

    /** Opens the step of one socket pass. */
    public Step socket(Socket socket) {
        String namespace = socket.getMetadata().getNamespace();
        String name = socket.getMetadata().getName();
        SpanScope root = root("socket", socket, namespace + "/" + name)
                .mdc("socket_namespace", namespace).mdc("socket_name", name);
        return Step.open(this, root, "socket", namespace + "/" + name, null);
    }

    private SpanScope root(String kind, HasMetadata object, String socket) {
        String namespace = object.getMetadata().getNamespace();
        String key = namespace + "/" + object.getMetadata().getName();
        String shard = placement.shardOf(namespace);
        String replica = placement.replica();
        SpanScope root = traces.root("reconcile " + kind + " " + key, Map.of(
                "shard", shard, "replica", replica, "k8s.namespace", namespace));
        if ("plug".equals(kind)) {
            root.attribute("plug", key);
        }
        return root.attribute("socket", socket).mdc("replica", replica).mdc("shard", shard);
    }

    /**
     * Since when the plug has been waiting to couple: the moment its {@code Coupled} condition last turned false, or
     * its creation. Null when it is coupled already (a later {@code coupled} would be a re-coupling after a
     * decouple, which this condition then dates).
     */
    private static Instant waitingSince(Plug plug) {
        Optional<Condition> coupled = plug.getStatus() == null ? Optional.empty()
                : Conditions.find(plug.getStatus().getConditions(), Conditions.COUPLED);
        String since = coupled.filter(c -> !"True".equals(c.getStatus())).map(Condition::getLastTransitionTime)
                .orElse(coupled.isPresent() ? null : plug.getMetadata().getCreationTimestamp());
        if (since == null) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    Traces traces() {
        return traces;
    }

    Timer couplingDuration() {
        return couplingDuration;
    }

    void count(String family, String... tags) {
        counters.computeIfAbsent(new MeterKey(family, Arrays.asList(tags)), key -> Counter.builder(
                MetricNames.meter(family)).description(description(family)).tags(tags).register(registry))
                .increment();
    }

    void time(String family, long startNanos, String... tags) {
        timers.computeIfAbsent(new MeterKey(family, Arrays.asList(tags)), key -> {
            Duration[] buckets = MetricNames.TEMPLATE_RENDER_DURATION.equals(family) ? Meters.FAST_BUCKETS
                    : Meters.LATENCY_BUCKETS;
            return Meters.histogram(MetricNames.meter(family), description(family), buckets).tags(tags)
                    .register(registry);
        }).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private record MeterKey(String family, List<String> tags) {
    }

    private static String description(String family) {
        return switch (family) {
            case MetricNames.TEMPLATE_RENDER_DURATION -> "Seconds spent rendering one templated entry";
            case MetricNames.APPARATUS_CALL_DURATION -> "Seconds an apparatus call took, by endpoint and outcome";
            case MetricNames.COUPLINGS -> "Coupling passes that coupled, updated or failed, by outcome (a reason)";
            case MetricNames.LIFECYCLE_EVENTS -> "Lifecycle events run, by event, side and outcome";
            case MetricNames.RESOURCE_APPLIES -> "Objects applied, deleted or recreated, by action and outcome";
            default -> family;
        };
    }
}
