package com.rock8s.integration.operator.interfaces;

import com.rock8s.integration.operator.api.InterfaceProperty;
import com.rock8s.integration.operator.api.InterfaceSides;
import com.rock8s.integration.operator.api.SocketInterface;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A socket's interface as validation reads it: for each section and side, the declared keys sorted by name, or
 * nothing when that part of the interface is absent (the values then pass through unchanged). Immutable.
 */
public final class ResolvedInterface {
    private final Map<Section, Map<Side, List<DeclaredKey>>> keys;

    private ResolvedInterface(Map<Section, Map<Side, List<DeclaredKey>>> keys) {
        this.keys = keys;
    }

    /** Resolves {@code socketInterface} ({@code null} when the socket declares none). */
    public static ResolvedInterface of(SocketInterface socketInterface) {
        Map<Section, Map<Side, List<DeclaredKey>>> keys = new EnumMap<>(Section.class);
        for (Section section : Section.values()) {
            Map<Side, List<DeclaredKey>> sides = new EnumMap<>(Side.class);
            for (Side side : Side.values()) {
                Map<String, InterfaceProperty> declared = declared(socketInterface, section, side);
                if (declared != null) {
                    sides.put(side, resolve(declared));
                }
            }
            keys.put(section, sides);
        }
        return new ResolvedInterface(keys);
    }

    /** The declared keys of one side, sorted by name; empty when the interface leaves that side out. */
    public Optional<List<DeclaredKey>> keys(Section section, Side side) {
        return Optional.ofNullable(keys.get(section).get(side));
    }

    private static List<DeclaredKey> resolve(Map<String, InterfaceProperty> declared) {
        List<DeclaredKey> resolved = new ArrayList<>(declared.size());
        for (Map.Entry<String, InterfaceProperty> entry : new TreeMap<>(declared).entrySet()) {
            InterfaceProperty property = entry.getValue() == null ? new InterfaceProperty() : entry.getValue();
            String defaultValue = property.getDefaultValue();
            resolved.add(new DeclaredKey(entry.getKey(), Boolean.TRUE.equals(property.getRequired()),
                    defaultValue == null || defaultValue.isEmpty() ? null : defaultValue));
        }
        return List.copyOf(resolved);
    }

    private static Map<String, InterfaceProperty> declared(SocketInterface socketInterface, Section section,
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
