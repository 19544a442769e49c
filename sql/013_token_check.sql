-- 013_token_check: the database half of a Bearer token's check, as one
-- statement that fails instead of answering.  authn.c verifies the JWT
-- itself, takes the principal from its claims, and sends this in one
-- pipeline with the request's first statement: when the check raises,
-- PostgreSQL skips that statement (same implicit transaction), so a
-- revoked token never reads or writes anything, and the common case
-- costs one round trip instead of two.  The claims are trusted only as
-- far as the database agrees: a user removed, moved to another account
-- or given another role since the token was issued is refused too.

CREATE FUNCTION cloudsim.token_check(user_id uuid, account_id text, role text,
    jti uuid, session_id uuid) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cloudsim.users AS u
                   WHERE u.id = token_check.user_id
                     AND u.account_id = token_check.account_id
                     AND u.role = token_check.role)
       OR EXISTS (SELECT 1 FROM cloudsim.revoked_tokens AS t
                  WHERE t.jti = token_check.jti)
       OR EXISTS (SELECT 1 FROM cloudsim.sessions AS s
                  WHERE s.id = token_check.session_id
                    AND (s.revoked_at IS NOT NULL OR s.expires_at < now())) THEN
        RAISE EXCEPTION 'the access token has been revoked'
            USING ERRCODE = 'P0001', HINT = 'AuthenticationFailure', DETAIL = '401';
    END IF;
END
$$;
COMMENT ON FUNCTION cloudsim.token_check(uuid, text, text, uuid, uuid) IS
    'Raises AuthenticationFailure (401) unless the user still exists with this account and role and neither the token (jti) nor its session is revoked or expired';
REVOKE ALL ON FUNCTION cloudsim.token_check(uuid, text, text, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.token_check(uuid, text, text, uuid, uuid) TO cloudsim_app;
