package com.rock8s.integration.loadtest.run;

import com.rock8s.integration.loadtest.workload.Workload;
import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugStatus;
import com.rock8s.integration.operator.identity.Impersonation;
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
 * <p>Per coupling: add the finalizer (merge patch), apply the rendered ConfigMap (server-side apply, as the plug's
 * service account through impersonation, as the operator does), write the plug's status (update of {@code /status}
 * with the resourceVersion the patch returned, as the operator does) and record the {@code Coupled} Event (create).
 * The socket's status write is left out: the operator coalesces it across plugs, so per coupling it tends to zero.
 *
 * <p>The writes go through {@code writer}: on the local control plane that is the operator's own ServiceAccount, so
 * the server's priority and fairness treat them exactly like the operator's. The plugs are created and removed
 * untimed through {@code admin}, which may do what the operator's ClusterRole does not allow.
 */
final class Baseline {
    /** Writes each baseline coupling sends. */
    static final int WRITES_PER_COUPLING = 4;

    private final KubernetesClient client;
    private final KubernetesClient writer;
    private final Impersonation identities;

    /**
     * @param admin  prepares and cleans up
     * @param writer sends the timed writes, with the operator's identity and settings
     */
    Baseline(KubernetesClient admin, KubernetesClient writer) {
        this.client = admin;
        this.writer = writer;
        this.identities = new Impersonation(writer);
    }

    /** The plugs the timed part works on, created untimed beforehand. */
    void prepare(int couplings, Parallel parallel) {
        client.namespaces().resource(Workload.namespaceObject(Workload.BASELINE_NAMESPACE)).createOr(c -> c.update());
        client.resource(Workload.serviceAccountsEdit(Workload.BASELINE_NAMESPACE)).createOr(c -> c.update());
        parallel.forEach(couplings, i -> client.resource(Workload.plug(where(i), "baseline-absent")).create());
    }

    /** One coupling's writes. */
    void couple(int index) {
        NamespacedName where = where(index);
        var plugs = writer.resources(Plug.class).inNamespace(where.getNamespace());
        Plug patched = plugs.withName(where.getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"" + OperatorSettings.FINALIZER + "\"]}}");
        ConfigMap rendered = new ConfigMapBuilder().withNewMetadata()
                .withName(where.getNamespace() + "." + where.getName()).withNamespace(where.getNamespace())
                .addToLabels(Workload.LABEL, "true").endMetadata()
                .withData(Map.of("url", "postgres://baseline.lt-sockets.svc:5432/db_" + index)).build();
        identities.as(Impersonation.serviceAccountUser(where.getNamespace(), null)).configMaps()
                .inNamespace(where.getNamespace()).resource(rendered).fieldManager("integration-operator")
                .forceConflicts().serverSideApply();
        PlugStatus s = new PlugStatus();
        s.setConditions(Conditions.set(List.of(), Conditions.COUPLED, true, "CouplingSucceeded", "coupled", 1L));
        s.setInputDigest("baseline-" + index);
        patched.setStatus(s);
        plugs.resource(patched).updateStatus();
        String now = Instant.now().toString();
        writer.v1().events().inNamespace(where.getNamespace()).resource(new EventBuilder().withNewMetadata()
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
