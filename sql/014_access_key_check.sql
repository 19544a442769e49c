-- 014_access_key_check: the database half of a SigV4 request signed with
-- an access key that a process has cached, as one statement that fails
-- instead of answering.  authn.c keeps the keys it has verified for a
-- few seconds (sealed secret, user, account, role), verifies the
-- signature itself, and sends this in one pipeline with the request's
-- first statement: when the check raises, PostgreSQL skips that
-- statement (same implicit transaction), so a deactivated or deleted
-- key never reads or writes anything, and the common case costs one
-- round trip instead of two.  The refusal is word for word the one an
-- unknown key gets from sigv4_verify (src/core/sigv4.c), so that a
-- client cannot tell a cached key from one looked up.  A key follows
-- its user's role: an entry cached as an admin's is refused once the
-- user is no longer an admin (the process then forgets it and looks the
-- key up again), so a demotion takes effect at once; a promotion when
-- the entry expires (docs/auth.md).

CREATE FUNCTION cloudsim.access_key_check(key_id text, user_id uuid,
    account_id text, role text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cloudsim.access_keys AS k
                   JOIN cloudsim.users AS u ON u.id = k.user_id
                   WHERE k.id = access_key_check.key_id
                     AND k.status = 'Active'
                     AND k.user_id = access_key_check.user_id
                     AND u.account_id = access_key_check.account_id
                     AND (access_key_check.role = 'user'
                          OR u.role = access_key_check.role)) THEN
        RAISE EXCEPTION 'the request signature does not match the one computed with the access key''s secret; check the secret and the signing method'
            USING ERRCODE = 'P0001', HINT = 'AuthenticationFailure', DETAIL = '401';
    END IF;
END
$$;
COMMENT ON FUNCTION cloudsim.access_key_check(text, uuid, text, text) IS
    'Raises AuthenticationFailure (401), as for an unknown key, unless the access key is Active and belongs to the user, the user still belongs to the account, and holds the role when it is admin';
REVOKE ALL ON FUNCTION cloudsim.access_key_check(text, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.access_key_check(text, uuid, text, text) TO cloudsim_app;
