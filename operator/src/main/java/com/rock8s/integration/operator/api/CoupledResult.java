package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The validated results of both sides of a coupling, and the plug generation and inputs they were computed for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CoupledResult {
    private Map<String, String> plug;
    private Map<String, String> socket;
    private Long observedGeneration;
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
