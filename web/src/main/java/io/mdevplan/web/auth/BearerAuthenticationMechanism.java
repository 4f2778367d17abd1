package io.mdevplan.web.auth;

import java.util.Set;

import jakarta.inject.Singleton;

import io.mdevplan.web.config.MdevplanConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads "Authorization: Bearer &lt;token&gt;". No header is an anonymous caller (refused with 401 wherever a role is
 * needed); a header that is not a bearer token, or a token that is not live, fails authentication (401). With
 * mdevplan.auth.enabled=false every caller is a local admin.
 */
@Singleton
public final class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";
    private static final SecurityIdentity LOCAL_DEMO = TokenIdentityProvider.identity(
            new Caller(0, "local-demo (authentication off)", Roles.ADMIN, null));

    private final boolean enabled;

    BearerAuthenticationMechanism(MdevplanConfig config) {
        this.enabled = config.auth().enabled();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!enabled) {
            return Uni.createFrom().item(LOCAL_DEMO);
        }
        var header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The Authorization header is not"
                    + " \"Bearer <token>\". Maybe send the token an admin made with POST /api/v1/tokens."));
        }
        return identities.authenticate(new TokenAuthenticationRequest(header.substring(SCHEME.length()).strip()));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"mdevplan\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                "bearer"));
    }
}
