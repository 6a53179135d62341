package com.rock8s.integration.operator.interfaces;

/** One side of a coupling. */
public enum Side {
    PLUG("plug"),
    SOCKET("socket");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    /** {@code plug} or {@code socket}, as used in messages and templates. */
    public String label() {
        return label;
    }
}
