package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * A side-car REST service called on lifecycle events. {@code endpoint} is a path on the managed apparatus Service or an
 * absolute URL of an external one; {@code idleTimeout} is in seconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Apparatus {
    private String endpoint;
    private Long idleTimeout;
    private List<Container> containers;

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public Long getIdleTimeout() { return idleTimeout; }
    public void setIdleTimeout(Long idleTimeout) { this.idleTimeout = idleTimeout; }
    public List<Container> getContainers() { return containers; }
    public void setContainers(List<Container> containers) { this.containers = containers; }
}
