-- The operator's guarantees over the whole schema, whoever wrote each
-- part: cloudsim_readonly reads every column of every table and view but
-- the secrets and writes nothing; every table, column, view and function
-- has a comment; SECURITY DEFINER functions are pinned and closed; the
-- audit trail is append-only for cloudsim_app (by privilege and in
-- fact); the admin views exist; metrics_gauges and v_account_usage count
-- what the views hold.
BEGIN;
SET LOCAL search_path = public;
SELECT plan(35);

-- The secrets: the only columns cloudsim_readonly may not read.  The
-- first four are auth's; instances.user_data is hidden by 006 because
-- user data may carry credentials.
CREATE TEMP TABLE secret_columns (rel name, col name);
INSERT INTO secret_columns VALUES
    ('users', 'password_hash'), ('access_keys', 'secret_sealed'),
    ('sessions', 'sid_hash'), ('refresh_tokens', 'token_hash'),
    ('instances', 'user_data');

-- Every column of every table, view, materialized view and foreign
-- table of the schema (extension members aside: btree_gist lives here).
CREATE TEMP VIEW schema_columns AS
SELECT c.oid AS relid, c.relname, c.relkind, a.attnum, a.attname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'cloudsim' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.deptype = 'e');

-- A seeded account: registration's defaults in every region (VPCs,
-- subnets, groups with rules, gateways, route tables and routes), a
-- user, an audit row, two volumes; so that every view has rows to show
-- and every function a view calls is really called.
INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000801', 'operator pgtap');
DO $$ BEGIN PERFORM cloudsim.account_created('999000000801'); END $$;
INSERT INTO cloudsim.users (id, account_id, email, name, password_hash)
VALUES ('00000000-0000-4000-8000-000000000801', '999000000801',
        'operator.pgtap@example.com', 'operator', '$argon2id$v=19$m=8,t=1,p=1$x$y');
INSERT INTO cloudsim.audit_log (request_id, service, account_id, action, status)
VALUES ('00000000-0000-4000-8000-0000000008a1', 'vpcs', '999000000801', 'CreateVpc', 201);
INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib, volume_type)
VALUES ('999000000801', 'us-east-1', 'us-east-1a', 100, 'gp3'),
       ('999000000801', 'us-east-1', 'us-east-1b', 8, 'gp2'),
       ('999000000801', 'eu-west-1', 'eu-west-1a', 500, 'st1');

/* --- cloudsim_readonly ----------------------------------------------- */

SELECT is(
    ARRAY(SELECT format('%s.%s', s.relname, s.attname) FROM schema_columns s
          WHERE NOT has_column_privilege('cloudsim_readonly', s.relid, s.attnum, 'SELECT')
          ORDER BY 1),
    ARRAY(SELECT format('%s.%s', rel, col) FROM secret_columns ORDER BY 1),
    'cloudsim_readonly may SELECT every column of every table and view, except exactly the secrets');

SELECT is(
    ARRAY(SELECT DISTINCT s.relname::text FROM schema_columns s
          WHERE has_table_privilege('cloudsim_readonly', s.relid,
                    'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
             OR has_any_column_privilege('cloudsim_readonly', s.relid,
                    'INSERT, UPDATE, REFERENCES')
          ORDER BY 1),
    '{}'::text[],
    'cloudsim_readonly may change nothing');
SELECT ok(NOT has_schema_privilege('cloudsim_readonly', 'cloudsim', 'CREATE'),
    'cloudsim_readonly may create nothing in the schema');

-- In fact, not only in the catalog: as cloudsim_readonly, read every
-- readable column of every relation (views run the functions they call
-- with the reader's rights), and try every secret.  The role is switched
-- inside the function and back before it returns, because pgTAP's own
-- temporary tables belong to the session user.
CREATE FUNCTION pg_temp.read_as_readonly(secrets boolean) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    rels text[];
    cols text[];
    out text[] := '{}';
BEGIN
    -- The temporary view and table are the session user's: read them first.
    SELECT coalesce(array_agg(q.rel ORDER BY q.rel), '{}'),
           coalesce(array_agg(q.cols ORDER BY q.rel), '{}')
    INTO rels, cols
    FROM (SELECT 'cloudsim.' || quote_ident(s.relname) AS rel,
                 string_agg(quote_ident(s.attname), ', ' ORDER BY s.attnum) AS cols
          FROM schema_columns s
          WHERE EXISTS (SELECT 1 FROM secret_columns x
                        WHERE x.rel = s.relname AND x.col = s.attname) = secrets
          GROUP BY s.relname) AS q;
    PERFORM set_config('role', 'cloudsim_readonly', true);
    FOR i IN 1 .. coalesce(array_length(rels, 1), 0) LOOP
        BEGIN
            EXECUTE format('SELECT %s FROM %s LIMIT 50', cols[i], rels[i]);
            IF secrets THEN
                out := out || rels[i];
            END IF;
        EXCEPTION WHEN insufficient_privilege THEN
            IF NOT secrets THEN
                out := out || format('%s: %s', rels[i], SQLERRM);
            END IF;
        END;
    END LOOP;
    PERFORM set_config('role', 'none', true);
    RETURN out;
END
$$;
SELECT is(pg_temp.read_as_readonly(false), '{}'::text[],
    'as cloudsim_readonly, every table and view reads (functions in views included)');
SELECT is(pg_temp.read_as_readonly(true), '{}'::text[],
    'as cloudsim_readonly, every secret column is refused');

/* --- functions -------------------------------------------------------- */

SELECT is(
    ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'cloudsim' AND p.prosecdef
            AND NOT coalesce(array_to_string(p.proconfig, ',') ~ 'search_path=', false)
          ORDER BY 1),
    '{}'::text[],
    'every SECURITY DEFINER function pins its search_path');
SELECT is(
    ARRAY(SELECT DISTINCT c FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          CROSS JOIN unnest(p.proconfig) AS c
          WHERE n.nspname = 'cloudsim' AND c LIKE 'search_path=%'),
    ARRAY['search_path=cloudsim, pg_temp'],
    'every pinned search_path is the executables'' own (src/core/db.c), so plans survive the switch');
SELECT is(
    ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'cloudsim' AND p.prosecdef
            AND has_function_privilege('public', p.oid, 'EXECUTE')
          ORDER BY 1),
    '{}'::text[],
    'no SECURITY DEFINER function is executable by PUBLIC');
SELECT is(
    ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'cloudsim' AND p.prosecdef
            AND has_function_privilege('cloudsim_readonly', p.oid, 'EXECUTE')
          ORDER BY 1),
    ARRAY['cloudsim.metrics_gauges()'],
    'the only SECURITY DEFINER function cloudsim_readonly may run is the read-only metrics_gauges');

/* --- comments --------------------------------------------------------- */

SELECT is(
    ARRAY(SELECT DISTINCT format('%s %s', CASE c.relkind WHEN 'v' THEN 'view'
                                           WHEN 'm' THEN 'materialized view'
                                           ELSE 'table' END, c.relname)
          FROM pg_class c JOIN schema_columns s ON s.relid = c.oid
          WHERE obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1),
    '{}'::text[],
    'every table and view of the schema has a comment');
SELECT is(
    ARRAY(SELECT format('%s.%s', s.relname, s.attname) FROM schema_columns s
          WHERE col_description(s.relid, s.attnum) IS NULL ORDER BY 1),
    '{}'::text[],
    'every column of every table and view has a comment');
SELECT is(
    ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'cloudsim' AND obj_description(p.oid, 'pg_proc') IS NULL
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
          ORDER BY 1),
    '{}'::text[],
    'every function of the schema has a comment');

/* --- the audit trail ------------------------------------------------- */

SELECT ok(NOT has_table_privilege('cloudsim_app', 'cloudsim.audit_log', 'UPDATE, DELETE, TRUNCATE')
          AND NOT has_any_column_privilege('cloudsim_app', 'cloudsim.audit_log', 'UPDATE'),
    'cloudsim_app holds no UPDATE, DELETE or TRUNCATE on audit_log');
SELECT lives_ok(
    $q$DO $d$ BEGIN
        SET LOCAL ROLE cloudsim_app;
        INSERT INTO cloudsim.audit_log (request_id, service, action, status)
        VALUES ('00000000-0000-4000-8000-0000000008a2', 'vpcs', 'DeleteVpc', 404);
        RESET ROLE;
    END $d$ $q$,
    'as cloudsim_app, appending to audit_log works');
SELECT throws_ok(
    $q$DO $d$ BEGIN
        SET LOCAL ROLE cloudsim_app;
        UPDATE cloudsim.audit_log SET status = 200
        WHERE request_id = '00000000-0000-4000-8000-0000000008a1';
    END $d$ $q$,
    '42501', NULL, 'as cloudsim_app, rewriting an audit row is refused');
SELECT throws_ok(
    $q$DO $d$ BEGIN
        SET LOCAL ROLE cloudsim_app;
        DELETE FROM cloudsim.audit_log WHERE request_id = '00000000-0000-4000-8000-0000000008a1';
    END $d$ $q$,
    '42501', NULL, 'as cloudsim_app, deleting an audit row is refused');
SELECT throws_ok(
    $q$DO $d$ BEGIN
        SET LOCAL ROLE cloudsim_app;
        TRUNCATE cloudsim.audit_log;
    END $d$ $q$,
    '42501', NULL, 'as cloudsim_app, truncating the audit trail is refused');
SELECT throws_ok(
    $q$DO $d$ BEGIN
        SET LOCAL ROLE cloudsim_readonly;
        INSERT INTO cloudsim.audit_log (request_id, service, action, status)
        VALUES ('00000000-0000-4000-8000-0000000008a3', 'vpcs', 'CreateVpc', 201);
    END $d$ $q$,
    '42501', NULL, 'as cloudsim_readonly, writing to the audit trail is refused');
SELECT is(
    (SELECT array_agg(status ORDER BY request_id) FROM cloudsim.audit_log
     WHERE request_id IN ('00000000-0000-4000-8000-0000000008a1',
                          '00000000-0000-4000-8000-0000000008a2')),
    ARRAY[201, 404],
    'the audit rows are as written: one appended, none changed');

/* --- the admin views -------------------------------------------------- */

SELECT has_view('cloudsim', 'v_instances', 'cloudsim.v_instances exists');
SELECT has_view('cloudsim', 'v_volumes', 'cloudsim.v_volumes exists');
SELECT has_view('cloudsim', 'v_vpcs', 'cloudsim.v_vpcs exists');
SELECT has_view('cloudsim', 'v_subnets', 'cloudsim.v_subnets exists');
SELECT has_view('cloudsim', 'v_security_groups', 'cloudsim.v_security_groups exists');
SELECT has_view('cloudsim', 'v_blockchains', 'cloudsim.v_blockchains exists');
SELECT has_view('cloudsim', 'v_account_usage', 'cloudsim.v_account_usage exists');

/* --- metrics_gauges ----------------------------------------------------- */

SELECT results_eq(
    $$SELECT metric, region, value FROM cloudsim.metrics_gauges()
      WHERE metric IN ('vpcs', 'subnets') ORDER BY 1, 2$$,
    $$SELECT 'subnets'::text, region, count(*) FROM cloudsim.v_subnets GROUP BY region
      UNION ALL
      SELECT 'vpcs', region, count(*) FROM cloudsim.v_vpcs GROUP BY region
      ORDER BY 1, 2$$,
    'metrics_gauges counts VPCs and subnets per region as the views hold them');
SELECT results_eq(
    $$SELECT region, state, value FROM cloudsim.metrics_gauges()
      WHERE metric = 'volumes' ORDER BY 1, 2$$,
    $$SELECT region, state, count(*) FROM cloudsim.v_volumes GROUP BY 1, 2 ORDER BY 1, 2$$,
    'metrics_gauges counts volumes per region and effective state');
SELECT results_eq(
    $$SELECT region, state, value FROM cloudsim.metrics_gauges()
      WHERE metric = 'instances' ORDER BY 1, 2$$,
    $$SELECT region, state, count(*) FROM cloudsim.v_instances GROUP BY 1, 2 ORDER BY 1, 2$$,
    'metrics_gauges counts instances per region and effective state');
SELECT lives_ok(
    $q$DO $d$ BEGIN
        SET LOCAL ROLE cloudsim_app;
        PERFORM * FROM cloudsim.metrics_gauges();
        RESET ROLE;
    END $d$ $q$,
    'cloudsim_app may run metrics_gauges');
-- A view that is not there yet is skipped, not an error.
ALTER VIEW cloudsim.v_blockchains RENAME TO v_blockchains_hidden;
SELECT is(
    (SELECT count(*)::int FROM cloudsim.metrics_gauges() WHERE metric = 'blockchains'), 0,
    'a missing view is left out of the gauges, the rest still answer');
ALTER VIEW cloudsim.v_blockchains_hidden RENAME TO v_blockchains;

/* --- v_account_usage ---------------------------------------------------- */

SELECT is(
    (SELECT count(*)::int FROM cloudsim.v_account_usage WHERE account_id = '999000000801'),
    (SELECT count(*)::int FROM cloudsim.regions),
    'a new account has a row in every region (its default VPCs)');
SELECT results_eq(
    $$SELECT instances, volumes, volume_gib, volume_gib_by_type, vpcs, subnets,
             subnets_max_per_vpc, security_groups
      FROM cloudsim.v_account_usage WHERE account_id = '999000000801' AND region = 'us-east-1'$$,
    $$VALUES (0::bigint, 2::bigint, 108::bigint, '{"gp2": 8, "gp3": 100}'::jsonb, 1::bigint,
              (SELECT count(*) FROM cloudsim.zones WHERE region = 'us-east-1'),
              (SELECT count(*) FROM cloudsim.zones WHERE region = 'us-east-1'), 1::bigint)$$,
    'us-east-1: the volumes and their GiB by type, the default VPC with a subnet per zone and its group');
SELECT results_eq(
    $$SELECT volumes, volume_gib_by_type, vpcs FROM cloudsim.v_account_usage
      WHERE account_id = '999000000801' AND region = 'eu-west-1'$$,
    $$VALUES (1::bigint, '{"st1": 500}'::jsonb, 1::bigint)$$,
    'eu-west-1 counts its own volume only');
SELECT results_eq(
    $$SELECT sum(vpcs)::bigint, sum(volumes)::bigint FROM cloudsim.v_account_usage$$,
    $$SELECT (SELECT count(*) FROM cloudsim.v_vpcs), (SELECT count(*) FROM cloudsim.v_volumes)$$,
    'summed over accounts and regions, the usage is every VPC and volume');

SELECT * FROM finish();
ROLLBACK;
