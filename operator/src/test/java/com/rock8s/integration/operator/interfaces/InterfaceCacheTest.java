package com.rock8s.integration.operator.interfaces;

import static com.rock8s.integration.operator.testing.Manifests.requiresPlugConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.SocketInterface;
import com.rock8s.integration.operator.api.SocketSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolved-interface cache: one entry per socket uid and generation, bounded, exported as cache meters. */
class InterfaceCacheTest {

    @Test
    void theSameSocketVersionReusesTheResolvedInterface() throws Exception {
        InterfaceValidator validator = new InterfaceValidator();
        Socket socket = socket("uid-1", 1L, requiresPlugConfig("database"));

        validator.validate(socket, Section.CONFIG, Side.PLUG, Map.of("database", "a"));
        validator.validate(socket, Section.CONFIG, Side.SOCKET, Map.of());
        validator.validate(socket, Section.RESULT, Side.PLUG, Map.of());

        assertThat(validator.cacheStats().missCount()).isEqualTo(1);
        assertThat(validator.cacheStats().hitCount()).isEqualTo(2);
        assertThat(validator.interfaceOf(socket)).isSameAs(validator.interfaceOf(socket));
    }

    @Test
    void aNewGenerationIsResolvedAgainAndItsRulesApply() throws Exception {
        InterfaceValidator validator = new InterfaceValidator();
        Socket first = socket("uid-1", 1L, requiresPlugConfig("database"));
        assertThat(validator.validate(first, Section.CONFIG, Side.PLUG, Map.of("database", "a", "user", "u")))
                .isEqualTo(Map.of("database", "a"));

        Socket second = socket("uid-1", 2L, requiresPlugConfig("user"));

        assertThat(validator.validate(second, Section.CONFIG, Side.PLUG, Map.of("database", "a", "user", "u")))
                .isEqualTo(Map.of("user", "u"));
        assertThatThrownBy(() -> validator.validate(second, Section.CONFIG, Side.PLUG, Map.of("database", "a")))
                .isInstanceOf(InterfaceViolation.class)
                .hasMessage("plug config property 'user' is required");
        assertThat(validator.cacheStats().missCount()).isEqualTo(2);
    }

    @Test
    void aSocketRecreatedWithTheSameNameIsANewEntry() throws Exception {
        InterfaceValidator validator = new InterfaceValidator();
        validator.validate(socket("uid-1", 1L, requiresPlugConfig("a")), Section.CONFIG, Side.PLUG, Map.of("a", "x"));

        assertThatThrownBy(() -> validator.validate(socket("uid-2", 1L, requiresPlugConfig("b")), Section.CONFIG,
                Side.PLUG, Map.of("a", "x")))
                .isInstanceOf(InterfaceViolation.class)
                .hasMessageContaining("'b'");
        assertThat(validator.cacheStats().missCount()).isEqualTo(2);
    }

    @Test
    void aSocketWithoutUidOrGenerationIsNotCached() throws Exception {
        InterfaceValidator validator = new InterfaceValidator();

        validator.validate(socket(null, null, requiresPlugConfig("a")), Section.CONFIG, Side.PLUG, Map.of("a", "x"));
        validator.validate(socket("uid-1", null, requiresPlugConfig("a")), Section.CONFIG, Side.PLUG,
                Map.of("a", "x"));

        assertThat(validator.cacheStats().requestCount()).isZero();
    }

    @Test
    void theCacheIsBoundedAndExportsHitsMissesAndEvictions() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InterfaceValidator validator = new InterfaceValidator(2).monitoredBy(registry);
        for (int i = 0; i < 10; i++) {
            Socket socket = socket("uid-" + i, 1L, requiresPlugConfig("k"));
            validator.validate(socket, Section.CONFIG, Side.PLUG, Map.of("k", "v"));
            validator.validate(socket, Section.CONFIG, Side.SOCKET, Map.of());
        }
        validator.cleanUpCache();

        assertThat(registry.get("cache.gets").tag("cache", "interface-schemas").tag("result", "hit")
                .functionCounter().count()).isEqualTo(10);
        assertThat(registry.get("cache.gets").tag("cache", "interface-schemas").tag("result", "miss")
                .functionCounter().count()).isEqualTo(10);
        assertThat(registry.get("cache.evictions").tag("cache", "interface-schemas").functionCounter().count())
                .isEqualTo(8);
    }

    private static Socket socket(String uid, Long generation, SocketInterface socketInterface) {
        Socket socket = new Socket();
        socket.setMetadata(new ObjectMetaBuilder().withName("db").withNamespace("ns").withUid(uid)
                .withGeneration(generation).build());
        SocketSpec spec = new SocketSpec();
        spec.setSocketInterface(socketInterface);
        socket.setSpec(spec);
        return socket;
    }

}
