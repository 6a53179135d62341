package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A plug's request: the socket it couples to and its own side of the integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlugSpec extends IntegrationSpec {
    @JsonPropertyDescription("the socket to couple to; its namespace defaults to the plug's")
    @Required
    private NamespacedName socket;

    public NamespacedName getSocket() { return socket; }
    public void setSocket(NamespacedName socket) { this.socket = socket; }
}
