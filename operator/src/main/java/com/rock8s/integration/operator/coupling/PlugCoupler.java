package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.CoupledResult;
import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugStatus;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.config.InputLog;
import com.rock8s.integration.operator.config.SideResolver;
import com.rock8s.integration.operator.config.SideResolver.Owner;
import com.rock8s.integration.operator.interfaces.InterfaceValidator;
import com.rock8s.integration.operator.interfaces.InterfaceViolation;
import com.rock8s.integration.operator.interfaces.Section;
import com.rock8s.integration.operator.interfaces.Side;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.telemetry.CouplingTelemetry;
import com.rock8s.integration.operator.telemetry.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Plug becomes coupled. One pass reads both sides, decides which lifecycle event is due and fires it, then
 * returns the plug's new status; it never writes the plug itself, so the caller persists the status once per pass.
 *
 * <ul>
 *   <li>{@code created}: once per plug, marked by the presence of its {@code Coupled} condition.</li>
 *   <li>{@code coupled}: when the socket exists, accepts the plug's namespace and both configs validate.</li>
 *   <li>{@code updated}: when the digest of the inputs (both specs, the Secrets/ConfigMaps/vars they read) differs
 *       from the one recorded at the last {@code coupled}/{@code updated}; an unchanged restart fires nothing.</li>
 *   <li>{@code decoupled}: when the plug is deleted, re-pointed to another socket, or its socket is deleted or
 *       replaced; the plug then waits for a socket again.</li>
 *   <li>{@code deleted}: when the plug is deleted, after decoupling.</li>
 * </ul>
 * Pairwise events run on the plug side, then the socket side. Results are computed after the event, validated and
 * stored with the digest they belong to; a missing required result is retried with backoff (delayed results).
 */
public final class PlugCoupler {
    private final Directory directory;
    private final SideResolver resolver;
    private final InterfaceValidator validator;
    private final SideEffects effects;
    private final SocketStatusWriter socketStatus;
    private final ObjectViews views;
    private final CouplingTelemetry telemetry;

    /** With {@code telemetry}, each pass is one trace and the plug's status records its id. */
    public PlugCoupler(Directory directory, SideResolver resolver, InterfaceValidator validator, SideEffects effects,
                       SocketStatusWriter socketStatus, ObjectViews views, CouplingTelemetry telemetry) {
        this.telemetry = telemetry;
        this.views = views;
        this.directory = directory;
        this.resolver = resolver;
        this.validator = validator;
        this.effects = effects;
        this.socketStatus = socketStatus;
    }

    /** The plug's status after one pass, and the failure that stopped it, if any. */
    public record Outcome(PlugStatus status, CouplingFailure failure) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    /** Moves a live plug one step towards being coupled and up to date. */
    public Outcome reconcile(Plug plug) {
        try (Step step = telemetry.plug(plug)) {
            return traced(step, pass(plug));
        }
    }

    /** Runs {@code decoupled} (when coupled) and {@code deleted} for a plug being deleted. */
    public Outcome delete(Plug plug) {
        try (Step step = telemetry.plug(plug)) {
            return traced(step, deletePass(plug));
        }
    }

    /** The status names the trace of the pass that wrote it, so a user can go from the plug to the trace. */
    private static Outcome traced(Step step, Outcome outcome) {
        step.finish(outcome.succeeded() ? null : outcome.failure().reason().value());
        outcome.status().setTraceId(step.traceId());
        return outcome;
    }

    private Outcome pass(Plug plug) {
        PlugStatus status = copy(plug.getStatus());
        try {
            couple(plug, status);
            markSucceeded(plug, status);
            return new Outcome(status, null);
        } catch (CouplingFailure failure) {
            markFailed(plug, status, failure);
            return new Outcome(status, failure);
        }
    }

    private Outcome deletePass(Plug plug) {
        PlugStatus status = copy(plug.getStatus());
        try {
            if (status.getCoupledSocket() != null) {
                decouple(plug, status);
            } else {
                effects.deleteLeftovers(plug, status);
                releaseReservation(plug);
            }
            effects.fire(When.DELETED, Side.PLUG, CouplingContext.withoutConfig(plug, null));
            return new Outcome(status, null);
        } catch (CouplingFailure failure) {
            markFailed(plug, status, failure);
            return new Outcome(status, failure);
        }
    }

    private void couple(Plug plug, PlugStatus status) throws CouplingFailure {
        long generation = generation(plug);
        if (Conditions.find(status.getConditions(), Conditions.COUPLED).isEmpty()) {
            effects.fire(When.CREATED, Side.PLUG, CouplingContext.withoutConfig(plug, null));
            status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, false,
                    Reason.PLUG_CREATED.value(), Reason.PLUG_CREATED.defaultMessage(), generation));
        }
        NamespacedName ref = socketRef(plug);
        Optional<Socket> socket = directory.socket(ref.getNamespace(), ref.getName());
        ObjectRef coupledTo = status.getCoupledSocket();
        if (coupledTo != null && !isSamePair(coupledTo, socket)) {
            decouple(plug, status);
        }
        Socket target = socket.orElseThrow(() -> new CouplingFailure(Reason.SOCKET_NOT_CREATED, "socket "
                + ref.getNamespace() + "/" + ref.getName() + " not found; waiting for it to be created", true));
        if (target.getMetadata().getDeletionTimestamp() != null) {
            throw new CouplingFailure(Reason.SOCKET_NOT_CREATED, "socket " + describe(target)
                    + " is being deleted; waiting for a socket to couple to", true);
        }
        if (target.getStatus() == null
                || Conditions.find(target.getStatus().getConditions(), Conditions.COUPLED).isEmpty()) {
            throw new CouplingFailure(Reason.SOCKET_NOT_CREATED, "socket " + describe(target)
                    + " has not finished its created event yet", true);
        }
        NamespacePolicy.admit(target, plug.getMetadata().getNamespace());

        InputLog log = new InputLog();
        CouplingContext context = resolveConfigs(plug, target, log);
        String digest = InputDigest.of(plug, target, log);
        if (status.getCoupledSocket() == null) {
            reserveSlot(target, plug);
            if (status.getInventory() == null) {
                status.setInventory(new ArrayList<>());
            }
            effects.fire(When.COUPLED, Side.PLUG, context, status);
            effects.fire(When.COUPLED, Side.SOCKET, context, status);
            status.setCoupledSocket(ObjectRef.of(target));
            status.setInputDigest(digest);
        } else if (status.getInputDigest() == null) {
            // Coupled by the Go operator, which kept no digest: adopt the pair without firing anything.
            status.setInputDigest(digest);
        } else if (!digest.equals(status.getInputDigest())) {
            effects.fire(When.UPDATED, Side.PLUG, context, status);
            effects.fire(When.UPDATED, Side.SOCKET, context, status);
            status.setInputDigest(digest);
        }
        ensureListed(target, plug);
        CoupledResult result = status.getCoupledResult();
        if (result == null || !digest.equals(result.getInputDigest())) {
            status.setCoupledResult(computeResults(context, digest, generation));
        }
    }

    private void decouple(Plug plug, PlugStatus status) throws CouplingFailure {
        ObjectRef coupledTo = status.getCoupledSocket();
        Optional<Socket> socket = directory.socket(coupledTo.getNamespace(), coupledTo.getName())
                .filter(s -> coupledTo.getUid() == null || coupledTo.getUid().equals(s.getMetadata().getUid()));
        CouplingContext context;
        try {
            context = socket.isPresent() ? resolveConfigs(plug, socket.get(), new InputLog())
                    : CouplingContext.withoutConfig(plug, null);
        } catch (CouplingFailure unresolvable) {
            // Decoupling must not be blocked by a config that no longer resolves (the Go operator's bug).
            context = CouplingContext.withoutConfig(plug, socket.orElse(null));
        }
        effects.fire(When.DECOUPLED, Side.PLUG, context, status);
        if (socket.isPresent()) {
            effects.fire(When.DECOUPLED, Side.SOCKET, context, status);
        }
        SocketStatusWriter.await(socketStatus.decouple(coupledTo, ObjectRef.of(plug)), coupledTo);
        status.setCoupledSocket(null);
        status.setCoupledResult(null);
        status.setInputDigest(null);
        // what is left is retained on purpose and no longer belongs to a coupling
        status.setInventory(null);
    }

    private CouplingContext resolveConfigs(Plug plug, Socket socket, InputLog log) throws CouplingFailure {
        try (var resolving = Step.current().resolve("config")) {
            CouplingContext context = resolveConfigsUntraced(plug, socket, log);
            resolving.ok();
            return context;
        }
    }

    private CouplingContext resolveConfigsUntraced(Plug plug, Socket socket, InputLog log) throws CouplingFailure {
        Owner plugOwner = owner(Side.PLUG, plug, plug.getSpec().getServiceAccountName());
        Owner socketOwner = owner(Side.SOCKET, socket, socket.getSpec().getServiceAccountName());
        Map<String, String> plugData = resolver.data(plug.getSpec(), plugOwner, log);
        Map<String, String> socketData = resolver.data(socket.getSpec(), socketOwner, log);
        Map<String, Object> objects = objects(plug, socket).build();
        Map<String, String> plugVars = resolver.vars(plug.getSpec().getVars(), plugOwner, objects, "vars", log);
        Map<String, String> socketVars = resolver.vars(socket.getSpec().getVars(), socketOwner, objects, "vars", log);
        Map<String, String> plugConfig = resolver.config(plug.getSpec(), plugOwner, plug,
                configBindings(plug, socket, plugData, socketData, plugVars), log);
        Map<String, String> socketConfig = resolver.config(socket.getSpec(), socketOwner, socket,
                configBindings(plug, socket, plugData, socketData, socketVars), log);
        resolver.recordResultSources(plug.getSpec(), plugOwner, log);
        resolver.recordResultSources(socket.getSpec(), socketOwner, log);
        try {
            plugConfig = validator.validate(socket, Section.CONFIG, Side.PLUG, plugConfig);
            socketConfig = validator.validate(socket, Section.CONFIG, Side.SOCKET, socketConfig);
        } catch (InterfaceViolation violation) {
            throw new CouplingFailure(Reason.CONFIG_INVALID, violation.getMessage() + " by the interface of socket "
                    + describe(socket), true);
        }
        return new CouplingContext(plug, socket, plugData, socketData, plugVars, socketVars, plugConfig,
                socketConfig);
    }

    private CoupledResult computeResults(CouplingContext context, String digest, long generation)
            throws CouplingFailure {
        try (var resolving = Step.current().resolve("results")) {
            CoupledResult result = computeResultsUntraced(context, digest, generation);
            resolving.ok();
            return result;
        }
    }

    private CoupledResult computeResultsUntraced(CouplingContext context, String digest, long generation)
            throws CouplingFailure {
        Plug plug = context.plug();
        Socket socket = context.socket();
        Owner plugOwner = owner(Side.PLUG, plug, plug.getSpec().getServiceAccountName());
        Owner socketOwner = owner(Side.SOCKET, socket, socket.getSpec().getServiceAccountName());
        Map<String, Object> objects = objects(plug, socket).build();
        Map<String, String> plugResultVars = resolver.vars(plug.getSpec().getResultVars(), plugOwner, objects,
                "resultVars", null);
        Map<String, String> socketResultVars = resolver.vars(socket.getSpec().getResultVars(), socketOwner, objects,
                "resultVars", null);
        InputLog ignored = new InputLog();
        Map<String, String> plugResult = resolver.result(plug.getSpec(), plugOwner,
                resultBindings(context, context.plugVars(), plugResultVars), ignored);
        Map<String, String> socketResult = resolver.result(socket.getSpec(), socketOwner,
                resultBindings(context, context.socketVars(), socketResultVars), ignored);
        try {
            plugResult = validator.validate(socket, Section.RESULT, Side.PLUG, plugResult);
            socketResult = validator.validate(socket, Section.RESULT, Side.SOCKET, socketResult);
        } catch (InterfaceViolation violation) {
            throw new CouplingFailure(Reason.RESULT_PENDING, violation.getMessage() + " by the interface of socket "
                    + describe(socket) + "; retrying", false);
        }
        effects.applyResultResources(Side.SOCKET, context, plugResult, socketResult);
        effects.applyResultResources(Side.PLUG, context, plugResult, socketResult);
        return new CoupledResult(plugResult, socketResult, generation, digest);
    }

    /**
     * Enforces {@code spec.limit} (the Go operator declared it but never read it): the plug takes a place in the
     * socket's list before anything fires, so two plugs racing for the last place cannot both couple. A full socket
     * is retried with backoff, as places free up without any event on the waiting plug.
     */
    private void reserveSlot(Socket socket, Plug plug) throws CouplingFailure {
        Integer limit = socket.getSpec().getLimit();
        if (limit == null || limit <= 0) {
            return;
        }
        ObjectRef socketRef = ObjectRef.of(socket);
        boolean listed = SocketStatusWriter.await(socketStatus.reserve(socketRef, ObjectRef.of(plug), limit),
                socketRef);
        if (!listed) {
            throw new CouplingFailure(Reason.SOCKET_FULL, "socket " + describe(socket) + " accepts at most " + limit
                    + (limit == 1 ? " plug" : " plugs") + " and has no free place; retrying", false);
        }
    }

    /** A plug deleted before it coupled may still hold a place it reserved in its socket's list. */
    private void releaseReservation(Plug plug) throws CouplingFailure {
        NamespacedName ref = socketRef(plug);
        Optional<Socket> socket = directory.socket(ref.getNamespace(), ref.getName());
        String uid = plug.getMetadata().getUid();
        if (socket.isPresent() && socket.get().getStatus() != null && socket.get().getStatus().getCoupledPlugs() != null
                && socket.get().getStatus().getCoupledPlugs().stream().anyMatch(p -> uid.equals(p.getUid()))) {
            ObjectRef socketRef = ObjectRef.of(socket.get());
            SocketStatusWriter.await(socketStatus.decouple(socketRef, ObjectRef.of(plug)), socketRef);
        }
    }

    /**
     * Waits until the socket lists the plug before the plug's status can say Coupled: a replica that dies between the
     * two writes then leaves an uncoupled plug, which its shard's next holder couples, and never a coupled plug its
     * socket does not list.
     */
    private void ensureListed(Socket socket, Plug plug) throws CouplingFailure {
        String uid = plug.getMetadata().getUid();
        List<ObjectRef> listed = socket.getStatus() == null ? List.of() : socket.getStatus().getCoupledPlugs();
        boolean present = listed != null && listed.stream().anyMatch(p -> uid.equals(p.getUid()));
        if (!present) {
            ObjectRef socketRef = ObjectRef.of(socket);
            SocketStatusWriter.await(socketStatus.couple(socketRef, ObjectRef.of(plug)), socketRef);
        }
    }

    private static boolean isSamePair(ObjectRef coupledTo, Optional<Socket> socket) {
        return socket.isPresent() && socket.get().getMetadata().getDeletionTimestamp() == null
                && coupledTo.getUid() != null && coupledTo.getUid().equals(socket.get().getMetadata().getUid());
    }

    private static void markSucceeded(Plug plug, PlugStatus status) {
        long generation = generation(plug);
        String message = "coupled to socket " + status.getCoupledSocket().key();
        status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, true,
                Reason.COUPLING_SUCCEEDED.value(), message, generation));
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, true,
                Reason.COUPLING_SUCCEEDED.value(), message, generation));
        status.setObservedGeneration(generation);
    }

    private static void markFailed(Plug plug, PlugStatus status, CouplingFailure failure) {
        long generation = generation(plug);
        boolean coupled = status.getCoupledSocket() != null && status.getCoupledResult() != null;
        if (coupled) {
            status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, true,
                    Reason.COUPLING_SUCCEEDED.value(), "coupled to socket " + status.getCoupledSocket().key(),
                    generation));
        } else {
            status.setConditions(Conditions.set(status.getConditions(), Conditions.COUPLED, false,
                    failure.reason().value(), failure.getMessage(), generation));
        }
        status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, false,
                failure.reason().value(), failure.getMessage(), generation));
        status.setObservedGeneration(generation);
    }

    /** The template views of both objects, as {@code plug} and {@code socket}. */
    private Bindings objects(Plug plug, Socket socket) {
        return Bindings.create().object("plug", views.of(plug)).object("socket", views.of(socket));
    }

    private Map<String, Object> configBindings(Plug plug, Socket socket, Map<String, String> plugData,
                                               Map<String, String> socketData, Map<String, String> vars) {
        return objects(plug, socket).map("plugData", plugData).map("socketData", socketData).map("vars", vars)
                .build();
    }

    private Map<String, Object> resultBindings(CouplingContext context, Map<String, String> vars,
                                               Map<String, String> resultVars) {
        return objects(context.plug(), context.socket())
                .map("plugData", context.plugData()).map("socketData", context.socketData())
                .map("plugConfig", context.plugConfig()).map("socketConfig", context.socketConfig())
                .map("vars", vars).map("resultVars", resultVars).build();
    }

    private static NamespacedName socketRef(Plug plug) throws CouplingFailure {
        return plug.socketRef().orElseThrow(() -> new CouplingFailure(Reason.INVALID_SPEC,
                "spec.socket.name is required", true));
    }

    private static Owner owner(Side side, HasMetadata object, String serviceAccountName) throws CouplingFailure {
        return Owner.of(side, object, serviceAccountName);
    }

    private static long generation(Plug plug) {
        Long generation = plug.getMetadata().getGeneration();
        return generation == null ? 0L : generation;
    }

    private static String describe(Socket socket) {
        return socket.getMetadata().getNamespace() + "/" + socket.getMetadata().getName();
    }

    private static PlugStatus copy(PlugStatus status) {
        return status == null ? new PlugStatus() : Serialization.clone(status);
    }
}
