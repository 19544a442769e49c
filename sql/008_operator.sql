/*
 * 008_operator.sql — the operator's view: what /metrics counts in the
 * database at scrape time, and cloudsim.v_account_usage, each account's
 * use of every region against the quotas.
 *
 * The quotas themselves are configuration (etc/cloudsim.conf, keys
 * quota_*), not schema: the view shows the counts the executables
 * compare with them, and docs/admin-queries.md shows how an
 * administrator compares them too.
 */

/* ---------------------------------------------------------------------
 * Resource gauges for GET /metrics.
 * ------------------------------------------------------------------- */

-- Each resource's count comes from its admin view, so a gauge shows what
-- the API shows (an instance whose boot delay has passed is running).
-- A view that does not exist yet (its resource's migration is still to
-- come) is skipped: pg_views is read once, and PL/pgSQL plans a
-- statement only when it first runs, so a skipped branch never touches
-- the missing view.  SECURITY DEFINER: the executables' role need not
-- read the views themselves, and the function answers counts only.
CREATE FUNCTION cloudsim.metrics_gauges()
RETURNS TABLE (metric text, region text, state text, value bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cloudsim, pg_temp AS $$
DECLARE
    present text[];
BEGIN
    SELECT coalesce(array_agg(v.viewname::text), '{}') INTO present
    FROM pg_catalog.pg_views AS v
    WHERE v.schemaname = 'cloudsim'
      AND v.viewname IN ('v_instances', 'v_volumes', 'v_vpcs', 'v_subnets', 'v_blockchains');

    RETURN QUERY SELECT 'accounts'::text, NULL::text, NULL::text, count(*)
        FROM cloudsim.accounts;
    IF 'v_instances' = ANY (present) THEN
        RETURN QUERY SELECT 'instances'::text, i.region, i.state, count(*)
            FROM cloudsim.v_instances AS i GROUP BY i.region, i.state;
    END IF;
    IF 'v_volumes' = ANY (present) THEN
        RETURN QUERY SELECT 'volumes'::text, o.region, o.state, count(*)
            FROM cloudsim.v_volumes AS o GROUP BY o.region, o.state;
        RETURN QUERY SELECT 'volume_gib'::text, o.region, o.volume_type, sum(o.size)::bigint
            FROM cloudsim.v_volumes AS o GROUP BY o.region, o.volume_type;
    END IF;
    IF 'v_vpcs' = ANY (present) THEN
        RETURN QUERY SELECT 'vpcs'::text, v.region, NULL::text, count(*)
            FROM cloudsim.v_vpcs AS v GROUP BY v.region;
    END IF;
    IF 'v_subnets' = ANY (present) THEN
        RETURN QUERY SELECT 'subnets'::text, s.region, NULL::text, count(*)
            FROM cloudsim.v_subnets AS s GROUP BY s.region;
    END IF;
    IF 'v_blockchains' = ANY (present) THEN
        RETURN QUERY SELECT 'blockchains'::text, NULL::text, NULL::text, count(*)
            FROM cloudsim.v_blockchains;
    END IF;
END
$$;
COMMENT ON FUNCTION cloudsim.metrics_gauges() IS
    'Resource counts for GET /metrics, from the admin views: (metric, region, state, value) rows for accounts, instances and volumes by region and state, volume GiB by region and type, VPCs and subnets by region, blockchains; a view not (yet) present is skipped';

REVOKE ALL ON FUNCTION cloudsim.metrics_gauges() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.metrics_gauges() TO cloudsim_app, cloudsim_readonly;

/* ---------------------------------------------------------------------
 * Use against the quotas, per account and region.
 * ------------------------------------------------------------------- */

-- Counted as the executables count for their quotas: live instances
-- (not terminated) for quota_instances_per_region, every listed volume
-- and the GiB of each type for quota_volumes_per_region and
-- quota_volume_gib_per_type, VPCs (the default one included) for
-- quota_vpcs_per_region, groups for quota_security_groups_per_region,
-- and the fullest VPC's subnets for quota_subnets_per_vpc.  Every
-- resource is read through its admin view, so the counts agree with the
-- API (effective states after delays).  Each view is aggregated once;
-- an account appears in every region where it has anything (registration
-- gives it a default VPC in each).
CREATE VIEW cloudsim.v_account_usage AS
WITH inst AS (
    SELECT i.account_id, i.region,
           count(*) FILTER (WHERE i.state <> 'terminated') AS instances
    FROM cloudsim.v_instances AS i
    GROUP BY i.account_id, i.region),
vol AS (
    SELECT t.account_id, t.region, sum(t.n)::bigint AS volumes,
           sum(t.gib)::bigint AS volume_gib,
           jsonb_object_agg(t.volume_type, t.gib) AS volume_gib_by_type
    FROM (SELECT v.account_id, v.region, v.volume_type, count(*) AS n,
                 sum(v.size)::bigint AS gib
          FROM cloudsim.v_volumes AS v
          GROUP BY v.account_id, v.region, v.volume_type) AS t
    GROUP BY t.account_id, t.region),
net AS (
    SELECT v.account_id, v.region, count(*) AS vpcs
    FROM cloudsim.v_vpcs AS v
    GROUP BY v.account_id, v.region),
sub AS (
    SELECT t.account_id, t.region, sum(t.n)::bigint AS subnets,
           max(t.n)::bigint AS subnets_max_per_vpc
    FROM (SELECT s.account_id, s.region, s.vpc_id, count(*) AS n
          FROM cloudsim.v_subnets AS s
          GROUP BY s.account_id, s.region, s.vpc_id) AS t
    GROUP BY t.account_id, t.region),
grp AS (
    SELECT g.account_id, g.region, count(*) AS security_groups
    FROM cloudsim.v_security_groups AS g
    GROUP BY g.account_id, g.region),
k AS (
    SELECT account_id, region FROM inst
    UNION SELECT account_id, region FROM vol
    UNION SELECT account_id, region FROM net)
SELECT k.account_id, a.name AS account_name, k.region,
       coalesce(inst.instances, 0) AS instances,
       coalesce(vol.volumes, 0) AS volumes,
       coalesce(vol.volume_gib, 0) AS volume_gib,
       coalesce(vol.volume_gib_by_type, '{}') AS volume_gib_by_type,
       coalesce(net.vpcs, 0) AS vpcs,
       coalesce(sub.subnets, 0) AS subnets,
       coalesce(sub.subnets_max_per_vpc, 0) AS subnets_max_per_vpc,
       coalesce(grp.security_groups, 0) AS security_groups
FROM k
JOIN cloudsim.accounts AS a ON a.id = k.account_id
LEFT JOIN inst ON inst.account_id = k.account_id AND inst.region = k.region
LEFT JOIN vol ON vol.account_id = k.account_id AND vol.region = k.region
LEFT JOIN net ON net.account_id = k.account_id AND net.region = k.region
LEFT JOIN sub ON sub.account_id = k.account_id AND sub.region = k.region
LEFT JOIN grp ON grp.account_id = k.account_id AND grp.region = k.region;

COMMENT ON VIEW cloudsim.v_account_usage IS
    'Each account''s use of each region, counted as the quotas count (compare with the quota_* keys of etc/cloudsim.conf; docs/admin-queries.md)';
COMMENT ON COLUMN cloudsim.v_account_usage.account_id IS 'The account';
COMMENT ON COLUMN cloudsim.v_account_usage.account_name IS 'Its display name';
COMMENT ON COLUMN cloudsim.v_account_usage.region IS 'The region';
COMMENT ON COLUMN cloudsim.v_account_usage.instances IS
    'Instances not terminated (effective state), against quota_instances_per_region';
COMMENT ON COLUMN cloudsim.v_account_usage.volumes IS
    'Volumes listed (effective state, deleted ones gone), against quota_volumes_per_region';
COMMENT ON COLUMN cloudsim.v_account_usage.volume_gib IS 'Their total size in GiB';
COMMENT ON COLUMN cloudsim.v_account_usage.volume_gib_by_type IS
    'GiB per volume type, {"gp3": 100, ...}; each value against quota_volume_gib_per_type';
COMMENT ON COLUMN cloudsim.v_account_usage.vpcs IS
    'VPCs, the default VPC included, against quota_vpcs_per_region';
COMMENT ON COLUMN cloudsim.v_account_usage.subnets IS 'Subnets in all the region''s VPCs';
COMMENT ON COLUMN cloudsim.v_account_usage.subnets_max_per_vpc IS
    'Subnets of the VPC that has the most, against quota_subnets_per_vpc';
COMMENT ON COLUMN cloudsim.v_account_usage.security_groups IS
    'Security groups, default groups included, against quota_security_groups_per_region';

GRANT SELECT ON cloudsim.v_account_usage TO cloudsim_readonly;
