package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A socket's offer: the interface both sides obey, who may couple, and its own side of the integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketSpec extends IntegrationSpec {
    @JsonPropertyDescription("the config and result keys each side provides; absent means nothing is validated")
    @JsonProperty("interface")
    private SocketInterface socketInterface;
    @JsonPropertyDescription("maximum number of plugs coupled at once; absent, 0 or negative means no limit")
    private Integer limit;
    @JsonPropertyDescription("which plug namespaces may couple; absent means every namespace")
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
