package io.mdevplan.web.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token from a request's Authorization header, to be verified. */
final class TokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;

    TokenAuthenticationRequest(String secret) {
        this.secret = secret;
    }

    String secret() {
        return secret;
    }
}
