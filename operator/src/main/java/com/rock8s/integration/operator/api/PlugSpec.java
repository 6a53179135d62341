package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A plug's request: the socket it couples to and its own side of the integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlugSpec extends IntegrationSpec {
    @Required
    private NamespacedName socket;

    public NamespacedName getSocket() { return socket; }
    public void setSocket(NamespacedName socket) { this.socket = socket; }
}
