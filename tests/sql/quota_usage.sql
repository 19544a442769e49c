/*
 * quota_usage.sql — pgTAP checks of sql/016_quota_usage.sql and 020
 * (which counts from 017's live counts and partial indexes): the
 * counts RunInstances and CreateVolume compare with their quotas.
 * Instances count unless terminated (stored, or reached by a transition
 * whose time has passed), exactly as a plain count of the effective
 * states says for every account and region, whether or not the lists
 * still show them; volumes count unless deleted, read from the table
 * but held here to exactly the rows of cloudsim.v_volumes; other
 * accounts and regions never count; each function keeps one generic
 * plan whatever the caller's plan_cache_mode (021, 022).  Runs under
 * pg_prove as the cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(21);

SELECT has_function('cloudsim', 'instance_usage', ARRAY['text', 'text'],
    'instance_usage(account, region) exists');
SELECT has_function('cloudsim', 'volume_usage', ARRAY['text', 'text'],
    'volume_usage(account, region) exists');
SELECT is_empty($$
    SELECT p.proname FROM pg_proc p
    WHERE p.pronamespace = 'cloudsim'::regnamespace
      AND p.proname IN ('instance_usage', 'volume_usage')
      AND (obj_description(p.oid, 'pg_proc') IS NULL
           OR p.provolatile <> 's'
           OR NOT 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig))$$,
    'both are commented and STABLE, and keep one plan whatever the caller''s plan_cache_mode: since 020 and 022 they read index ranges whatever the values (021, 022)');
SELECT ok(has_function_privilege('cloudsim_app',
        'cloudsim.volume_usage(text, text)', 'EXECUTE')
    AND has_function_privilege('cloudsim_app',
        'cloudsim.instance_usage(text, text)', 'EXECUTE'),
    'cloudsim_app may call both');
SELECT has_index('cloudsim', 'instances', 'instances_terminating_idx',
    'terminations have an index by next_state_at (020)');
SELECT has_index('cloudsim', 'instances', 'instances_terminated_live_idx',
    'so do rows terminated without leaving the lists (020)');
SELECT has_index('cloudsim', 'instances', 'instances_unlisted_other_idx',
    'and rows left out of the lists without a termination (020)');
SELECT hasnt_index('cloudsim', 'instances', 'instances_counting_idx',
    'the live instances are counted, not read through an index of their own');
SELECT ok(NOT EXISTS (
    SELECT 1 FROM pg_proc p, aclexplode(p.proacl) a
    WHERE p.pronamespace = 'cloudsim'::regnamespace
      AND p.proname IN ('instance_usage', 'volume_usage')
      AND a.grantee = 0), 'PUBLIC may call neither');

/* Two accounts with a default VPC in us-east-1, one also in us-west-2. */
INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000061', 'pgtap usage'),
    ('999000000062', 'pgtap usage other');
SELECT cloudsim.create_default_vpcs('999000000061', ARRAY['us-east-1', 'us-west-2']);
SELECT cloudsim.create_default_vpcs('999000000062', ARRAY['us-east-1']);
INSERT INTO cloudsim.reservations (id, account_id, region) VALUES
    ('r-00000000000000061', '999000000061', 'us-east-1'),
    ('r-00000000000000062', '999000000061', 'us-west-2'),
    ('r-00000000000000063', '999000000062', 'us-east-1');

-- Instances as RunInstances stores them, one per (suffix, reservation,
-- state, next state, seconds until it), in the default subnet of the
-- reservation's region and first zone.
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id, region,
    availability_zone, vpc_id, subnet_id, image_id, instance_type, state,
    next_state, next_state_at, associate_public_ip, root_device_name)
SELECT 'i-0000000000000006' || x.n, r.id, 0, r.account_id, r.region,
    s.availability_zone, s.vpc_id, s.id,
    (SELECT id FROM cloudsim.images ORDER BY id LIMIT 1), 't3.micro', x.state,
    x.next_state, now() + x.secs * interval '1 second', false, '/dev/xvda'
FROM (VALUES
        ('a', 'r-00000000000000061', 'pending', 'running', 3600),
        ('b', 'r-00000000000000061', 'running', NULL, NULL),
        ('c', 'r-00000000000000061', 'stopped', NULL, NULL),
        ('d', 'r-00000000000000061', 'shutting-down', 'terminated', 3600),
        ('e', 'r-00000000000000061', 'shutting-down', 'terminated', -1),
        ('9', 'r-00000000000000061', 'terminated', NULL, NULL),
        ('f', 'r-00000000000000062', 'running', NULL, NULL),
        ('1', 'r-00000000000000062', 'shutting-down', 'terminated', 3600),
        ('2', 'r-00000000000000062', 'shutting-down', 'terminated', -1),
        ('3', 'r-00000000000000062', 'running', NULL, NULL),
        ('0', 'r-00000000000000063', 'running', NULL, NULL))
    AS x(n, reservation, state, next_state, secs)
JOIN cloudsim.reservations r ON r.id = x.reservation
JOIN cloudsim.subnets s ON s.account_id = r.account_id AND s.region = r.region
    AND s.default_for_az
    AND s.availability_zone = (SELECT min(z.name) FROM cloudsim.zones z
                               WHERE z.region = r.region);
-- 1, 2 and 3 left the lists' live counts (017) as a termination does;
-- 3 only through SQL (a running instance the API never hides).
UPDATE cloudsim.instances SET visible_until = now() + interval '1 day'
WHERE id IN ('i-00000000000000061', 'i-00000000000000062',
             'i-00000000000000063');
INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone, size_gib,
    volume_type, state, next_state, next_state_at) VALUES
    ('vol-00000000000000061', '999000000061', 'us-east-1', 'us-east-1a', 10, 'gp2',
     'creating', 'available', now() + interval '1 hour'),
    ('vol-00000000000000062', '999000000061', 'us-east-1', 'us-east-1a', 8, 'gp3',
     'available', NULL, NULL),
    ('vol-00000000000000063', '999000000061', 'us-east-1', 'us-east-1b', 5, 'gp3',
     'in-use', NULL, NULL),
    ('vol-00000000000000064', '999000000061', 'us-east-1', 'us-east-1a', 20, 'gp3',
     'deleting', 'deleted', now() + interval '1 hour'),
    ('vol-00000000000000065', '999000000061', 'us-east-1', 'us-east-1a', 30, 'gp2',
     'deleting', 'deleted', now() - interval '1 second'),
    ('vol-00000000000000066', '999000000061', 'us-east-1', 'us-east-1a', 40, 'gp2',
     'deleted', NULL, NULL),
    ('vol-00000000000000067', '999000000061', 'us-west-2', 'us-west-2a', 50, 'gp2',
     'available', NULL, NULL),
    ('vol-00000000000000068', '999000000062', 'us-east-1', 'us-east-1a', 60, 'gp2',
     'available', NULL, NULL);

/* Instances. */
SELECT is(cloudsim.instance_usage('999000000061', 'us-east-1'), 4::bigint,
    'pending, running, stopped and a termination still under way count; one past it and one stored terminated do not');
SELECT is(cloudsim.instance_usage('999000000061', 'us-west-2'), 3::bigint,
    'another region counts its own: hidden from the lists, a termination under way and a running instance count, a termination past its time does not');
SELECT is(cloudsim.instance_usage('999000000062', 'us-east-1'), 1::bigint,
    'another account counts its own');
SELECT is(cloudsim.instance_usage('999000000063', 'us-east-1'), 0::bigint,
    'an account without instances: 0');
SELECT is_empty($$
    SELECT i.account_id, i.region,
           cloudsim.instance_usage(i.account_id, i.region)
    FROM cloudsim.instances i GROUP BY i.account_id, i.region
    EXCEPT
    SELECT i.account_id, i.region, count(*) FILTER (WHERE
               cloudsim.instance_effective_state(i.state, i.next_state,
                   i.next_state_at) <> 'terminated')
    FROM cloudsim.instances i GROUP BY i.account_id, i.region$$,
    'for every account and region, exactly a plain count of the effective states');

/* Volumes. */
SELECT is((SELECT volumes FROM cloudsim.volume_usage('999000000061', 'us-east-1')), 4::bigint,
    'creating, available, in-use and a deletion still under way count; deleted ones do not');
SELECT is((SELECT gib_by_type::jsonb FROM cloudsim.volume_usage('999000000061', 'us-east-1')),
    '{"gp2": 10, "gp3": 33}'::jsonb, 'GiB per type of the same volumes');
SELECT is((SELECT gib_by_type::jsonb FROM cloudsim.volume_usage('999000000061', 'us-west-2')),
    '{"gp2": 50}'::jsonb, 'another region counts its own');
SELECT is((SELECT row(volumes, gib_by_type::text)::text
           FROM cloudsim.volume_usage('999000000063', 'us-east-1')),
    '(0,)', 'an account without volumes: 0 and NULL');
SELECT is_empty($$
    SELECT a.account_id, a.region, u.volumes, u.gib_by_type::jsonb
    FROM (SELECT DISTINCT account_id, region FROM cloudsim.volumes) a,
         cloudsim.volume_usage(a.account_id, a.region) u
    EXCEPT
    SELECT v.account_id, v.region, count(*),
           (SELECT jsonb_object_agg(t.volume_type, t.gib) FROM (
                SELECT w.volume_type, sum(w.size) AS gib FROM cloudsim.v_volumes w
                WHERE w.account_id = v.account_id AND w.region = v.region
                GROUP BY w.volume_type) t)
    FROM cloudsim.v_volumes v GROUP BY v.account_id, v.region$$,
    'for every account and region, exactly what cloudsim.v_volumes shows');

/* Planned for the caller even when the caller's plans are generic. */
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT is(cloudsim.instance_usage('999000000061', 'us-east-1'), 4::bigint,
    'the same count under force_generic_plan');
SELECT is(current_setting('plan_cache_mode'), 'force_generic_plan',
    'and the caller''s setting is back after the call');

SELECT * FROM finish();
ROLLBACK;
