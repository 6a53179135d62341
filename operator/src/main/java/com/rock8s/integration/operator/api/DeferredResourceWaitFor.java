package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * An object a {@link DeferredResource} waits for: {@code apiVersion} or {@code group}+{@code version}, kind and name.
 * The namespace defaults to the DeferredResource's; no other namespace is allowed (it is ignored for cluster-scoped
 * kinds such as a CustomResourceDefinition).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeferredResourceWaitFor {
    @JsonPropertyDescription("the object's API version, such as v1; alternatively set group and version")
    private String apiVersion;
    @JsonPropertyDescription("the object's API group, used with version when apiVersion is empty; empty means the "
            + "core group")
    private String group;
    @JsonPropertyDescription("the object's API version within group, used when apiVersion is empty")
    private String version;
    @JsonPropertyDescription("the object's kind; required")
    private String kind;
    @JsonPropertyDescription("the object's name; required")
    private String name;
    @JsonPropertyDescription("the object's namespace; must be empty or this namespace, ignored for cluster-scoped "
            + "kinds")
    private String namespace;

    public DeferredResourceWaitFor() {
    }

    public DeferredResourceWaitFor(String apiVersion, String kind, String name) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.name = name;
    }

    public String getApiVersion() { return apiVersion; }
    public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
}
