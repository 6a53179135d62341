package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Where a socket stands: its conditions and exactly the plugs coupled to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketStatus {
    @JsonPropertyDescription("the Coupled and Ready conditions")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("the plugs coupled to this socket (a plug is listed once it takes its place), sorted by "
            + "namespace and name")
    private List<ObjectRef> coupledPlugs = new ArrayList<>();
    @JsonPropertyDescription("the number of entries in coupledPlugs (the Plugs column)")
    private Integer coupledPlugCount;
    @JsonPropertyDescription("the socket generation when its created event ran or its Ready condition was last written")
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
