package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.Do;
import com.rock8s.integration.operator.api.IntegrationSpec;
import com.rock8s.integration.operator.api.InventoryItem;
import com.rock8s.integration.operator.api.PlugStatus;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.ResourceAction;
import com.rock8s.integration.operator.config.SideResolver.Owner;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.apparatus.Apparatuses;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.identity.Impersonation;
import com.rock8s.integration.operator.interfaces.Side;
import com.rock8s.integration.operator.resource.ResourceApplier;
import com.rock8s.integration.operator.resource.ResourceRenderer;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.telemetry.Activity;
import com.rock8s.integration.operator.telemetry.Step;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one lifecycle event on one side: the side's apparatus call (first, as in the Go operator), the side's
 * resources whose {@code when} lists the event, the automatic deletion of non-retained resources on
 * {@code decoupled}, and the Normal Kubernetes Event. Every step is idempotent (apply and delete converge), because
 * events are delivered at least once.
 */
public final class SideEffects {
    private static final Logger LOG = LoggerFactory.getLogger(SideEffects.class);
    private static final List<When> DEFAULT_WHEN = List.of(When.COUPLED, When.UPDATED);

    private final ResourceRenderer renderer;
    private final ResourceApplier applier;
    private final EventRecorder events;
    private final ObjectViews views;
    private final Apparatuses apparatuses;
    private final TerminatingNamespaces terminating;

    /** A side with an apparatus has it called at the start of each event. */
    public SideEffects(ResourceRenderer renderer, ResourceApplier applier, EventRecorder events, ObjectViews views,
                       Apparatuses apparatuses, TerminatingNamespaces terminating) {
        this.apparatuses = apparatuses;
        this.terminating = terminating;
        this.views = views;
        this.renderer = renderer;
        this.applier = applier;
        this.events = events;
    }

    /** Labels on every object the operator applies, naming who applied it for which coupling. */
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LABEL_OWNER = "integration.rock8s.com/owner";
    public static final String LABEL_PLUG_UID = "integration.rock8s.com/plug-uid";
    public static final String LABEL_SOCKET_UID = "integration.rock8s.com/socket-uid";

    /** Fires an event that belongs to one object, not to a coupling ({@code created}, {@code deleted}). */
    public void fire(When event, Side side, CouplingContext context) throws CouplingFailure {
        fire(event, side, context, null);
    }

    /**
     * Fires {@code event} on {@code side}. With a plug status, objects applied are added to its inventory and, on
     * {@code decoupled}, the side's non-retained inventory is deleted and dropped from it.
     */
    public void fire(When event, Side side, CouplingContext context, PlugStatus inventory) throws CouplingFailure {
        try (Activity firing = Step.current().event(event, side)) {
            run(event, side, context, inventory);
            firing.ok();
        }
    }

    private void run(When event, Side side, CouplingContext context, PlugStatus inventory) throws CouplingFailure {
        HasMetadata owner = owner(side, context);
        if (terminating.ownerGoesWithItsNamespace(owner)) {
            LOG.info("event={} side={} owner={}/{} skipped=namespace_terminating", event.wireName(),
                    side.label(), owner.getMetadata().getNamespace(), owner.getMetadata().getName());
            if (inventory != null && inventory.getInventory() != null) {
                // this side's objects live in the owner's namespace, which takes them with it
                inventory.setInventory(inventory.getInventory().stream()
                        .filter(item -> !side.label().equals(item.getSide())).toList());
            }
            return;
        }
        IntegrationSpec spec = spec(side, context);
        Owner acting = Owner.of(side, owner, spec.getServiceAccountName());
        callApparatus(event, side, owner, spec, context);
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
            boolean retain = resource.retained() || when.contains(When.DECOUPLED);
            List<GenericKubernetesResource> objects;
            try (Activity rendering = Step.current().render("resource", where)) {
                objects = renderer.render(resource, bindings, ownerNamespace, where, acting.syntax());
                rendering.ok();
            } catch (CouplingFailure failure) {
                if (event != When.DECOUPLED || failure.reason() != Reason.TEMPLATE_ERROR) {
                    throw failure;
                }
                // Decoupling must not be blocked: the config it would render with may no longer resolve, or the
                // socket may be gone. Say so on the object and go on.
                events.warning(owner, "DecoupledResourceSkipped", failure.getMessage());
                continue;
            }
            for (GenericKubernetesResource object : objects) {
                label(object, side, context);
                applier.perform(resource.getAction(), object, where, acting.serviceAccount());
                if (inventory != null && event != When.DECOUPLED) {
                    record(inventory, resource.getAction(), InventoryItem.of(side.label(), object, retain,
                            acting.serviceAccount()));
                }
            }
        }
        if (event == When.DECOUPLED) {
            if (inventory != null && inventory.getInventory() != null) {
                deleteInventory(side, owner, inventory);
            } else {
                deleteUnretained(side, owner, resources, bindings, acting);
            }
        }
        events.normal(owner, capitalize(event.wireName()), message(event, side, context));
        LOG.info("event={} side={} plug={}/{} socket={}", event.wireName(), side.label(),
                context.plug() == null ? "-" : context.plug().getMetadata().getNamespace(),
                context.plug() == null ? "-" : context.plug().getMetadata().getName(),
                context.socket() == null ? "-" : context.socket().getMetadata().getNamespace() + "/"
                        + context.socket().getMetadata().getName());
    }

    /**
     * Calls {@code /<event>} of the side's apparatus; a failure stops the event before any resource is touched.
     * {@code created} and {@code deleted} carry only the side's own object, the pairwise events both objects and
     * both configs.
     */
    private void callApparatus(When event, Side side, HasMetadata owner, IntegrationSpec spec,
                               CouplingContext context) throws CouplingFailure {
        if (spec.getApparatus() == null) {
            return;
        }
        boolean ownOnly = event == When.CREATED || event == When.DELETED;
        apparatuses.event(event, owner, spec,
                ownOnly && side != Side.PLUG ? null : view(context.plug()),
                ownOnly && side != Side.SOCKET ? null : view(context.socket()),
                ownOnly ? null : context.plugConfig(), ownOnly ? null : context.socketConfig());
    }

    /** Applies {@code resultResources} of {@code side}, which see both results. */
    public void applyResultResources(Side side, CouplingContext context, Map<String, String> plugResult,
                                     Map<String, String> socketResult) throws CouplingFailure {
        HasMetadata owner = owner(side, context);
        List<ResourceAction> actions = spec(side, context).getResultResources();
        if (actions == null || actions.isEmpty()) {
            return;
        }
        Owner acting = Owner.of(side, owner, spec(side, context).getServiceAccountName());
        Map<String, Object> bindings = pairBindings(context).map("plugResult", plugResult)
                .map("socketResult", socketResult).build();
        String ownerNamespace = owner.getMetadata().getNamespace();
        for (int i = 0; i < actions.size(); i++) {
            String where = side.label() + " " + ownerNamespace + "/" + owner.getMetadata().getName()
                    + " resultResources[" + i + "]";
            List<GenericKubernetesResource> objects;
            try (Activity rendering = Step.current().render("resultResource", where)) {
                objects = renderer.render(actions.get(i), bindings, ownerNamespace, where, acting.syntax());
                rendering.ok();
            }
            for (GenericKubernetesResource object : objects) {
                label(object, side, context);
                applier.perform(actions.get(i).getAction(), object, where, acting.serviceAccount());
            }
        }
    }

    /**
     * Deletes the non-retained objects a coupling that never completed left behind (its {@code coupled} event
     * failed half-way and the plug is now going away).
     */
    public void deleteLeftovers(HasMetadata plug, PlugStatus status) throws CouplingFailure {
        if (status.getInventory() == null || status.getInventory().isEmpty()) {
            return;
        }
        deleteInventory(Side.PLUG, plug, status);
        deleteInventory(Side.SOCKET, plug, status);
    }

    private static void record(PlugStatus status, Do action, InventoryItem item) {
        List<InventoryItem> items = status.getInventory() == null ? new ArrayList<>()
                : new ArrayList<>(status.getInventory());
        items.removeIf(item::sameObject);
        if (action != Do.DELETE) {
            items.add(item);
        }
        status.setInventory(items);
    }

    /** Deletes the side's non-retained inventory; what could not be deleted stays listed and fails the step. */
    private void deleteInventory(Side side, HasMetadata owner, PlugStatus status) throws CouplingFailure {
        List<InventoryItem> remaining = new ArrayList<>();
        CouplingFailure failure = null;
        for (InventoryItem item : status.getInventory()) {
            if (!side.label().equals(item.getSide())) {
                remaining.add(item);
                continue;
            }
            if (Boolean.TRUE.equals(item.getRetain())) {
                continue;
            }
            try {
                String user = item.getAppliedAs() != null ? item.getAppliedAs()
                        : Impersonation.serviceAccountUser(item.getNamespace(), null);
                applier.delete(item.getApiVersion(), item.getKind(), item.getNamespace(), item.getName(), user);
            } catch (RuntimeException e) {
                remaining.add(item);
                failure = new CouplingFailure(Reason.RESOURCE_ERROR, side.label() + " "
                        + owner.getMetadata().getNamespace() + "/" + owner.getMetadata().getName() + ": deleting "
                        + item.getKind() + " " + item.getNamespace() + "/" + item.getName() + " on decoupled failed: "
                        + e.getMessage(), e);
            }
        }
        status.setInventory(remaining);
        if (failure != null) {
            throw failure;
        }
    }

    private static void label(GenericKubernetesResource object, Side side, CouplingContext context) {
        Map<String, String> labels = object.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(object.getMetadata().getLabels());
        labels.put(LABEL_MANAGED_BY, ResourceApplier.FIELD_MANAGER);
        labels.put(LABEL_OWNER, side.label());
        if (context.plug() != null) {
            labels.put(LABEL_PLUG_UID, context.plug().getMetadata().getUid());
        }
        if (context.socket() != null) {
            labels.put(LABEL_SOCKET_UID, context.socket().getMetadata().getUid());
        }
        object.getMetadata().setLabels(labels);
    }

    private void deleteUnretained(Side side, HasMetadata owner, List<Resource> resources,
                                  Map<String, Object> bindings, Owner acting) {
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
                for (GenericKubernetesResource object : renderer.render(resource, bindings, ownerNamespace, where,
                        acting.syntax())) {
                    applier.delete(object, acting.serviceAccount());
                }
            } catch (CouplingFailure | RuntimeException e) {
                // Decoupling must not be blocked by a template that no longer renders; say so and go on.
                events.warning(owner, "CleanupSkipped", where + ": " + e.getMessage());
            }
        }
    }

    private Map<String, Object> eventBindings(When event, Side side, CouplingContext context) {
        if (event == When.CREATED || event == When.DELETED) {
            return side == Side.PLUG ? Bindings.create().object("plug", view(context.plug())).build()
                    : Bindings.create().object("socket", view(context.socket())).build();
        }
        return pairBindings(context).build();
    }

    private Bindings pairBindings(CouplingContext context) {
        return Bindings.create().object("plug", view(context.plug())).object("socket", view(context.socket()))
                .map("plugConfig", context.plugConfig()).map("socketConfig", context.socketConfig());
    }

    private Map<String, Object> view(HasMetadata object) {
        return object == null ? null : views.of(object);
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
