package com.rock8s.integration.operator.interfaces;

/** The part of the interface a map is validated against. */
public enum Section {
    CONFIG("config"),
    RESULT("result");

    private final String label;

    Section(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
