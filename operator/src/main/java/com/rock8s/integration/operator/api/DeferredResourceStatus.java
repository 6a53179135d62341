package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link DeferredResource} stands: its {@code Resolved} condition, the generation last reconciled, and the
 * object it applied (which its deletion deletes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeferredResourceStatus {
    @JsonPropertyDescription("the Resolved condition")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("the generation at the last reconcile")
    private Long observedGeneration;
    @JsonPropertyDescription("the object applied, which deleting the DeferredResource deletes; absent while nothing "
            + "was applied")
    private DeferredResourceApplied appliedResource;

    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    /** The object applied, or null while nothing was. */
    public DeferredResourceApplied getAppliedResource() { return appliedResource; }
    public void setAppliedResource(DeferredResourceApplied appliedResource) { this.appliedResource = appliedResource; }
}
