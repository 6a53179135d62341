package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The field a var reads, as {@code spec.containers[0].image} or the dotted form {@code spec.containers.0.image}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FieldRef {
    @JsonPropertyDescription("the field to read, as spec.rules[0].host or spec.rules.0.host (\\. for a dot inside a "
            + "key); required")
    private String fieldPath;

    public String getFieldPath() { return fieldPath; }
    public void setFieldPath(String fieldPath) { this.fieldPath = fieldPath; }
}
