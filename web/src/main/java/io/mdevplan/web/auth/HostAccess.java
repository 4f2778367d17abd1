package io.mdevplan.web.auth;

import java.util.List;

import jakarta.inject.Singleton;

import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;

/** Holds an executor token to its one host: the host endpoints call it with the {name} of their path. */
@Singleton
public final class HostAccess {

    private final SecurityIdentity identity;

    HostAccess(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Answers 403 unless the caller is an admin or the executor of this host. */
    public void check(String host) {
        if (identity.hasRole(Roles.ADMIN)) {
            return;
        }
        String bound = identity.getAttribute(TokenIdentityProvider.HOST);
        if (bound == null || !bound.equals(host)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Token \"" + identity.getPrincipal().getName()
                    + "\" is the executor of host " + bound + ", not of " + host + ". Maybe configure the agent on "
                    + host + " with that host's own token.", List.of(new ProblemItem("{name}", host,
                            "another host's executor token")));
        }
    }
}
