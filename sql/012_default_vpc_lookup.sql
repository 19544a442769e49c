-- 012_default_vpc_lookup: RunInstances without a subnet finds the
-- default VPC with an index lookup.  ensure_default_vpc used to try the
-- insert first and let ON CONFLICT find the existing row, which costs a
-- new id and the foreign-key checks of a row that is then thrown away:
-- over a millisecond of every such launch.  Creation, when the VPC is
-- missing, is unchanged (and still safe under concurrency).

CREATE OR REPLACE FUNCTION cloudsim.ensure_default_vpc(account text, region text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    found_id text;
BEGIN
    SELECT v.id INTO found_id FROM cloudsim.vpcs AS v
    WHERE v.account_id = ensure_default_vpc.account AND v.region = ensure_default_vpc.region
      AND v.is_default;
    IF found_id IS NOT NULL THEN
        RETURN found_id;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cloudsim.regions AS r WHERE r.name = ensure_default_vpc.region) THEN
        RAISE EXCEPTION 'the region ''%'' does not exist', ensure_default_vpc.region
            USING ERRCODE = 'P0001', HINT = 'InvalidParameterValue', DETAIL = '400';
    END IF;
    PERFORM cloudsim.create_default_vpcs(ensure_default_vpc.account, ARRAY[ensure_default_vpc.region]);
    SELECT v.id INTO found_id FROM cloudsim.vpcs AS v
    WHERE v.account_id = ensure_default_vpc.account AND v.region = ensure_default_vpc.region
      AND v.is_default;
    RETURN found_id;
END
$$;
COMMENT ON FUNCTION cloudsim.ensure_default_vpc(text, text) IS
    'Returns the id of the default VPC of account in region (an index lookup), creating it (with subnets, gateway and routes) when missing';
