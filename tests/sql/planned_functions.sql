/*
 * planned_functions.sql — pgTAP checks of sql/021_functions_planned_once.sql:
 * the functions it rewrote in PL/pgSQL answer what their SQL bodies
 * answered, for every input (the old bodies are kept here, as pg_temp
 * functions, to compare with), keep their comments, owners' rights and
 * grants, and instance_usage keeps one generic plan.  Runs under
 * pg_prove as the cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(29);

CREATE FUNCTION pg_temp.as_app(sql text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    SET LOCAL ROLE cloudsim_app;
    EXECUTE sql;
    RESET ROLE;
END
$$;

/* ---- what they are -------------------------------------------------- */
SELECT is_empty($$
    SELECT p.proname FROM pg_proc p
    WHERE p.pronamespace = 'cloudsim'::regnamespace
      AND p.proname IN ('random_hex', 'tags_valid', 'tags_count',
          'release_private_ip', 'instances_forget')
      AND p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')$$,
    'the five functions are PL/pgSQL (allocate_private_ip already was)');
SELECT is((SELECT count(*)::int FROM pg_proc p
    WHERE p.pronamespace = 'cloudsim'::regnamespace
      AND p.proname IN ('random_hex', 'tags_valid', 'tags_count',
          'release_private_ip', 'instances_forget')
      AND obj_description(p.oid, 'pg_proc') IS NOT NULL), 5,
    'and still commented');
SELECT ok((SELECT provolatile = 'v' AND proparallel = 's' FROM pg_proc
        WHERE oid = 'cloudsim.random_hex(integer)'::regprocedure)
    AND (SELECT bool_and(provolatile = 'i' AND proparallel = 's') FROM pg_proc
        WHERE oid IN ('cloudsim.tags_valid(jsonb)'::regprocedure,
                      'cloudsim.tags_count(jsonb)'::regprocedure)),
    'random_hex volatile, the tag checks immutable, all parallel safe');
SELECT ok((SELECT prosecdef AND 'search_path=cloudsim, pg_temp' = ANY (proconfig)
        FROM pg_proc WHERE oid = 'cloudsim.instances_forget(text, text)'::regprocedure),
    'instances_forget still runs as its owner, with its search_path');
SELECT ok(has_function_privilege('cloudsim_app', 'cloudsim.random_hex(integer)', 'EXECUTE')
    AND has_function_privilege('cloudsim_app', 'cloudsim.release_private_ip(text, inet)', 'EXECUTE')
    AND has_function_privilege('cloudsim_app', 'cloudsim.instances_forget(text, text)', 'EXECUTE')
    AND NOT has_function_privilege('public', 'cloudsim.random_hex(integer)', 'EXECUTE')
    AND NOT has_function_privilege('public', 'cloudsim.instances_forget(text, text)', 'EXECUTE'),
    'grants unchanged: cloudsim_app may call them, PUBLIC may not');
SELECT ok((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig)
        FROM pg_proc WHERE oid = 'cloudsim.instance_usage(text, text)'::regprocedure),
    'instance_usage keeps a generic plan');

/* ---- the tag checks: the same answers as 004's bodies --------------- */
CREATE FUNCTION pg_temp.old_tags_valid(t jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(t) <> 'object' THEN false
        ELSE NOT EXISTS (
            SELECT 1 FROM jsonb_each(t) AS e
            WHERE jsonb_typeof(e.value) <> 'string'
               OR char_length(e.key) NOT BETWEEN 1 AND 128
               OR char_length(e.value #>> '{}') > 256
               OR lower(left(e.key, 4)) = 'aws:')
    END
$$;
CREATE FUNCTION pg_temp.old_tags_count(t jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(t) = 'object'
        THEN (SELECT count(*)::integer FROM jsonb_object_keys(t)) ELSE 0 END
$$;
CREATE TEMP TABLE tag_inputs (t jsonb);
INSERT INTO tag_inputs VALUES (NULL), ('{}'), ('[]'), ('"x"'), ('1'), ('null'),
    ('true'), ('[{"a": "b"}]'), ('{"Name": "web"}'), ('{"Name": "web", "env": "dev"}'),
    ('{"a": 1}'), ('{"a": null}'), ('{"a": {"b": "c"}}'), ('{"a": ["b"]}'),
    ('{"": "v"}'), ('{"k": ""}'), ('{"aws:x": "v"}'), ('{"AWS:x": "v"}'),
    ('{"Aws:": "v"}'), ('{"aws": "v"}'), ('{"awsx:": "v"}'), ('{"é": "ü"}'),
    (jsonb_build_object(repeat('k', 128), 'v')), (jsonb_build_object(repeat('k', 129), 'v')),
    (jsonb_build_object(repeat('é', 128), 'v')), (jsonb_build_object('k', repeat('v', 256))),
    (jsonb_build_object('k', repeat('v', 257))), (jsonb_build_object('k', repeat('ü', 256))),
    ((SELECT jsonb_object_agg('k' || i, 'v') FROM generate_series(1, 50) AS i)),
    ((SELECT jsonb_object_agg('k' || i, 'v') FROM generate_series(1, 51) AS i)),
    ((SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, 3) AS i));
SELECT is_empty($$
    SELECT t FROM tag_inputs
    WHERE cloudsim.tags_valid(t) IS DISTINCT FROM pg_temp.old_tags_valid(t)$$,
    'tags_valid answers as before for 31 inputs, NULL and non-objects included');
SELECT is_empty($$
    SELECT t FROM tag_inputs
    WHERE cloudsim.tags_count(t) IS DISTINCT FROM pg_temp.old_tags_count(t)$$,
    'tags_count answers as before for the same inputs');
SELECT results_eq($$SELECT count(*) FILTER (WHERE cloudsim.tags_valid(t)),
        count(*) FILTER (WHERE NOT cloudsim.tags_valid(t))
    FROM tag_inputs$$,
    $$VALUES (14::bigint, 17::bigint)$$,
    'the inputs cover both answers (NULL and 51 tags pass: counting is tags_count''s)');

/* The domain still refuses what the checks refuse, on any table. */
INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000211', 'pgtap planned');
SELECT cloudsim.create_default_vpcs('999000000211', ARRAY['us-east-1']);
SELECT throws_ok($$UPDATE cloudsim.vpcs SET tags = '{"aws:k": "v"}'
    WHERE account_id = '999000000211'$$,
    '23514', NULL, 'an aws: key is refused');
SELECT throws_ok($$UPDATE cloudsim.vpcs SET tags = (SELECT jsonb_object_agg('k' || i, 'v')
    FROM generate_series(1, 51) AS i) WHERE account_id = '999000000211'$$,
    '23514', NULL, '51 tags are refused');
SELECT lives_ok($$UPDATE cloudsim.vpcs SET tags = '{"Name": "ok"}'
    WHERE account_id = '999000000211'$$, 'a valid tag is taken');

/* ---- random_hex ----------------------------------------------------- */
SELECT is_empty($$
    SELECT n FROM unnest(ARRAY[NULL, 0, -1, -29, -30, -100]::int[]) AS n
    WHERE cloudsim.random_hex(n) IS NOT NULL$$,
    'no digits asked for (NULL, 0, negative): NULL, as before');
SELECT is_empty($$
    SELECT n FROM unnest(ARRAY[1, 2, 8, 17, 29, 30, 31, 59, 60, 61, 100]) AS n,
        LATERAL (SELECT cloudsim.random_hex(n) AS h) AS r
    WHERE length(r.h) <> n OR r.h !~ '^[0-9a-f]+$'$$,
    'n lower-case hex digits for n from 1 to 100, across UUID boundaries');
SELECT is((SELECT count(DISTINCT cloudsim.random_hex(17))::int
    FROM generate_series(1, 1000)), 1000, '1,000 draws of 17 digits are distinct');
-- The version digit of each UUID (always 4) is left out: were it kept,
-- digit 13 would always be 4.  Likewise the variant (8, 9, a or b).
SELECT ok((SELECT count(DISTINCT substr(h, 13, 1)) > 4
        AND count(DISTINCT substr(h, 16, 1)) > 4
    FROM (SELECT cloudsim.random_hex(30) AS h FROM generate_series(1, 200)) AS d),
    'digits 13 and 16 vary: neither the version nor the variant is kept');
SELECT is((SELECT count(*)::int FROM cloudsim.vpcs
    WHERE account_id = '999000000211' AND id ~ '^vpc-[0-9a-f]{8}$'), 1,
    'ids drawn by column defaults still fit their checks');

/* ---- release_private_ip --------------------------------------------- */
SELECT id AS subnet FROM cloudsim.subnets
WHERE account_id = '999000000211' ORDER BY availability_zone LIMIT 1 \gset
SELECT isnt(cloudsim.allocate_private_ip(:'subnet', 'pgtap'), NULL, 'an address is taken');
SELECT ok(cloudsim.release_private_ip(:'subnet',
        (SELECT address FROM cloudsim.subnet_addresses WHERE subnet_id = :'subnet')),
    'releasing it is true');
SELECT is_empty(format('SELECT 1 FROM cloudsim.subnet_addresses WHERE subnet_id = %L',
    :'subnet'), 'and gives it back');
SELECT ok(NOT cloudsim.release_private_ip(:'subnet', '172.31.0.4'),
    'releasing a free address is false');
SELECT ok(NOT cloudsim.release_private_ip(NULL, NULL), 'and NULLs release nothing');

/* ---- allocate_private_ip: the lowest free address, as 004 found it -- */
-- 004's choice, without the insert: the lowest of the first usable
-- address and each taken address plus one that is usable and free.
CREATE FUNCTION pg_temp.old_lowest_free(sub text) RETURNS inet
LANGUAGE sql AS $$
    SELECT min(k.address)
    FROM cloudsim.subnets AS s,
         LATERAL (SELECT set_masklen(s.cidr_block::inet, 32) + 4 AS address
                  UNION ALL
                  SELECT a.address + 1 FROM cloudsim.subnet_addresses AS a
                  WHERE a.subnet_id = s.id) AS k
    WHERE s.id = sub
      AND k.address <= set_masklen(broadcast(s.cidr_block), 32) - 1
      AND NOT EXISTS (SELECT 1 FROM cloudsim.subnet_addresses AS b
                      WHERE b.subnet_id = s.id AND b.address = k.address)
$$;
INSERT INTO cloudsim.subnets (id, vpc_id, account_id, region, cidr_block,
    vpc_cidr_block, availability_zone)
SELECT 'subnet-0000021a', v.id, v.account_id, v.region, '172.31.200.0/26',
    v.cidr_block, 'us-east-1a'
FROM cloudsim.vpcs v WHERE v.account_id = '999000000211' AND v.is_default;
-- 200 patterns of taken addresses in the /26 (59 usable), each a random
-- share of them, the first usable one included or not: each time the
-- function must take what 004's statement would have chosen.
CREATE TEMP TABLE alloc_check (pattern int, want inet, got inet);
DO $$
DECLARE
    want inet;
BEGIN
    PERFORM setseed(0.21);
    FOR p IN 1 .. 200 LOOP
        DELETE FROM cloudsim.subnet_addresses WHERE subnet_id = 'subnet-0000021a';
        INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id,
            address, owner)
        SELECT 'subnet-0000021a', '172.31.200.0/26', '999000000211',
            '172.31.200.0'::inet + g, 'pgtap'
        FROM generate_series(4, 62) AS g
        WHERE random() < (p % 10) / 10.0 OR (p % 7 = 0 AND g < 40);
        want := pg_temp.old_lowest_free('subnet-0000021a');
        IF want IS NOT NULL THEN
            INSERT INTO alloc_check VALUES (p, want,
                cloudsim.allocate_private_ip('subnet-0000021a', 'pgtap'));
        END IF;
    END LOOP;
END
$$;
SELECT is_empty($$SELECT * FROM alloc_check WHERE got IS DISTINCT FROM want$$,
    'the address taken is the one 004 chose, over random patterns');
SELECT ok((SELECT count(*) > 150 AND count(DISTINCT want) > 20
        AND bool_or(host(want) = '172.31.200.4')
        AND bool_or(host(want) <> '172.31.200.4') FROM alloc_check),
    'the patterns cover the first usable address and many gaps');
-- Full: every usable address taken.
DELETE FROM cloudsim.subnet_addresses WHERE subnet_id = 'subnet-0000021a';
INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id, address, owner)
SELECT 'subnet-0000021a', '172.31.200.0/26', '999000000211', '172.31.200.0'::inet + g, 'pgtap'
FROM generate_series(4, 62) AS g;
SELECT throws_ok($$SELECT cloudsim.allocate_private_ip('subnet-0000021a', 'pgtap')$$,
    'P0001', 'the subnet ''subnet-0000021a'' has no free private IP address',
    'a full subnet still raises InsufficientFreeAddressesInSubnet');
-- Only the last one free: found past 58 taken ones.
DELETE FROM cloudsim.subnet_addresses WHERE subnet_id = 'subnet-0000021a'
    AND address = '172.31.200.62';
SELECT is(host(cloudsim.allocate_private_ip('subnet-0000021a', 'pgtap')),
    '172.31.200.62', 'the last usable address, when it is the only one free');

/* ---- instances_forget, as the executables call it ------------------- */
INSERT INTO cloudsim.reservations (id, account_id, region)
VALUES ('r-00000000000000211', '999000000211', 'us-east-1');
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id,
    region, availability_zone, vpc_id, subnet_id, image_id, instance_type,
    state, associate_public_ip, root_device_name, visible_until)
SELECT 'i-0000000000000021' || g, 'r-00000000000000211', g, '999000000211',
    'us-east-1', 'us-east-1a', NULL, NULL,
    (SELECT id FROM cloudsim.images ORDER BY id LIMIT 1), 't3.micro',
    'terminated', false, '/dev/xvda',
    CASE WHEN g < 3 THEN now() - interval '1 second' ELSE now() + interval '1 hour' END
FROM generate_series(0, 4) AS g;
SELECT lives_ok($$SELECT pg_temp.as_app(
        'SELECT cloudsim.instances_forget(''999000000211'', ''us-east-1'')')$$,
    'cloudsim_app runs instances_forget');
SELECT results_eq($$SELECT id FROM cloudsim.instances
    WHERE account_id = '999000000211' ORDER BY id$$,
    ARRAY['i-00000000000000213', 'i-00000000000000214'],
    'it deleted the three expired instances and kept the two retained');
SELECT results_eq($$SELECT cloudsim.instances_forget('999000000211', 'us-east-1')$$,
    ARRAY[0::bigint], 'and a second call finds nothing left to forget');

SELECT * FROM finish();
ROLLBACK;
