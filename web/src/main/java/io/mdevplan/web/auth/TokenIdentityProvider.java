package io.mdevplan.web.auth;

import jakarta.inject.Singleton;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Verifies a bearer token against the stored tokens (on a worker thread: it may read the database). */
@Singleton
public final class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** The identity attribute holding an executor token's host. */
    public static final String HOST = "mdevplan.host";

    private final TokenService tokens;

    TokenIdentityProvider(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> tokens.verify(request.secret())
                .map(TokenIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("The bearer token is not a live token of this"
                        + " service. Maybe it was revoked, or mistyped; an admin makes tokens with POST"
                        + " /api/v1/tokens.")));
    }

    static SecurityIdentity identity(Caller caller) {
        var builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRoles(Roles.granted(caller.role()));
        if (caller.host() != null) {
            builder.addAttribute(HOST, caller.host());
        }
        return builder.build();
    }
}
