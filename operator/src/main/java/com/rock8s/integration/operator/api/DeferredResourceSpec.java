package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a {@link DeferredResource} applies and when. Field names are the Go operator's, so its manifests apply
 * unchanged; {@code timeout} is a delay before applying, as the Go operator implemented it (its CRD text called it a
 * deadline).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeferredResourceSpec {
    @JsonPropertyDescription("seconds to wait after the DeferredResource is created before applying the resource")
    private Long timeout;
    @JsonPropertyDescription("objects that must exist, in this namespace, before the resource is applied")
    private List<DeferredResourceWaitFor> waitFor;
    @JsonPropertyDescription("the object to apply, once, in this namespace")
    private JsonNode resource;
    @JsonPropertyDescription("service account (in this namespace) that reads waitFor objects and applies and deletes "
            + "the resource; default 'default'")
    private String serviceAccountName;

    public Long getTimeout() { return timeout; }
    public void setTimeout(Long timeout) { this.timeout = timeout; }
    public List<DeferredResourceWaitFor> getWaitFor() { return waitFor; }
    public void setWaitFor(List<DeferredResourceWaitFor> waitFor) { this.waitFor = waitFor; }
    public JsonNode getResource() { return resource; }
    public void setResource(JsonNode resource) { this.resource = resource; }
    public String getServiceAccountName() { return serviceAccountName; }
    public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
}
