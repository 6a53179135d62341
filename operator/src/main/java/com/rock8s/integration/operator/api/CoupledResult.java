package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** The validated results of both sides of a coupling, and the plug generation and inputs they were computed for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CoupledResult {
    @JsonPropertyDescription("the plug's validated result")
    private Map<String, String> plug;
    @JsonPropertyDescription("the socket's validated result")
    private Map<String, String> socket;
    @JsonPropertyDescription("the plug generation when the results were computed")
    private Long observedGeneration;
    @JsonPropertyDescription("the digest of the inputs the results were computed from")
    private String inputDigest;

    public CoupledResult() {
    }

    public CoupledResult(Map<String, String> plug, Map<String, String> socket, Long observedGeneration,
                         String inputDigest) {
        this.plug = plug;
        this.socket = socket;
        this.observedGeneration = observedGeneration;
        this.inputDigest = inputDigest;
    }

    public Map<String, String> getPlug() { return plug; }
    public void setPlug(Map<String, String> plug) { this.plug = plug; }
    public Map<String, String> getSocket() { return socket; }
    public void setSocket(Map<String, String> socket) { this.socket = socket; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    /** The digest of the inputs these results were computed from. */
    public String getInputDigest() { return inputDigest; }
    public void setInputDigest(String inputDigest) { this.inputDigest = inputDigest; }
}
