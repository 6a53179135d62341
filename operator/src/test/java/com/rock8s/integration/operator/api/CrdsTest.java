package com.rock8s.integration.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs are generated from the Java classes at build time; {@code deploy/crds/} holds the committed copy users
 * apply. A change to the API classes without regenerating the committed CRDs fails here. To refresh them:
 * {@code ./mvnw -q -pl operator -am package -DskipTests && cp operator/target/classes/META-INF/fabric8/*.yml deploy/crds/}.
 */
class CrdsTest {
    private static final String GENERATED = "META-INF/fabric8/";

    @Test
    void committedCrdsEqualTheOnesGeneratedFromTheJavaClasses() throws IOException, URISyntaxException {
        Map<String, String> generated = new TreeMap<>();
        for (String name : List.of("deferredresources.integration.rock8s.com-v1.yml",
                "plugs.integration.rock8s.com-v1.yml", "sockets.integration.rock8s.com-v1.yml")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED + name)) {
                assertThat(in).as("generated CRD %s on the classpath", name).isNotNull();
                generated.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> committed = new TreeMap<>();
        try (Stream<Path> files = Files.list(TestCluster.repositoryRoot().resolve("deploy/crds"))) {
            for (Path file : files.toList()) {
                committed.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertThat(committed).as("deploy/crds/ is out of date; see the Javadoc of CrdsTest to refresh it")
                .isEqualTo(generated);
    }

    @Test
    void plugCrdHasPrinterColumnsShortNameCategoryAndEnums() {
        CustomResourceDefinition crd = load("plugs.integration.rock8s.com-v1.yml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("plg");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("integrations");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo("v1beta1");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .containsExactlyInAnyOrder("Socket", "Coupled", "Reason", "Age");
        JSONSchemaProps resource = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                .getProperties().get("resources").getItems().getSchema();
        assertThat(resource.getProperties().get("do").getEnum()).extracting(n -> n.asText())
                .containsExactlyInAnyOrder("apply", "delete", "recreate");
        assertThat(resource.getProperties().get("when").getItems().getSchema().getEnum()).extracting(n -> n.asText())
                .containsExactlyInAnyOrder("created", "coupled", "updated", "decoupled", "deleted");
        assertThat(resource.getProperties()).containsKeys("retainWhenDecoupled", "preserveWhenDecoupled",
                "template", "stringTemplate");
    }

    @Test
    void socketCrdHasPluralPrinterColumnsAndTheOriginalSpecFields() {
        CustomResourceDefinition crd = load("sockets.integration.rock8s.com-v1.yml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("sock");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("integrations");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .containsExactlyInAnyOrder("Plugs", "Coupled", "Age");
        Map<String, JSONSchemaProps> spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                .getProperties();
        assertThat(spec).containsKeys("interface", "limit", "validation", "config", "configSecretName",
                "configConfigMapName", "configTemplate", "data", "dataSecretName", "dataConfigMapName", "result",
                "resultSecretName", "resultConfigMapName", "resultTemplate", "vars", "resultVars", "resources",
                "resultResources", "apparatus", "serviceAccountName", "epoch");
        Map<String, JSONSchemaProps> status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status")
                .getProperties();
        assertThat(status).containsKeys("conditions", "coupledPlugs", "coupledPlugCount", "observedGeneration");
    }

    @Test
    void deferredResourceCrdIsNamespacedWithStatusAndTheOriginalSpecFields() {
        CustomResourceDefinition crd = load("deferredresources.integration.rock8s.com-v1.yml");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("deferredresources");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("integrations");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo("v1beta1");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .containsExactlyInAnyOrder("Resolved", "Reason", "Age");
        Map<String, JSONSchemaProps> spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                .getProperties();
        assertThat(spec).containsOnlyKeys("timeout", "waitFor", "resource", "serviceAccountName");
        assertThat(spec.get("resource").getXKubernetesPreserveUnknownFields()).isTrue();
        assertThat(spec.get("waitFor").getItems().getSchema().getProperties())
                .containsKeys("apiVersion", "group", "version", "kind", "name", "namespace");
        assertThat(version.getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties())
                .containsKeys("conditions", "observedGeneration", "appliedResource");
    }

    /**
     * {@code kubectl explain} shows these descriptions, so a new field of the API classes without a
     * {@code @JsonPropertyDescription} fails here. The items of {@code status.conditions} and
     * {@code spec.apparatus.containers} are fabric8's Condition and Container, which carry no descriptions; the
     * properties holding them are ours and are checked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"deferredresources.integration.rock8s.com-v1.yml", "plugs.integration.rock8s.com-v1.yml",
            "sockets.integration.rock8s.com-v1.yml"})
    void everyPropertyOfSpecAndStatusHasADescription(String name) {
        JSONSchemaProps root = load(name).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        assertThat(root.getProperties()).containsKeys("spec", "status");
        List<String> checked = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        collect(root, "", Set.of(".status.conditions[]", ".spec.apparatus.containers[]"), checked, undescribed);
        assertThat(checked).as("properties checked in %s", name).contains(".spec", ".status");
        assertThat(undescribed).as("properties of %s without a description", name).isEmpty();
    }

    /** Walks properties, array items and map values; a path in {@code foreign} is not descended into. */
    private static void collect(JSONSchemaProps schema, String path, Set<String> foreign, List<String> checked,
                                List<String> undescribed) {
        if (schema == null || foreign.contains(path)) {
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((key, property) -> {
                String child = path + "." + key;
                checked.add(child);
                if (property.getDescription() == null || property.getDescription().isBlank()) {
                    undescribed.add(child);
                }
                collect(property, child, foreign, checked, undescribed);
            });
        }
        if (schema.getItems() != null) {
            collect(schema.getItems().getSchema(), path + "[]", foreign, checked, undescribed);
        }
        if (schema.getAdditionalProperties() != null) {
            collect(schema.getAdditionalProperties().getSchema(), path + "{}", foreign, checked, undescribed);
        }
    }

    private CustomResourceDefinition load(String name) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED + name)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
