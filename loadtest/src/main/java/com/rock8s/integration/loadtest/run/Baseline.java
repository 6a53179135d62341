package com.rock8s.integration.loadtest.run;

import com.rock8s.integration.loadtest.workload.Workload;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugStatus;
import com.rock8s.integration.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Phase (a): the writes one coupling cannot do without, sent straight to the API by a client with the operator's
 * settings, with the operator's concurrency and nothing else running. Their rate is the API's own limit for this
 * work; the operator's throughput is reported as a share of it.
 *
 * <p>Per coupling: add the finalizer (merge patch), apply the rendered ConfigMap (server-side apply), write the
 * plug's status (merge patch on {@code /status}) and record the {@code Coupled} Event (create). The socket's status
 * write is left out: the operator coalesces it across plugs, so per coupling it tends to zero.
 */
final class Baseline {
    /** Writes each baseline coupling sends. */
    static final int WRITES_PER_COUPLING = 4;

    private final KubernetesClient client;

    Baseline(KubernetesClient client) {
        this.client = client;
    }

    /** The plugs the timed part works on, created untimed beforehand. */
    void prepare(int couplings, Parallel parallel) {
        client.namespaces().resource(Workload.namespaceObject(Workload.BASELINE_NAMESPACE)).createOr(c -> c.update());
        parallel.forEach(couplings, i -> client.resource(Workload.plug(where(i), "baseline-absent")).create());
    }

    /** One coupling's writes. */
    void couple(int index) {
        NamespacedName where = where(index);
        var plugs = client.resources(Plug.class).inNamespace(where.getNamespace());
        plugs.withName(where.getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"" + OperatorSettings.FINALIZER + "\"]}}");
        ConfigMap rendered = new ConfigMapBuilder().withNewMetadata()
                .withName(where.getNamespace() + "." + where.getName()).withNamespace(where.getNamespace())
                .addToLabels(Workload.LABEL, "true").endMetadata()
                .withData(Map.of("url", "postgres://baseline.lt-sockets.svc:5432/db_" + index)).build();
        client.configMaps().inNamespace(where.getNamespace()).resource(rendered).fieldManager("integration-operator")
                .forceConflicts().serverSideApply();
        Plug status = Workload.plug(where, "baseline-absent");
        PlugStatus s = new PlugStatus();
        s.setConditions(Conditions.set(List.of(), Conditions.COUPLED, true, "CouplingSucceeded", "coupled", 1L));
        s.setInputDigest("baseline-" + index);
        status.setStatus(s);
        plugs.resource(status).patchStatus();
        String now = Instant.now().toString();
        client.v1().events().inNamespace(where.getNamespace()).resource(new EventBuilder().withNewMetadata()
                        .withName(where.getName() + ".coupled").withNamespace(where.getNamespace()).endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(Plug.API_VERSION)
                                .withKind("Plug").withNamespace(where.getNamespace()).withName(where.getName()).build())
                        .withReason("Coupled").withMessage("baseline coupling").withType("Normal")
                        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build())
                .create();
    }

    /** Removes what the baseline wrote, so the operator never sees it. */
    void cleanUp(int couplings, Parallel parallel) {
        parallel.forEach(couplings, i -> {
            NamespacedName where = where(i);
            var plug = client.resources(Plug.class).inNamespace(where.getNamespace()).withName(where.getName());
            plug.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":[]}}");
            plug.delete();
            client.configMaps().inNamespace(where.getNamespace()).withName(where.getNamespace() + "."
                    + where.getName()).delete();
            client.v1().events().inNamespace(where.getNamespace()).withName(where.getName() + ".coupled").delete();
        });
    }

    private static NamespacedName where(int index) {
        return new NamespacedName(String.format("b-%05d", index), Workload.BASELINE_NAMESPACE);
    }
}
