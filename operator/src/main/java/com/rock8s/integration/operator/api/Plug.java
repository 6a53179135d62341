package com.rock8s.integration.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

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

}
