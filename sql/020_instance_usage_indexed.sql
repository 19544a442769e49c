-- 020_instance_usage_indexed: the instance quota's count reads the
-- instances that can count, not every instance of the account.
--
-- cloudsim.instance_usage (016) counted the account's instances in the
-- region whose effective state is not terminated, by reading them all:
-- its plan is made for the account, and when the account owns most of
-- the table that is a sequential scan.  A terminated instance stays in
-- the table for its retention (instance_terminated_retention, 018 then
-- deletes it), so a test suite that launches and terminates read every
-- instance it had terminated in the last hour on each launch: with
-- 3,772 of them on the development server the count alone took 0.46 ms
-- (the whole function now 0.12-0.17 ms), the largest single step of a
-- RunInstances.
--
-- Two partial indexes split the table where the effective state is
-- decided:
--   - next_state = 'terminated': a termination under way or done.  It
--     counts only while next_state_at has not passed: a range of
--     instances_terminating_idx, as long as the shutting-down delay.
--   - every other row (next_state another state or NULL): counted when
--     its effective state is not terminated, as before, through
--     instances_counting_idx; these are the account's live instances,
--     which the quota itself bounds.
-- A row whose next_state is 'terminated' and whose next_state_at has
-- passed is terminated whatever its state column says, so it is in
-- neither read.  The count is exact for any row, not only for rows the
-- API wrote (tests/sql/quota_usage.sql compares it with a plain count).

CREATE INDEX instances_counting_idx ON cloudsim.instances (account_id, region)
    WHERE next_state IS DISTINCT FROM 'terminated';
CREATE INDEX instances_terminating_idx
    ON cloudsim.instances (account_id, region, next_state_at)
    WHERE next_state = 'terminated';

CREATE OR REPLACE FUNCTION cloudsim.instance_usage(account_id text,
    region text)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    RETURN (SELECT count(*) FROM cloudsim.instances AS i
            WHERE i.account_id = instance_usage.account_id
              AND i.region = instance_usage.region
              AND i.next_state IS DISTINCT FROM 'terminated'
              AND cloudsim.instance_effective_state(i.state, i.next_state,
                      i.next_state_at) <> 'terminated')
         + (SELECT count(*) FROM cloudsim.instances AS i
            WHERE i.account_id = instance_usage.account_id
              AND i.region = instance_usage.region
              AND i.next_state = 'terminated'
              AND i.next_state_at >= now()
              AND cloudsim.instance_effective_state(i.state, i.next_state,
                      i.next_state_at) <> 'terminated');
END
$$;
