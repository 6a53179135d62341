package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/** A request to integrate with the service a {@link Socket} offers. */
@Group(Plug.GROUP)
@Version(Plug.VERSION)
@ShortNames("plg")
@Categories("integrations")
@AdditionalPrinterColumn(name = "Socket", jsonPath = ".spec.socket.name")
@AdditionalPrinterColumn(name = "Coupled", jsonPath = ".status.conditions[?(@.type==\"Coupled\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class Plug extends CustomResource<PlugSpec, PlugStatus> implements Namespaced {
    public static final String GROUP = "integration.rock8s.com";
    public static final String VERSION = "v1beta1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    @Override
    @JsonPropertyDescription("the socket to couple to and the plug's own side of the integration")
    public PlugSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("where the plug stands, written by the operator: conditions, coupled socket, results "
            + "and inventory")
    public PlugStatus getStatus() {
        return super.getStatus();
    }

    /**
     * The socket {@code spec.socket} names, its namespace defaulting to the plug's; empty when no name is given.
     */
    public Optional<NamespacedName> socketRef() {
        NamespacedName socket = getSpec() == null ? null : getSpec().getSocket();
        if (socket == null || socket.getName() == null || socket.getName().isBlank()) {
            return Optional.empty();
        }
        String namespace = socket.getNamespace() == null || socket.getNamespace().isBlank()
                ? getMetadata().getNamespace() : socket.getNamespace();
        return Optional.of(new NamespacedName(socket.getName(), namespace));
    }
}
