package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** The identity of a coupled plug or socket, as recorded in status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {
    @JsonPropertyDescription("the object's API version")
    private String apiVersion;
    @JsonPropertyDescription("the object's kind")
    private String kind;
    @JsonPropertyDescription("the object's name")
    private String name;
    @JsonPropertyDescription("the object's namespace")
    private String namespace;
    @JsonPropertyDescription("the object's uid")
    private String uid;

    public ObjectRef() {
    }

    public ObjectRef(String apiVersion, String kind, String name, String namespace, String uid) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.name = name;
        this.namespace = namespace;
        this.uid = uid;
    }

    /** The reference to an existing object. */
    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(object.getApiVersion(), object.getKind(), object.getMetadata().getName(),
                object.getMetadata().getNamespace(), object.getMetadata().getUid());
    }

    public String getApiVersion() { return apiVersion; }
    public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getUid() { return uid; }
    public void setUid(String uid) { this.uid = uid; }

    /** {@code namespace/name}. */
    @JsonIgnore
    public String key() {
        return namespace + "/" + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectRef other && Objects.equals(apiVersion, other.apiVersion)
                && Objects.equals(kind, other.kind) && Objects.equals(name, other.name)
                && Objects.equals(namespace, other.namespace) && Objects.equals(uid, other.uid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiVersion, kind, name, namespace, uid);
    }

    @Override
    public String toString() {
        return kind + " " + key() + " (" + uid + ")";
    }
}
