package com.rock8s.integration.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FieldPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final JsonNode DEPLOYMENT = json("""
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
              "metadata": {
                "name": "web",
                "labels": {"app.kubernetes.io/name": "web-app", "tier": "front"},
                "annotations": {"0": "zero-key"}
              },
              "spec": {
                "replicas": 3,
                "paused": false,
                "ratio": 0.25,
                "selector": null,
                "template": {
                  "spec": {
                    "serviceAccountName": "web-sa",
                    "containers": [
                      {"name": "app", "image": "nginx:1.25", "ports": [{"containerPort": 80}]},
                      {"name": "sidecar", "image": "envoy:1.30"}
                    ]
                  }
                }
              },
              "status": {"conditions": []}
            }
            """);

    private static String read(String path) {
        return FieldPath.parse(path).read(DEPLOYMENT);
    }

    @Test
    void dottedPathReadsANestedString() {
        assertThat(read("spec.template.spec.serviceAccountName")).isEqualTo("web-sa");
        assertThat(read("metadata.name")).isEqualTo("web");
    }

    @Test
    void kustomizeBracketIndexSelectsAnArrayElement() {
        assertThat(read("spec.template.spec.containers[0].image")).isEqualTo("nginx:1.25");
        assertThat(read("spec.template.spec.containers[1].name")).isEqualTo("sidecar");
    }

    @Test
    void nestedBracketIndexesAreFollowed() {
        assertThat(read("spec.template.spec.containers[0].ports[0].containerPort")).isEqualTo("80");
    }

    @Test
    void dottedNumericSegmentSelectsAnArrayElementLikeTheGoOperator() {
        assertThat(read("spec.template.spec.containers.1.image")).isEqualTo("envoy:1.30");
        assertThat(read("spec.template.spec.containers.0.ports.0.containerPort")).isEqualTo("80");
    }

    @Test
    void bracketAndDottedIndexFormsParseToTheSameSegments() {
        assertThat(FieldPath.parse("spec.containers[0].image").segments())
                .containsExactly("spec", "containers", "0", "image")
                .isEqualTo(FieldPath.parse("spec.containers.0.image").segments());
    }

    @Test
    void escapedDotsStayInsideOneKey() {
        FieldPath path = FieldPath.parse("metadata.labels.app\\.kubernetes\\.io/name");

        assertThat(path.segments()).containsExactly("metadata", "labels", "app.kubernetes.io/name");
        assertThat(path.read(DEPLOYMENT)).isEqualTo("web-app");
    }

    @Test
    void unescapedDotsInALabelKeySplitTheKeyAndFindNothing() {
        assertThat(read("metadata.labels.app.kubernetes.io/name")).isEmpty();
    }

    @Test
    void quotedBracketKeyMayContainDots() {
        assertThat(FieldPath.parse("metadata.labels['app.kubernetes.io/name']").segments())
                .containsExactly("metadata", "labels", "app.kubernetes.io/name");
        assertThat(read("metadata.labels[\"app.kubernetes.io/name\"]")).isEqualTo("web-app");
    }

    @Test
    void whitespaceInsideBracketsIsIgnored() {
        assertThat(read("spec.template.spec.containers[ 1 ].image")).isEqualTo("envoy:1.30");
    }

    @Test
    void backslashEscapesABracketSoItBecomesPartOfTheKey() {
        assertThat(FieldPath.parse("data.a\\[0]").segments()).containsExactly("data", "a[0]");
    }

    @Test
    void aTrailingBackslashIsKeptLiterally() {
        assertThat(FieldPath.parse("data.key\\").segments()).containsExactly("data", "key\\");
    }

    @Test
    void aLeadingDotIsAccepted() {
        assertThat(FieldPath.parse(".spec.replicas").segments()).containsExactly("spec", "replicas");
        assertThat(read(".spec.replicas")).isEqualTo("3");
    }

    @Test
    void missingPathReadsAsEmptyString() {
        assertThat(read("status.succeeded")).isEmpty();
        assertThat(read("spec.nothing.below.here")).isEmpty();
    }

    @Test
    void pathThroughAJsonNullReadsAsEmptyString() {
        assertThat(read("spec.selector")).isEmpty();
        assertThat(read("spec.selector.matchLabels")).isEmpty();
    }

    @Test
    void pathThroughAScalarReadsAsEmptyString() {
        assertThat(read("metadata.name.first")).isEmpty();
    }

    @Test
    void arrayIndexOutOfRangeReadsAsEmptyString() {
        assertThat(read("spec.template.spec.containers[5].image")).isEmpty();
        assertThat(read("spec.template.spec.containers.-1.image")).isEmpty();
        assertThat(read("status.conditions[0].type")).isEmpty();
    }

    @Test
    void nonNumericSegmentOnAnArrayReadsAsEmptyString() {
        assertThat(read("spec.template.spec.containers.app.image")).isEmpty();
    }

    @Test
    void numericSegmentOnAnObjectIsAnOrdinaryKey() {
        assertThat(read("metadata.annotations.0")).isEqualTo("zero-key");
        assertThat(read("metadata.annotations[0]")).isEqualTo("zero-key");
    }

    @Test
    void scalarsReadAsTheirText() {
        assertThat(read("spec.replicas")).isEqualTo("3");
        assertThat(read("spec.paused")).isEqualTo("false");
        assertThat(read("spec.ratio")).isEqualTo("0.25");
    }

    @Test
    void objectsAndArraysReadAsCompactJson() throws Exception {
        assertThat(JSON.readTree(read("metadata.labels")))
                .isEqualTo(json("{\"app.kubernetes.io/name\": \"web-app\", \"tier\": \"front\"}"));
        assertThat(read("metadata.labels")).doesNotContain("\n");
        assertThat(read("spec.template.spec.containers[0].ports")).isEqualTo("[{\"containerPort\":80}]");
        assertThat(read("status.conditions")).isEqualTo("[]");
    }

    @Test
    void stringValuesAreNotJsonQuoted() {
        assertThat(read("kind")).isEqualTo("Deployment");
    }

    @Test
    void nullOrBlankPathHasNoSegments() {
        assertThat(FieldPath.parse(null).segments()).isEmpty();
        assertThat(FieldPath.parse("").segments()).isEmpty();
        assertThat(FieldPath.parse("   ").segments()).isEmpty();
    }

    @Test
    void readingFromAMissingRootIsEmpty() {
        assertThat(FieldPath.parse("metadata.name").read(null)).isEmpty();
        assertThat(FieldPath.parse("metadata.name").read(JSON.nullNode())).isEmpty();
    }

    @Test
    void unclosedBracketIsRejectedWithTheOffendingPath() {
        assertThatThrownBy(() -> FieldPath.parse("spec.containers[0.image"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed '['")
                .hasMessageContaining("spec.containers[0.image");
    }

    @Test
    void segmentsAreACopyThatCannotChangeThePath() {
        FieldPath path = FieldPath.parse("metadata.name");

        assertThat(path.segments()).isUnmodifiable();
        assertThat(path.read(DEPLOYMENT)).isEqualTo("web");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
