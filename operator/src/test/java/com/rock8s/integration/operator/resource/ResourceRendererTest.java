package com.rock8s.integration.operator.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rock8s.integration.operator.api.ResourceAction;
import com.rock8s.integration.operator.status.CouplingFailure;
import com.rock8s.integration.operator.status.Reason;
import com.rock8s.integration.operator.template.TemplateEngine;
import com.rock8s.integration.operator.template.TemplateSyntax;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "team-a";
    private static final String WHERE = "socket db resources[0]";

    private final ResourceRenderer renderer = new ResourceRenderer(new TemplateEngine());

    private static final Map<String, Object> BINDINGS = Map.of(
            "plug", Map.of("metadata", Map.of("name", "app")),
            "plugConfig", Map.of("database", "appdb", "password", "p\"w\nd: x", "replicas", 2),
            "socketConfig", Map.of("host", "db.svc"),
            "enabled", true,
            "labels", Map.of("tier", "back"));

    // ---------------------------------------------------------------- template / templates

    @Test
    void templateLeavesAreRenderedAndTheObjectLandsInTheOwnerNamespace() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "grant-{{ plug.metadata.name }}"},
                 "data": {"database": "{{ plugConfig.database }}", "host": "{{ socketConfig.host }}",
                          "static": "unchanged"}}
                """));

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).hasSize(1);
        GenericKubernetesResource configMap = objects.get(0);
        assertThat(configMap.getApiVersion()).isEqualTo("v1");
        assertThat(configMap.getKind()).isEqualTo("ConfigMap");
        assertThat(configMap.getMetadata().getName()).isEqualTo("grant-app");
        assertThat(configMap.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(configMap.getAdditionalProperties().get("data"))
                .isEqualTo(Map.of("database", "appdb", "host", "db.svc", "static", "unchanged"));
    }

    @Test
    void renderedValuesWithQuotesAndNewlinesCannotCorruptTheObject() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                 "stringData": {"password": "{{ plugConfig.password }}"}}
                """));

        GenericKubernetesResource secret = renderer.render(action, BINDINGS, NS, WHERE).get(0);

        assertThat(secret.getAdditionalProperties().get("stringData")).isEqualTo(Map.of("password", "p\"w\nd: x"));
    }

    @Test
    void loneExpressionLeavesKeepTheirTypeInTheObject() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "labels": "{{ labels }}"},
                 "spec": {"replicas": "{{ plugConfig.replicas }}", "paused": "{{ not enabled }}",
                          "text": "n={{ plugConfig.replicas }}"}}
                """));

        GenericKubernetesResource deployment = renderer.render(action, BINDINGS, NS, WHERE).get(0);
        JsonNode tree = JSON.valueToTree(deployment);

        assertThat(deployment.getMetadata().getLabels()).isEqualTo(Map.of("tier", "back"));
        assertThat(tree.at("/spec/replicas").isNumber()).isTrue();
        assertThat(tree.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(tree.at("/spec/paused").isBoolean()).isTrue();
        assertThat(tree.at("/spec/paused").asBoolean()).isFalse();
        assertThat(tree.at("/spec/text").asText()).isEqualTo("n=2");
    }

    @Test
    void arrayElementsAndNonStringLeavesAreHandled() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "job"},
                 "spec": {"backoffLimit": 3, "suspend": false,
                          "args": ["--db={{ plugConfig.database }}", "--verbose", 7]}}
                """));

        JsonNode spec = JSON.valueToTree(renderer.render(action, BINDINGS, NS, WHERE).get(0)).get("spec");

        assertThat(spec.get("backoffLimit").asInt()).isEqualTo(3);
        assertThat(spec.get("suspend").asBoolean()).isFalse();
        assertThat(spec.get("args")).isEqualTo(json("[\"--db=appdb\", \"--verbose\", 7]"));
    }

    @Test
    void templateInputIsNotModified() throws Exception {
        JsonNode template = json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "{{ plug.metadata.name }}"}}
                """);
        JsonNode before = template.deepCopy();
        ResourceAction action = new ResourceAction();
        action.setTemplate(template);

        renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(template).isEqualTo(before);
    }

    @Test
    void objectsComeOutInOrderTemplateTemplatesStringTemplateStringTemplates() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplates(List.of(configMapYaml("d"), configMapYaml("e")));
        action.setStringTemplate(configMapYaml("c"));
        action.setTemplates(List.of(configMapJson("b1"), configMapJson("b2")));
        action.setTemplate(configMapJson("a"));

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("a", "b1", "b2", "c", "d", "e");
    }

    @Test
    void actionWithoutTemplatesRendersNothing() throws Exception {
        assertThat(renderer.render(new ResourceAction(), BINDINGS, NS, WHERE)).isEmpty();
    }

    // ---------------------------------------------------------------- stringTemplate(s)

    @Test
    void stringTemplateMayHoldSeveralDocuments() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: first-{{ plug.metadata.name }}
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: second-{{ plug.metadata.name }}
                stringData:
                  password: {{ plugConfig.password | quote }}
                """);

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).extracting(GenericKubernetesResource::getKind).containsExactly("ConfigMap", "Secret");
        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("first-app", "second-app");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NS));
        assertThat(objects.get(1).getAdditionalProperties().get("stringData"))
                .isEqualTo(Map.of("password", "p\"w\nd: x"));
    }

    @Test
    void stringTemplateProducesTypedValuesAndLoops() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: {{ plugConfig.replicas }}
                  template:
                    metadata:
                      labels:
                        {% for k, v in labels.items() %}
                        {{ k }}: {{ v }}
                        {% endfor %}
                """);

        JsonNode spec = JSON.valueToTree(renderer.render(action, BINDINGS, NS, WHERE).get(0)).get("spec");

        assertThat(spec.get("replicas").isNumber()).isTrue();
        assertThat(spec.get("replicas").asInt()).isEqualTo(2);
        assertThat(spec.at("/template/metadata/labels")).isEqualTo(json("{\"tier\": \"back\"}"));
    }

    @Test
    void stringTemplateThatRendersEmptyIsSkipped() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("""
                {% if not enabled %}
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: never
                {% endif %}
                """);
        action.setStringTemplates(List.of("", "   \n", configMapYaml("kept")));

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("kept");
    }

    @Test
    void emptyDocumentsBetweenSeparatorsAreSkipped() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("---\n" + configMapYaml("one") + "---\n---\n# only a comment\n---\n"
                + configMapYaml("two") + "---\n");

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("one", "two");
    }

    @Test
    void conditionalDocumentInAMultiDocumentTemplateIsSkippedWhenFalse() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate(configMapYaml("always") + "---\n{% if not enabled %}\n" + configMapYaml("sometimes")
                + "{% endif %}\n");

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("always");
    }

    @Test
    void bracketSyntaxIsUsedWhenAsked() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cm-[[ plug.metadata.name ]]
                data:
                  helm: "{{ .Values.x }}"
                """);
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "json-[[ plug.metadata.name ]]"}, "data": {"n": "[[ plugConfig.replicas ]]"}}
                """));

        List<GenericKubernetesResource> objects =
                renderer.render(action, BINDINGS, NS, WHERE, TemplateSyntax.BRACKETS);

        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("json-app", "cm-app");
        assertThat(objects.get(1).getAdditionalProperties().get("data")).isEqualTo(Map.of("helm", "{{ .Values.x }}"));
        assertThat(JSON.valueToTree(objects.get(0)).at("/data/n").asInt()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- namespace guard

    @Test
    void objectNamingTheOwnerNamespaceIsAccepted() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate(configMapYaml("same") + "  namespace: " + NS + "\n");

        List<GenericKubernetesResource> objects = renderer.render(action, BINDINGS, NS, WHERE);

        assertThat(objects).singleElement().satisfies(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NS));
    }

    @Test
    void blankNamespaceIsReplacedByTheOwnerNamespace() throws Exception {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": ""}}
                """));

        assertThat(renderer.render(action, BINDINGS, NS, WHERE).get(0).getMetadata().getNamespace()).isEqualTo(NS);
    }

    @Test
    void objectInAnotherNamespaceIsForbidden() {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "escape", "namespace": "kube-system"}}
                """));

        CouplingFailure failure = renderFailure(action, Reason.NAMESPACE_FORBIDDEN);
        assertThat(failure.waitsForChange()).isTrue();
        assertThat(failure.getMessage()).startsWith(WHERE + ": ")
                .contains("ConfigMap escape", "'kube-system'", "'" + NS + "'");
    }

    @Test
    void templatedNamespaceIsCheckedAfterRendering() {
        ResourceAction action = new ResourceAction();
        action.setStringTemplates(List.of(configMapYaml("ok"),
                configMapYaml("sneaky") + "  namespace: {{ socketConfig.host }}\n"));

        CouplingFailure failure = renderFailure(action, Reason.NAMESPACE_FORBIDDEN);
        assertThat(failure.getMessage()).contains("'db.svc'");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void templateErrorBecomesATemplateErrorFailureNamingWhere() {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "{{ plug.metadata.nmae }}"}}
                """));

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).startsWith(WHERE + ": ").contains("nmae");
    }

    @Test
    void invalidYamlIsATemplateError() {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("apiVersion: v1\nkind: [unclosed\n");

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).startsWith(WHERE + ": rendered text is not valid YAML");
    }

    @Test
    void documentThatIsNotAnObjectIsATemplateError() {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("just some text\n");

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).contains("STRING", "expected a Kubernetes object");
    }

    @Test
    void objectWithoutNameIsATemplateError() {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "{{ '' }}"}}
                """));

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).contains("apiVersion, kind and metadata.name");
    }

    @Test
    void objectWithoutKindIsATemplateError() {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("apiVersion: v1\nmetadata:\n  name: x\n");

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).contains("apiVersion, kind and metadata.name");
    }

    @Test
    void malformedMetadataInAStructuredTemplateIsATemplateError() {
        ResourceAction action = new ResourceAction();
        action.setTemplate(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": "{{ plug.metadata.name }}"}
                """));

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).startsWith(WHERE + ": rendered object is not a valid Kubernetes object");
    }

    @Test
    void malformedMetadataInAStringTemplateIsATemplateError() {
        ResourceAction action = new ResourceAction();
        action.setStringTemplate("apiVersion: v1\nkind: ConfigMap\nmetadata: [a, b]\n");

        CouplingFailure failure = renderFailure(action, Reason.TEMPLATE_ERROR);
        assertThat(failure.getMessage()).startsWith(WHERE + ": rendered object is not a valid Kubernetes object");
    }

    // ---------------------------------------------------------------- helpers

    /** The failure rendering {@code action} throws, asserted to be thrown and to carry {@code reason}. */
    private CouplingFailure renderFailure(ResourceAction action, Reason reason) {
        CouplingFailure failure = catchThrowableOfType(() -> renderer.render(action, BINDINGS, NS, WHERE),
                CouplingFailure.class);
        assertThat(failure).isNotNull();
        assertThat(failure.reason()).isEqualTo(reason);
        return failure;
    }

    private static String configMapYaml(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n";
    }

    private static JsonNode configMapJson(String name) {
        return json("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"" + name + "\"}}");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
