package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A lifecycle event of a plug, a socket or a coupling between them. */
public enum When {
    @JsonProperty("created") CREATED("created"),
    @JsonProperty("coupled") COUPLED("coupled"),
    @JsonProperty("updated") UPDATED("updated"),
    @JsonProperty("decoupled") DECOUPLED("decoupled"),
    @JsonProperty("deleted") DELETED("deleted");

    private final String wireName;

    When(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in manifests, apparatus paths and Kubernetes Events ({@code coupled}, ...). */
    public String wireName() {
        return wireName;
    }
}
