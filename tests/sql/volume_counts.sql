/*
 * volume_counts.sql — pgTAP checks of sql/022_volume_usage_counted.sql:
 * the volumes and GiB per account, region and type that the quota
 * count starts from stay equal to a count of the table through inserts
 * of one row and of many, modifications of size and type, state
 * changes, deletions, an account's reset and TRUNCATE; volume_usage
 * stays equal to what cloudsim.v_volumes shows for every account and
 * region, volumes marked deleted by SQL included; the executables may
 * read the counts but not write them.  Runs under pg_prove as the
 * cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(23);

SELECT has_table('cloudsim', 'volume_counts', 'the counts table exists');
SELECT has_index('cloudsim', 'volumes', 'volumes_deleted_idx',
    'volumes marked deleted have an index of their own');
SELECT ok(has_table_privilege('cloudsim_app', 'cloudsim.volume_counts', 'SELECT')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.volume_counts', 'INSERT')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.volume_counts', 'UPDATE')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.volume_counts', 'DELETE')
    AND NOT has_function_privilege('cloudsim_app',
        'cloudsim.volume_count_add(text, text, text, bigint, bigint)', 'EXECUTE'),
    'cloudsim_app reads the counts and can neither write them nor call their function');
SELECT ok((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig)
        FROM pg_proc WHERE oid = 'cloudsim.volume_usage(text, text)'::regprocedure),
    'volume_usage keeps a generic plan');

-- The counts as stored, and as a count of the table would have them.
CREATE TEMP VIEW stored AS
    SELECT account_id, region, volume_type, volumes, gib FROM cloudsim.volume_counts
    WHERE account_id LIKE '99900000022_' AND volumes > 0;
CREATE TEMP VIEW counted AS
    SELECT account_id, region, volume_type, count(*) AS volumes,
           sum(size_gib)::bigint AS gib
    FROM cloudsim.volumes WHERE account_id LIKE '99900000022_'
    GROUP BY account_id, region, volume_type;
-- volume_usage for every account and region of these tests, and what
-- cloudsim.v_volumes shows.
CREATE TEMP VIEW usage_given AS
    SELECT a.account_id, a.region, u.volumes, u.gib_by_type::jsonb AS gib
    FROM (SELECT DISTINCT account_id, region FROM cloudsim.volume_counts
          WHERE account_id LIKE '99900000022_') AS a,
         cloudsim.volume_usage(a.account_id, a.region) AS u;
CREATE TEMP VIEW usage_shown AS
    SELECT a.account_id, a.region,
           (SELECT count(*) FROM cloudsim.v_volumes w
            WHERE w.account_id = a.account_id AND w.region = a.region) AS volumes,
           (SELECT jsonb_object_agg(t.volume_type, t.gib) FROM (
                SELECT w.volume_type, sum(w.size) AS gib FROM cloudsim.v_volumes w
                WHERE w.account_id = a.account_id AND w.region = a.region
                GROUP BY w.volume_type) AS t) AS gib
    FROM (SELECT DISTINCT account_id, region FROM cloudsim.volume_counts
          WHERE account_id LIKE '99900000022_') AS a;

INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000221', 'pgtap volume counts'),
    ('999000000222', 'pgtap volume counts other');

INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
    volume_type, state)
VALUES ('999000000221', 'us-east-1', 'us-east-1a', 8, 'gp3', 'available');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'one volume inserted: counted');
SELECT results_eq($$SELECT volumes, gib FROM cloudsim.volume_counts
    WHERE account_id = '999000000221' AND region = 'us-east-1' AND volume_type = 'gp3'$$,
    $$VALUES (1::bigint, 8::bigint)$$, 'one gp3 volume of 8 GiB');

INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
    volume_type, state)
SELECT CASE WHEN g % 5 = 0 THEN '999000000222' ELSE '999000000221' END,
    CASE WHEN g % 3 = 0 THEN 'us-west-2' ELSE 'us-east-1' END,
    CASE WHEN g % 3 = 0 THEN 'us-west-2a' ELSE 'us-east-1b' END,
    CASE WHEN g % 4 = 0 THEN 125 + g ELSE g END,
    CASE WHEN g % 4 = 0 THEN 'st1' WHEN g % 2 = 0 THEN 'gp2' ELSE 'gp3' END,
    CASE WHEN g % 7 = 0 THEN 'in-use' ELSE 'available' END
FROM generate_series(1, 60) AS g;
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'sixty in one statement, two accounts, two regions, three types: counted');
SELECT set_eq('SELECT * FROM usage_given', 'SELECT * FROM usage_shown',
    'volume_usage: what cloudsim.v_volumes shows, for every account and region');

UPDATE cloudsim.volumes SET size_gib = size_gib + 100
WHERE account_id = '999000000221' AND volume_type = 'gp3' AND size_gib < 20;
UPDATE cloudsim.volumes SET volume_type = 'gp3'
WHERE account_id = '999000000222' AND volume_type = 'gp2';
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'sizes and types modified: counted');
SELECT ok(EXISTS (SELECT 1 FROM cloudsim.volume_counts
        WHERE account_id = '999000000222' AND volume_type = 'gp2')
    AND NOT EXISTS (SELECT 1 FROM cloudsim.volume_counts
        WHERE account_id = '999000000222' AND volume_type = 'gp2'
          AND (volumes <> 0 OR gib <> 0)),
    'a type left empty is kept, at zero');

UPDATE cloudsim.volumes SET state = 'in-use', tags = '{"k": "v"}'
WHERE account_id = '999000000221' AND region = 'us-west-2';
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'state and tag changes leave the counts alone');

UPDATE cloudsim.volumes SET region = 'us-west-2', availability_zone = 'us-west-2b'
WHERE id = (SELECT min(id) FROM cloudsim.volumes WHERE account_id = '999000000221'
            AND region = 'us-east-1');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'a volume moved to another region (SQL only): counted there');

DELETE FROM cloudsim.volumes WHERE account_id = '999000000221' AND size_gib % 3 = 0;
DELETE FROM cloudsim.volumes WHERE id = (SELECT min(id) FROM cloudsim.volumes
    WHERE account_id = '999000000222');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'deleted volumes, many and one: counted');

-- Marked deleted by SQL: stored deleted, a deletion past its time, one
-- still under way (it still counts).
UPDATE cloudsim.volumes SET state = 'deleted'
WHERE id = (SELECT min(id) FROM cloudsim.volumes WHERE account_id = '999000000221'
            AND region = 'us-east-1' AND volume_type = 'gp2');
UPDATE cloudsim.volumes SET state = 'deleting', next_state = 'deleted',
    next_state_at = now() - interval '1 second'
WHERE id = (SELECT max(id) FROM cloudsim.volumes WHERE account_id = '999000000221'
            AND region = 'us-east-1' AND volume_type = 'gp3');
UPDATE cloudsim.volumes SET state = 'deleting', next_state = 'deleted',
    next_state_at = now() + interval '1 hour'
WHERE id = (SELECT min(id) FROM cloudsim.volumes WHERE account_id = '999000000221'
            AND region = 'us-west-2');
SELECT ok((SELECT count(*) FROM cloudsim.volumes WHERE account_id = '999000000221'
           AND (state = 'deleted' OR next_state = 'deleted')) = 3,
    'three volumes marked deleted, one of them still being deleted');
SELECT set_eq('SELECT * FROM usage_given', 'SELECT * FROM usage_shown',
    'volume_usage leaves out the two deleted ones and keeps the third, as v_volumes does');
SELECT is((SELECT volumes FROM cloudsim.volume_usage('999000000221', 'us-east-1')),
    (SELECT count(*) FROM cloudsim.volumes WHERE account_id = '999000000221'
     AND region = 'us-east-1') - 2, 'two fewer than the rows in us-east-1');

-- All of a type gone: the type leaves gib_by_type.
DELETE FROM cloudsim.volumes WHERE account_id = '999000000222' AND volume_type = 'st1';
SELECT ok(NOT EXISTS (SELECT 1 FROM cloudsim.volume_usage('999000000222', 'us-east-1') u
                      WHERE u.gib_by_type::jsonb ? 'st1')
    AND NOT EXISTS (SELECT 1 FROM cloudsim.volume_usage('999000000222', 'us-west-2') u
                    WHERE u.gib_by_type::jsonb ? 'st1'),
    'a type with no volume left is not in gib_by_type');
SELECT is((SELECT row(volumes, gib_by_type::text)::text
           FROM cloudsim.volume_usage('999000000223', 'us-east-1')),
    '(0,)', 'an account without volumes: 0 and NULL');

SELECT cloudsim.reset_account('999000000222');
SELECT is_empty($$SELECT 1 FROM cloudsim.volume_counts
    WHERE account_id = '999000000222' AND volumes <> 0$$,
    'a reset account has no volume counted');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'and the other account keeps its counts');

-- As the executables call it, under their plan mode.
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT set_eq('SELECT * FROM usage_given', 'SELECT * FROM usage_shown',
    'the same answers under force_generic_plan');
RESET plan_cache_mode;

-- Measured inside a savepoint, judged after it: pgTAP's own record of
-- a test made inside would be rolled back with the TRUNCATE.
SAVEPOINT before_truncate;
SET LOCAL client_min_messages = warning;
TRUNCATE cloudsim.volumes CASCADE;
SELECT count(*) AS counts_after_truncate FROM cloudsim.volume_counts \gset
ROLLBACK TO SAVEPOINT before_truncate;
SELECT is(:counts_after_truncate::bigint, 0::bigint, 'TRUNCATE empties the counts');
SELECT set_eq('SELECT * FROM stored', 'SELECT * FROM counted',
    'and rolling it back restores them');

SELECT * FROM finish();
ROLLBACK;
