package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The field a var reads, as {@code spec.containers[0].image} or the dotted form {@code spec.containers.0.image}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FieldRef {
    private String fieldPath;

    public String getFieldPath() { return fieldPath; }
    public void setFieldPath(String fieldPath) { this.fieldPath = fieldPath; }
}
