package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The contract a socket offers: which config and result keys each side provides. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketInterface {
    private InterfaceSides config;
    private InterfaceSides result;

    public InterfaceSides getConfig() { return config; }
    public void setConfig(InterfaceSides config) { this.config = config; }
    public InterfaceSides getResult() { return result; }
    public void setResult(InterfaceSides result) { this.result = result; }
}
