package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What plugs and sockets share: data, config and result with their sources, vars, templated resources and an
 * optional apparatus. Each side's config is merged from its Secret, inline values, templates, ConfigMap and apparatus,
 * later sources winning; results likewise without the apparatus.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class IntegrationSpec {
    private List<Var> vars;
    private List<Var> resultVars;
    private Map<String, String> data;
    private String dataConfigMapName;
    private String dataSecretName;
    private Map<String, String> config;
    private String configConfigMapName;
    private String configSecretName;
    private Map<String, String> configTemplate;
    private Map<String, String> result;
    private String resultConfigMapName;
    private String resultSecretName;
    private Map<String, String> resultTemplate;
    private String serviceAccountName;
    private Apparatus apparatus;
    private List<Resource> resources;
    private List<ResourceAction> resultResources;
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
