package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A named value read from a field of another object, exposed to config or result templates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Var {
    @JsonPropertyDescription("the variable's name in templates")
    @Required
    private String name;
    @JsonPropertyDescription("the object to read, in this namespace")
    @Required
    private Target objref;
    @JsonPropertyDescription("the field of the object to read; required")
    private FieldRef fieldref;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Target getObjref() { return objref; }
    public void setObjref(Target objref) { this.objref = objref; }
    public FieldRef getFieldref() { return fieldref; }
    public void setFieldref(FieldRef fieldref) { this.fieldref = fieldref; }
}
