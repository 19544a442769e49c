/*
 * instance_list_counts.sql — pgTAP checks of sql/017_instance_list_counts.sql:
 * the live instances per account and region that an unfiltered list
 * reports as its total stay equal to a count of the table through
 * inserts of one row and of many, termination (visible_until set),
 * deletion, an account's reset, and TRUNCATE; the executables may read
 * the counts but not write them.  And of sql/018_instances_forget.sql:
 * only the expired instances of the account and region go.  Runs under
 * pg_prove as the cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(17);

SELECT has_table('cloudsim', 'instance_list_counts', 'the counts table exists');
SELECT ok(has_table_privilege('cloudsim_app', 'cloudsim.instance_list_counts', 'SELECT')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_list_counts', 'INSERT')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_list_counts', 'UPDATE')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_list_counts', 'DELETE'),
    'cloudsim_app reads the counts and cannot write them');

-- The counts as stored, and as a count of the table would have them.
CREATE TEMP VIEW stored AS
    SELECT account_id, region, live FROM cloudsim.instance_list_counts
    WHERE account_id LIKE '99900000007_' AND live > 0;
CREATE TEMP VIEW counted AS
    SELECT account_id, region, count(*) AS live FROM cloudsim.instances
    WHERE account_id LIKE '99900000007_' AND visible_until IS NULL
    GROUP BY account_id, region;

INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000071', 'pgtap counts'),
    ('999000000072', 'pgtap counts other');
SELECT cloudsim.create_default_vpcs('999000000071', ARRAY['us-east-1', 'us-west-2']);
SELECT cloudsim.create_default_vpcs('999000000072', ARRAY['us-east-1']);
INSERT INTO cloudsim.reservations (id, account_id, region) VALUES
    ('r-00000000000000071', '999000000071', 'us-east-1'),
    ('r-00000000000000072', '999000000071', 'us-west-2'),
    ('r-00000000000000073', '999000000072', 'us-east-1');

-- n instances of a reservation, in the default subnet of its region.
CREATE FUNCTION pg_temp.launch(reservation text, n int, prefix text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id,
        region, availability_zone, vpc_id, subnet_id, image_id, instance_type,
        state, associate_public_ip, root_device_name)
    SELECT prefix || lpad(g::text, 17 - length(prefix) + 2, '0'), r.id, g - 1,
        r.account_id, r.region, s.availability_zone, s.vpc_id, s.id,
        (SELECT id FROM cloudsim.images ORDER BY id LIMIT 1), 't3.micro',
        'running', false, '/dev/xvda'
    FROM cloudsim.reservations r
    JOIN cloudsim.subnets s ON s.account_id = r.account_id AND s.region = r.region
    CROSS JOIN generate_series(1, n) AS g
    WHERE r.id = reservation
      AND s.availability_zone = (SELECT min(z.name) FROM cloudsim.zones z
                                 WHERE z.region = r.region)
      AND s.vpc_id IN (SELECT v.id FROM cloudsim.vpcs v WHERE v.is_default);
$$;

SELECT pg_temp.launch('r-00000000000000071', 1, 'i-a');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'one instance inserted: counted');
SELECT results_eq($$SELECT live FROM cloudsim.instance_list_counts
    WHERE account_id = '999000000071' AND region = 'us-east-1'$$,
    ARRAY[1::bigint], 'its account and region have one live instance');

SELECT pg_temp.launch('r-00000000000000071', 30, 'i-b');
SELECT pg_temp.launch('r-00000000000000072', 5, 'i-c');
SELECT pg_temp.launch('r-00000000000000073', 7, 'i-d');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'many in one statement, three accounts and regions: counted');

UPDATE cloudsim.instances SET state = 'shutting-down', next_state = 'terminated',
    next_state_at = now(), visible_until = now() + interval '1 hour'
WHERE id IN (SELECT id FROM cloudsim.instances
             WHERE reservation_id = 'r-00000000000000071' ORDER BY id LIMIT 4);
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'terminated instances leave the live count');
SELECT results_eq($$SELECT live FROM cloudsim.instance_list_counts
    WHERE account_id = '999000000071' AND region = 'us-east-1'$$,
    ARRAY[27::bigint], '31 launched, 4 terminated: 27 live');

UPDATE cloudsim.instances SET state = 'stopped', tags = '{"k": "v"}'
WHERE reservation_id = 'r-00000000000000072';
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'other changes leave the counts alone');

DELETE FROM cloudsim.instances WHERE reservation_id = 'r-00000000000000073'
    AND ami_launch_index < 3;
DELETE FROM cloudsim.instances WHERE id IN (SELECT id FROM cloudsim.instances
    WHERE reservation_id = 'r-00000000000000071' AND visible_until IS NOT NULL
    LIMIT 2);
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'deleted instances, live or terminated: counted');

SELECT cloudsim.reset_account('999000000072');
SELECT is_empty($$SELECT 1 FROM cloudsim.instance_list_counts
    WHERE account_id = '999000000072' AND live <> 0$$,
    'a reset account has no live instance');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'and the other account keeps its counts');

-- 018: a launch forgets the expired instances of its account and region.
UPDATE cloudsim.instances SET visible_until = now() - interval '1 second'
WHERE id IN (SELECT id FROM cloudsim.instances
             WHERE reservation_id = 'r-00000000000000071'
               AND visible_until IS NOT NULL);
UPDATE cloudsim.instances SET state = 'shutting-down', next_state = 'terminated',
    next_state_at = now(), visible_until = now() - interval '1 second'
WHERE reservation_id = 'r-00000000000000072' AND ami_launch_index = 0;
SELECT results_eq($$SELECT cloudsim.instances_forget('999000000071', 'us-east-1')$$,
    ARRAY[2::bigint], 'instances_forget deletes the two expired instances of the account in the region');
SELECT results_eq($$SELECT count(*) FROM cloudsim.instances
    WHERE account_id = '999000000071' AND region = 'us-east-1'$$,
    ARRAY[27::bigint], 'and keeps its 27 live ones');
SELECT results_eq($$SELECT count(*) FROM cloudsim.instances
    WHERE account_id = '999000000071' AND region = 'us-west-2'
      AND visible_until IS NOT NULL$$,
    ARRAY[1::bigint], 'the other region''s expired instance waits for a launch there');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'the live counts are untouched');
SELECT ok(has_function_privilege('cloudsim_app',
        'cloudsim.instances_forget(text, text)', 'EXECUTE')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instances', 'DELETE'),
    'cloudsim_app may call instances_forget and still not delete instances');

-- Measured inside a savepoint, judged after it: pgTAP's own record of
-- a test made inside would be rolled back with the TRUNCATE.  The
-- stored documents' rebuilds (025), deferred to commit, run first:
-- PostgreSQL truncates no table with trigger events pending.
SET CONSTRAINTS ALL IMMEDIATE;
SAVEPOINT before_truncate;
SET LOCAL client_min_messages = warning;
TRUNCATE cloudsim.instances CASCADE;
SELECT count(*) AS counts_after_truncate FROM cloudsim.instance_list_counts \gset
ROLLBACK TO SAVEPOINT before_truncate;
SELECT is(:counts_after_truncate::bigint, 0::bigint, 'TRUNCATE leaves no count');

SELECT * FROM finish();
ROLLBACK;
