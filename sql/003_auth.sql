-- 003_auth: accounts, users, sessions, refresh tokens, access keys and
-- the login-failure record behind throttling.  Secrets (password hashes,
-- sealed key secrets, token hashes) sit in columns cloudsim_readonly
-- cannot select.

CREATE TABLE cloudsim.accounts (
    id         text PRIMARY KEY CHECK (id ~ '^[0-9]{12}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cloudsim.accounts IS 'AWS-style accounts: every resource belongs to one';
COMMENT ON COLUMN cloudsim.accounts.id IS 'The 12-digit account id';
COMMENT ON COLUMN cloudsim.accounts.name IS 'Display name (the first user''s name)';
COMMENT ON COLUMN cloudsim.accounts.created_at IS 'When the account was registered';

CREATE TABLE cloudsim.users (
    id            uuid PRIMARY KEY,
    account_id    text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON cloudsim.users (lower(email));
CREATE INDEX users_account_idx ON cloudsim.users (account_id);
COMMENT ON TABLE cloudsim.users IS 'People who sign in; each belongs to one account';
COMMENT ON COLUMN cloudsim.users.id IS 'User id (UUID), the JWT sub claim';
COMMENT ON COLUMN cloudsim.users.account_id IS 'The account the user acts for';
COMMENT ON COLUMN cloudsim.users.email IS 'Sign-in email, unique case-insensitively';
COMMENT ON COLUMN cloudsim.users.name IS 'Display name';
COMMENT ON COLUMN cloudsim.users.role IS 'user, or admin (site administrator, created only by make admin)';
COMMENT ON COLUMN cloudsim.users.password_hash IS 'Argon2id encoded hash (secret: not readable by cloudsim_readonly)';
COMMENT ON COLUMN cloudsim.users.created_at IS 'When the user was created';

-- A session: one login.  The sid cookie and the access tokens' sid claim
-- name it; logout revokes it, and with it every refresh token of the
-- family and every access token issued under it.
CREATE TABLE cloudsim.sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES cloudsim.users (id) ON DELETE CASCADE,
    sid_hash     bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    revoked_why  text CHECK (revoked_why IN ('logout', 'refresh-reuse', 'admin'))
);
CREATE INDEX sessions_user_idx ON cloudsim.sessions (user_id);
COMMENT ON TABLE cloudsim.sessions IS 'Logins: the sid cookie, the refresh-token family and the tokens issued under them';
COMMENT ON COLUMN cloudsim.sessions.id IS 'Session id (the JWT sid claim)';
COMMENT ON COLUMN cloudsim.sessions.user_id IS 'Who logged in';
COMMENT ON COLUMN cloudsim.sessions.sid_hash IS 'SHA-256 of the sid cookie value (secret)';
COMMENT ON COLUMN cloudsim.sessions.created_at IS 'Login time';
COMMENT ON COLUMN cloudsim.sessions.expires_at IS 'When the cookie and refresh tokens stop working';
COMMENT ON COLUMN cloudsim.sessions.revoked_at IS 'When it was ended (logout or refresh-token reuse)';
COMMENT ON COLUMN cloudsim.sessions.revoked_why IS 'Why it was ended';

CREATE TABLE cloudsim.refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES cloudsim.sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON cloudsim.refresh_tokens (session_id);
COMMENT ON TABLE cloudsim.refresh_tokens IS 'Refresh tokens by hash; a rotated one presented again revokes its session';
COMMENT ON COLUMN cloudsim.refresh_tokens.token_hash IS 'SHA-256 of the token (secret)';
COMMENT ON COLUMN cloudsim.refresh_tokens.session_id IS 'The family (session) it belongs to';
COMMENT ON COLUMN cloudsim.refresh_tokens.created_at IS 'When it was issued';
COMMENT ON COLUMN cloudsim.refresh_tokens.rotated_at IS 'When it was exchanged; NULL while current';

-- Access tokens are stateless JWTs; these are the ones refused early
-- (logout) until they would have expired anyway.
CREATE TABLE cloudsim.revoked_tokens (
    jti        uuid PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
COMMENT ON TABLE cloudsim.revoked_tokens IS 'Access-token ids refused before their expiry (logout)';
COMMENT ON COLUMN cloudsim.revoked_tokens.jti IS 'The JWT jti claim';
COMMENT ON COLUMN cloudsim.revoked_tokens.expires_at IS 'The token''s exp; the row is useless after it';

CREATE TABLE cloudsim.access_keys (
    id            text PRIMARY KEY CHECK (id ~ '^AKIA[A-Z2-7]{16}$'),
    user_id       uuid NOT NULL REFERENCES cloudsim.users (id) ON DELETE CASCADE,
    secret_sealed text NOT NULL,
    status        text NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Inactive')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX access_keys_user_idx ON cloudsim.access_keys (user_id);
COMMENT ON TABLE cloudsim.access_keys IS 'AWS-style access keys for SigV4; at most 2 active per user';
COMMENT ON COLUMN cloudsim.access_keys.id IS 'Access key id, AKIA + 16 characters';
COMMENT ON COLUMN cloudsim.access_keys.user_id IS 'Owner';
COMMENT ON COLUMN cloudsim.access_keys.secret_sealed IS 'The secret, AES-256-GCM sealed with master_key, bound to the key id (secret)';
COMMENT ON COLUMN cloudsim.access_keys.status IS 'Active or Inactive (deleted keys are gone)';
COMMENT ON COLUMN cloudsim.access_keys.created_at IS 'When it was created';
COMMENT ON COLUMN cloudsim.access_keys.last_used_at IS 'Last successful SigV4 use (minute precision)';

-- At most two active keys per user, as AWS: the count is taken under a
-- lock on the user's row, so concurrent creations cannot both pass.
CREATE FUNCTION cloudsim.access_keys_limit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM cloudsim.users WHERE id = NEW.user_id FOR UPDATE;
    IF NEW.status = 'Active' AND (SELECT count(*) FROM cloudsim.access_keys
            WHERE user_id = NEW.user_id AND status = 'Active' AND id <> NEW.id) >= 2 THEN
        RAISE EXCEPTION 'a user may have at most 2 active access keys'
            USING ERRCODE = 'P0001', HINT = 'LimitExceeded', DETAIL = '409';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION cloudsim.access_keys_limit() IS 'Enforces 2 active access keys per user';
CREATE TRIGGER access_keys_limit BEFORE INSERT OR UPDATE OF status ON cloudsim.access_keys
    FOR EACH ROW EXECUTE FUNCTION cloudsim.access_keys_limit();

CREATE TABLE cloudsim.login_failures (
    email text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON cloudsim.login_failures (lower(email), at);
COMMENT ON TABLE cloudsim.login_failures IS 'Failed logins, counted per email over login_window for throttling';
COMMENT ON COLUMN cloudsim.login_failures.email IS 'The email that was tried (whether or not it exists)';
COMMENT ON COLUMN cloudsim.login_failures.at IS 'When';

-- Resource services extend account creation (default VPCs …) by
-- replacing this function in their own migrations; register calls it in
-- its transaction.
CREATE FUNCTION cloudsim.account_created(account text) RETURNS void
LANGUAGE sql AS $$ SELECT $$;
COMMENT ON FUNCTION cloudsim.account_created(text) IS
    'Called once in the registering transaction; later migrations replace it to create per-account defaults';

GRANT SELECT, INSERT ON cloudsim.accounts TO cloudsim_app;
GRANT SELECT, INSERT ON cloudsim.users TO cloudsim_app;
-- password_hash: rehash on login; the column grant also allows the
-- row lock the access-key limit takes (SELECT … FOR UPDATE).
GRANT UPDATE (password_hash, name) ON cloudsim.users TO cloudsim_app;
GRANT SELECT, INSERT, UPDATE ON cloudsim.sessions TO cloudsim_app;
GRANT SELECT, INSERT, UPDATE ON cloudsim.refresh_tokens TO cloudsim_app;
GRANT SELECT, INSERT, DELETE ON cloudsim.revoked_tokens TO cloudsim_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON cloudsim.access_keys TO cloudsim_app;
GRANT SELECT, INSERT, DELETE ON cloudsim.login_failures TO cloudsim_app;
GRANT EXECUTE ON FUNCTION cloudsim.account_created(text) TO cloudsim_app;

-- The read-only role sees who and what, never the secrets.
GRANT SELECT ON cloudsim.accounts, cloudsim.revoked_tokens, cloudsim.login_failures TO cloudsim_readonly;
GRANT SELECT (id, account_id, email, name, role, created_at) ON cloudsim.users TO cloudsim_readonly;
GRANT SELECT (id, user_id, created_at, expires_at, revoked_at, revoked_why) ON cloudsim.sessions TO cloudsim_readonly;
GRANT SELECT (session_id, created_at, rotated_at) ON cloudsim.refresh_tokens TO cloudsim_readonly;
GRANT SELECT (id, user_id, status, created_at, last_used_at) ON cloudsim.access_keys TO cloudsim_readonly;
