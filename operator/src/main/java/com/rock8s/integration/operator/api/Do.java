package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What to do with a templated resource. A resource without {@code do} is applied. */
public enum Do {
    @JsonProperty("apply") APPLY,
    @JsonProperty("delete") DELETE,
    @JsonProperty("recreate") RECREATE
}
