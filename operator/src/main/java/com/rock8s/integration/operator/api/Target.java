package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The object a var reads: {@code apiVersion} or {@code group}+{@code version}, kind, name and namespace (the owner's
 * namespace when absent; no other namespace is allowed). {@code templateName}/{@code templateNamespace}, when set, are
 * rendered and replace the literal name/namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Target {
    @JsonPropertyDescription("the object's API version, such as v1 or apps/v1; alternatively set group and version")
    private String apiVersion;
    @JsonPropertyDescription("the object's API group, used with version when apiVersion is empty; empty means the "
            + "core group")
    private String group;
    @JsonPropertyDescription("the object's API version within group, used when apiVersion is empty")
    private String version;
    @JsonPropertyDescription("the object's kind; required")
    private String kind;
    @JsonPropertyDescription("the object's name; required unless templateName is set")
    private String name;
    @JsonPropertyDescription("the object's namespace; must be empty or this namespace")
    private String namespace;
    @JsonPropertyDescription("template whose rendered text replaces name; it can use plug and socket")
    private String templateName;
    @JsonPropertyDescription("template whose rendered text replaces namespace; it can use plug and socket")
    private String templateNamespace;

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
    public String getTemplateName() { return templateName; }
    public void setTemplateName(String templateName) { this.templateName = templateName; }
    public String getTemplateNamespace() { return templateNamespace; }
    public void setTemplateNamespace(String templateNamespace) { this.templateNamespace = templateNamespace; }
}
