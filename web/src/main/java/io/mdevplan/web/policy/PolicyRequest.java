package io.mdevplan.web.policy;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of PUT /api/v1/policies/{name}: the weights of the soft rules (rules left out weigh 0), an optional
 * description, whether it becomes the default (absent: it stays what it was; false for a new policy), and what
 * follows a failed create, release or replace (absent: it stays what it was; release for a new policy).
 */
public record PolicyRequest(String description, Map<String, Long> weights, @JsonProperty("default") Boolean isDefault,
        String onFailure) {
}
