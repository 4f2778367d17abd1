package io.mdevplan.web.auth;

/** A token just created, with its secret: the only time the secret is shown. */
public record CreatedToken(TokenView token, String secret) {
}
