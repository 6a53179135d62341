package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The object a var reads: {@code apiVersion} or {@code group}+{@code version}, kind, name and namespace (the owner's
 * namespace when absent; no other namespace is allowed). {@code templateName}/{@code templateNamespace}, when set, are
 * rendered and replace the literal name/namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Target {
    private String apiVersion;
    private String group;
    private String version;
    private String kind;
    private String name;
    private String namespace;
    private String templateName;
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
