package com.rock8s.integration.operator.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.rock8s.integration.operator.api.ResourceAction;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.template.TemplateEngine;
import com.rock8s.integration.operator.template.TemplateException;
import com.rock8s.integration.operator.template.TemplateSyntax;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link ResourceAction} into concrete objects. {@code template(s)} are rendered leaf by leaf on the parsed
 * object, so a rendered value containing quotes or newlines can never corrupt the document and a leaf that is exactly
 * one expression keeps its type; {@code stringTemplate(s)} are rendered as YAML text that may hold several documents.
 * An empty render is skipped. Objects land in the owner's namespace; another namespace is an error.
 */
public final class ResourceRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    private final TemplateEngine templates;

    public ResourceRenderer(TemplateEngine templates) {
        this.templates = templates;
    }

    /** {@link #render(ResourceAction, Map, String, String, TemplateSyntax)} in standard Jinja syntax. */
    public List<GenericKubernetesResource> render(ResourceAction action, Map<String, Object> bindings,
                                                  String ownerNamespace, String where) throws CouplingFailure {
        return render(action, bindings, ownerNamespace, where, TemplateSyntax.JINJA);
    }

    /** The objects {@code action} describes, in order: template, templates, stringTemplate, stringTemplates. */
    public List<GenericKubernetesResource> render(ResourceAction action, Map<String, Object> bindings,
                                                  String ownerNamespace, String where, TemplateSyntax syntax)
            throws CouplingFailure {
        List<GenericKubernetesResource> rendered = new ArrayList<>();
        try {
            if (action.getTemplate() != null) {
                addObject(rendered, renderTree(action.getTemplate(), bindings, syntax), ownerNamespace, where);
            }
            if (action.getTemplates() != null) {
                for (JsonNode template : action.getTemplates()) {
                    addObject(rendered, renderTree(template, bindings, syntax), ownerNamespace, where);
                }
            }
            if (action.getStringTemplate() != null) {
                addDocuments(rendered, templates.render(action.getStringTemplate(), bindings, syntax), ownerNamespace,
                        where);
            }
            if (action.getStringTemplates() != null) {
                for (String template : action.getStringTemplates()) {
                    addDocuments(rendered, templates.render(template, bindings, syntax), ownerNamespace, where);
                }
            }
        } catch (TemplateException e) {
            throw new CouplingFailure(Reason.TEMPLATE_ERROR, where + ": " + e.getMessage(), true);
        }
        return rendered;
    }

    private JsonNode renderTree(JsonNode node, Map<String, Object> bindings, TemplateSyntax syntax)
            throws TemplateException {
        if (node.isTextual()) {
            String text = node.asText();
            if (!syntax.mayContainTemplate(text)) {
                return node;
            }
            Object value = templates.renderLeaf(text, bindings, syntax);
            return JSON.valueToTree(value);
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), renderTree(field.getValue(), bindings, syntax));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            for (JsonNode item : node) {
                copy.add(renderTree(item, bindings, syntax));
            }
            return copy;
        }
        return node;
    }

    private void addDocuments(List<GenericKubernetesResource> rendered, String text, String ownerNamespace,
                              String where) throws CouplingFailure {
        if (text == null || text.isBlank()) {
            return;
        }
        try {
            Iterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text);
            while (documents.hasNext()) {
                addObject(rendered, documents.next(), ownerNamespace, where);
            }
        } catch (IOException | RuntimeException e) {
            throw new CouplingFailure(Reason.TEMPLATE_ERROR, where + ": rendered text is not valid YAML: "
                    + e.getMessage(), true);
        }
    }

    private static void addObject(List<GenericKubernetesResource> rendered, JsonNode node, String ownerNamespace,
                                  String where) throws CouplingFailure {
        if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())
                || (node.isTextual() && node.asText().isBlank())) {
            return;
        }
        if (!node.isObject()) {
            throw new CouplingFailure(Reason.TEMPLATE_ERROR, where + ": rendered to " + node.getNodeType()
                    + ", expected a Kubernetes object", true);
        }
        GenericKubernetesResource object;
        try {
            object = JSON.convertValue(node, GenericKubernetesResource.class);
        } catch (IllegalArgumentException e) {
            throw new CouplingFailure(Reason.TEMPLATE_ERROR, where + ": rendered object is not a valid Kubernetes "
                    + "object: " + e.getMessage(), true);
        }
        if (object.getApiVersion() == null || object.getKind() == null || object.getMetadata() == null
                || object.getMetadata().getName() == null || object.getMetadata().getName().isBlank()) {
            throw new CouplingFailure(Reason.TEMPLATE_ERROR,
                    where + ": rendered object needs apiVersion, kind and metadata.name", true);
        }
        String namespace = object.getMetadata().getNamespace();
        if (namespace == null || namespace.isBlank()) {
            object.getMetadata().setNamespace(ownerNamespace);
        } else if (!namespace.equals(ownerNamespace)) {
            throw new CouplingFailure(Reason.NAMESPACE_FORBIDDEN, where + ": " + object.getKind() + " "
                    + object.getMetadata().getName() + " names namespace '" + namespace
                    + "', but templated objects may only live in '" + ownerNamespace + "'", true);
        }
        rendered.add(object);
    }
}
