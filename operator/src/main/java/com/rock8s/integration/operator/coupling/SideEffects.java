package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.Do;
import com.rock8s.integration.operator.api.IntegrationSpec;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.ResourceAction;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.interfaces.Side;
import com.rock8s.integration.operator.resource.ResourceApplier;
import com.rock8s.integration.operator.resource.ResourceRenderer;
import com.rock8s.integration.operator.status.CouplingFailure;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one lifecycle event on one side: the side's resources whose {@code when} lists the event, the automatic
 * deletion of non-retained resources on {@code decoupled}, and the Normal Kubernetes Event. Every step is idempotent
 * (apply and delete converge), because events are delivered at least once.
 */
public final class SideEffects {
    private static final Logger LOG = LoggerFactory.getLogger(SideEffects.class);
    private static final List<When> DEFAULT_WHEN = List.of(When.COUPLED, When.UPDATED);

    private final ResourceRenderer renderer;
    private final ResourceApplier applier;
    private final EventRecorder events;

    public SideEffects(ResourceRenderer renderer, ResourceApplier applier, EventRecorder events) {
        this.renderer = renderer;
        this.applier = applier;
        this.events = events;
    }

    /** Fires {@code event} on {@code side}. */
    public void fire(When event, Side side, CouplingContext context) throws CouplingFailure {
        HasMetadata owner = owner(side, context);
        IntegrationSpec spec = spec(side, context);
        Map<String, Object> bindings = eventBindings(event, side, context);
        String ownerNamespace = owner.getMetadata().getNamespace();
        List<Resource> resources = spec.getResources() == null ? List.of() : spec.getResources();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            List<When> when = resource.getWhen() == null || resource.getWhen().isEmpty() ? DEFAULT_WHEN
                    : resource.getWhen();
            if (!when.contains(event)) {
                continue;
            }
            String where = side.label() + " " + ownerNamespace + "/" + owner.getMetadata().getName()
                    + " resources[" + i + "] on " + event.wireName();
            for (GenericKubernetesResource object : renderer.render(resource, bindings, ownerNamespace, where)) {
                applier.perform(resource.getAction(), object, where);
            }
        }
        if (event == When.DECOUPLED) {
            deleteUnretained(side, owner, resources, bindings);
        }
        events.normal(owner, capitalize(event.wireName()), message(event, side, context));
        LOG.info("event={} side={} plug={}/{} socket={}", event.wireName(), side.label(),
                context.plug() == null ? "-" : context.plug().getMetadata().getNamespace(),
                context.plug() == null ? "-" : context.plug().getMetadata().getName(),
                context.socket() == null ? "-" : context.socket().getMetadata().getNamespace() + "/"
                        + context.socket().getMetadata().getName());
    }

    /** Applies {@code resultResources} of {@code side}, which see both results. */
    public void applyResultResources(Side side, CouplingContext context, Map<String, String> plugResult,
                                     Map<String, String> socketResult) throws CouplingFailure {
        HasMetadata owner = owner(side, context);
        List<ResourceAction> actions = spec(side, context).getResultResources();
        if (actions == null || actions.isEmpty()) {
            return;
        }
        Map<String, Object> bindings = pairBindings(context).map("plugResult", plugResult)
                .map("socketResult", socketResult).build();
        String ownerNamespace = owner.getMetadata().getNamespace();
        for (int i = 0; i < actions.size(); i++) {
            String where = side.label() + " " + ownerNamespace + "/" + owner.getMetadata().getName()
                    + " resultResources[" + i + "]";
            for (GenericKubernetesResource object : renderer.render(actions.get(i), bindings, ownerNamespace, where)) {
                applier.perform(actions.get(i).getAction(), object, where);
            }
        }
    }

    private void deleteUnretained(Side side, HasMetadata owner, List<Resource> resources,
                                  Map<String, Object> bindings) {
        String ownerNamespace = owner.getMetadata().getNamespace();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            boolean listsDecoupled = resource.getWhen() != null && resource.getWhen().contains(When.DECOUPLED);
            if (resource.retained() || resource.getAction() == Do.DELETE || listsDecoupled) {
                continue;
            }
            String where = side.label() + " " + ownerNamespace + "/" + owner.getMetadata().getName()
                    + " resources[" + i + "] cleanup on decoupled";
            try {
                for (GenericKubernetesResource object : renderer.render(resource, bindings, ownerNamespace, where)) {
                    applier.delete(object);
                }
            } catch (CouplingFailure | RuntimeException e) {
                // Decoupling must not be blocked by a template that no longer renders; say so and go on.
                events.warning(owner, "CleanupSkipped", where + ": " + e.getMessage());
            }
        }
    }

    private static Map<String, Object> eventBindings(When event, Side side, CouplingContext context) {
        if (event == When.CREATED || event == When.DELETED) {
            return side == Side.PLUG ? Bindings.create().object("plug", context.plug()).build()
                    : Bindings.create().object("socket", context.socket()).build();
        }
        return pairBindings(context).build();
    }

    private static Bindings pairBindings(CouplingContext context) {
        return Bindings.create().object("plug", context.plug()).object("socket", context.socket())
                .map("plugConfig", context.plugConfig()).map("socketConfig", context.socketConfig());
    }

    private static HasMetadata owner(Side side, CouplingContext context) {
        return side == Side.PLUG ? context.plug() : context.socket();
    }

    private static IntegrationSpec spec(Side side, CouplingContext context) {
        return side == Side.PLUG ? context.plug().getSpec() : context.socket().getSpec();
    }

    private static String message(When event, Side side, CouplingContext context) {
        String plug = context.plug() == null ? null
                : "plug " + context.plug().getMetadata().getNamespace() + "/" + context.plug().getMetadata().getName();
        String socket = context.socket() == null ? null : "socket " + context.socket().getMetadata().getNamespace()
                + "/" + context.socket().getMetadata().getName();
        return switch (event) {
            case CREATED -> (side == Side.PLUG ? plug : socket) + " created";
            case DELETED -> (side == Side.PLUG ? plug : socket) + " deleted";
            case COUPLED -> plug + " coupled to " + socket;
            case UPDATED -> "coupling of " + plug + " and " + socket + " updated";
            case DECOUPLED -> plug + " decoupled from " + socket;
        };
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
