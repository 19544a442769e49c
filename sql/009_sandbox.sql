-- 009_sandbox: resetting an account to what registration made of it,
-- for sandbox mode (POST /api/v1/admin/reset, POST /moto-api/reset).

CREATE FUNCTION cloudsim.reset_account(account text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    acct_name text;
BEGIN
    -- Every resource table references accounts ON DELETE CASCADE, so the
    -- account row takes its resources with it; audit_log keeps its rows
    -- (it names the account but does not reference it).
    SELECT name INTO acct_name FROM cloudsim.accounts WHERE id = account FOR UPDATE;
    DELETE FROM cloudsim.accounts WHERE id = account;
    INSERT INTO cloudsim.accounts (id, name) VALUES (account, COALESCE(acct_name, 'sandbox'));
    PERFORM cloudsim.account_created(account);
END
$$;
COMMENT ON FUNCTION cloudsim.reset_account(text) IS
    'Sandbox reset: deletes every resource of the account and recreates its defaults (default VPCs), atomically';

-- Runs with the owner's rights: the app may not DELETE accounts otherwise.
ALTER FUNCTION cloudsim.reset_account(text) SECURITY DEFINER SET search_path = cloudsim, pg_temp;
REVOKE ALL ON FUNCTION cloudsim.reset_account(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.reset_account(text) TO cloudsim_app;
