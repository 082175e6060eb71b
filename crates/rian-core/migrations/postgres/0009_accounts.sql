-- Accounts of a shared deployment (issue 10): who signs in, with which role, and for a
-- facilitator the studies they belong to; a community reviewer belongs to one site.
CREATE TABLE account (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator', 'reviewer', 'viewer')),
    site_id BIGINT REFERENCES site(id) ON DELETE SET NULL,
    -- An argon2id hash in the PHC string format: algorithm, parameters, salt and hash.
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);

CREATE TABLE account_study (
    account_id BIGINT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    study_id BIGINT NOT NULL REFERENCES study(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, study_id)
);

-- A signed-in browser or program. Only a hash of its token is kept, so a copy of the
-- database does not let anyone in.
CREATE TABLE account_session (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
    -- Seconds since 1970 (UTC): compared with the clock of the server that reads it.
    expires_at BIGINT NOT NULL
);
CREATE INDEX account_session_account ON account_session(account_id);

-- Studies coded blind: each coder sees only their own codings until the team compares.
CREATE TABLE blind_study (
    study_id BIGINT PRIMARY KEY REFERENCES study(id) ON DELETE CASCADE,
    since TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);

-- rian inserts NULL for a new id (SQLite numbers it); here the sequence does.
CREATE TRIGGER account_fill_id BEFORE INSERT ON account FOR EACH ROW EXECUTE FUNCTION rian_fill_id();
