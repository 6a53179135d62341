package com.rock8s.integration.operator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shims' building blocks, without a server. */
class EmbeddedShimUnitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void humanDurationMatchesKubectl() {
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
        assertThat(TableConverter.humanDuration(Duration.ofMillis(-500))).isEqualTo("0s");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(180))).isEqualTo("3m");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(185))).isEqualTo("3m5s");
        assertThat(TableConverter.humanDuration(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(TableConverter.humanDuration(Duration.ofMinutes(150))).isEqualTo("150m");
        assertThat(TableConverter.humanDuration(Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(TableConverter.humanDuration(Duration.ofHours(5))).isEqualTo("5h");
        assertThat(TableConverter.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(TableConverter.humanDuration(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(TableConverter.humanDuration(Duration.ofDays(3))).isEqualTo("3d");
        assertThat(TableConverter.humanDuration(Duration.ofDays(100))).isEqualTo("100d");
        assertThat(TableConverter.humanDuration(Duration.ofDays(365 * 3 + 10))).isEqualTo("3y10d");
        assertThat(TableConverter.humanDuration(Duration.ofDays(365 * 9))).isEqualTo("9y");
    }

    @Test
    void jsonPathEvaluatesPrinterColumnExpressions() throws Exception {
        JsonNode object = json("{'spec':{'size':3,'tags':['a','b'],'dotted.key':'d'},"
                + "'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Coupled','status':'True'}]}}");
        assertThat(JsonPath.compile(".spec.size").evaluate(object)).singleElement()
                .satisfies(n -> assertThat(n.asInt()).isEqualTo(3));
        assertThat(JsonPath.compile(".status.conditions[?(@.type==\"Coupled\")].status").evaluate(object).get(0).asText())
                .isEqualTo("True");
        assertThat(JsonPath.compile(".status.conditions[?(@.type=='Ready')].status").evaluate(object).get(0).asText())
                .isEqualTo("False");
        assertThat(JsonPath.compile(".status.conditions[?(@.type!='Ready')].type").evaluate(object).get(0).asText())
                .isEqualTo("Coupled");
        assertThat(JsonPath.compile(".spec.tags[-1]").evaluate(object).get(0).asText()).isEqualTo("b");
        assertThat(JsonPath.compile(".spec.tags[*]").evaluate(object)).hasSize(2);
        assertThat(JsonPath.compile("{.spec['dotted.key']}").evaluate(object).get(0).asText()).isEqualTo("d");
        assertThat(JsonPath.compile(".status.missing[0].x").evaluate(object)).isEmpty();
        assertThatThrownBy(() -> JsonPath.compile("..spec")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectionLeavesWhatTheMockHandlesAlone() throws Exception {
        assertThat(Selection.of("")).isNull();
        assertThat(Selection.of("labelSelector=app%3Dweb%2C%21legacy&limit=5")).isNull();
        assertThat(Selection.of("fieldSelector=metadata.name%3Dx")).isNull();

        Selection set = Selection.of("limit=5&labelSelector=env+in+%28a%2Cb%29%2Ctier&fieldSelector=metadata.name%3Dx");
        assertThat(set.delegatedQuery()).isEqualTo("limit=5&fieldSelector=metadata.name%3Dx");
        assertThat(set.matches(json("{'metadata':{'labels':{'env':'a','tier':'1'}}}"))).isTrue();
        assertThat(set.matches(json("{'metadata':{'labels':{'env':'c','tier':'1'}}}"))).isFalse();
        assertThat(set.matches(json("{'metadata':{'labels':{'env':'a'}}}"))).isFalse();

        Selection numeric = Selection.of("labelSelector=rank%3E2%2Cenv+notin+%28x%29%2Cempty%3D");
        assertThat(numeric.matches(json("{'metadata':{'labels':{'rank':'3','empty':''}}}"))).isTrue();
        assertThat(numeric.matches(json("{'metadata':{'labels':{'rank':'2','empty':''}}}"))).isFalse();
        assertThat(numeric.matches(json("{'metadata':{'labels':{'rank':'3','env':'x','empty':''}}}"))).isFalse();

        Selection fields = Selection.of("fieldSelector=involvedObject.name%3Dw%2Ctype%21%3DWarning");
        assertThat(fields.delegatedQuery()).isEmpty();
        assertThat(fields.matches(json("{'involvedObject':{'name':'w'},'type':'Normal'}"))).isTrue();
        assertThat(fields.matches(json("{'involvedObject':{'name':'w'},'type':'Warning'}"))).isFalse();
        assertThat(fields.matches(json("{'involvedObject':{'name':'v'}}"))).isFalse();

        assertThatThrownBy(() -> Selection.of("labelSelector=a+in+b")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Selection.of("fieldSelector=nonsense")).isInstanceOf(ApiException.class);
    }

    @Test
    void filteringWatchTranslatesEventsForTheClient() throws Exception {
        Selection selection = Selection.of("labelSelector=env+in+%28prod%29");
        FilteringWatchListener listener = new FilteringWatchListener(new io.fabric8.mockwebserver.http.WebSocketListener() {
        }, selection);
        List<String> out = new ArrayList<>();
        for (String[] e : new String[][] {{"ADDED", "dev"}, {"MODIFIED", "prod"}, {"MODIFIED", "prod"},
                {"MODIFIED", "dev"}, {"DELETED", "dev"}}) {
            String event = "{'type':'" + e[0] + "','object':{'metadata':{'name':'x','labels':{'env':'" + e[1] + "'}}}}";
            String translated = listener.translate(event.replace('\'', '"'));
            out.add(translated == null ? "-" : JSON.readTree(translated).path("type").asText());
        }
        assertThat(out).containsExactly("-", "ADDED", "MODIFIED", "DELETED", "-");
    }

    @Test
    void mergePatchFollowsRfc7386() throws Exception {
        ObjectNode target = (ObjectNode) json("{'a':'b','c':{'d':'e','f':'g'},'list':[1,2]}");
        MergePatch.apply(target, json("{'a':'z','c':{'f':null},'list':[3],'new':{'x':null,'y':1}}"));
        assertThat(target).isEqualTo(json("{'a':'z','c':{'d':'e'},'list':[3],'new':{'y':1}}"));

        ObjectNode smp = (ObjectNode) json("{'$patch':'replace','spec':{'$setElementOrder/c':[{'name':'a'}],"
                + "'c':[{'name':'a','$patch':'delete'}]}}");
        MergePatch.stripDirectives(smp);
        assertThat(smp).isEqualTo(json("{'spec':{'c':[{'name':'a'}]}}"));
    }

    @Test
    void resourcePathsParseEveryShape() {
        assertThat(ResourcePath.parse("/api/v1")).isNull();
        assertThat(ResourcePath.parse("/apis/apps/v1")).isNull();
        assertThat(ResourcePath.parse("/api/v1/namespaces"))
                .isEqualTo(new ResourcePath("", "v1", null, "namespaces", null, null));
        assertThat(ResourcePath.parse("/api/v1/namespaces/ns"))
                .isEqualTo(new ResourcePath("", "v1", null, "namespaces", "ns", null));
        assertThat(ResourcePath.parse("/api/v1/namespaces/ns/status"))
                .isEqualTo(new ResourcePath("", "v1", null, "namespaces", "ns", "status"));
        assertThat(ResourcePath.parse("/api/v1/namespaces/ns/pods"))
                .isEqualTo(new ResourcePath("", "v1", "ns", "pods", null, null));
        ResourcePath status = ResourcePath.parse("/apis/example.com/v1/namespaces/ns/widgets/w/status");
        assertThat(status).isEqualTo(new ResourcePath("example.com", "v1", "ns", "widgets", "w", "status"));
        assertThat(status.collectionPath()).isEqualTo("/apis/example.com/v1/namespaces/ns/widgets");
        assertThat(status.fullPath()).isEqualTo("/apis/example.com/v1/namespaces/ns/widgets/w/status");
        assertThat(status.qualifiedPlural()).isEqualTo("widgets.example.com");
        assertThat(ResourcePath.parse("/apis/example.com/v1/widgets"))
                .isEqualTo(new ResourcePath("example.com", "v1", null, "widgets", null, null));
    }

    @Test
    void versionsSortByKubernetesPriority() {
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "foo", "v2beta1", "v1", "v1beta2", "v2", "v1beta1"));
        versions.sort(Discovery.VERSION_PRIORITY);
        assertThat(versions).containsExactly("v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo");
    }
}
