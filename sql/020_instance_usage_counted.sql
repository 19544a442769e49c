-- 020_instance_usage_counted: the launch quota's count from the live
-- counts of 017, in constant time.
--
-- cloudsim.instance_usage (016) counted the account's instances in the
-- region whose effective state is not terminated by reading them all:
-- the live ones and the terminated ones kept for their retention
-- (instance_terminated_retention; 018 deletes them after it).  With
-- 3,772 retained terminated instances on the development server the
-- count took 0.46 ms; with 10,000 running (as the bench seeds them
-- before it launches) 1.4 ms: the largest single step of a RunInstances.
--
-- cloudsim.instance_list_counts already holds, per account and region,
-- the rows whose visible_until is NULL, exactly.  The count the quota
-- wants is the rows whose effective state is not terminated; the two
-- differ only by
--   - rows never asked to terminate (visible_until NULL) that are
--     terminated anyway: only SQL writes them, since a termination sets
--     visible_until in the same UPDATE (src/instances/lifecycle.c);
--     read through instances_terminated_live_idx, empty in practice;
--   - rows asked to terminate (visible_until set) that are not
--     terminated yet: a termination under way, a range of
--     instances_terminating_idx by next_state_at (a row whose
--     next_state is 'terminated' and whose next_state_at has passed is
--     terminated whatever its state column says); or, only from SQL,
--     one whose next_state is not 'terminated', through
--     instances_unlisted_other_idx, empty in practice.
-- So the count stays exact for any row (tests/sql/quota_usage.sql
-- compares it with a plain count) and costs a few index probes:
-- 0.23-0.43 ms with the 10,000, most of it planning them.

CREATE INDEX instances_terminating_idx
    ON cloudsim.instances (account_id, region, next_state_at)
    WHERE next_state = 'terminated';
CREATE INDEX instances_terminated_live_idx
    ON cloudsim.instances (account_id, region)
    WHERE visible_until IS NULL
      AND (state = 'terminated' OR next_state = 'terminated');
CREATE INDEX instances_unlisted_other_idx
    ON cloudsim.instances (account_id, region)
    WHERE visible_until IS NOT NULL
      AND next_state IS DISTINCT FROM 'terminated';

CREATE OR REPLACE FUNCTION cloudsim.instance_usage(account_id text,
    region text)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    RETURN coalesce((SELECT c.live FROM cloudsim.instance_list_counts AS c
                     WHERE c.account_id = instance_usage.account_id
                       AND c.region = instance_usage.region), 0)
         - (SELECT count(*) FROM cloudsim.instances AS i
            WHERE i.account_id = instance_usage.account_id
              AND i.region = instance_usage.region
              AND i.visible_until IS NULL
              AND (i.state = 'terminated' OR i.next_state = 'terminated')
              AND cloudsim.instance_effective_state(i.state, i.next_state,
                      i.next_state_at) = 'terminated')
         + (SELECT count(*) FROM cloudsim.instances AS i
            WHERE i.account_id = instance_usage.account_id
              AND i.region = instance_usage.region
              AND i.next_state = 'terminated'
              AND i.next_state_at >= now()
              AND i.visible_until IS NOT NULL
              AND cloudsim.instance_effective_state(i.state, i.next_state,
                      i.next_state_at) <> 'terminated')
         + (SELECT count(*) FROM cloudsim.instances AS i
            WHERE i.account_id = instance_usage.account_id
              AND i.region = instance_usage.region
              AND i.visible_until IS NOT NULL
              AND i.next_state IS DISTINCT FROM 'terminated'
              AND cloudsim.instance_effective_state(i.state, i.next_state,
                      i.next_state_at) <> 'terminated');
END
$$;
