package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One object applied later: once {@code spec.timeout} seconds have passed since the DeferredResource was created and
 * every {@code spec.waitFor} object exists, {@code spec.resource} is applied once, in the DeferredResource's namespace,
 * as its service account. Deleting the DeferredResource deletes what it applied.
 */
@Group(Plug.GROUP)
@Version(Plug.VERSION)
@Categories("integrations")
@AdditionalPrinterColumn(name = "Resolved", jsonPath = ".status.conditions[?(@.type==\"Resolved\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Resolved\")].reason")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DeferredResource extends CustomResource<DeferredResourceSpec, DeferredResourceStatus>
        implements Namespaced {
    @Override
    @JsonPropertyDescription("the object to apply and what to wait for first")
    public DeferredResourceSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("where the DeferredResource stands, written by the operator: the Resolved condition "
            + "and the applied object")
    public DeferredResourceStatus getStatus() {
        return super.getStatus();
    }
}
