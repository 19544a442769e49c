/*
 * subnet_address_marks.sql — pgTAP checks of sql/017_subnet_address_marks.sql:
 * a subnet's addresses_taken and free_from stay equal to what its rows
 * of cloudsim.subnet_addresses say, whoever writes them (allocation,
 * release, direct inserts, updates and deletes of any number of rows,
 * TRUNCATE, an account's deletion), allocation takes free_from and so
 * stays the lowest free address, the executables' role cannot write the
 * columns, and a long random run of takes and releases never lets them
 * drift.  Runs under pg_prove as the cluster owner; everything is
 * rolled back.
 */
BEGIN;
SELECT plan(28);

CREATE FUNCTION pg_temp.as_app(sql text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    SET LOCAL ROLE cloudsim_app;
    EXECUTE sql;
    RESET ROLE;
END
$$;

-- The subnets whose columns disagree with their rows: the count, and
-- the lowest free usable offset computed the slow way (the broadcast's
-- when the subnet is full).
CREATE FUNCTION pg_temp.drifted() RETURNS SETOF text
LANGUAGE sql AS $$
    SELECT s.id || ': taken ' || s.addresses_taken || ' free_from ' || s.free_from
           || ', rows say ' || x.taken || ' and ' || x.lowest
    FROM cloudsim.subnets AS s
    CROSS JOIN LATERAL (
        SELECT (SELECT count(*) FROM cloudsim.subnet_addresses AS a
                WHERE a.subnet_id = s.id) AS taken,
               (SELECT min(o) FROM generate_series(4, (1 << (32 - masklen(s.cidr_block))) - 1) AS o
                WHERE o = (1 << (32 - masklen(s.cidr_block))) - 1
                   OR NOT EXISTS (SELECT 1 FROM cloudsim.subnet_addresses AS a
                                  WHERE a.subnet_id = s.id
                                    AND a.address = set_masklen(s.cidr_block::inet, 32) + o))
                   AS lowest) AS x
    WHERE s.account_id IN ('900000000171', '900000000172')
      AND (s.addresses_taken <> x.taken OR s.free_from <> x.lowest)
$$;

-- The columns of subnet id as "taken/free_from".
CREATE FUNCTION pg_temp.marks(id text) RETURNS text
LANGUAGE sql AS $$
    SELECT s.addresses_taken || '/' || s.free_from FROM cloudsim.subnets AS s WHERE s.id = marks.id
$$;

/* ---- the schema ---------------------------------------------------- */
SELECT has_column('cloudsim', 'subnets', 'addresses_taken', 'subnets.addresses_taken exists');
SELECT has_column('cloudsim', 'subnets', 'free_from', 'subnets.free_from exists');
SELECT is_empty($$
    SELECT t.tgname FROM pg_trigger t
    WHERE t.tgrelid = 'cloudsim.subnet_addresses'::regclass AND NOT t.tgisinternal
      AND t.tgname NOT IN ('subnet_addresses_inserted', 'subnet_addresses_updated',
                           'subnet_addresses_deleted', 'subnet_addresses_truncated')
    UNION ALL
    SELECT n FROM unnest(ARRAY['subnet_addresses_inserted', 'subnet_addresses_updated',
                               'subnet_addresses_deleted', 'subnet_addresses_truncated']) AS n
    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t
                      WHERE t.tgrelid = 'cloudsim.subnet_addresses'::regclass AND t.tgname = n)$$,
    'subnet_addresses has its four triggers and no other');
SELECT is_empty($$
    SELECT p.proname FROM pg_proc p
    WHERE p.pronamespace = 'cloudsim'::regnamespace
      AND p.proname IN ('subnet_addresses_changed', 'subnet_addresses_truncated')
      AND NOT (p.prosecdef AND 'search_path=cloudsim, pg_temp' = ANY (p.proconfig)
               AND obj_description(p.oid, 'pg_proc') IS NOT NULL)$$,
    'the trigger functions are commented and SECURITY DEFINER with a fixed search_path');
SELECT ok(NOT has_function_privilege('cloudsim_app',
        'cloudsim.subnet_first_free(text, cidr, integer)', 'EXECUTE'),
    'cloudsim_app cannot call subnet_first_free');

/* ---- fixtures: an account, a VPC, a /28 (11 usable: .4 to .14) ---- */
INSERT INTO cloudsim.accounts (id, name) VALUES
    ('900000000171', 'pgtap marks'), ('900000000172', 'pgtap marks other');
INSERT INTO cloudsim.vpcs (id, account_id, region, cidr_block)
    VALUES ('vpc-00000171', '900000000171', 'us-east-1', '10.7.0.0/16');
INSERT INTO cloudsim.subnets (id, vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('subnet-00000171', 'vpc-00000171', '900000000171', 'us-east-1', '10.7.1.0/28', '10.7.0.0/16', 'us-east-1a'),
           ('subnet-00000172', 'vpc-00000171', '900000000171', 'us-east-1', '10.7.2.0/24', '10.7.0.0/16', 'us-east-1a');
SELECT is(pg_temp.marks('subnet-00000171'), '0/4', 'a new subnet: nothing taken, free from offset 4');

/* ---- allocation and release ---------------------------------------- */
CREATE TEMP TABLE got (n serial, address inet);
GRANT ALL ON got, got_n_seq TO cloudsim_app;
SELECT lives_ok($$SELECT pg_temp.as_app('INSERT INTO got (address)
        SELECT cloudsim.allocate_private_ip(''subnet-00000171'', ''i-marks'') FROM generate_series(1, 3)')$$,
    'cloudsim_app allocates three addresses');
SELECT is(pg_temp.marks('subnet-00000171'), '3/7', 'three taken, free from .7');
SELECT throws_ok($$SELECT pg_temp.as_app('UPDATE cloudsim.subnets SET addresses_taken = 0 WHERE id = ''subnet-00000171''')$$,
    '42501', NULL, 'cloudsim_app cannot write addresses_taken');
SELECT throws_ok($$SELECT pg_temp.as_app('UPDATE cloudsim.subnets SET free_from = 4 WHERE id = ''subnet-00000171''')$$,
    '42501', NULL, 'nor free_from');
SELECT ok(cloudsim.release_private_ip('subnet-00000171', '10.7.1.5'), 'releasing .5');
SELECT is(pg_temp.marks('subnet-00000171'), '2/5', 'lowers free_from to .5');
SELECT is(host(cloudsim.allocate_private_ip('subnet-00000171', 'i-marks')), '10.7.1.5',
    'the next allocation takes .5');
SELECT is(pg_temp.marks('subnet-00000171'), '3/7', 'and free_from moves past the taken run to .7');

/* ---- rows written directly, several at a time ---------------------- */
INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id, address, owner)
SELECT 'subnet-00000171', '10.7.1.0/28', '900000000171', ('10.7.1.' || o)::inet, 'eni-marks'
FROM unnest(ARRAY[7, 8, 10, 12]) AS o;
SELECT is(pg_temp.marks('subnet-00000171'), '7/9', 'one insert of four rows: 7 taken, free from .9 (the gap)');
SELECT is(host(cloudsim.allocate_private_ip('subnet-00000171', 'i-marks')), '10.7.1.9',
    'allocation fills the gap');
SELECT is(host(cloudsim.allocate_private_ip('subnet-00000171', 'i-marks')), '10.7.1.11',
    'then the next one');
UPDATE cloudsim.subnet_addresses SET address = '10.7.1.14' WHERE subnet_id = 'subnet-00000171' AND address = '10.7.1.4';
SELECT is(pg_temp.marks('subnet-00000171'), '9/4', 'moving .4 to .14 frees .4 and keeps the count');
DELETE FROM cloudsim.subnet_addresses WHERE subnet_id = 'subnet-00000171' AND address IN ('10.7.1.8', '10.7.1.10');
SELECT is(pg_temp.marks('subnet-00000171'), '7/4', 'a delete of two rows gives two back');
SELECT is((SELECT available_ip_address_count FROM cloudsim.v_subnets WHERE id = 'subnet-00000171'),
    4::bigint, 'v_subnets counts from the column: 11 - 7');

/* ---- full ---------------------------------------------------------- */
SELECT lives_ok($$SELECT cloudsim.allocate_private_ip('subnet-00000171', 'i-marks') FROM generate_series(1, 4)$$,
    'the four free addresses are taken');
SELECT is(pg_temp.marks('subnet-00000171'), '11/15', 'a full /28: 11 taken, free_from at the broadcast');
SELECT throws_ok($$SELECT cloudsim.allocate_private_ip('subnet-00000171', 'i-marks')$$,
    'P0001', 'the subnet ''subnet-00000171'' has no free private IP address',
    'then allocation raises InsufficientFreeAddressesInSubnet');

/* ---- a long random run in two subnets ------------------------------ */
SELECT setseed(0.17);
DO $$
DECLARE
    i   integer;
    sub text;
    a   inet;
BEGIN
    FOR i IN 1 .. 400 LOOP
        sub := CASE WHEN random() < 0.5 THEN 'subnet-00000171' ELSE 'subnet-00000172' END;
        SELECT x.address INTO a FROM cloudsim.subnet_addresses AS x
        WHERE x.subnet_id = sub ORDER BY random() LIMIT 1;
        IF a IS NOT NULL AND random() < 0.45 THEN
            PERFORM cloudsim.release_private_ip(sub, a);
        ELSIF (SELECT s.free_from < (1 << (32 - masklen(s.cidr_block))) - 1
               FROM cloudsim.subnets AS s WHERE s.id = sub) THEN
            PERFORM cloudsim.allocate_private_ip(sub, 'i-random');
        END IF;
    END LOOP;
END
$$;
SELECT is_empty($$SELECT * FROM pg_temp.drifted()$$,
    '400 random takes and releases: the columns equal the rows');

/* ---- TRUNCATE and account deletion --------------------------------- */
INSERT INTO cloudsim.vpcs (id, account_id, region, cidr_block)
    VALUES ('vpc-00000172', '900000000172', 'us-east-1', '10.8.0.0/16');
INSERT INTO cloudsim.subnets (id, vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('subnet-00000173', 'vpc-00000172', '900000000172', 'us-east-1', '10.8.1.0/28', '10.8.0.0/16', 'us-east-1a');
DO $$ BEGIN PERFORM cloudsim.allocate_private_ip('subnet-00000173', 'i-other') FROM generate_series(1, 2); END $$;
SELECT lives_ok($$DELETE FROM cloudsim.accounts WHERE id = '900000000171'$$,
    'deleting an account takes its subnets and their addresses');
SELECT is(pg_temp.marks('subnet-00000173'), '2/6', 'and leaves another account''s subnet as it was');
SET LOCAL client_min_messages = warning;
TRUNCATE cloudsim.subnet_addresses CASCADE;
RESET client_min_messages;
SELECT is(pg_temp.marks('subnet-00000173'), '0/4', 'TRUNCATE empties every subnet');
SELECT is_empty($$SELECT * FROM pg_temp.drifted()$$, 'nothing drifted');

SELECT * FROM finish();
ROLLBACK;
