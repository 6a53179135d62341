package com.rock8s.integration.operator.apparatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.operator.api.Apparatus;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Endpoint resolution: paths go to the managed Service, absolute URLs are external, odd values fail clearly. */
class EndpointTest {
    @Test
    void pathWithContainersIsTheManagedServicePlusThePath() throws Exception {
        Endpoint endpoint = Endpoint.resolve(apparatus("/hooks/", true), "app", "team-a",
                ApparatusSettings.DEFAULT_SERVICE_URL);

        assertThat(endpoint.managed()).isTrue();
        assertThat(endpoint.call("coupled")).hasToString("http://app-apparatus.team-a.svc/hooks/coupled");
        assertThat(endpoint.path()).isEqualTo("/hooks");
    }

    @Test
    void emptyEndpointWithContainersIsTheServiceRoot() throws Exception {
        Endpoint endpoint = Endpoint.resolve(apparatus(null, true), "app", "ns", "http://{name}.{namespace}.svc:8080/");

        assertThat(endpoint.call("ping")).hasToString("http://app-apparatus.ns.svc:8080/ping");
        assertThat(endpoint.path()).isEmpty();
    }

    @Test
    void absoluteUrlIsExternalEvenWithContainers() throws Exception {
        Endpoint endpoint = Endpoint.resolve(apparatus("https://hooks.example.com:8443/x//", true), "app", "ns",
                ApparatusSettings.DEFAULT_SERVICE_URL);

        assertThat(endpoint.managed()).isFalse();
        assertThat(endpoint.call("config")).hasToString("https://hooks.example.com:8443/x/config");
    }

    @Test
    void hostWithoutSchemeIsHttp() throws Exception {
        assertThat(Endpoint.resolve(apparatus("1234567", false), "a", "ns", ApparatusSettings.DEFAULT_SERVICE_URL)
                .call("ping")).hasToString("http://1234567/ping");
        assertThat(Endpoint.resolve(apparatus("hooks:9000/p", false), "a", "ns",
                ApparatusSettings.DEFAULT_SERVICE_URL).call("ping")).hasToString("http://hooks:9000/p/ping");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/hooks"})
    void pathWithoutContainersIsAClearError(String value) {
        assertThatThrownBy(() -> Endpoint.resolve(apparatus(value, false), "a", "ns",
                ApparatusSettings.DEFAULT_SERVICE_URL))
                .isInstanceOf(Endpoint.InvalidEndpointException.class).hasMessageContaining("needs apparatus.containers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://", "http:///x", "ftp://host/x", "http://exa mple/x", "http://x/a?b=c",
            "://", "http://[::1", "ht tp://x", "http://under_score/x"})
    void malformedValuesAreClearErrorsNotCrashes(String value) {
        assertThatThrownBy(() -> Endpoint.resolve(apparatus(value, false), "a", "ns",
                ApparatusSettings.DEFAULT_SERVICE_URL))
                .isInstanceOf(Endpoint.InvalidEndpointException.class)
                .hasMessageContaining("apparatus.endpoint '" + value.trim() + "'");
    }

    @Test
    void managedNamesFitAServiceName() {
        assertThat(ManagedApparatus.name("app")).isEqualTo("app-apparatus");
        String longName = ManagedApparatus.name("a".repeat(200));
        assertThat(longName).hasSizeLessThanOrEqualTo(63).endsWith("-apparatus");
        assertThat(ManagedApparatus.name("b".repeat(200))).isNotEqualTo(longName);
        assertThat(ManagedApparatus.name("my.app")).isEqualTo("my-app-apparatus");
    }

    private static Apparatus apparatus(String endpoint, boolean containers) {
        Apparatus apparatus = new Apparatus();
        apparatus.setEndpoint(endpoint);
        if (containers) {
            apparatus.setContainers(List.of(new ContainerBuilder().withName("a").withImage("img").build()));
        }
        return apparatus;
    }
}
