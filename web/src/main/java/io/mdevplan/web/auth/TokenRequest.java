package io.mdevplan.web.auth;

/** POST /api/v1/tokens: a name for the token, its role, and for an executor the one host it acts for. */
public record TokenRequest(String name, String role, String host) {
}
