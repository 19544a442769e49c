-- 001_core: the schema, its roles, the region catalog's tables and the
-- audit trail.  Applied once by cloudsim-migrate inside one transaction.

-- Roles are cluster-wide: create them only when missing, so that several
-- cloudsim databases (make check's throwaway ones) can share a cluster.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cloudsim_app') THEN
        CREATE ROLE cloudsim_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cloudsim_readonly') THEN
        CREATE ROLE cloudsim_readonly LOGIN;
    END IF;
END
$$;
COMMENT ON ROLE cloudsim_app IS
    'What the cloudsim executables connect as: DML on resource tables, append-only on audit_log';
COMMENT ON ROLE cloudsim_readonly IS
    'For administrators: SELECT on everything except secrets';

CREATE EXTENSION IF NOT EXISTS btree_gist;

COMMENT ON SCHEMA cloudsim IS
    'cloudsim, an AWS-style cloud simulator: every table, view and function it uses';
GRANT USAGE ON SCHEMA cloudsim TO cloudsim_app, cloudsim_readonly;
REVOKE CREATE ON SCHEMA cloudsim FROM PUBLIC;
GRANT SELECT ON cloudsim.schema_migrations TO cloudsim_readonly;

CREATE TABLE cloudsim.regions (
    name          text PRIMARY KEY,
    opt_in_status text NOT NULL DEFAULT 'opt-in-not-required'
                  CHECK (opt_in_status IN ('opt-in-not-required', 'opted-in', 'not-opted-in')),
    endpoint      text NOT NULL
);
COMMENT ON TABLE cloudsim.regions IS
    'AWS regions the simulator offers (seeded; see 002_catalog)';
COMMENT ON COLUMN cloudsim.regions.name IS 'Region name, e.g. us-east-1';
COMMENT ON COLUMN cloudsim.regions.opt_in_status IS
    'As EC2 DescribeRegions reports it; every account is treated as opted in';
COMMENT ON COLUMN cloudsim.regions.endpoint IS
    'The real EC2 endpoint host name of the region, for DescribeRegions';

CREATE TABLE cloudsim.zones (
    name    text PRIMARY KEY,
    zone_id text NOT NULL UNIQUE,
    region  text NOT NULL REFERENCES cloudsim.regions (name),
    state   text NOT NULL DEFAULT 'available'
            CHECK (state IN ('available', 'information', 'impaired', 'unavailable'))
);
CREATE INDEX zones_region_idx ON cloudsim.zones (region);
COMMENT ON TABLE cloudsim.zones IS 'Availability zones of each region (seeded)';
COMMENT ON COLUMN cloudsim.zones.name IS 'Zone name, e.g. us-east-1a';
COMMENT ON COLUMN cloudsim.zones.zone_id IS 'Zone id, e.g. use1-az6 (one fixed mapping)';
COMMENT ON COLUMN cloudsim.zones.region IS 'The region the zone belongs to';
COMMENT ON COLUMN cloudsim.zones.state IS 'Zone state as DescribeAvailabilityZones shows it';

GRANT SELECT ON cloudsim.regions, cloudsim.zones TO cloudsim_app, cloudsim_readonly;

-- The audit trail: one row per mutating request, written in the same
-- transaction as the change it describes.  cloudsim_app may only append.
CREATE TABLE cloudsim.audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    request_id    uuid NOT NULL,
    service       text NOT NULL,
    account_id    text,
    user_id       uuid,
    access_key_id text,
    action        text NOT NULL,
    resource_ids  text[] NOT NULL DEFAULT '{}',
    source_ip     inet,
    user_agent    text,
    status        integer NOT NULL CHECK (status BETWEEN 100 AND 599),
    error_code    text
);
CREATE INDEX audit_log_at_idx ON cloudsim.audit_log (at);
CREATE INDEX audit_log_account_idx ON cloudsim.audit_log (account_id, at);
COMMENT ON TABLE cloudsim.audit_log IS
    'Append-only trail of every mutating request, success or failure; never holds secrets';
COMMENT ON COLUMN cloudsim.audit_log.id IS 'Monotonic row number';
COMMENT ON COLUMN cloudsim.audit_log.at IS 'When the request was handled';
COMMENT ON COLUMN cloudsim.audit_log.request_id IS 'The X-Request-Id of the request';
COMMENT ON COLUMN cloudsim.audit_log.service IS 'Executable that handled it (auth, vpcs, ec2, ...)';
COMMENT ON COLUMN cloudsim.audit_log.account_id IS 'Account of the caller, when known';
COMMENT ON COLUMN cloudsim.audit_log.user_id IS 'User of the caller, when known';
COMMENT ON COLUMN cloudsim.audit_log.access_key_id IS 'Access key id used to sign (never the secret)';
COMMENT ON COLUMN cloudsim.audit_log.action IS 'Operation, e.g. CreateVpc or auth.login';
COMMENT ON COLUMN cloudsim.audit_log.resource_ids IS 'IDs of the resources the request touched';
COMMENT ON COLUMN cloudsim.audit_log.source_ip IS 'Client address as the web server saw it';
COMMENT ON COLUMN cloudsim.audit_log.user_agent IS 'Client User-Agent header';
COMMENT ON COLUMN cloudsim.audit_log.status IS 'HTTP status answered';
COMMENT ON COLUMN cloudsim.audit_log.error_code IS 'Error code answered, NULL on success';

GRANT SELECT, INSERT ON cloudsim.audit_log TO cloudsim_app;
GRANT SELECT ON cloudsim.audit_log TO cloudsim_readonly;
