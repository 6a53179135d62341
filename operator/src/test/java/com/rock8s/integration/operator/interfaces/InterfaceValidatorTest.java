package com.rock8s.integration.operator.interfaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rock8s.integration.operator.api.InterfaceProperty;
import com.rock8s.integration.operator.api.InterfaceSides;
import com.rock8s.integration.operator.api.SocketInterface;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterfaceValidatorTest {

    private final InterfaceValidator validator = new InterfaceValidator();

    /** All four maps the socket interface governs; the rules must be identical for each. */
    static Stream<Arguments> allMaps() {
        return Stream.of(
                Arguments.of(Section.CONFIG, Side.PLUG),
                Arguments.of(Section.CONFIG, Side.SOCKET),
                Arguments.of(Section.RESULT, Side.PLUG),
                Arguments.of(Section.RESULT, Side.SOCKET));
    }

    // ---------------------------------------------------------------- pass-through

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void withoutAnInterfaceEveryValueIsPassedThroughUnchanged(Section section, Side side) throws Exception {
        Map<String, String> values = Map.of("anything", "goes", "empty", "");

        assertThat(validator.validate((SocketInterface) null, section, side, values))
                .isEqualTo(Map.of("anything", "goes", "empty", ""));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void whenTheSectionIsAbsentItsValuesArePassedThrough(Section section, Side side) throws Exception {
        Section other = section == Section.CONFIG ? Section.RESULT : Section.CONFIG;
        SocketInterface onlyOtherSection = iface(other, side, Map.of("declared", required()));

        assertThat(validator.validate(onlyOtherSection, section, side, Map.of("undeclared", "kept")))
                .isEqualTo(Map.of("undeclared", "kept"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void anOmittedSideIsNotValidatedAndNotWiped(Section section, Side side) throws Exception {
        Side other = side == Side.PLUG ? Side.SOCKET : Side.PLUG;
        SocketInterface onlyOtherSide = iface(section, other, Map.of("password", required()));

        assertThat(validator.validate(onlyOtherSide, section, side, Map.of("host", "db", "port", "5432")))
                .isEqualTo(Map.of("host", "db", "port", "5432"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void anEmptyDeclaredSideDropsEveryKey(Section section, Side side) throws Exception {
        SocketInterface emptySide = iface(section, side, Map.of());

        assertThat(validator.validate(emptySide, section, side, Map.of("host", "db"))).isEmpty();
    }

    // ---------------------------------------------------------------- declared keys

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void declaredKeysAreKeptAndUndeclaredKeysAreDropped(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("host", optional(), "port", optional()));

        Map<String, String> validated = validator.validate(schema, section, side,
                Map.of("host", "db", "port", "5432", "debug", "true"));

        assertThat(validated).isEqualTo(Map.of("host", "db", "port", "5432"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void aMissingOptionalKeyTakesItsDefault(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("port", withDefault("5432")));

        assertThat(validator.validate(schema, section, side, Map.of())).isEqualTo(Map.of("port", "5432"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void aProvidedValueWinsOverTheDefault(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("port", withDefault("5432")));

        assertThat(validator.validate(schema, section, side, Map.of("port", "6543")))
                .isEqualTo(Map.of("port", "6543"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void anEmptyValueIsReplacedByTheDefault(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("port", withDefault("5432")));

        assertThat(validator.validate(schema, section, side, Map.of("port", "")))
                .isEqualTo(Map.of("port", "5432"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void aMissingOptionalKeyWithoutDefaultIsLeftOutRatherThanSetToEmpty(Section section, Side side)
            throws Exception {
        SocketInterface schema = iface(section, side, Map.of("host", optional(), "port", optional()));

        assertThat(validator.validate(schema, section, side, Map.of("host", "db")))
                .isEqualTo(Map.of("host", "db"))
                .doesNotContainKey("port");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void anEmptyStringDefaultCountsAsNoDefault(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("port", withDefault("")));

        assertThat(validator.validate(schema, section, side, Map.of())).doesNotContainKey("port");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void anEmptyOptionalValueWithoutDefaultIsDropped(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("host", optional()));

        assertThat(validator.validate(schema, section, side, Map.of("host", ""))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void aDeclaredKeyWithNullPropertyIsTreatedAsOptionalWithoutDefault(Section section, Side side)
            throws Exception {
        Map<String, InterfaceProperty> properties = new HashMap<>();
        properties.put("host", null);
        properties.put("port", null);
        SocketInterface schema = iface(section, side, properties);

        assertThat(validator.validate(schema, section, side, Map.of("host", "db", "other", "x")))
                .isEqualTo(Map.of("host", "db"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void requiredFalseBehavesLikeOptional(Section section, Side side) throws Exception {
        InterfaceProperty notRequired = new InterfaceProperty();
        notRequired.setRequired(false);
        SocketInterface schema = iface(section, side, Map.of("host", notRequired));

        assertThat(validator.validate(schema, section, side, Map.of())).isEmpty();
    }

    // ---------------------------------------------------------------- required keys

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void aMissingRequiredKeyFailsWithTheOriginalMessage(Section section, Side side) {
        SocketInterface schema = iface(section, side, Map.of("password", required(), "user", optional()));

        InterfaceViolation violation = catchThrowableOfType(
                () -> validator.validate(schema, section, side, Map.of("user", "admin")), InterfaceViolation.class);

        assertThat(violation).isNotNull();
        assertThat(violation.getMessage())
                .isEqualTo(side.label() + " " + section.label() + " property 'password' is required");
        assertThat(violation.side()).isEqualTo(side);
        assertThat(violation.section()).isEqualTo(section);
        assertThat(violation.missingKeys()).containsExactly("password");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void anEmptyStringDoesNotSatisfyARequiredKey(Section section, Side side) {
        SocketInterface schema = iface(section, side, Map.of("password", required()));

        assertThatThrownBy(() -> validator.validate(schema, section, side, Map.of("password", "")))
                .isInstanceOf(InterfaceViolation.class)
                .hasMessage(side.label() + " " + section.label() + " property 'password' is required");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void aPresentRequiredKeyIsKept(Section section, Side side) throws Exception {
        SocketInterface schema = iface(section, side, Map.of("password", required()));

        assertThat(validator.validate(schema, section, side, Map.of("password", "s3cret")))
                .isEqualTo(Map.of("password", "s3cret"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("allMaps")
    void everyMissingRequiredKeyIsReportedAtOnceInSortedOrder(Section section, Side side) {
        Map<String, InterfaceProperty> properties = new LinkedHashMap<>();
        properties.put("zone", required());
        properties.put("alpha", required());
        properties.put("present", required());
        properties.put("middle", required());
        SocketInterface schema = iface(section, side, properties);

        InterfaceViolation violation = catchThrowableOfType(
                () -> validator.validate(schema, section, side, Map.of("present", "yes", "middle", "")),
                InterfaceViolation.class);

        assertThat(violation).isNotNull();
        assertThat(violation.missingKeys()).containsExactly("alpha", "middle", "zone");
        assertThat(violation.getMessage()).isEqualTo(side.label() + " " + section.label()
                + " properties 'alpha', 'middle', 'zone' are required");
    }

    @Test
    void aRequiredKeyWithADefaultIsStillRequired() {
        InterfaceProperty requiredWithDefault = required();
        requiredWithDefault.setDefaultValue("fallback");
        SocketInterface schema = iface(Section.CONFIG, Side.PLUG, Map.of("password", requiredWithDefault));

        assertThatThrownBy(() -> validator.validate(schema, Section.CONFIG, Side.PLUG, Map.of()))
                .isInstanceOf(InterfaceViolation.class)
                .hasMessage("plug config property 'password' is required");
    }

    @Test
    void plugAndSocketOfTheSameSectionAreValidatedAgainstTheirOwnDeclarations() throws Exception {
        InterfaceSides sides = new InterfaceSides();
        sides.setPlug(Map.of("database", required()));
        sides.setSocket(Map.of("host", required(), "port", withDefault("5432")));
        SocketInterface schema = new SocketInterface();
        schema.setConfig(sides);
        Map<String, String> both = Map.of("database", "app", "host", "db");

        assertThat(validator.validate(schema, Section.CONFIG, Side.PLUG, both))
                .isEqualTo(Map.of("database", "app"));
        assertThat(validator.validate(schema, Section.CONFIG, Side.SOCKET, both))
                .isEqualTo(Map.of("host", "db", "port", "5432"));
    }

    @Test
    void configAndResultSectionsAreIndependent() throws Exception {
        SocketInterface schema = new SocketInterface();
        InterfaceSides config = new InterfaceSides();
        config.setPlug(Map.of("database", required()));
        InterfaceSides result = new InterfaceSides();
        result.setPlug(Map.of("ready", withDefault("false")));
        schema.setConfig(config);
        schema.setResult(result);

        assertThat(validator.validate(schema, Section.RESULT, Side.PLUG, Map.of("database", "app")))
                .isEqualTo(Map.of("ready", "false"));
        assertThatThrownBy(() -> validator.validate(schema, Section.CONFIG, Side.PLUG, Map.of("ready", "true")))
                .isInstanceOf(InterfaceViolation.class)
                .hasMessage("plug config property 'database' is required");
    }

    @Test
    void validationDoesNotModifyTheInputMap() throws Exception {
        SocketInterface schema = iface(Section.CONFIG, Side.SOCKET, Map.of("port", withDefault("5432")));
        Map<String, String> input = new HashMap<>(Map.of("extra", "x"));

        Map<String, String> validated = validator.validate(schema, Section.CONFIG, Side.SOCKET, input);

        assertThat(validated).isEqualTo(Map.of("port", "5432"));
        assertThat(input).isEqualTo(Map.of("extra", "x"));
    }

    @Test
    void violationKeepsAnImmutableCopyOfTheMissingKeys() {
        List<String> keys = new ArrayList<>(List.of("a"));
        InterfaceViolation violation = new InterfaceViolation(Side.SOCKET, Section.RESULT, keys);
        keys.add("b");

        assertThat(violation.missingKeys()).containsExactly("a");
        assertThat(violation.missingKeys()).isUnmodifiable();
        assertThat(violation.getMessage()).isEqualTo("socket result property 'a' is required");
    }

    @Test
    void labelsMatchTheWordsUsedInMessagesAndTemplates() {
        assertThat(Side.PLUG.label()).isEqualTo("plug");
        assertThat(Side.SOCKET.label()).isEqualTo("socket");
        assertThat(Section.CONFIG.label()).isEqualTo("config");
        assertThat(Section.RESULT.label()).isEqualTo("result");
    }

    // ---------------------------------------------------------------- helpers

    private static SocketInterface iface(Section section, Side side, Map<String, InterfaceProperty> properties) {
        InterfaceSides sides = new InterfaceSides();
        if (side == Side.PLUG) {
            sides.setPlug(properties);
        } else {
            sides.setSocket(properties);
        }
        SocketInterface socketInterface = new SocketInterface();
        if (section == Section.CONFIG) {
            socketInterface.setConfig(sides);
        } else {
            socketInterface.setResult(sides);
        }
        return socketInterface;
    }

    private static InterfaceProperty required() {
        InterfaceProperty property = new InterfaceProperty();
        property.setRequired(true);
        return property;
    }

    private static InterfaceProperty optional() {
        return new InterfaceProperty();
    }

    private static InterfaceProperty withDefault(String value) {
        InterfaceProperty property = new InterfaceProperty();
        property.setDefaultValue(value);
        return property;
    }
}
