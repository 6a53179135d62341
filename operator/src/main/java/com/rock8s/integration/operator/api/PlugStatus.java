package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a plug stands: its {@code Coupled} and {@code Ready} conditions, the socket it is coupled to, the results,
 * and the digest of the inputs its last {@code coupled} or {@code updated} event saw (so that a restart with
 * unchanged inputs fires nothing).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlugStatus {
    @JsonPropertyDescription("the Coupled and Ready conditions")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("the socket the plug is coupled to; absent while it is not coupled")
    private ObjectRef coupledSocket;
    @JsonPropertyDescription("both sides' validated results (plain text, so keep secrets out of results)")
    private CoupledResult coupledResult;
    @JsonPropertyDescription("the plug generation at the last reconcile")
    private Long observedGeneration;
    @JsonPropertyDescription("digest of the inputs at the last coupled or updated event; a different digest fires "
            + "updated")
    private String inputDigest;
    @JsonPropertyDescription("objects applied for the current coupling, deleted on decoupling unless retained")
    private List<InventoryItem> inventory;
    @JsonPropertyDescription("the OpenTelemetry trace id of the pass that last changed this status")
    private String traceId;

    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public ObjectRef getCoupledSocket() { return coupledSocket; }
    public void setCoupledSocket(ObjectRef coupledSocket) { this.coupledSocket = coupledSocket; }
    public CoupledResult getCoupledResult() { return coupledResult; }
    public void setCoupledResult(CoupledResult coupledResult) { this.coupledResult = coupledResult; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public String getInputDigest() { return inputDigest; }
    public void setInputDigest(String inputDigest) { this.inputDigest = inputDigest; }
    /** Objects applied for the current coupling; null when none was ever recorded (pairs adopted from the Go operator). */
    public List<InventoryItem> getInventory() { return inventory; }
    public void setInventory(List<InventoryItem> inventory) { this.inventory = inventory; }
    /** The OpenTelemetry trace id of the pass that last changed this status: look it up in Jaeger or Tempo. */
    public String getTraceId() { return traceId; }
    public void setTraceId(String traceId) { this.traceId = traceId; }
}
