-- 016_quota_usage: what an account uses in a region, for the quotas that
-- RunInstances and CreateVolume check.
--
-- The counts used to be subqueries of the statement that resolves a
-- launch (src/instances/launch.c) and of the one that prepares a volume
-- (src/volumes/volumes.c).  A count must be planned for the account it
-- counts: a generic plan, which cannot see whose rows it counts, reads
-- the whole table when one account owns most of it.  So both statements
-- were planned whole on every call, 1.9 ms and 0.9 ms of planning for
-- well under a millisecond of work.  These functions are plpgsql so that
-- PostgreSQL never inlines them, and set plan_cache_mode to
-- force_custom_plan for their duration (their caller runs under
-- force_generic_plan, db.h's DB_STMT_GENERIC, which would otherwise
-- reach their queries too): each count is planned alone, for the
-- caller's account (about 0.2 ms), and the statements that call them
-- keep one generic plan.  Neither takes a lock: the callers count after
-- their quota lock.

CREATE FUNCTION cloudsim.instance_usage(account_id text, region text)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    RETURN (SELECT count(*) FROM cloudsim.instances AS i
            WHERE i.account_id = instance_usage.account_id
              AND i.region = instance_usage.region
              AND cloudsim.instance_effective_state(i.state, i.next_state,
                      i.next_state_at) <> 'terminated');
END
$$;
COMMENT ON FUNCTION cloudsim.instance_usage(text, text) IS
    'Instances of the account in the region that count against its instance quota: every one not terminated (pending, running, stopping, stopped, shutting-down)';

CREATE FUNCTION cloudsim.volume_usage(account_id text, region text,
    OUT volumes bigint, OUT gib_by_type json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    -- The rows of cloudsim.v_volumes, read from the table: planning the
    -- view (its state and attachments, unused here) took twice as long.
    -- tests/sql/quota_usage.sql holds the two to the same rows.
    SELECT coalesce(sum(t.n), 0), json_object_agg(t.volume_type, t.gib)
    INTO volumes, gib_by_type
    FROM (SELECT v.volume_type, count(*) AS n, sum(v.size_gib) AS gib
          FROM cloudsim.volumes AS v
          WHERE v.account_id = volume_usage.account_id
            AND v.region = volume_usage.region
            AND cloudsim.ebs_settled(v.state, v.next_state,
                    v.next_state_at) <> 'deleted'
          GROUP BY v.volume_type) AS t;
END
$$;
COMMENT ON FUNCTION cloudsim.volume_usage(text, text) IS
    'Volumes of the account in the region (every one not deleted) and their GiB per volume type as a JSON object, NULL when there is none';

REVOKE ALL ON FUNCTION cloudsim.instance_usage(text, text),
    cloudsim.volume_usage(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instance_usage(text, text),
    cloudsim.volume_usage(text, text) TO cloudsim_app, cloudsim_readonly;
