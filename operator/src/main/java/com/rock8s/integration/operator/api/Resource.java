package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * A lifecycle resource: a {@link ResourceAction} run on the events listed in {@code when} (default
 * {@code [coupled, updated]}), deleted on decoupling unless {@code retainWhenDecoupled} (alias
 * {@code preserveWhenDecoupled}) is true.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Resource extends ResourceAction {
    @JsonPropertyDescription("keep the objects when the pair decouples; default false")
    private Boolean retainWhenDecoupled;
    @JsonPropertyDescription("alias of retainWhenDecoupled")
    private Boolean preserveWhenDecoupled;
    @JsonPropertyDescription("the events that run this resource: created, coupled, updated, decoupled or deleted; "
            + "default [coupled, updated]")
    private List<When> when;

    public Boolean getRetainWhenDecoupled() { return retainWhenDecoupled; }
    public void setRetainWhenDecoupled(Boolean retainWhenDecoupled) { this.retainWhenDecoupled = retainWhenDecoupled; }
    public Boolean getPreserveWhenDecoupled() { return preserveWhenDecoupled; }
    public void setPreserveWhenDecoupled(Boolean preserveWhenDecoupled) { this.preserveWhenDecoupled = preserveWhenDecoupled; }
    public List<When> getWhen() { return when; }
    public void setWhen(List<When> when) { this.when = when; }

    /** True when either spelling of the retain flag is set. */
    @JsonIgnore
    public boolean retained() {
        return Boolean.TRUE.equals(retainWhenDecoupled) || Boolean.TRUE.equals(preserveWhenDecoupled);
    }
}
