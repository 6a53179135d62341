package com.rock8s.integration.operator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {
    private final TemplateEngine engine = new TemplateEngine();

    private static final Map<String, Object> BINDINGS = Map.of(
            "plug", Map.of("metadata", Map.of("name", "app", "namespace", "team-a")),
            "socketConfig", Map.of("host", "db.svc", "port", "5432"),
            "port", 5432,
            "enabled", true,
            "labels", Map.of("tier", "back"),
            "hosts", List.of("a", "b"),
            "name", "web");

    // ---------------------------------------------------------------- render

    @Test
    void expressionWithDottedAccessRendersTheNestedValue() throws Exception {
        assertThat(engine.render("{{ plug.metadata.name }}", BINDINGS)).isEqualTo("app");
    }

    @Test
    void expressionsAreInterpolatedIntoSurroundingText() throws Exception {
        assertThat(engine.render("postgres://{{ socketConfig.host }}:{{ socketConfig.port }}/{{ plug.metadata.name }}",
                BINDINGS)).isEqualTo("postgres://db.svc:5432/app");
    }

    @Test
    void ifElseChoosesTheBranchByCondition() throws Exception {
        String template = "{% if socketConfig.port == \"5432\" %}default{% else %}custom{% endif %}";

        assertThat(engine.render(template, BINDINGS)).isEqualTo("default");
        assertThat(engine.render(template, Map.of("socketConfig", Map.of("port", "6543")))).isEqualTo("custom");
    }

    @Test
    void forLoopIteratesOverMapItems() throws Exception {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("a", "1");
        ordered.put("b", "2");

        assertThat(engine.render("{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}", Map.of("m", ordered)))
                .isEqualTo("a=1;b=2;");
    }

    @Test
    void textWithoutTemplateDelimitersIsReturnedAsIs() throws Exception {
        String plain = "${NOT_A_TEMPLATE} and {single} braces";

        assertThat(engine.render(plain, Map.of())).isSameAs(plain);
    }

    @Test
    void blockTagsDoNotLeaveBlankLinesOrIndentationInYaml() throws Exception {
        String template = "data:\n  {% if enabled %}\n  flag: on\n  {% endif %}\n  name: {{ name }}\n";

        assertThat(engine.render(template, BINDINGS)).isEqualTo("data:\n  flag: on\n  name: web\n");
    }

    @Test
    void commentsAreRemoved() throws Exception {
        assertThat(engine.render("a{# note #}b", Map.of())).isEqualTo("ab");
    }

    @Test
    void undefinedVariableIsAnErrorNotAnEmptyString() {
        assertThatThrownBy(() -> engine.render("password={{ pasword }}", Map.of("password", "x")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("password={{ pasword }}")
                .hasMessageContaining("pasword");
    }

    @Test
    void undefinedAttributeOfADefinedMapIsAnError() {
        assertThatThrownBy(() -> engine.render("{{ socketConfig.hots }}", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("hots");
    }

    @Test
    void defaultFilterSuppliesAValueForAnUndefinedVariable() throws Exception {
        assertThat(engine.render("{{ missing | default(\"fallback\") }}", Map.of())).isEqualTo("fallback");
    }

    @Test
    void isDefinedTestDoesNotFailOnAnUndefinedVariable() throws Exception {
        String template = "{% if missing is defined %}yes{% else %}no{% endif %}";

        assertThat(engine.render(template, Map.of())).isEqualTo("no");
        assertThat(engine.render(template, Map.of("missing", "here"))).isEqualTo("yes");
    }

    @Test
    void unclosedBlockIsATemplateException() {
        assertThatThrownBy(() -> engine.render("{% if enabled %}never closed", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("template '{% if enabled %}never closed'");
    }

    @Test
    void unknownFilterIsATemplateException() {
        assertThatThrownBy(() -> engine.render("{{ name | no_such_filter }}", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("no_such_filter");
    }

    @Test
    void longTemplatesAreAbbreviatedInTheErrorMessage() {
        String template = "{{ undefinedThing }}" + "x".repeat(200);

        assertThatThrownBy(() -> engine.render(template, Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("{{ undefinedThing }}xxx")
                .hasMessageContaining("...'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("x".repeat(100)));
    }

    @Test
    void nullValuedBindingsDoNotBreakRendering() throws Exception {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("present", "yes");
        bindings.put("absentResult", null);

        assertThat(engine.render("{{ present }}", bindings)).isEqualTo("yes");
        assertThat(engine.renderLeaf("{{ present }}", bindings)).isEqualTo("yes");
    }

    @Test
    void javaMethodCallsAreNotAllowed() {
        assertThatThrownBy(() -> engine.render("{{ name.getClass().getName() }}", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("not allowed");
    }

    @Test
    void unmodifiableBindingsCannotBeChangedFromATemplate() {
        Map<String, Object> config = Collections.unmodifiableMap(new HashMap<>(Map.of("k", "v")));

        assertThatThrownBy(() -> engine.render("{{ cfg.put('k', 'changed') }}", Map.of("cfg", config)))
                .isInstanceOf(TemplateException.class);
        assertThat(config).containsExactly(Map.entry("k", "v"));
    }

    // ---------------------------------------------------------------- filters

    @Test
    void sha256FilterProducesTheHexDigestOfTheText() throws Exception {
        assertThat(engine.render("{{ 'abc' | sha256 }}", Map.of()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sha256FilterHashesTheTextOfNonStringValues() throws Exception {
        assertThat(engine.render("{{ port | sha256 }}", BINDINGS))
                .isEqualTo(engine.render("{{ '5432' | sha256 }}", Map.of()))
                .hasSize(64);
    }

    @Test
    void quoteFilterWrapsInDoubleQuotes() throws Exception {
        assertThat(engine.render("{{ name | quote }}", BINDINGS)).isEqualTo("\"web\"");
    }

    @Test
    void quoteFilterEscapesQuotesBackslashesAndControlCharacters() throws Exception {
        String nasty = "say \"hi\"\\ next\nline\r\ttab";

        String quoted = engine.render("{{ v | quote }}", Map.of("v", nasty));

        assertThat(quoted).isEqualTo("\"say \\\"hi\\\"\\\\ next\\nline\\r\\ttab\"");
        assertThat(new ObjectMapper().readValue(quoted, String.class)).isEqualTo(nasty);
    }

    @Test
    void quotedValueSurvivesAYamlDocumentUnchanged() throws Exception {
        String nasty = "a: b\n- c # not a comment \"x\"";

        String yaml = engine.render("value: {{ v | quote }}\n", Map.of("v", nasty));

        assertThat(new YAMLMapper().readTree(yaml).get("value").asText()).isEqualTo(nasty);
    }

    @Test
    void quoteFilterTurnsNumbersIntoStrings() throws Exception {
        assertThat(engine.render("{{ port | quote }}", BINDINGS)).isEqualTo("\"5432\"");
    }

    // ---------------------------------------------------------------- limits

    @Test
    void outputLargerThanOneMebibyteIsRejected() {
        Map<String, Object> bindings = Map.of("chunk", "x".repeat(1024));

        assertThatThrownBy(() -> engine.render("{% for i in range(1100) %}{{ chunk }}{% endfor %}", bindings))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void outputBelowTheLimitIsRenderedInFull() throws Exception {
        Map<String, Object> bindings = Map.of("chunk", "x".repeat(1024));

        assertThat(engine.render("{% for i in range(512) %}{{ chunk }}{% endfor %}", bindings))
                .hasSize(512 * 1024);
    }

    // ---------------------------------------------------------------- renderLeaf

    @Test
    void loneExpressionLeafKeepsANumber() throws Exception {
        Object value = engine.renderLeaf("{{ port }}", BINDINGS);

        assertNumber(value, 5432);
    }

    @Test
    void loneExpressionLeafKeepsTheResultOfArithmeticAsANumber() throws Exception {
        Object value = engine.renderLeaf("{{ port + 1 }}", BINDINGS);

        assertNumber(value, 5433);
    }

    @Test
    void loneExpressionLeafKeepsABoolean() throws Exception {
        assertThat(engine.renderLeaf("{{ enabled }}", BINDINGS)).isEqualTo(Boolean.TRUE);
        assertThat(engine.renderLeaf("{{ not enabled }}", BINDINGS)).isEqualTo(Boolean.FALSE);
    }

    @Test
    void loneExpressionLeafKeepsAMap() throws Exception {
        Object value = engine.renderLeaf("{{ labels }}", BINDINGS);

        assertThat(value).isInstanceOf(Map.class);
        assertThat(value).isEqualTo(Map.of("tier", "back"));
    }

    @Test
    void loneExpressionLeafKeepsAList() throws Exception {
        Object value = engine.renderLeaf("{{ hosts }}", BINDINGS);

        assertThat(value).isInstanceOf(List.class);
        assertThat(value).isEqualTo(List.of("a", "b"));
    }

    @Test
    void loneExpressionLeafKeepsAString() throws Exception {
        assertThat(engine.renderLeaf("{{ plug.metadata.name }}", BINDINGS)).isEqualTo("app");
    }

    @Test
    void surroundingWhitespaceStillCountsAsALoneExpression() throws Exception {
        Object value = engine.renderLeaf("  {{ port }}\n", BINDINGS);

        assertNumber(value, 5432);
    }

    @Test
    void loneExpressionWithWhitespaceControlMarkersKeepsItsType() throws Exception {
        Object value = engine.renderLeaf("{{- port -}}", BINDINGS);

        assertNumber(value, 5432);
    }

    @Test
    void negationRightAfterTheDelimiterIsNotMistakenForAWhitespaceMarker() throws Exception {
        Object value = engine.renderLeaf("{{ -port }}", BINDINGS);

        assertNumber(value, -5432);
    }

    @Test
    void loneExpressionLeafRendersLikeRenderWhenStringified() throws Exception {
        for (String template : List.of("{{ port }}", "{{- port -}}", "{{ name }}", "{{ enabled }}")) {
            assertThat(String.valueOf(engine.renderLeaf(template, BINDINGS)))
                    .as(template)
                    .isEqualTo(engine.render(template, BINDINGS));
        }
    }

    @Test
    void loneExpressionLeafAppliesFilters() throws Exception {
        assertThat(engine.renderLeaf("{{ name | upper }}", BINDINGS)).isEqualTo("WEB");
        assertThat(engine.renderLeaf("{{ missing | default('fallback') }}", BINDINGS)).isEqualTo("fallback");
        Object defined = engine.renderLeaf("{{ port | default(1) }}", BINDINGS);
        assertNumber(defined, 5432);
    }

    @Test
    void leafWithTextAroundTheExpressionRendersToAString() throws Exception {
        assertThat(engine.renderLeaf("port-{{ port }}", BINDINGS)).isEqualTo("port-5432");
    }

    @Test
    void leafWithTwoExpressionsRendersToAString() throws Exception {
        assertThat(engine.renderLeaf("{{ port }}{{ enabled }}", BINDINGS)).isEqualTo("5432true");
    }

    @Test
    void leafWithAStatementRendersToAString() throws Exception {
        assertThat(engine.renderLeaf("{% if enabled %}{{ port }}{% endif %}", BINDINGS)).isEqualTo("5432");
    }

    @Test
    void leafWithoutTemplateIsReturnedUnchanged() throws Exception {
        assertThat(engine.renderLeaf("nginx:1.25", BINDINGS)).isEqualTo("nginx:1.25");
    }

    @Test
    void undefinedVariableInALoneExpressionLeafIsAnError() {
        assertThatThrownBy(() -> engine.renderLeaf("{{ nope }}", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void undefinedAttributeInALoneExpressionLeafIsAnError() {
        assertThatThrownBy(() -> engine.renderLeaf("{{ labels.nope }}", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void javaMethodCallInALoneExpressionLeafIsAnError() {
        assertThatThrownBy(() -> engine.renderLeaf("{{ name.getClass() }}", BINDINGS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("not allowed");
    }

    // ---------------------------------------------------------------- bracket syntax

    @Test
    void bracketSyntaxRendersBracketsAndLeavesCurlyBracesAlone() throws Exception {
        String template = "[[ name ]]-{{ .Values.x }}[% if enabled %]-on[% endif %][# gone #]";

        assertThat(engine.render(template, BINDINGS, TemplateSyntax.BRACKETS)).isEqualTo("web-{{ .Values.x }}-on");
    }

    @Test
    void bracketSyntaxLoneExpressionLeafKeepsItsType() throws Exception {
        Object value = engine.renderLeaf("[[ port ]]", BINDINGS, TemplateSyntax.BRACKETS);

        assertNumber(value, 5432);
        assertThat(engine.renderLeaf("{{ port }}", BINDINGS, TemplateSyntax.BRACKETS)).isEqualTo("{{ port }}");
    }

    @Test
    void syntaxIsChosenByAnnotationDefaultingToJinja() throws Exception {
        assertThat(TemplateSyntax.of(null)).isEqualTo(TemplateSyntax.JINJA);
        assertThat(TemplateSyntax.of(annotated(null))).isEqualTo(TemplateSyntax.JINJA);
        assertThat(TemplateSyntax.of(annotated(" jinja "))).isEqualTo(TemplateSyntax.JINJA);
        assertThat(TemplateSyntax.of(annotated("brackets"))).isEqualTo(TemplateSyntax.BRACKETS);
    }

    @Test
    void unknownSyntaxAnnotationIsAnError() {
        assertThatThrownBy(() -> TemplateSyntax.of(annotated("bracket")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("'bracket'")
                .hasMessageContaining(TemplateSyntax.ANNOTATION);
    }

    @Test
    void mayContainTemplateDetectsEachKindOfDelimiter() {
        assertThat(TemplateSyntax.JINJA.mayContainTemplate("a {{ b }}")).isTrue();
        assertThat(TemplateSyntax.JINJA.mayContainTemplate("{% if a %}")).isTrue();
        assertThat(TemplateSyntax.JINJA.mayContainTemplate("{# c #}")).isTrue();
        assertThat(TemplateSyntax.JINJA.mayContainTemplate("[[ b ]]")).isFalse();
        assertThat(TemplateSyntax.JINJA.mayContainTemplate(null)).isFalse();
        assertThat(TemplateSyntax.BRACKETS.mayContainTemplate("[% if a %]")).isTrue();
        assertThat(TemplateSyntax.BRACKETS.mayContainTemplate("{{ b }}")).isFalse();
    }

    private static ConfigMap annotated(String syntax) {
        ConfigMapBuilder builder = new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata();
        if (syntax != null) {
            builder.editMetadata().addToAnnotations(TemplateSyntax.ANNOTATION, syntax).endMetadata();
        }
        return builder.build();
    }

    /** {@code value} is a number (not its text) equal to {@code expected}. */
    private static void assertNumber(Object value, int expected) {
        assertThat(value).isInstanceOf(Number.class);
        assertThat(((Number) value).intValue()).isEqualTo(expected);
    }
}
