package io.mdevplan.web.policy;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A stored policy: every soft rule's weight, whether placements without a policy use it, and what follows a failed
 * create of a placement made under it (release or replace).
 */
public record PolicyView(String name, String description, Map<String, Long> weights,
        @JsonProperty("default") boolean isDefault, String onFailure) {
}
