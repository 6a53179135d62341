package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One key of a socket interface: whether it is required, its default and a description. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceProperty {
    @JsonPropertyDescription("value used when the key is absent or empty; an empty default counts as no default")
    @JsonProperty("default")
    private String defaultValue;
    @JsonPropertyDescription("documentation of the key; the operator does not use it")
    private String description;
    @JsonPropertyDescription("whether the key must be present with a non-empty value; default false")
    private Boolean required;

    @JsonProperty("default")
    public String getDefaultValue() { return defaultValue; }
    @JsonProperty("default")
    public void setDefaultValue(String defaultValue) { this.defaultValue = defaultValue; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public Boolean getRequired() { return required; }
    public void setRequired(Boolean required) { this.required = required; }
}
