package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The object a {@link DeferredResource} applied: its coordinates, the service account user that applied it (and that
 * deletes it), and the DeferredResource generation whose spec it came from (a newer generation applies again).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeferredResourceApplied {
    @JsonPropertyDescription("the object's API version")
    private String apiVersion;
    @JsonPropertyDescription("the object's kind")
    private String kind;
    @JsonPropertyDescription("the object's namespace")
    private String namespace;
    @JsonPropertyDescription("the object's name")
    private String name;
    @JsonPropertyDescription("the service account user that applied the object and deletes it")
    private String appliedAs;
    @JsonPropertyDescription("the DeferredResource generation whose spec was applied; a newer generation applies again")
    private Long generation;

    public DeferredResourceApplied() {
    }

    public DeferredResourceApplied(String apiVersion, String kind, String namespace, String name, String appliedAs,
                                   Long generation) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.appliedAs = appliedAs;
        this.generation = generation;
    }

    public String getApiVersion() { return apiVersion; }
    public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getAppliedAs() { return appliedAs; }
    public void setAppliedAs(String appliedAs) { this.appliedAs = appliedAs; }
    public Long getGeneration() { return generation; }
    public void setGeneration(Long generation) { this.generation = generation; }

    /** Whether {@code other} names the same object (who applied it and from which generation aside). */
    public boolean sameObject(DeferredResourceApplied other) {
        return other != null && Objects.equals(apiVersion, other.apiVersion) && Objects.equals(kind, other.kind)
                && Objects.equals(namespace, other.namespace) && Objects.equals(name, other.name);
    }

    /** {@code Kind namespace/name}, for messages. */
    @JsonIgnore
    public String describe() {
        return kind + " " + namespace + "/" + name;
    }
}
