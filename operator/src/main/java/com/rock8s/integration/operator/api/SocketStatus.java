package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Where a socket stands: its conditions and exactly the plugs coupled to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketStatus {
    private List<Condition> conditions = new ArrayList<>();
    private List<ObjectRef> coupledPlugs = new ArrayList<>();
    private Integer coupledPlugCount;
    private Long observedGeneration;

    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public List<ObjectRef> getCoupledPlugs() { return coupledPlugs; }
    public void setCoupledPlugs(List<ObjectRef> coupledPlugs) { this.coupledPlugs = coupledPlugs; }
    public Integer getCoupledPlugCount() { return coupledPlugCount; }
    public void setCoupledPlugCount(Integer coupledPlugCount) { this.coupledPlugCount = coupledPlugCount; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
