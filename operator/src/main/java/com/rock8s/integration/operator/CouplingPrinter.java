package com.rock8s.integration.operator;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Prints one line each time a plug's coupling state changes, so a person running the operator sees it work. */
final class CouplingPrinter implements AutoCloseable {
    private final PrintStream out;
    private final Map<String, String> lastState = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Plug> informer;

    CouplingPrinter(KubernetesClient client, PrintStream out) {
        this.out = out;
        this.informer = client.resources(Plug.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Plug plug) {
                print(plug);
            }

            @Override
            public void onUpdate(Plug old, Plug plug) {
                print(plug);
            }

            @Override
            public void onDelete(Plug plug, boolean unknownFinalState) {
                lastState.remove(key(plug));
                out.printf("%-10s plug %s%n", "deleted", key(plug));
            }
        });
    }

    private void print(Plug plug) {
        Optional<Condition> ready = plug.getStatus() == null ? Optional.empty()
                : Conditions.find(plug.getStatus().getConditions(), Conditions.READY);
        if (ready.isEmpty()) {
            return;
        }
        String state = ready.get().getStatus() + "/" + ready.get().getReason() + "/" + ready.get().getMessage();
        if (state.equals(lastState.put(key(plug), state))) {
            return;
        }
        if ("True".equals(ready.get().getStatus())) {
            out.printf("%-10s plug %s -> socket %s%n", "coupled", key(plug),
                    plug.getStatus().getCoupledSocket() == null ? "?" : plug.getStatus().getCoupledSocket().key());
        } else {
            out.printf("%-10s plug %s: %s: %s%n", "waiting", key(plug), ready.get().getReason(),
                    ready.get().getMessage());
        }
    }

    private static String key(Plug plug) {
        return plug.getMetadata().getNamespace() + "/" + plug.getMetadata().getName();
    }

    @Override
    public void close() {
        informer.close();
    }
}
