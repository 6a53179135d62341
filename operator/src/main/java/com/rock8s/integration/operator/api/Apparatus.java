package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * A side-car REST service called on lifecycle events. {@code endpoint} is a path on the managed apparatus Service or an
 * absolute URL of an external one; {@code idleTimeout} is in seconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Apparatus {
    @JsonPropertyDescription("a path on the managed apparatus Service (absent means its root), or an absolute URL of "
            + "an external apparatus")
    private String endpoint;
    @JsonPropertyDescription("seconds without calls after which the managed apparatus Pod is deleted; absent, 0 or "
            + "negative means 60")
    private Long idleTimeout;
    @JsonPropertyDescription("the containers of the managed apparatus Pod; required unless endpoint is an absolute URL")
    private List<Container> containers;

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public Long getIdleTimeout() { return idleTimeout; }
    public void setIdleTimeout(Long idleTimeout) { this.idleTimeout = idleTimeout; }
    public List<Container> getContainers() { return containers; }
    public void setContainers(List<Container> containers) { this.containers = containers; }
}
