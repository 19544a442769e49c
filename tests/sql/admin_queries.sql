-- Every query of docs/admin-queries.md, read from the file itself (psql
-- reads it; $CLOUDSIM_ROOT or the current directory locates it), runs
-- as cloudsim_readonly, and finds what the rows seeded here put in its
-- way.  A query added to the document without a check here fails the
-- first test.
\set admin_queries `cat "${CLOUDSIM_ROOT:-.}/docs/admin-queries.md"`
BEGIN;
SET LOCAL search_path = public;
SELECT plan(16);

-- The document's ```sql blocks, each opened by "-- name: purpose".
CREATE TEMP TABLE admin_query AS
SELECT m[1] AS name, m[2] AS purpose, regexp_replace(m[3], ';\s*$', '') AS sql
FROM regexp_matches(:'admin_queries',
                    '```sql\n-- ([a-z0-9-]+): ([^\n]*)\n([^`]*)```', 'g') AS m;

CREATE FUNCTION pg_temp.q(query_name text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT sql FROM admin_query WHERE name = query_name $$;

-- Run a query as cloudsim_readonly: 'ok', or the error.  The role is
-- switched back before returning (pgTAP's tables are the session user's).
CREATE FUNCTION pg_temp.runs_as_readonly(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    result text := 'ok';
BEGIN
    PERFORM set_config('role', 'cloudsim_readonly', true);
    BEGIN
        EXECUTE format('SELECT count(*) FROM (%s) AS q', query) INTO n;
    EXCEPTION WHEN OTHERS THEN
        result := SQLERRM;
    END;
    PERFORM set_config('role', 'none', true);
    RETURN result;
END
$$;

/* --- seeds ------------------------------------------------------------ */

-- Account A (with registration's default VPCs), its user and access key;
-- account D, registered 40 days ago and never used.
INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000901', 'queries pgtap');
DO $$ BEGIN PERFORM cloudsim.account_created('999000000901'); END $$;
INSERT INTO cloudsim.accounts (id, name, created_at)
VALUES ('999000000902', 'dormant pgtap', now() - interval '40 days');
INSERT INTO cloudsim.users (id, account_id, email, name, password_hash)
VALUES ('00000000-0000-4000-8000-000000000901', '999000000901',
        'queries.pgtap@example.com', 'queries', '$argon2id$v=19$m=8,t=1,p=1$x$y');
INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed)
VALUES ('AKIAOPSTESTQUERYAAAA', '00000000-0000-4000-8000-000000000901', 'v1:x');

-- The trail: two launches, a tag change, three failures with a code
-- nothing else uses, a VPC's history, four failed logins from one address.
INSERT INTO cloudsim.audit_log (request_id, service, account_id, user_id, access_key_id,
                                action, resource_ids, source_ip, user_agent, status, error_code)
SELECT gen_random_uuid(), 'ec2', '999000000901', '00000000-0000-4000-8000-000000000901',
       k, a, ids, '198.51.100.9'::inet, 'pgtap', st, code
FROM (VALUES
    ('AKIAOPSTESTQUERYAAAA', 'RunInstances', '{i-0de0f0000000000a1}'::text[], 200, NULL),
    (NULL, 'CreateVolume', '{vol-0de0f0000000000a1}', 201, NULL),
    ('AKIAOPSTESTQUERYAAAA', 'CreateTags', '{vol-0de0f0000000000a1}', 200, NULL),
    ('AKIAOPSTESTQUERYAAAA', 'RunInstances', '{}', 400, 'OpsTest.Seeded'),
    ('AKIAOPSTESTQUERYAAAA', 'CreateVpc', '{}', 400, 'OpsTest.Seeded'),
    (NULL, 'CreateSubnet', '{}', 400, 'OpsTest.Seeded'),
    (NULL, 'CreateVpc', '{vpc-0123abcd}', 201, NULL),
    (NULL, 'DeleteVpc', '{vpc-0123abcd}', 200, NULL)
) AS t (k, a, ids, st, code);
INSERT INTO cloudsim.audit_log (request_id, service, action, source_ip, user_agent, status, error_code)
SELECT gen_random_uuid(), 'auth', 'auth.login', '203.0.113.77'::inet, 'guesser/' || n,
       CASE WHEN n = 4 THEN 429 ELSE 401 END,
       CASE WHEN n = 4 THEN 'TooManyRequests' ELSE 'AuthenticationFailure' END
FROM generate_series(1, 4) AS n;

-- A VPC with a /28 (11 usable addresses) of which 10 are taken.
INSERT INTO cloudsim.vpcs (id, account_id, region, cidr_block)
VALUES ('vpc-0de0f001', '999000000901', 'us-east-1', '10.99.0.0/16');
INSERT INTO cloudsim.subnets (id, vpc_id, account_id, region, cidr_block, vpc_cidr_block,
                              availability_zone)
VALUES ('subnet-0de0f001', 'vpc-0de0f001', '999000000901', 'us-east-1', '10.99.0.0/28',
        '10.99.0.0/16', 'us-east-1a');
DO $$ BEGIN
    PERFORM cloudsim.allocate_private_ip('subnet-0de0f001', 'pgtap-' || n)
    FROM generate_series(1, 10) AS n;
END $$;

-- Volumes: one available for two days, one fresh.
INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone, size_gib,
                              volume_type, created_at)
VALUES ('vol-0de0f0000000000a1', '999000000901', 'us-east-1', 'us-east-1a', 200, 'gp3',
        now() - interval '2 days'),
       ('vol-0de0f0000000000a2', '999000000901', 'us-east-1', 'us-east-1b', 10, 'gp3', now());

-- Instances in the default subnet of us-east-1a: 15 running, 1 stopped
-- (16 live, 80 % of the default quota of 20) and 1 terminated.
INSERT INTO cloudsim.reservations (id, account_id, region)
VALUES ('r-0de0f000000000001', '999000000901', 'us-east-1');
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id, region,
                                availability_zone, vpc_id, subnet_id, image_id,
                                instance_type, state, associate_public_ip,
                                root_device_name, visible_until)
SELECT 'i-0de0f0000000' || lpad(to_hex(n), 5, '0'), 'r-0de0f000000000001', n - 1,
       '999000000901', 'us-east-1', 'us-east-1a',
       CASE WHEN n < 17 THEN s.vpc_id END, CASE WHEN n < 17 THEN s.id END,
       (SELECT id FROM cloudsim.images WHERE architecture = 'x86_64' ORDER BY id LIMIT 1),
       't3.micro',
       CASE WHEN n <= 15 THEN 'running' WHEN n = 16 THEN 'stopped' ELSE 'terminated' END,
       false, '/dev/xvda',
       CASE WHEN n = 17 THEN now() + interval '1 hour' END
FROM generate_series(1, 17) AS n
CROSS JOIN (SELECT id, vpc_id FROM cloudsim.subnets
            WHERE account_id = '999000000901' AND availability_zone = 'us-east-1a'
              AND default_for_az) AS s;

-- Sessions of the user: two expired and never ended, one ended, one live.
INSERT INTO cloudsim.sessions (id, user_id, sid_hash, created_at, expires_at, revoked_at, revoked_why)
VALUES (gen_random_uuid(), '00000000-0000-4000-8000-000000000901', sha256('pgtap-s1'),
        now() - interval '40 days', now() - interval '10 days', NULL, NULL),
       (gen_random_uuid(), '00000000-0000-4000-8000-000000000901', sha256('pgtap-s2'),
        now() - interval '35 days', now() - interval '5 days', NULL, NULL),
       (gen_random_uuid(), '00000000-0000-4000-8000-000000000901', sha256('pgtap-s3'),
        now() - interval '35 days', now() - interval '5 days', now() - interval '20 days', 'logout'),
       (gen_random_uuid(), '00000000-0000-4000-8000-000000000901', sha256('pgtap-s4'),
        now(), now() + interval '30 days', NULL, NULL);

-- SSH and HTTPS open to the world on A's default group in us-east-1.
INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol,
                                           from_port, to_port, cidr)
SELECT g.id, g.vpc_id, 'ingress', 'tcp', p, p, '0.0.0.0/0'
FROM cloudsim.security_groups AS g, (VALUES (22), (443)) AS ports (p)
WHERE g.account_id = '999000000901' AND g.region = 'us-east-1' AND g.is_default
  AND g.vpc_id <> 'vpc-0de0f001';

/* --- the document --------------------------------------------------- */

SELECT is(
    ARRAY(SELECT name FROM admin_query ORDER BY name),
    ARRAY['biggest-accounts', 'dormant-accounts', 'failed-requests', 'instances-by-state',
          'launches', 'login-failures', 'near-quota', 'nearly-full-subnets',
          'open-ssh', 'orphaned-volumes', 'resource-history', 'stale-sessions',
          'top-talkers'],
    'docs/admin-queries.md holds the thirteen queries checked here, each named once');
SELECT is(
    ARRAY(SELECT name || ': ' || pg_temp.runs_as_readonly(sql) FROM admin_query
          WHERE pg_temp.runs_as_readonly(sql) <> 'ok' ORDER BY name),
    '{}'::text[],
    'every documented query runs as cloudsim_readonly');

/* --- each query finds its seeds --------------------------------------- */

SELECT results_eq(
    format($$SELECT action, array_to_string(resource_ids, ','), email FROM (%s) AS q
             WHERE account_id = '999000000901' ORDER BY action$$, pg_temp.q('launches')),
    $$VALUES ('CreateVolume', 'vol-0de0f0000000000a1', 'queries.pgtap@example.com'),
             ('CreateVpc', 'vpc-0123abcd', 'queries.pgtap@example.com'),
             ('RunInstances', 'i-0de0f0000000000a1', 'queries.pgtap@example.com')$$,
    'launches: the successful creations, with the user; not the failures, the tag change or the delete');
SELECT results_eq(
    format($$SELECT action, status FROM (%s) AS q$$, pg_temp.q('resource-history')),
    $$VALUES ('CreateVpc', 201), ('DeleteVpc', 200)$$,
    'resource-history: the VPC''s life in order');
SELECT results_eq(
    format($$SELECT status, requests, accounts, actions FROM (%s) AS q
             WHERE error_code = 'OpsTest.Seeded'$$, pg_temp.q('failed-requests')),
    $$VALUES (400, 3::bigint, 1::bigint, ARRAY['CreateSubnet', 'CreateVpc', 'RunInstances'])$$,
    'failed-requests: three failures of one code, one account, three actions');
SELECT results_eq(
    format($$SELECT subnet_id, free, usable FROM (%s) AS q
             WHERE account_id = '999000000901'$$, pg_temp.q('nearly-full-subnets')),
    $$VALUES ('subnet-0de0f001', 1::bigint, 11::bigint)$$,
    'nearly-full-subnets: the /28 with 1 of 11 free, not the roomy default subnets');
SELECT results_eq(
    format($$SELECT volume_id, size_gib FROM (%s) AS q
             WHERE account_id = '999000000901'$$, pg_temp.q('orphaned-volumes')),
    $$VALUES ('vol-0de0f0000000000a1', 200)$$,
    'orphaned-volumes: the two-day-old available volume, not the fresh one');
SELECT results_eq(
    format($$SELECT quota, used, quota_limit, percent FROM (%s) AS q
             WHERE account_id = '999000000901'$$, pg_temp.q('near-quota')),
    $$VALUES ('quota_instances_per_region', 16::bigint, 20, 80::numeric)$$,
    'near-quota: 16 live instances of 20 (stopped counts, terminated does not)');
SELECT ok(
    (SELECT count(*) FROM regexp_matches(pg_temp.q('near-quota'),
            '\(20, 5, 2500, 200, 5000, 51200\)', 'g')) = 1,
    'near-quota carries the configuration''s defaults');
SELECT results_eq(
    format($$SELECT state, instances >= n FROM (%s) AS q
             JOIN (VALUES ('running', 15), ('stopped', 1), ('terminated', 1)) AS w (st, n)
               ON q.state = w.st
             WHERE region = 'us-east-1' AND instance_type = 't3.micro'
             ORDER BY state$$, pg_temp.q('instances-by-state')),
    $$VALUES ('running', true), ('stopped', true), ('terminated', true)$$,
    'instances-by-state: the seeded instances in their states');
SELECT results_eq(
    format($$SELECT requests, failed, email, key_status FROM (%s) AS q
             WHERE access_key_id = 'AKIAOPSTESTQUERYAAAA'$$, pg_temp.q('top-talkers')),
    $$VALUES (4::bigint, 2::bigint, 'queries.pgtap@example.com', 'Active')$$,
    'top-talkers: the key''s four requests, two failed, with its owner');
SELECT results_eq(
    format($$SELECT sessions FROM (%s) AS q
             WHERE user_id = '00000000-0000-4000-8000-000000000901'$$,
           pg_temp.q('stale-sessions')),
    $$VALUES (2::bigint)$$,
    'stale-sessions: the two expired sessions nobody ended');
SELECT results_eq(
    format($$SELECT failures, throttled, user_agents FROM (%s) AS q
             WHERE source_ip = '203.0.113.77'$$, pg_temp.q('login-failures')),
    $$VALUES (4::bigint, 1::bigint, 4::bigint)$$,
    'login-failures: four from one address, the last throttled');
SELECT results_eq(
    format($$SELECT protocol, from_port, to_port FROM (%s) AS q
             WHERE account_id = '999000000901'$$, pg_temp.q('open-ssh')),
    $$VALUES ('tcp', 22, 22)$$,
    'open-ssh: port 22 to the world, not 443');
SELECT results_eq(
    format($$SELECT instances, volumes, volume_gib, regions_in_use FROM (%s) AS q
             WHERE account_id = '999000000901'$$,
           regexp_replace(pg_temp.q('biggest-accounts'), 'LIMIT \d+$', '')),
    $$VALUES (16::numeric, 2::numeric, 210::numeric, 1::bigint)$$,
    'biggest-accounts: the account''s live instances and storage');
SELECT results_eq(
    format($$SELECT account_id FROM (%s) AS q
             WHERE account_id IN ('999000000901', '999000000902')$$,
           pg_temp.q('dormant-accounts')),
    $$VALUES ('999000000902')$$,
    'dormant-accounts: the 40-day-old account that never acted, not the busy one');

SELECT * FROM finish();
ROLLBACK;
