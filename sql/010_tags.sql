-- 010_tags: tags across every taggable resource, for the EC2 front's
-- CreateTags, DeleteTags and DescribeTags.  Each resource keeps its tags
-- in its own cloudsim.tags column; this view lists them all, and one
-- function changes them on many resources at once, atomically.

CREATE VIEW cloudsim.v_tags AS
SELECT t.resource_id, t.resource_type, t.account_id, t.region, e.key, e.value
FROM (
    SELECT id AS resource_id, 'vpc' AS resource_type, account_id, region, tags FROM cloudsim.vpcs
    UNION ALL SELECT id, 'subnet', account_id, region, tags FROM cloudsim.subnets
    UNION ALL SELECT id, 'security-group', account_id, region, tags FROM cloudsim.security_groups
    UNION ALL SELECT id, 'internet-gateway', account_id, region, tags FROM cloudsim.internet_gateways
    UNION ALL SELECT id, 'route-table', account_id, region, tags FROM cloudsim.route_tables
    UNION ALL SELECT id, 'instance', account_id, region, tags FROM cloudsim.instances
    UNION ALL SELECT id, 'volume', account_id, region, tags FROM cloudsim.volumes
    UNION ALL SELECT id, 'snapshot', account_id, region, tags FROM cloudsim.snapshots
    UNION ALL SELECT id, 'key-pair', account_id, region, tags FROM cloudsim.key_pairs
) AS t
CROSS JOIN LATERAL jsonb_each_text(COALESCE(t.tags::jsonb, '{}')) AS e(key, value);
COMMENT ON VIEW cloudsim.v_tags IS 'Every tag of every resource, one row per key (EC2 DescribeTags)';
COMMENT ON COLUMN cloudsim.v_tags.resource_id IS 'The tagged resource';
COMMENT ON COLUMN cloudsim.v_tags.resource_type IS 'EC2''s resource type name: vpc, subnet, instance, volume, …';
COMMENT ON COLUMN cloudsim.v_tags.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_tags.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_tags.key IS 'Tag key';
COMMENT ON COLUMN cloudsim.v_tags.value IS 'Tag value';

-- Merge add into, then remove keys from, the tags of every id (of the
-- account and region).  Table names come from the id's prefix through a
-- fixed CASE, never from input.  Returns the ids that do not exist, so
-- the caller can refuse the whole call (its transaction rolls back).
CREATE FUNCTION cloudsim.tags_change(account text, region text, ids text[],
                                     add jsonb, remove text[])
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    rid     text;
    tbl     text;
    missing text[] := '{}';
    n       integer;
BEGIN
    FOREACH rid IN ARRAY ids LOOP
        tbl := CASE
            WHEN rid LIKE 'vpc-%' THEN 'vpcs'
            WHEN rid LIKE 'subnet-%' THEN 'subnets'
            WHEN rid LIKE 'sg-%' THEN 'security_groups'
            WHEN rid LIKE 'igw-%' THEN 'internet_gateways'
            WHEN rid LIKE 'rtb-%' THEN 'route_tables'
            WHEN rid LIKE 'i-%' THEN 'instances'
            WHEN rid LIKE 'vol-%' THEN 'volumes'
            WHEN rid LIKE 'snap-%' THEN 'snapshots'
            WHEN rid LIKE 'key-%' THEN 'key_pairs'
        END;
        IF tbl IS NULL THEN
            missing := missing || rid;
            CONTINUE;
        END IF;
        EXECUTE format('UPDATE cloudsim.%I SET tags = (COALESCE(tags::jsonb, ''{}'') || $1) - $2'
                       ' WHERE id = $3 AND account_id = $4 AND region = $5', tbl)
            USING COALESCE(add, '{}'), COALESCE(remove, '{}'), rid, account, region;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            missing := missing || rid;
        END IF;
    END LOOP;
    RETURN missing;
END
$$;
COMMENT ON FUNCTION cloudsim.tags_change(text, text, text[], jsonb, text[]) IS
    'CreateTags/DeleteTags on many resources: merges add, removes keys; returns the ids not found (the caller rolls back)';

GRANT SELECT ON cloudsim.v_tags TO cloudsim_app, cloudsim_readonly;
GRANT EXECUTE ON FUNCTION cloudsim.tags_change(text, text, text[], jsonb, text[]) TO cloudsim_app;
