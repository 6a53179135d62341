package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A reference to a namespaced object; an absent namespace means the referring object's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespacedName {
    @JsonPropertyDescription("the referenced object's name")
    @Required
    private String name;
    @JsonPropertyDescription("the referenced object's namespace; defaults to the referring object's namespace")
    private String namespace;

    public NamespacedName() {
    }

    public NamespacedName(String name, String namespace) {
        this.name = name;
        this.namespace = namespace;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
}
