package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.ObjectRef;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.config.SideResolver.Owner;
import com.rock8s.integration.operator.interfaces.Side;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.telemetry.CouplingTelemetry;
import com.rock8s.integration.operator.telemetry.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket's own events: {@code created} once, {@code deleted} once no plug is coupled any more. Deleting a socket
 * does not delete its plugs: they see the socket going, decouple (both sides' hooks run while the socket's finalizer
 * keeps it readable) and wait for a socket again. Every reconcile also repairs {@code coupledPlugs} against the plugs'
 * own statuses.
 */
public final class SocketLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SocketLifecycle.class);

    private final Directory directory;
    private final Predicate<ObjectRef> plugExists;
    private final SideEffects effects;
    private final SocketStatusWriter socketStatus;
    /**
     * Sockets whose {@code created} marker this process wrote. The informer may still hold the copy from before that
     * write when the next event arrives; without this, that stale copy would fire {@code created} a second time.
     */
    private final Set<String> createdHere = ConcurrentHashMap.newKeySet();
    private final CouplingTelemetry telemetry;

    /** With {@code telemetry}, each pass of a socket is one trace. */
    /**
     * @param plugExists asks the API whether a listed plug (namespace, name and uid) still exists; used only for a
     *                   socket being deleted whose list names plugs of namespaces this replica does not serve
     */
    public SocketLifecycle(Directory directory, SideEffects effects, SocketStatusWriter socketStatus,
                           CouplingTelemetry telemetry, Predicate<ObjectRef> plugExists) {
        this.plugExists = plugExists;
        this.telemetry = telemetry;
        this.directory = directory;
        this.effects = effects;
        this.socketStatus = socketStatus;
    }

    /** Fires {@code created} when it has not run yet, then repairs the coupled plug list. */
    public void reconcile(Socket socket) throws CouplingFailure {
        try (Step step = telemetry.socket(socket)) {
            pass(socket);
        }
    }

    private void pass(Socket socket) throws CouplingFailure {
        String uid = socket.getMetadata().getUid();
        boolean created = createdHere.contains(uid) || socket.getStatus() != null
                && Conditions.find(socket.getStatus().getConditions(), Conditions.COUPLED).isPresent();
        if (!created) {
            effects.fire(When.CREATED, Side.SOCKET, CouplingContext.withoutConfig(null, socket));
            ObjectRef ref = ObjectRef.of(socket);
            SocketStatusWriter.await(socketStatus.markCreated(ref, socket.getMetadata().getGeneration()), ref);
            createdHere.add(uid);
        }
        repair(socket);
        checkSpec(socket);
    }

    /** Keeps the socket's {@code Ready} condition telling whether its own spec is usable; writes only on change. */
    private void checkSpec(Socket socket) throws CouplingFailure {
        CouplingFailure problem = null;
        try {
            NamespacePolicy.check(socket);
            Owner.of(Side.SOCKET, socket, socket.getSpec().getServiceAccountName());
        } catch (CouplingFailure failure) {
            problem = failure;
        }
        String reason = problem == null ? SocketStatusWriter.READY_REASON : problem.reason().value();
        String message = problem == null ? SocketStatusWriter.READY_MESSAGE : problem.getMessage();
        Long generation = socket.getMetadata().getGeneration();
        boolean current = socket.getStatus() != null && Conditions.find(socket.getStatus().getConditions(),
                Conditions.READY).filter(c -> reason.equals(c.getReason()) && message.equals(c.getMessage())
                && java.util.Objects.equals(generation, c.getObservedGeneration())).isPresent();
        if (!current) {
            SocketStatusWriter.await(socketStatus.markReady(ObjectRef.of(socket), generation, problem),
                    ObjectRef.of(socket));
        }
        if (problem != null) {
            throw problem;
        }
    }

    /**
     * Returns true once the socket may go: no plug is coupled any more and {@code deleted} has run. While plugs are
     * still coupled they are decoupling themselves (they watch the socket); the caller checks again later.
     */
    public boolean delete(Socket socket) throws CouplingFailure {
        try (Step step = telemetry.socket(socket)) {
            return deletePass(socket);
        }
    }

    private boolean deletePass(Socket socket) throws CouplingFailure {
        repair(socket);
        Set<String> coupled = new HashSet<>();
        if (socket.getStatus() != null && socket.getStatus().getCoupledPlugs() != null) {
            ObjectRef socketRef = ObjectRef.of(socket);
            for (ObjectRef listed : socket.getStatus().getCoupledPlugs()) {
                if (directory.serves(listed.getNamespace())) {
                    if (directory.plug(listed.getNamespace(), listed.getName()).isPresent()) {
                        coupled.add(listed.getUid());
                    }
                } else if (plugExists.test(listed)) {
                    coupled.add(listed.getUid());
                } else {
                    // A plug that is gone cannot remove itself any more (its replica's removal may have been
                    // lost in a shard handover): without this the socket would wait for it forever.
                    LOG.info("event=socket_listing_dropped socket={}/{} plug={}/{} reason=plug_gone",
                            socket.getMetadata().getNamespace(), socket.getMetadata().getName(),
                            listed.getNamespace(), listed.getName());
                    socketStatus.decouple(socketRef, listed);
                }
            }
        }
        directory.plugsCoupledTo(socket.getMetadata().getUid()).forEach(p -> coupled.add(p.getMetadata().getUid()));
        if (!coupled.isEmpty()) {
            LOG.info("event=socket_delete_waiting socket={}/{} coupledPlugs={}", socket.getMetadata().getNamespace(),
                    socket.getMetadata().getName(), coupled.size());
            return false;
        }
        effects.fire(When.DELETED, Side.SOCKET, CouplingContext.withoutConfig(null, socket));
        createdHere.remove(socket.getMetadata().getUid());
        return true;
    }

    private void repair(Socket socket) {
        String uid = socket.getMetadata().getUid();
        ObjectRef socketRef = ObjectRef.of(socket);
        List<ObjectRef> listed = socket.getStatus() == null || socket.getStatus().getCoupledPlugs() == null
                ? List.of() : socket.getStatus().getCoupledPlugs();
        for (ObjectRef entry : listed) {
            // Only a plug that is gone is dropped here; a plug that decouples removes itself.
            if (directory.serves(entry.getNamespace())
                    && directory.plug(entry.getNamespace(), entry.getName())
                    .filter(p -> entry.getUid() == null || entry.getUid().equals(p.getMetadata().getUid()))
                    .isEmpty()) {
                socketStatus.decouple(socketRef, entry);
            }
        }
        Set<String> listedUids = new HashSet<>();
        listed.forEach(p -> listedUids.add(p.getUid()));
        for (Plug plug : directory.plugsCoupledTo(uid)) {
            if (!listedUids.contains(plug.getMetadata().getUid())) {
                socketStatus.couple(socketRef, ObjectRef.of(plug));
            }
        }
    }

}
