package io.mdevplan.web.policy;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A stored policy: every soft rule's weight, and whether placements without a policy use it. */
public record PolicyView(String name, String description, Map<String, Long> weights,
        @JsonProperty("default") boolean isDefault) {
}
