package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.coupling.SocketLifecycle;
import com.rock8s.integration.operator.events.EventRecorder;
import com.rock8s.integration.operator.status.CouplingFailure;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles sockets: their {@code created} and {@code deleted} events and the repair of their plug list. Socket
 * status is written only through the coalescing {@code SocketStatusWriter}, never here.
 */
public final class SocketReconciler implements Reconciler<Socket>, Cleaner<Socket> {
    private static final Logger LOG = LoggerFactory.getLogger(SocketReconciler.class);
    private static final Duration RECHECK_WHILE_DECOUPLING = Duration.ofSeconds(2);

    private final SocketLifecycle lifecycle;
    private final EventRecorder events;
    private final ReconcileGate gate;
    private final int shard;
    private final ShardDirectory directory;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    SocketReconciler(int shard, ShardDirectory directory, SocketLifecycle lifecycle, EventRecorder events,
                     ReconcileGate gate) {
        this.shard = shard;
        this.directory = directory;
        this.lifecycle = lifecycle;
        this.events = events;
        this.gate = gate;
    }

    @Override
    public List<EventSource<?, Socket>> prepareEventSources(EventSourceContext<Socket> context) {
        directory.attachSockets(shard, context.getPrimaryCache());
        return List.of();
    }

    @Override
    public UpdateControl<Socket> reconcile(Socket socket, Context<Socket> context) {
        return gate.pass(socket, () -> runLifecycle(socket), UpdateControl::noUpdate);
    }

    private UpdateControl<Socket> runLifecycle(Socket socket) {
        try {
            lifecycle.reconcile(socket);
            backoff.reset(socket.getMetadata().getUid());
            return UpdateControl.noUpdate();
        } catch (CouplingFailure failure) {
            report(socket, failure);
            UpdateControl<Socket> retry = UpdateControl.noUpdate();
            return retry.rescheduleAfter(backoff.next(socket.getMetadata().getUid()));
        }
    }

    @Override
    public DeleteControl cleanup(Socket socket, Context<Socket> context) {
        return gate.pass(socket, () -> delete(socket),
                () -> DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK_WHILE_DECOUPLING.toMillis()));
    }

    private DeleteControl delete(Socket socket) {
        try {
            if (lifecycle.delete(socket)) {
                backoff.reset(socket.getMetadata().getUid());
                return DeleteControl.defaultDelete();
            }
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK_WHILE_DECOUPLING.toMillis());
        } catch (CouplingFailure failure) {
            if (failure.waitsForChange()) {
                // As for plugs: bad input must not keep a socket (and its namespace) from being deleted.
                LOG.info("event=cleanup_abandoned socket={}/{} reason={} message=\"{}\"",
                        socket.getMetadata().getNamespace(), socket.getMetadata().getName(),
                        failure.reason().value(), failure.getMessage());
                events.warning(socket, failure.reason().value(), "deleted without finishing its cleanup: "
                        + failure.getMessage());
                backoff.reset(socket.getMetadata().getUid());
                return DeleteControl.defaultDelete();
            }
            report(socket, failure);
            return DeleteControl.noFinalizerRemoval()
                    .rescheduleAfter(backoff.next(socket.getMetadata().getUid()).toMillis());
        }
    }

    private void report(Socket socket, CouplingFailure failure) {
        LOG.info("event=socket_step_failed socket={}/{} reason={} message=\"{}\"",
                socket.getMetadata().getNamespace(), socket.getMetadata().getName(), failure.reason().value(),
                failure.getMessage());
        events.warning(socket, failure.reason().value(), failure.getMessage());
    }
}
