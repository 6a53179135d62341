package com.rock8s.integration.operator.interfaces;

import com.rock8s.integration.operator.api.InterfaceProperty;
import com.rock8s.integration.operator.api.InterfaceSides;
import com.rock8s.integration.operator.api.SocketInterface;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies a socket's interface to one side's config or result.
 *
 * <p>Rules, the same for all four maps: when the interface, its section ({@code config}/{@code result}) or the side's
 * map is absent, the values pass through unchanged (an omitted side is not validated, never wiped). Otherwise only
 * declared keys are kept; a key is present when its value is a non-empty string; a missing key takes its non-empty
 * default, or fails validation when it is required. All missing required keys are reported at once, sorted.
 */
public final class InterfaceValidator {

    /** The validated map; throws when required keys are missing. */
    public Map<String, String> validate(SocketInterface socketInterface, Section section, Side side,
                                        Map<String, String> values) throws InterfaceViolation {
        Map<String, InterfaceProperty> schema = schemaFor(socketInterface, section, side);
        if (schema == null) {
            return values;
        }
        Map<String, String> validated = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, InterfaceProperty> declared : new TreeMap<>(schema).entrySet()) {
            String key = declared.getKey();
            InterfaceProperty property = declared.getValue() == null ? new InterfaceProperty() : declared.getValue();
            String value = values.get(key);
            if (value != null && !value.isEmpty()) {
                validated.put(key, value);
            } else if (Boolean.TRUE.equals(property.getRequired())) {
                missing.add(key);
            } else if (property.getDefaultValue() != null && !property.getDefaultValue().isEmpty()) {
                validated.put(key, property.getDefaultValue());
            }
        }
        if (!missing.isEmpty()) {
            throw new InterfaceViolation(side, section, missing);
        }
        return validated;
    }

    private static Map<String, InterfaceProperty> schemaFor(SocketInterface socketInterface, Section section,
                                                            Side side) {
        if (socketInterface == null) {
            return null;
        }
        InterfaceSides sides = section == Section.CONFIG ? socketInterface.getConfig() : socketInterface.getResult();
        if (sides == null) {
            return null;
        }
        return side == Side.PLUG ? sides.getPlug() : sides.getSocket();
    }
}
