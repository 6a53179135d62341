package com.rock8s.integration.operator.interfaces;

import java.util.List;

/** Required keys missing from one side's config or result. */
public final class InterfaceViolation extends Exception {
    private final Side side;
    private final Section section;
    private final List<String> missingKeys;

    public InterfaceViolation(Side side, Section section, List<String> missingKeys) {
        super(message(side, section, missingKeys));
        this.side = side;
        this.section = section;
        this.missingKeys = List.copyOf(missingKeys);
    }

    private static String message(Side side, Section section, List<String> keys) {
        String prefix = side.label() + " " + section.label();
        if (keys.size() == 1) {
            return prefix + " property '" + keys.get(0) + "' is required";
        }
        return prefix + " properties '" + String.join("', '", keys) + "' are required";
    }

    public Side side() { return side; }
    public Section section() { return section; }
    public List<String> missingKeys() { return missingKeys; }
}
