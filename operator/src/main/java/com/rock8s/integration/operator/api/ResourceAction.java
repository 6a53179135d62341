package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Templated Kubernetes objects and what to do with them. {@code template} and {@code templates} are objects whose
 * string leaves are templates; {@code stringTemplate} and {@code stringTemplates} are YAML text templates that may
 * hold several documents. They are processed in that order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceAction {
    @JsonPropertyDescription("apply (server-side apply, the default), delete (ignoring NotFound) or recreate (delete, "
            + "wait until gone, apply)")
    @JsonProperty("do")
    private Do action;
    @JsonPropertyDescription("one object whose string leaves are templates")
    private JsonNode template;
    @JsonPropertyDescription("objects whose string leaves are templates, rendered after template")
    private List<JsonNode> templates;
    @JsonPropertyDescription("YAML text rendered as a whole, which may hold several --- documents; rendered after "
            + "templates")
    private String stringTemplate;
    @JsonPropertyDescription("YAML texts rendered like stringTemplate, after it")
    private List<String> stringTemplates;

    @JsonProperty("do")
    public Do getAction() { return action; }
    @JsonProperty("do")
    public void setAction(Do action) { this.action = action; }
    public JsonNode getTemplate() { return template; }
    public void setTemplate(JsonNode template) { this.template = template; }
    public List<JsonNode> getTemplates() { return templates; }
    public void setTemplates(List<JsonNode> templates) { this.templates = templates; }
    public String getStringTemplate() { return stringTemplate; }
    public void setStringTemplate(String stringTemplate) { this.stringTemplate = stringTemplate; }
    public List<String> getStringTemplates() { return stringTemplates; }
    public void setStringTemplates(List<String> stringTemplates) { this.stringTemplates = stringTemplates; }
}
