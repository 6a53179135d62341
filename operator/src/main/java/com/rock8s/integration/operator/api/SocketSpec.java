package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A socket's offer: the interface both sides obey, who may couple, and its own side of the integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketSpec extends IntegrationSpec {
    @JsonProperty("interface")
    private SocketInterface socketInterface;
    private Integer limit;
    private NamespaceValidation validation;

    @JsonProperty("interface")
    public SocketInterface getSocketInterface() { return socketInterface; }
    @JsonProperty("interface")
    public void setSocketInterface(SocketInterface socketInterface) { this.socketInterface = socketInterface; }
    public Integer getLimit() { return limit; }
    public void setLimit(Integer limit) { this.limit = limit; }
    public NamespaceValidation getValidation() { return validation; }
    public void setValidation(NamespaceValidation validation) { this.validation = validation; }
}
