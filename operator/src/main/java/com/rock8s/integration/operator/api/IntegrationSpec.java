package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * What plugs and sockets share: data, config and result with their sources, vars, templated resources and an
 * optional apparatus. Each side's config is merged from its Secret, inline values, templates, ConfigMap and apparatus,
 * later sources winning; results likewise without the apparatus.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class IntegrationSpec {
    @JsonPropertyDescription("values read from fields of other objects, available to config and result templates as "
            + "vars")
    private List<Var> vars;
    @JsonPropertyDescription("values read when the results are computed, available to result templates as resultVars")
    private List<Var> resultVars;
    @JsonPropertyDescription("inline data: not validated, visible to config and result templates on both sides")
    private Map<String, String> data;
    @JsonPropertyDescription("ConfigMap in this namespace whose data becomes data, overriding dataSecretName and data")
    private String dataConfigMapName;
    @JsonPropertyDescription("Secret in this namespace whose keys become data; data and dataConfigMapName override "
            + "them")
    private String dataSecretName;
    @JsonPropertyDescription("inline config; overrides configSecretName and is overridden by configTemplate, "
            + "configConfigMapName and the apparatus's /config answer")
    private Map<String, String> config;
    @JsonPropertyDescription("ConfigMap in this namespace whose data becomes config, overriding configSecretName, "
            + "config and configTemplate")
    private String configConfigMapName;
    @JsonPropertyDescription("Secret in this namespace whose keys become config; every other config source overrides "
            + "them")
    private String configSecretName;
    @JsonPropertyDescription("config keys whose values are templates, rendered in key order; they override config")
    private Map<String, String> configTemplate;
    @JsonPropertyDescription("inline result; overrides resultSecretName and is overridden by resultTemplate and "
            + "resultConfigMapName")
    private Map<String, String> result;
    @JsonPropertyDescription("ConfigMap in this namespace whose data becomes result, overriding resultSecretName, "
            + "result and resultTemplate")
    private String resultConfigMapName;
    @JsonPropertyDescription("Secret in this namespace whose keys become result; every other result source overrides "
            + "them")
    private String resultSecretName;
    @JsonPropertyDescription("result keys whose values are templates, rendered in key order; they override result")
    private Map<String, String> resultTemplate;
    @JsonPropertyDescription("service account in this namespace that reads vars, applies and deletes templated "
            + "objects and runs the managed apparatus Pod; default 'default'")
    private String serviceAccountName;
    @JsonPropertyDescription("a REST service called on lifecycle events: the managed apparatus Pod or an external URL")
    private Apparatus apparatus;
    @JsonPropertyDescription("templated objects to apply, delete or recreate on lifecycle events")
    private List<Resource> resources;
    @JsonPropertyDescription("templated objects applied, deleted or recreated after the results are computed; "
            + "never deleted on decoupling")
    private List<ResourceAction> resultResources;
    @JsonPropertyDescription("free text; changing it changes the spec, so updated fires")
    private String epoch;

    public List<Var> getVars() { return vars; }
    public void setVars(List<Var> vars) { this.vars = vars; }
    public List<Var> getResultVars() { return resultVars; }
    public void setResultVars(List<Var> resultVars) { this.resultVars = resultVars; }
    public Map<String, String> getData() { return data; }
    public void setData(Map<String, String> data) { this.data = data; }
    public String getDataConfigMapName() { return dataConfigMapName; }
    public void setDataConfigMapName(String dataConfigMapName) { this.dataConfigMapName = dataConfigMapName; }
    public String getDataSecretName() { return dataSecretName; }
    public void setDataSecretName(String dataSecretName) { this.dataSecretName = dataSecretName; }
    public Map<String, String> getConfig() { return config; }
    public void setConfig(Map<String, String> config) { this.config = config; }
    public String getConfigConfigMapName() { return configConfigMapName; }
    public void setConfigConfigMapName(String configConfigMapName) { this.configConfigMapName = configConfigMapName; }
    public String getConfigSecretName() { return configSecretName; }
    public void setConfigSecretName(String configSecretName) { this.configSecretName = configSecretName; }
    public Map<String, String> getConfigTemplate() { return configTemplate; }
    public void setConfigTemplate(Map<String, String> configTemplate) { this.configTemplate = configTemplate; }
    public Map<String, String> getResult() { return result; }
    public void setResult(Map<String, String> result) { this.result = result; }
    public String getResultConfigMapName() { return resultConfigMapName; }
    public void setResultConfigMapName(String resultConfigMapName) { this.resultConfigMapName = resultConfigMapName; }
    public String getResultSecretName() { return resultSecretName; }
    public void setResultSecretName(String resultSecretName) { this.resultSecretName = resultSecretName; }
    public Map<String, String> getResultTemplate() { return resultTemplate; }
    public void setResultTemplate(Map<String, String> resultTemplate) { this.resultTemplate = resultTemplate; }
    public String getServiceAccountName() { return serviceAccountName; }
    public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
    public Apparatus getApparatus() { return apparatus; }
    public void setApparatus(Apparatus apparatus) { this.apparatus = apparatus; }
    public List<Resource> getResources() { return resources; }
    public void setResources(List<Resource> resources) { this.resources = resources; }
    public List<ResourceAction> getResultResources() { return resultResources; }
    public void setResultResources(List<ResourceAction> resultResources) { this.resultResources = resultResources; }
    public String getEpoch() { return epoch; }
    public void setEpoch(String epoch) { this.epoch = epoch; }
}
