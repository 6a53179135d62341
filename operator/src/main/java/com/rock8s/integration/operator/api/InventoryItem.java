package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * One object applied for a coupling, as listed in the plug's {@code status.inventory}. Decoupling deletes exactly
 * the listed objects that are not retained, instead of re-rendering templates whose inputs may have changed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InventoryItem {
    @JsonPropertyDescription("the side whose resource applied the object: plug or socket")
    private String side;
    @JsonPropertyDescription("the object's API version")
    private String apiVersion;
    @JsonPropertyDescription("the object's kind")
    private String kind;
    @JsonPropertyDescription("the object's namespace")
    private String namespace;
    @JsonPropertyDescription("the object's name")
    private String name;
    @JsonPropertyDescription("true when the object is kept on decoupling")
    private Boolean retain;
    @JsonPropertyDescription("the service account user that applied the object and deletes it")
    private String appliedAs;

    public InventoryItem() {
    }

    public InventoryItem(String side, String apiVersion, String kind, String namespace, String name, boolean retain,
                         String appliedAs) {
        this.side = side;
        this.appliedAs = appliedAs;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.retain = retain ? Boolean.TRUE : null;
    }

    /** The item for {@code object} applied by {@code side} ("plug" or "socket") as the user {@code appliedAs}. */
    public static InventoryItem of(String side, HasMetadata object, boolean retain, String appliedAs) {
        return new InventoryItem(side, object.getApiVersion(), object.getKind(), object.getMetadata().getNamespace(),
                object.getMetadata().getName(), retain, appliedAs);
    }

    public String getSide() { return side; }
    public void setSide(String side) { this.side = side; }
    public String getApiVersion() { return apiVersion; }
    public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Boolean getRetain() { return retain; }
    public void setRetain(Boolean retain) { this.retain = retain; }
    /** The service account user that applied the object, and that deletes it. */
    public String getAppliedAs() { return appliedAs; }
    public void setAppliedAs(String appliedAs) { this.appliedAs = appliedAs; }

    /** Whether this names the same object as {@code other} (the retain flag aside). */
    public boolean sameObject(InventoryItem other) {
        return Objects.equals(side, other.side) && Objects.equals(apiVersion, other.apiVersion)
                && Objects.equals(kind, other.kind) && Objects.equals(namespace, other.namespace)
                && Objects.equals(name, other.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InventoryItem other && sameObject(other) && Objects.equals(retain, other.retain)
                && Objects.equals(appliedAs, other.appliedAs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(side, apiVersion, kind, namespace, name, retain, appliedAs);
    }
}
