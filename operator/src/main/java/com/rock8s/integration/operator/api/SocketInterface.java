package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The contract a socket offers: which config and result keys each side provides. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketInterface {
    @JsonPropertyDescription("the config keys each side provides; absent means no config is validated")
    private InterfaceSides config;
    @JsonPropertyDescription("the result keys each side provides; absent means no result is validated")
    private InterfaceSides result;

    public InterfaceSides getConfig() { return config; }
    public void setConfig(InterfaceSides config) { this.config = config; }
    public InterfaceSides getResult() { return result; }
    public void setResult(InterfaceSides result) { this.result = result; }
}
