package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A service offered to {@link Plug}s, with the interface both sides must honour. */
@Group(Plug.GROUP)
@Version(Plug.VERSION)
@ShortNames("sock")
@Categories("integrations")
@AdditionalPrinterColumn(name = "Plugs", jsonPath = ".status.coupledPlugCount",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Coupled", jsonPath = ".status.conditions[?(@.type==\"Coupled\")].status")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class Socket extends CustomResource<SocketSpec, SocketStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("the interface both sides obey, which plugs may couple and the socket's own side of "
            + "the integration")
    public SocketSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("where the socket stands, written by the operator: conditions and the coupled plugs")
    public SocketStatus getStatus() {
        return super.getStatus();
    }
}
