package io.mdevplan.web.auth;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A token as the API lists it: never its secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(String id, String name, String role, String host, Instant createdAt, String createdBy,
        Instant revokedAt) {

    static TokenView of(TokenEntity entity) {
        return new TokenView(String.valueOf(entity.id), entity.name, entity.role, entity.host, entity.createdAt,
                entity.createdBy, entity.revokedAt);
    }
}
