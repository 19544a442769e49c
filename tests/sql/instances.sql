/*
 * instances.sql — pgTAP checks of sql/006_instances.sql: the effective
 * state every reader shares (a stored transition whose time has passed
 * reads as its next state, in the view and in the function alike), the
 * transition table, the constraints (so they hold whoever writes), what
 * the triggers do on launch, stop, start, termination and deletion,
 * key pairs, comments on everything, and the roles' privileges.  Runs
 * under pg_prove as the cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(80);

-- Run sql as role (cloudsim_app, cloudsim_readonly): proves the grants.
CREATE FUNCTION pg_temp.as_role(role text, sql text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role);
    EXECUTE sql;
    RESET ROLE;
END
$$;

/* ---- the schema ---------------------------------------------------- */
SELECT has_table('cloudsim', t, 'table cloudsim.' || t || ' exists')
FROM unnest(ARRAY['instances', 'reservations', 'instance_security_groups',
    'instance_transitions', 'key_pairs']) AS t;
SELECT has_view('cloudsim', v, 'view cloudsim.' || v || ' exists')
FROM unnest(ARRAY['v_instances', 'v_key_pairs']) AS v;
SELECT has_function('cloudsim', 'instance_effective_state',
    ARRAY['text', 'text', 'timestamp with time zone'],
    'instance_effective_state(state, next_state, next_state_at) exists');

CREATE TEMP VIEW mine AS
    SELECT c.oid, c.relname FROM pg_class c
    WHERE c.relnamespace = 'cloudsim'::regnamespace
      AND c.relname IN ('instances', 'reservations', 'instance_security_groups',
          'instance_transitions', 'key_pairs', 'v_instances', 'v_key_pairs');
SELECT is((SELECT count(*)::int FROM mine), 7, 'five tables and two views');
SELECT is_empty($$
    SELECT m.relname || '.' || a.attname FROM mine m
    JOIN pg_attribute a ON a.attrelid = m.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE col_description(m.oid, a.attnum) IS NULL$$,
    'every column of every table and view is commented');
SELECT is_empty($$SELECT relname FROM mine WHERE obj_description(oid, 'pg_class') IS NULL$$,
    'every table and view is commented');
SELECT is_empty($$
    SELECT p.proname FROM pg_proc p
    WHERE p.pronamespace = 'cloudsim'::regnamespace
      AND p.proname IN ('instance_state_code', 'instance_next_state',
          'instance_effective_state', 'allocate_public_ip', 'instances_writing',
          'instances_terminating', 'instances_deleted', 'accounts_deleting_instances')
      AND obj_description(p.oid, 'pg_proc') IS NULL$$,
    'every function is commented');
SELECT is((SELECT count(*)::int FROM pg_proc p
           WHERE p.pronamespace = 'cloudsim'::regnamespace
             AND p.proname IN ('instance_state_code', 'instance_next_state',
                 'instance_effective_state', 'allocate_public_ip', 'instances_writing',
                 'instances_terminating', 'instances_deleted',
                 'accounts_deleting_instances')), 8, 'eight functions');

/* ---- the state machine --------------------------------------------- */
SELECT results_eq($$
    SELECT cloudsim.instance_state_code(s) FROM unnest(ARRAY['pending', 'running',
        'shutting-down', 'terminated', 'stopping', 'stopped']) s$$,
    ARRAY[0, 16, 32, 48, 64, 80], 'the state codes are EC2''s');
SELECT is(cloudsim.instance_effective_state('pending', 'running', now() + interval '1 s'),
    'pending', 'before next_state_at: the stored state');
SELECT is(cloudsim.instance_effective_state('pending', 'running', now() - interval '1 s'),
    'running', 'after next_state_at: the next state');
SELECT is(cloudsim.instance_effective_state('pending', 'running', now()),
    'pending', 'at next_state_at itself (the changing transaction): still the stored state');
SELECT is(cloudsim.instance_effective_state('stopped', NULL, NULL), 'stopped',
    'a settled state reads as itself');
SELECT is((SELECT to_state FROM cloudsim.instance_transitions
           WHERE action = 'start' AND from_state = 'stopped'), 'pending',
    'start a stopped instance: pending');
SELECT ok((SELECT to_state IS NULL FROM cloudsim.instance_transitions
           WHERE action = 'start' AND from_state = 'running'),
    'start a running instance: a no-op');
SELECT is_empty($$SELECT 1 FROM cloudsim.instance_transitions
                  WHERE action = 'start' AND from_state = 'terminated'$$,
    'start a terminated instance: not a transition');
SELECT is_empty($$SELECT 1 FROM cloudsim.instance_transitions
                  WHERE action = 'reboot' AND from_state = 'stopped'$$,
    'reboot a stopped instance: not a transition');
SELECT is_empty($$SELECT 1 FROM cloudsim.instance_transitions
                  WHERE action = 'stop' AND from_state = 'pending'$$,
    'stop a pending instance: not a transition (EC2 refuses)');
SELECT is((SELECT count(*)::int FROM cloudsim.instance_transitions
           WHERE action = 'terminate'), 6, 'terminate works from every state');

/* ---- a world to launch into ------------------------------------------ */
INSERT INTO cloudsim.accounts (id, name) VALUES ('100000000001', 'tap'), ('100000000002', 'other');
SELECT cloudsim.create_default_vpcs('100000000001', ARRAY['us-east-1']);
SELECT cloudsim.create_default_vpcs('100000000002', ARRAY['us-east-1']);
CREATE TEMP TABLE w AS
SELECT s.id AS subnet, s.vpc_id AS vpc,
       (SELECT g.id FROM cloudsim.security_groups g WHERE g.vpc_id = s.vpc_id AND g.is_default) AS sg,
       (SELECT s2.id FROM cloudsim.subnets s2 WHERE s2.account_id = '100000000002'
          AND s2.availability_zone = 'us-east-1a') AS other_subnet,
       (SELECT g.id FROM cloudsim.security_groups g JOIN cloudsim.vpcs v ON v.id = g.vpc_id
          WHERE v.account_id = '100000000002' AND v.region = 'us-east-1') AS other_sg
FROM cloudsim.subnets s
WHERE s.account_id = '100000000001' AND s.availability_zone = 'us-east-1a';
INSERT INTO cloudsim.reservations (id, account_id, region)
VALUES ('r-00000000000000001', '100000000001', 'us-east-1');

-- A launch as the executable writes it, pending for another hour.
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id, region,
    availability_zone, vpc_id, subnet_id, image_id, instance_type, state, next_state,
    next_state_at, associate_public_ip, root_device_name)
SELECT 'i-00000000000000001', 'r-00000000000000001', 0, '100000000001', 'us-east-1',
       'us-east-1a', vpc, subnet, 'ami-008df4d2c9cb4c1db', 't3.micro', 'pending', 'running',
       now() + interval '1 hour', true, '/dev/xvda'
FROM w;
INSERT INTO cloudsim.instance_security_groups (instance_id, vpc_id, group_id, position)
SELECT 'i-00000000000000001', vpc, sg, 0 FROM w;
INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone, size_gib, volume_type, state)
VALUES ('vol-00000000000000001', '100000000001', 'us-east-1', 'us-east-1a', 8, 'gp3', 'in-use'),
       ('vol-00000000000000002', '100000000001', 'us-east-1', 'us-east-1a', 10, 'gp2', 'available');
INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device, delete_on_termination)
VALUES ('vol-00000000000000001', 'i-00000000000000001', '/dev/xvda', true),
       ('vol-00000000000000002', 'i-00000000000000001', '/dev/sdf', false);

SELECT is((SELECT host(private_ip) FROM cloudsim.instances WHERE id = 'i-00000000000000001'),
    '172.31.0.4', 'the insert trigger took the subnet''s first usable address');
SELECT is((SELECT owner FROM cloudsim.subnet_addresses a JOIN w ON a.subnet_id = w.subnet),
    'i-00000000000000001', 'owned by the instance');
SELECT ok((SELECT public_ip << inet '198.18.0.0/15' FROM cloudsim.instances
           WHERE id = 'i-00000000000000001'), 'and a public address from the pool');
SELECT is((SELECT state FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'), 'pending',
    'the view reads pending before next_state_at');
SELECT is((SELECT state_code FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'), 0,
    'with code 0');
UPDATE cloudsim.instances SET next_state_at = now() - interval '1 second'
WHERE id = 'i-00000000000000001';
SELECT is((SELECT state FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'), 'running',
    'with next_state_at in the past, the view reads running');
SELECT is((SELECT state_code FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'), 16,
    'with code 16');
SELECT is((SELECT root_volume_id FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'),
    'vol-00000000000000001', 'the root volume is the one at the root device');
SELECT is((SELECT json_array_length(block_device_mappings) FROM cloudsim.v_instances
           WHERE id = 'i-00000000000000001'), 2, 'both volumes are mapped');
SELECT is((SELECT private_dns_name FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'),
    'ip-172-31-0-4.ec2.internal', 'the private DNS name');
SELECT is((SELECT security_groups->0->>'name' FROM cloudsim.v_instances
           WHERE id = 'i-00000000000000001'), 'default', 'the group, by name');

/* ---- constraints ----------------------------------------------------- */
SELECT throws_ok($$UPDATE cloudsim.instances SET next_state = NULL, next_state_at = NULL
                   WHERE id = 'i-00000000000000001'$$,
    '23514', NULL, 'pending must name its next state');
SELECT throws_ok($$UPDATE cloudsim.instances SET state = 'running'
                   WHERE id = 'i-00000000000000001'$$,
    '23514', NULL, 'running has no next state');
SELECT throws_ok($$UPDATE cloudsim.instances SET next_state = 'stopped'
                   WHERE id = 'i-00000000000000001'$$,
    '23514', NULL, 'pending settles into running, nothing else');
SELECT throws_ok($$INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index,
        account_id, region, availability_zone, vpc_id, subnet_id, image_id, instance_type,
        state, next_state, next_state_at, associate_public_ip, root_device_name)
    SELECT 'i-xyz', 'r-00000000000000001', 1, '100000000001', 'us-east-1', 'us-east-1a',
        vpc, subnet, 'ami-008df4d2c9cb4c1db', 't3.micro', 'pending', 'running', now(), false,
        '/dev/xvda' FROM w$$,
    '23514', NULL, 'a malformed id');
SELECT throws_ok($$INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index,
        account_id, region, availability_zone, vpc_id, subnet_id, image_id, instance_type,
        state, next_state, next_state_at, associate_public_ip, root_device_name)
    SELECT 'i-00000000000000009', 'r-00000000000000001', 1, '100000000001', 'us-east-1',
        'us-east-1a', vpc, other_subnet, 'ami-008df4d2c9cb4c1db', 't3.micro', 'pending',
        'running', now(), false, '/dev/xvda' FROM w$$,
    '23503', NULL, 'another account''s subnet (its VPC is not the instance''s)');
SELECT throws_ok($$INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index,
        account_id, region, availability_zone, vpc_id, subnet_id, image_id, instance_type,
        state, next_state, next_state_at, associate_public_ip, root_device_name, private_ip)
    SELECT 'i-00000000000000009', 'r-00000000000000001', 1, '100000000001', 'us-east-1',
        'us-east-1a', vpc, subnet, 'ami-008df4d2c9cb4c1db', 't3.micro', 'pending',
        'running', now(), false, '/dev/xvda', '172.31.0.99' FROM w$$,
    '23503', NULL, 'a private address not taken in the subnet');
SELECT throws_ok($$INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index,
        account_id, region, availability_zone, vpc_id, subnet_id, image_id, instance_type,
        state, next_state, next_state_at, associate_public_ip, root_device_name)
    SELECT 'i-00000000000000009', 'r-00000000000000001', 1, '100000000001', 'us-east-1',
        'us-east-1a', vpc, subnet, 'ami-0123456789abcdef0', 't3.micro', 'pending',
        'running', now(), false, '/dev/xvda' FROM w$$,
    '23503', NULL, 'an unknown AMI');
SELECT throws_ok($$UPDATE cloudsim.instances SET public_ip = '8.8.8.8'
                   WHERE id = 'i-00000000000000001'$$,
    '23514', NULL, 'a public address outside the pool');
SELECT throws_ok($$INSERT INTO cloudsim.instance_security_groups (instance_id, vpc_id,
        group_id, position) SELECT 'i-00000000000000001', vpc, other_sg, 1 FROM w$$,
    '23503', NULL, 'a security group of another VPC');
SELECT throws_ok($$UPDATE cloudsim.instances SET user_data = 'not base64!'
                   WHERE id = 'i-00000000000000001'$$,
    '23514', NULL, 'user data that is not base64');
SELECT throws_ok($$INSERT INTO cloudsim.reservations (id, account_id, region, client_token)
                   VALUES ('r-00000000000000002', '100000000001', 'us-east-1', 't')$$,
    '23514', NULL, 'a client token without its parameters'' hash');
INSERT INTO cloudsim.reservations (id, account_id, region, client_token, params_hash)
VALUES ('r-00000000000000003', '100000000001', 'us-east-1', 'tok', repeat('a', 64));
SELECT throws_ok($$INSERT INTO cloudsim.reservations (id, account_id, region, client_token,
        params_hash) VALUES ('r-00000000000000004', '100000000001', 'us-east-1', 'tok',
        repeat('b', 64))$$,
    '23505', NULL, 'a client token is used once per account and region');
SELECT lives_ok($$INSERT INTO cloudsim.reservations (id, account_id, region, client_token,
        params_hash) VALUES ('r-00000000000000005', '100000000002', 'us-east-1', 'tok',
        repeat('b', 64))$$,
    'another account may use the same token');

/* ---- what state changes do ------------------------------------------- */
UPDATE cloudsim.instances SET state = 'stopping', next_state = 'stopped',
    next_state_at = now() WHERE id = 'i-00000000000000001';
SELECT ok((SELECT public_ip IS NULL AND private_ip IS NOT NULL FROM cloudsim.instances
           WHERE id = 'i-00000000000000001'),
    'a stop gives the public address back and keeps the private one');
SELECT is((SELECT state FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'),
    'stopping', 'in the changing transaction the view reads the stored state');
UPDATE cloudsim.instances SET next_state_at = now() - interval '1 second'
WHERE id = 'i-00000000000000001';
SELECT is((SELECT state FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'),
    'stopped', 'and stopped once the delay has passed');
UPDATE cloudsim.instances SET launch_time = now() - interval '1 day'
WHERE id = 'i-00000000000000001';
UPDATE cloudsim.instances SET state = 'pending', next_state = 'running',
    next_state_at = now() WHERE id = 'i-00000000000000001';
SELECT ok((SELECT public_ip IS NOT NULL AND launch_time = now() FROM cloudsim.instances
           WHERE id = 'i-00000000000000001'),
    'a start takes a new public address and sets launch_time');
UPDATE cloudsim.instances SET state = 'shutting-down', next_state = 'terminated',
    next_state_at = now() - interval '1 second', visible_until = now() + interval '1 hour'
WHERE id = 'i-00000000000000001';
SELECT ok((SELECT public_ip IS NULL AND private_ip IS NULL FROM cloudsim.instances
           WHERE id = 'i-00000000000000001'), 'termination takes both addresses');
SELECT is_empty($$SELECT 1 FROM cloudsim.subnet_addresses a JOIN w ON a.subnet_id = w.subnet$$,
    'the private address is back in the subnet');
SELECT is_empty($$SELECT 1 FROM cloudsim.instance_security_groups
                  WHERE instance_id = 'i-00000000000000001'$$,
    'the group links are dropped (the groups may be deleted now)');
SELECT is_empty($$SELECT 1 FROM cloudsim.volumes WHERE id = 'vol-00000000000000001'$$,
    'the delete-on-termination root volume is deleted');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-00000000000000002'),
    'available', 'the other volume is detached and available');
SELECT is((SELECT state FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'),
    'terminated', 'the view reads terminated');
UPDATE cloudsim.instances SET visible_until = now() - interval '1 second'
WHERE id = 'i-00000000000000001';
SELECT is_empty($$SELECT 1 FROM cloudsim.v_instances WHERE id = 'i-00000000000000001'$$,
    'past its retention a terminated instance leaves the view');
SELECT lives_ok($$DELETE FROM cloudsim.subnets s USING w WHERE s.id = w.subnet$$,
    'a subnet left with terminated instances only can be deleted');
SELECT ok((SELECT subnet_id IS NULL FROM cloudsim.instances WHERE id = 'i-00000000000000001'),
    'the terminated instance forgets the subnet');

/* ---- deleting an account with a live instance ------------------------ */
INSERT INTO cloudsim.reservations (id, account_id, region)
VALUES ('r-00000000000000006', '100000000002', 'us-east-1');
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id, region,
    availability_zone, vpc_id, subnet_id, image_id, instance_type, state, next_state,
    next_state_at, associate_public_ip, root_device_name)
SELECT 'i-00000000000000002', 'r-00000000000000006', 0, '100000000002', 'us-east-1',
       'us-east-1a', s.vpc_id, s.id, 'ami-008df4d2c9cb4c1db', 't3.micro', 'pending',
       'running', now(), false, '/dev/xvda'
FROM cloudsim.subnets s JOIN w ON s.id = w.other_subnet;
SELECT throws_ok($$DELETE FROM cloudsim.subnets s USING w WHERE s.id = w.other_subnet$$,
    '23503', NULL, 'a subnet with a live instance cannot be deleted');
INSERT INTO cloudsim.instance_security_groups (instance_id, vpc_id, group_id, position)
SELECT 'i-00000000000000002', s.vpc_id, w.other_sg, 0
FROM cloudsim.subnets s JOIN w ON s.id = w.other_subnet;
SELECT throws_ok($$DELETE FROM cloudsim.security_groups g USING w WHERE g.id = w.other_sg$$,
    '23503', NULL, 'a security group a live instance uses cannot be deleted');
SELECT lives_ok($$SELECT cloudsim.reset_account('100000000002')$$,
    'the sandbox reset deletes an account with a live instance');
SELECT is_empty($$SELECT 1 FROM cloudsim.instances WHERE account_id = '100000000002'$$,
    'its instances are gone');

/* ---- key pairs -------------------------------------------------------- */
INSERT INTO cloudsim.key_pairs (account_id, region, name, key_type, public_key, fingerprint,
    imported)
VALUES ('100000000001', 'us-east-1', 'k', 'ed25519', 'ssh-ed25519 AAAA x', 'fp=', true);
SELECT ok((SELECT id ~ '^key-[0-9a-f]{17}$' FROM cloudsim.key_pairs WHERE name = 'k'),
    'a key pair id is key- and 17 hex digits');
SELECT throws_ok($$INSERT INTO cloudsim.key_pairs (account_id, region, name, key_type,
        public_key, fingerprint, imported) VALUES ('100000000001', 'us-east-1', 'k',
        'rsa', 'ssh-rsa AAAA', 'fp', true)$$,
    '23505', NULL, 'a key name is used once per account and region');
SELECT lives_ok($$INSERT INTO cloudsim.key_pairs (account_id, region, name, key_type,
        public_key, fingerprint, imported) VALUES ('100000000001', 'eu-west-1', 'k',
        'rsa', 'ssh-rsa AAAA', 'fp', true)$$,
    'the same name in another region');
SELECT throws_ok($$INSERT INTO cloudsim.key_pairs (account_id, region, name, key_type,
        public_key, fingerprint, imported) VALUES ('100000000001', 'us-east-1', E'bad\n',
        'rsa', 'ssh-rsa AAAA', 'fp', true)$$,
    '23514', NULL, 'a key name must be printable ASCII');
SELECT throws_ok($$INSERT INTO cloudsim.key_pairs (account_id, region, name, key_type,
        public_key, fingerprint, imported) VALUES ('100000000001', 'us-east-1', 'dsa',
        'dsa', 'ssh-dss AAAA', 'fp', true)$$,
    '23514', NULL, 'only rsa and ed25519');
SELECT is((SELECT arn FROM cloudsim.v_key_pairs WHERE name = 'k' AND region = 'us-east-1'),
    'arn:aws:ec2:us-east-1:100000000001:key-pair/'
        || (SELECT id FROM cloudsim.key_pairs WHERE name = 'k' AND region = 'us-east-1'),
    'the view gives the key pair''s arn');

/* ---- privileges ------------------------------------------------------- */
SELECT lives_ok($$SELECT pg_temp.as_role('cloudsim_app',
    'SELECT count(*) FROM cloudsim.v_instances; SELECT count(*) FROM cloudsim.v_key_pairs')$$,
    'cloudsim_app reads the views');
SELECT lives_ok($$SELECT pg_temp.as_role('cloudsim_app',
    'UPDATE cloudsim.instances SET tags = ''{"a": "b"}'' WHERE id = ''i-00000000000000001''')$$,
    'cloudsim_app may change tags');
SELECT throws_ok($$SELECT pg_temp.as_role('cloudsim_app',
    'UPDATE cloudsim.instances SET image_id = image_id')$$,
    '42501', NULL, 'cloudsim_app may not change an instance''s AMI');
SELECT throws_ok($$SELECT pg_temp.as_role('cloudsim_app',
    'DELETE FROM cloudsim.instances')$$,
    '42501', NULL, 'cloudsim_app may not delete instances');
SELECT throws_ok($$SELECT pg_temp.as_role('cloudsim_app',
    'UPDATE cloudsim.instance_transitions SET to_state = NULL')$$,
    '42501', NULL, 'cloudsim_app may not change the state machine');
SELECT lives_ok($$SELECT pg_temp.as_role('cloudsim_readonly',
    'SELECT id, state, private_ip FROM cloudsim.instances; SELECT * FROM cloudsim.v_instances;
     SELECT * FROM cloudsim.key_pairs; SELECT * FROM cloudsim.instance_transitions')$$,
    'cloudsim_readonly reads instances, the view and key pairs');
SELECT throws_ok($$SELECT pg_temp.as_role('cloudsim_readonly',
    'SELECT user_data FROM cloudsim.instances')$$,
    '42501', NULL, 'cloudsim_readonly cannot read user data (it may hold secrets)');
SELECT throws_ok($$SELECT pg_temp.as_role('cloudsim_readonly',
    'DELETE FROM cloudsim.key_pairs')$$,
    '42501', NULL, 'cloudsim_readonly cannot write');
SELECT ok(NOT has_function_privilege('public', 'cloudsim.allocate_public_ip()', 'EXECUTE'),
    'PUBLIC cannot take public addresses');

SELECT * FROM finish();
ROLLBACK;
