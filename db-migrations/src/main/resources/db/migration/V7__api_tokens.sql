-- Bearer tokens for the API (docs/security.md). Only a token's SHA-256 is stored: the secret is shown once, when it
-- is created. A token has one role; an executor's is bound to one host by name (the host may register later).
-- Revoked tokens stay, with the time, so an audit can tell who held which token when.
CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL,
    host         text,
    -- lower-case hex SHA-256 of the whole token string
    secret_hash  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_role_known CHECK (role IN ('admin', 'planner', 'scheduler', 'executor')),
    CONSTRAINT api_tokens_host_iff_executor CHECK ((role = 'executor') = (host IS NOT NULL)),
    CONSTRAINT api_tokens_secret_hash_hex CHECK (secret_hash ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX api_tokens_secret_hash_unique ON api_tokens (secret_hash);
-- a name says which token it is while it lives; a revoked token's name may be used again
CREATE UNIQUE INDEX api_tokens_live_name_unique ON api_tokens (name) WHERE revoked_at IS NULL;
