package io.mdevplan.web.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.problem.SafeNames;

/**
 * API tokens: created (the secret shown once), listed, revoked, and verified for every request. A verified token is
 * remembered for {@code mdevplan.auth.cache-ttl}: a revocation applies at once on the replica that made it, within
 * that time on the others.
 */
@Singleton
public final class TokenService {

    /** created_by of the admin token a start makes when no admin token lives. */
    public static final String FIRST_START = "first start";

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    /** Bounds the cache whatever the callers send: only verified tokens enter it, and there are few. */
    private static final int CACHE_LIMIT = 10_000;
    /** pg_advisory_xact_lock key: replicas starting together make one admin token, not one each. */
    private static final long BOOTSTRAP_LOCK = 0x6d6470_746f6b656eL;

    private final EntityManager em;
    private final MdevplanConfig.Auth config;
    private final ConcurrentHashMap<String, Remembered> verified = new ConcurrentHashMap<>();

    TokenService(EntityManager em, MdevplanConfig config) {
        this.em = em;
        this.config = config.auth();
    }

    private record Remembered(Caller caller, long until) {
    }

    /** A new token; {@code createdBy} is the name of the caller's token. */
    @Transactional
    public CreatedToken create(TokenRequest request, String createdBy) {
        var problems = new ArrayList<ProblemItem>();
        if (request.name() == null || request.name().isBlank()) {
            problems.add(new ProblemItem("$.name", request.name(), "a token needs a name, e.g. the host or the"
                    + " scheduler it is for"));
        } else {
            SafeNames.check("the token name", "$.name", request.name());
        }
        if (request.role() == null || !Roles.ALL.contains(request.role())) {
            problems.add(new ProblemItem("$.role", request.role(), "unknown role. Maybe use one of: "
                    + String.join(", ", Roles.ALL)));
        } else if (Roles.EXECUTOR.equals(request.role()) && request.host() == null) {
            problems.add(new ProblemItem("$.host", null, "an executor token is bound to one host. Maybe add"
                    + " \"host\": the host's name as its executor registers it"));
        } else if (!Roles.EXECUTOR.equals(request.role()) && request.host() != null) {
            problems.add(new ProblemItem("$.host", request.host(), "only an executor token is bound to a host."
                    + " Maybe leave \"host\" out, or use the role executor"));
        }
        if (request.host() != null) {
            SafeNames.check("the host name", "$.host", request.host());
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_TOKEN, "The token request has " + problems.size()
                    + " problem" + (problems.size() == 1 ? "" : "s") + "; no token was made. Maybe fix it as each"
                    + " message says.", problems);
        }
        if (TokenEntity.count("name = ?1 and revokedAt is null", request.name()) > 0) {
            throw new ProblemException(ProblemType.CONFLICT, "A live token is named " + request.name()
                    + ". Maybe choose another name, or revoke that one first (DELETE /api/v1/tokens/{id}).",
                    List.of(new ProblemItem("$.name", request.name(), "name in use")));
        }
        var secret = TokenSecrets.newSecret();
        var entity = insert(request.name(), request.role(), request.host(), secret, createdBy);
        return new CreatedToken(TokenView.of(entity), secret);
    }

    @Transactional
    public List<TokenView> list() {
        return TokenEntity.<TokenEntity>list("order by id").stream().map(TokenView::of).toList();
    }

    /** Revokes a live token; revoking a revoked one answers it as it is. */
    @Transactional
    public TokenView revoke(String idText) {
        var entity = find(idText);
        if (entity.revokedAt == null) {
            entity.revokedAt = Instant.now();
            verified.values().removeIf(remembered -> remembered.caller().tokenId() == entity.id);
        }
        return TokenView.of(entity);
    }

    /** Whose the secret is, if it is a live token's. */
    public Optional<Caller> verify(String secret) {
        if (!TokenSecrets.wellFormed(secret)) {
            return Optional.empty();
        }
        var hash = TokenSecrets.hash(secret);
        var remembered = verified.get(hash);
        var now = System.nanoTime();
        if (remembered != null && remembered.until() - now > 0) {
            return Optional.of(remembered.caller());
        }
        var caller = lookUp(hash);
        if (caller.isPresent()) {
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(hash, new Remembered(caller.get(), now + config.cacheTtl().toNanos()));
        } else {
            verified.remove(hash);
        }
        return caller;
    }

    /**
     * At start: when no admin token lives, makes one (the configured secret, or a random one it logs once), so a new
     * service can be administered, and a lost admin token replaced by a restart. Nothing when authentication is off.
     */
    @Transactional
    public void ensureAdminToken() {
        if (!config.enabled()) {
            LOG.warn("Authentication is OFF (mdevplan.auth.enabled=false): whoever reaches the port may do anything,"
                    + " including telling every host's executor what to write. Use this for a local demo only.");
            return;
        }
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, BOOTSTRAP_LOCK).getSingleResult();
        if (TokenEntity.count("role = ?1 and revokedAt is null", Roles.ADMIN) > 0) {
            return;
        }
        var configured = config.bootstrapAdminToken();
        if (configured.isPresent() && !TokenSecrets.wellFormed(configured.get())) {
            throw new IllegalStateException("mdevplan.auth.bootstrap-admin-token is not a token: it must be \"mdp_\""
                    + " and 43 characters of A-Z, a-z, 0-9, '-' and '_'. Maybe leave it unset, and the service"
                    + " makes one and logs it once.");
        }
        if (configured.isPresent()
                && TokenEntity.count("secretHash", TokenSecrets.hash(configured.get())) > 0) {
            throw new IllegalStateException("mdevplan.auth.bootstrap-admin-token is a revoked token, and no admin"
                    + " token lives. Maybe set a new secret there, or unset it so that the start makes one and logs"
                    + " it once.");
        }
        var secret = configured.orElseGet(TokenSecrets::newSecret);
        var name = TokenEntity.count("name = ?1 and revokedAt is null", "admin") == 0 ? "admin"
                : "admin-" + Instant.now().getEpochSecond();
        insert(name, Roles.ADMIN, null, secret, FIRST_START);
        if (configured.isPresent()) {
            LOG.infof("No admin token lived: stored the one mdevplan.auth.bootstrap-admin-token gives, as \"%s\"",
                    name);
        } else {
            LOG.warnf("%n%n    No admin token lived, so this start made one. It is shown this once; keep it:%n%n"
                    + "        %s%n%n    Send it as \"Authorization: Bearer <token>\"; make tokens for schedulers,"
                    + " planners and%n    executors with POST /api/v1/tokens (docs/security.md).%n", secret);
        }
    }

    private TokenEntity insert(String name, String role, String host, String secret, String createdBy) {
        var entity = new TokenEntity();
        entity.name = name;
        entity.role = role;
        entity.host = host;
        entity.secretHash = TokenSecrets.hash(secret);
        entity.createdBy = createdBy;
        entity.persist();
        em.flush();
        em.refresh(entity);
        return entity;
    }

    @Transactional
    Optional<Caller> lookUp(String hash) {
        return TokenEntity.<TokenEntity>find("secretHash = ?1 and revokedAt is null", hash).firstResultOptional()
                .map(entity -> new Caller(entity.id, entity.name, entity.role, entity.host));
    }

    private static TokenEntity find(String idText) {
        TokenEntity entity = null;
        try {
            entity = TokenEntity.findById(Long.parseLong(idText));
        } catch (NumberFormatException notANumber) {
            // answered as unknown below
        }
        if (entity == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No token has the id " + idText
                    + ". Maybe GET /api/v1/tokens for the ids.", List.of(new ProblemItem("{id}", idText,
                            "no such token")));
        }
        return entity;
    }
}
