-- 018_instances_forget: terminated instances past their retention are
-- deleted, as EC2 forgets them, instead of staying in the table for ever.
--
-- A terminated instance leaves every list and read once visible_until
-- has passed (instance_terminated_retention), but its row stayed: a
-- test suite that launches and terminates on every run left one row a
-- launch, and everything that reads an account's instances in a region
-- read them all.  With 100,000 such rows under the account, a launch
-- took about 100 ms (the quota count) and the first page of a list of
-- four instances 25-30 ms (the page's index range starts with them).
-- Now each launch first deletes the account's expired instances in the
-- region, through the partial index on visible_until (017): each row is
-- deleted once, by the first launch after it expires, so what a launch
-- or a list reads stays bounded by the live instances and those of the
-- retention window.  Nothing else goes: termination already gave the
-- addresses back, dropped the group links and deleted or detached the
-- volumes; the reservation stays (it holds the client token, so an
-- idempotent retry still answers, with the instances still there), and
-- cloudsim.audit_log keeps the launch and the termination.

CREATE FUNCTION cloudsim.instances_forget(account text, reg text)
RETURNS bigint
LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM cloudsim.instances AS i
        WHERE i.account_id = account AND i.region = reg
          AND i.visible_until <= now()
        RETURNING 1)
    SELECT count(*) FROM gone;
$$;
COMMENT ON FUNCTION cloudsim.instances_forget(text, text) IS
    'Deletes the instances of an account in a region whose retention after termination has passed (visible_until <= now()); returns how many. Called by each launch under its quota lock';

-- The app may not delete instances itself: the function runs as its
-- owner, and deletes only what no API can see any more.
ALTER FUNCTION cloudsim.instances_forget(text, text)
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
REVOKE ALL ON FUNCTION cloudsim.instances_forget(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instances_forget(text, text) TO cloudsim_app;
