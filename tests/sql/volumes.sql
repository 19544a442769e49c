/*
 * volumes.sql — pgTAP checks of sql/005_volumes.sql: the tables and
 * views, the constraints that hold under any race (one attachment per
 * volume, a device once per instance, each type's limits, the same zone
 * on both ends of an attachment), the effective states the views compute
 * from stored transitions, comments on everything, and who may do what.
 * An instance is stored the way RunInstances stores one
 * (006_instances.sql).  Runs under pg_prove as the cluster owner;
 * everything is rolled back.
 */
BEGIN;
SELECT plan(70);

/* Objects. */
SELECT has_table('cloudsim', 'volumes', 'table volumes exists');
SELECT has_table('cloudsim', 'volume_attachments', 'table volume_attachments exists');
SELECT has_table('cloudsim', 'snapshots', 'table snapshots exists');
SELECT has_view('cloudsim', 'v_volumes', 'view v_volumes exists');
SELECT has_view('cloudsim', 'v_volume_attachments', 'view v_volume_attachments exists');
SELECT has_view('cloudsim', 'v_snapshots', 'view v_snapshots exists');
SELECT col_is_pk('cloudsim', 'volume_attachments', 'volume_id',
    'one attachment per volume: the volume id is the key');
SELECT col_is_unique('cloudsim', 'volume_attachments', ARRAY['instance_id', 'device'],
    'a device is used once per instance');
SELECT fk_ok('cloudsim', 'volume_attachments', 'volume_id', 'cloudsim', 'volumes', 'id',
    'an attachment belongs to a volume');
SELECT fk_ok('cloudsim', 'volume_attachments', 'instance_id', 'cloudsim', 'instances', 'id',
    'an attachment belongs to an instance (006 adds the key)');
SELECT has_index('cloudsim', 'volumes', 'volumes_list_idx',
    ARRAY['account_id', 'region', 'created_at', 'id'], 'the list order has an index');
SELECT has_index('cloudsim', 'snapshots', 'snapshots_list_idx',
    ARRAY['account_id', 'region', 'created_at', 'id'], 'the snapshot list has an index');

/* Comments: every table, view, column and function of 005. */
SELECT is_empty($$
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'cloudsim'
      AND c.relname IN ('volumes', 'volume_attachments', 'snapshots', 'v_volumes',
                        'v_volume_attachments', 'v_snapshots')
      AND obj_description(c.oid, 'pg_class') IS NULL$$,
    'every table and view has a comment');
SELECT is_empty($$
    SELECT c.relname || '.' || a.attname
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'cloudsim'
      AND c.relname IN ('volumes', 'volume_attachments', 'snapshots', 'v_volumes',
                        'v_volume_attachments', 'v_snapshots')
      AND a.attnum > 0 AND NOT a.attisdropped
      AND col_description(c.oid, a.attnum) IS NULL$$,
    'every column has a comment');
SELECT is_empty($$
    SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'cloudsim'
      AND p.proname IN ('ebs_settled', 'volume_spec_valid', 'ebs_default_kms_key',
                        'volume_quota_lock', 'volume_attachments_check',
                        'volume_attachment_json', 'volume_json', 'snapshot_json')
      AND obj_description(p.oid, 'pg_proc') IS NULL$$,
    'every function has a comment');

/* Each type's limits, at the boundaries the REST tests probe. */
SELECT ok(cloudsim.volume_spec_valid('gp2', 1, NULL, NULL)
      AND cloudsim.volume_spec_valid('gp2', 16384, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('gp2', 0, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('gp2', 16385, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('gp2', 10, 300, NULL),
    'gp2: 1..16384 GiB, IOPS never stored');
SELECT ok(cloudsim.volume_spec_valid('gp3', 1, NULL, NULL)
      AND cloudsim.volume_spec_valid('gp3', 1, 3000, 750)
      AND cloudsim.volume_spec_valid('gp3', 7, 3500, NULL)
      AND NOT cloudsim.volume_spec_valid('gp3', 7, 3501, NULL)
      AND NOT cloudsim.volume_spec_valid('gp3', 100, 2999, NULL)
      AND NOT cloudsim.volume_spec_valid('gp3', 100, 16001, NULL)
      AND NOT cloudsim.volume_spec_valid('gp3', 10, 3000, 751)
      AND NOT cloudsim.volume_spec_valid('gp3', 100, 16000, 1001)
      AND NOT cloudsim.volume_spec_valid('gp3', 10, NULL, 124)
      AND NOT cloudsim.volume_spec_valid('gp3', 16385, NULL, NULL),
    'gp3: 3000..16000 IOPS, 500 per GiB above the baseline, 125..1000 MiB/s, 0.25 per IOPS');
SELECT ok(cloudsim.volume_spec_valid('io1', 4, 200, NULL)
      AND NOT cloudsim.volume_spec_valid('io1', 4, 201, NULL)
      AND NOT cloudsim.volume_spec_valid('io1', 3, 100, NULL)
      AND NOT cloudsim.volume_spec_valid('io1', 10, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('io1', 2000, 64001, NULL)
      AND NOT cloudsim.volume_spec_valid('io1', 10, 100, 200),
    'io1: 4..16384 GiB, 100..64000 IOPS, 50 per GiB, IOPS required');
SELECT ok(cloudsim.volume_spec_valid('io2', 100, 100000, NULL)
      AND cloudsim.volume_spec_valid('io2', 65536, 256000, NULL)
      AND NOT cloudsim.volume_spec_valid('io2', 100, 100001, NULL)
      AND NOT cloudsim.volume_spec_valid('io2', 65537, 1000, NULL)
      AND NOT cloudsim.volume_spec_valid('io2', 300, 256001, NULL),
    'io2 (Block Express): 4..65536 GiB, 100..256000 IOPS, 1000 per GiB');
SELECT ok(cloudsim.volume_spec_valid('st1', 125, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('st1', 124, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('sc1', 16385, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('sc1', 500, 500, NULL)
      AND cloudsim.volume_spec_valid('standard', 1024, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('standard', 1025, NULL, NULL)
      AND NOT cloudsim.volume_spec_valid('gp9', 10, NULL, NULL),
    'st1/sc1 125..16384 GiB, standard 1..1024, no IOPS; unknown types never');

/* An account, its default VPC, and an instance as RunInstances stores it. */
INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000051', 'pgtap volumes'),
    ('999000000052', 'pgtap other');
SELECT cloudsim.create_default_vpcs('999000000051', ARRAY['us-east-1']);
INSERT INTO cloudsim.reservations (id, account_id, region)
VALUES ('r-0000000000000005a', '999000000051', 'us-east-1');
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id, region,
    availability_zone, vpc_id, subnet_id, image_id, instance_type, state,
    associate_public_ip, root_device_name)
SELECT 'i-0000000000000005a', 'r-0000000000000005a', 0, '999000000051', 'us-east-1',
    s.availability_zone, s.vpc_id, s.id,
    (SELECT id FROM cloudsim.images ORDER BY id LIMIT 1), 't3.micro', 'running', false,
    '/dev/xvda'
FROM cloudsim.subnets s
WHERE s.account_id = '999000000051' AND s.availability_zone = 'us-east-1a' AND s.default_for_az;

INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone, size_gib,
    volume_type, state, next_state, next_state_at) VALUES
    ('vol-0000000000000000a', '999000000051', 'us-east-1', 'us-east-1a', 10, 'gp2',
     'creating', 'available', now() - interval '1 second'),
    ('vol-0000000000000000b', '999000000051', 'us-east-1', 'us-east-1a', 10, 'gp3',
     'creating', 'available', now() + interval '1 hour'),
    ('vol-0000000000000000c', '999000000051', 'us-east-1', 'us-east-1b', 10, 'gp2',
     'available', NULL, NULL),
    ('vol-0000000000000000d', '999000000051', 'us-east-1', 'us-east-1a', 8, 'gp3',
     'in-use', NULL, NULL),
    ('vol-0000000000000000e', '999000000051', 'us-east-1', 'us-east-1a', 8, 'gp2',
     'deleting', 'deleted', now() - interval '1 second');
INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone, size_gib,
    volume_type) VALUES
    ('vol-0000000000000000f', '999000000052', 'us-east-1', 'us-east-1a', 10, 'gp2');

/* Effective states. */
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000a'),
    'available', 'a volume whose creating delay has passed reads available');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000b'),
    'creating', 'a volume within its creating delay reads creating');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000d'),
    'available', 'a volume stored in-use without an attachment reads available');
SELECT is_empty($$SELECT 1 FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000e'$$,
    'a volume marked deleted is gone from the view');
SELECT is((SELECT iops || '/' || throughput FROM cloudsim.v_volumes
           WHERE id = 'vol-0000000000000000b'),
    '3000/125', 'gp3 without stored values reads its baseline');
SELECT is((SELECT iops FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000a'),
    100, 'gp2 IOPS are derived: at least 100');
SELECT is(cloudsim.ebs_default_kms_key('999000000051', 'us-east-1'),
    cloudsim.ebs_default_kms_key('999000000051', 'us-east-1'),
    'the default key is stable');
SELECT matches(cloudsim.ebs_default_kms_key('999000000051', 'us-east-1'),
    '^arn:aws:kms:us-east-1:999000000051:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    'the default key is a key ARN of the account and region');

/* The limits hold for any writer. */
SELECT throws_ok($$
    INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
        volume_type, iops) VALUES ('999000000051', 'us-east-1', 'us-east-1a', 10, 'io1', 501)$$,
    '23514', NULL, 'io1 above 50 IOPS per GiB is refused by the schema');
SELECT throws_ok($$
    INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
        volume_type) VALUES ('999000000051', 'us-east-1', 'eu-west-1a', 10, 'gp2')$$,
    '23514', NULL, 'a zone of another region is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
        volume_type, encrypted) VALUES ('999000000051', 'us-east-1', 'us-east-1a', 10, 'gp2', true)$$,
    '23514', NULL, 'an encrypted volume names its key');
SELECT throws_ok($$
    UPDATE cloudsim.volumes SET size_gib = 20000 WHERE id = 'vol-0000000000000000a'$$,
    '23514', NULL, 'growing past the type''s maximum is refused');

/* Attachments. */
SELECT lives_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device, state,
        next_state, next_state_at)
    VALUES ('vol-0000000000000000a', 'i-0000000000000005a', '/dev/sdf', 'attaching',
        'attached', now() + interval '1 hour')$$,
    'a volume attaches to an instance of its zone');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000a'),
    'in-use', 'an attaching volume reads in-use');
SELECT is((SELECT state FROM cloudsim.v_volume_attachments
           WHERE volume_id = 'vol-0000000000000000a'),
    'attaching', 'the attachment reads attaching within its delay');
SELECT throws_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device)
    VALUES ('vol-0000000000000000a', 'i-0000000000000005a', '/dev/sdg')$$,
    '23505', NULL, 'a second attachment of one volume is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device)
    VALUES ('vol-0000000000000000b', 'i-0000000000000005a', '/dev/sdf')$$,
    '23505', NULL, 'a device taken on the instance is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device)
    VALUES ('vol-0000000000000000c', 'i-0000000000000005a', '/dev/sdh')$$,
    'P0001', 'the volume ''vol-0000000000000000c'' is in zone ''us-east-1b'', not in the instance''s zone ''us-east-1a''',
    'a volume of another zone is refused by the schema');
SELECT throws_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device)
    VALUES ('vol-0000000000000000f', 'i-0000000000000005a', '/dev/sdh')$$,
    'P0001', 'the instance ''i-0000000000000005a'' does not exist',
    'another account''s volume is refused by the schema');
SELECT throws_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device)
    VALUES ('vol-0000000000000000b', 'i-0000000000000009f', '/dev/sdh')$$,
    'P0001', NULL, 'an unknown instance is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device, state)
    VALUES ('vol-0000000000000000b', 'i-0000000000000005a', '/dev/sdh', 'glued')$$,
    '23514', NULL, 'attachment states are checked');

/* Detaching, then gone. */
UPDATE cloudsim.volume_attachments SET state = 'detaching', next_state = 'detached',
    next_state_at = now() + interval '1 hour' WHERE volume_id = 'vol-0000000000000000a';
SELECT is((SELECT state FROM cloudsim.v_volume_attachments
           WHERE volume_id = 'vol-0000000000000000a'),
    'detaching', 'a detaching attachment reads detaching');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000a'),
    'in-use', 'a detaching volume is still in-use');
UPDATE cloudsim.volume_attachments SET next_state_at = now() - interval '1 second'
    WHERE volume_id = 'vol-0000000000000000a';
SELECT is_empty($$SELECT 1 FROM cloudsim.v_volume_attachments
                  WHERE volume_id = 'vol-0000000000000000a'$$,
    'a settled detach is gone from the view');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000a'),
    'available', 'and its volume reads available');
SELECT is((SELECT attachments::text FROM cloudsim.v_volumes
           WHERE id = 'vol-0000000000000000a'),
    '[]', 'with no attachments');

/* Termination (006's trigger) frees data volumes and deletes root ones. */
INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device, state,
    delete_on_termination)
VALUES ('vol-0000000000000000d', 'i-0000000000000005a', '/dev/xvda', 'attached', true);
DELETE FROM cloudsim.volume_attachments WHERE volume_id = 'vol-0000000000000000a';
INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device)
VALUES ('vol-0000000000000000a', 'i-0000000000000005a', '/dev/sdf');
SELECT is((SELECT string_agg(id || '=' || state, ',' ORDER BY id) FROM cloudsim.v_volumes
           WHERE id IN ('vol-0000000000000000a', 'vol-0000000000000000d')),
    'vol-0000000000000000a=in-use,vol-0000000000000000d=in-use', 'both attached');
SELECT is((SELECT (cloudsim.volume_json(v) -> 'attachments' -> 0 ->> 'device')
           FROM cloudsim.v_volumes v WHERE id = 'vol-0000000000000000d'),
    '/dev/xvda', 'volume_json shows the attachment');
UPDATE cloudsim.instances SET state = 'shutting-down', next_state = 'terminated',
    next_state_at = now() WHERE id = 'i-0000000000000005a';
SELECT is_empty($$SELECT 1 FROM cloudsim.volumes WHERE id = 'vol-0000000000000000d'$$,
    'termination deletes the delete-on-termination volume');
SELECT is((SELECT state FROM cloudsim.v_volumes WHERE id = 'vol-0000000000000000a'),
    'available', 'termination makes the data volume available');

/* Snapshots. */
INSERT INTO cloudsim.snapshots (id, account_id, region, volume_id, volume_size, state,
    next_state, next_state_at, created_at) VALUES
    ('snap-0000000000000000a', '999000000051', 'us-east-1', 'vol-0000000000000000a', 10,
     'pending', 'completed', now() + interval '50 seconds', now() - interval '50 seconds'),
    ('snap-0000000000000000b', '999000000051', 'us-east-1', 'vol-0000000000000000a', 10,
     'pending', 'completed', now() - interval '1 second', now() - interval '2 seconds');
SELECT is((SELECT state || ' ' || progress FROM cloudsim.v_snapshots
           WHERE id = 'snap-0000000000000000a'),
    'pending 50%', 'a pending snapshot''s progress is the elapsed share of its delay');
SELECT is((SELECT state || ' ' || progress FROM cloudsim.v_snapshots
           WHERE id = 'snap-0000000000000000b'),
    'completed 100%', 'a snapshot past its delay reads completed, 100%');
SELECT is((SELECT cloudsim.snapshot_json(s) ->> 'owner_id' FROM cloudsim.v_snapshots s
           WHERE id = 'snap-0000000000000000b'),
    '999000000051', 'snapshot_json shows the owner');
DELETE FROM cloudsim.volumes WHERE id = 'vol-0000000000000000a';
SELECT is((SELECT count(*)::int FROM cloudsim.snapshots WHERE volume_id = 'vol-0000000000000000a'),
    2, 'snapshots outlive their volume');
SELECT throws_ok($$
    INSERT INTO cloudsim.snapshots (account_id, region, volume_id, volume_size)
    VALUES ('999000000051', 'us-east-1', 'vol-0000000000000000a', 0)$$,
    '23514', NULL, 'a snapshot has a size');

/* Client tokens: one volume per token and account. */
INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib, volume_type,
    client_token, request_hash)
VALUES ('999000000051', 'us-east-1', 'us-east-1a', 1, 'gp2', 'tok', 'h');
SELECT throws_ok($$
    INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
        volume_type, client_token, request_hash)
    VALUES ('999000000051', 'us-east-1', 'us-east-1b', 1, 'gp2', 'tok', 'h2')$$,
    '23505', NULL, 'a client token names one volume per account');
SELECT lives_ok($$
    INSERT INTO cloudsim.volumes (account_id, region, availability_zone, size_gib,
        volume_type, client_token, request_hash)
    VALUES ('999000000052', 'us-east-1', 'us-east-1b', 1, 'gp2', 'tok', 'h')$$,
    'another account may use the same token');

/* Deleting the account takes its volumes and snapshots. */
DELETE FROM cloudsim.accounts WHERE id = '999000000052';
SELECT is_empty($$SELECT 1 FROM cloudsim.volumes WHERE account_id = '999000000052'$$,
    'an account''s volumes go with it');

/* Privileges, asked of the catalog. */
SELECT table_privs_are('cloudsim', 'volumes', 'cloudsim_app',
    ARRAY['SELECT', 'INSERT', 'DELETE'], 'the app reads, creates and deletes volumes');
SELECT ok(has_column_privilege('cloudsim_app', 'cloudsim.volumes', 'size_gib', 'UPDATE')
      AND has_column_privilege('cloudsim_app', 'cloudsim.volumes', 'tags', 'UPDATE'),
    'the app may change a volume''s size and tags');
SELECT ok(NOT has_column_privilege('cloudsim_app', 'cloudsim.volumes', 'account_id', 'UPDATE')
      AND NOT has_column_privilege('cloudsim_app', 'cloudsim.volumes', 'availability_zone', 'UPDATE')
      AND NOT has_column_privilege('cloudsim_app', 'cloudsim.volumes', 'encrypted', 'UPDATE')
      AND NOT has_column_privilege('cloudsim_app', 'cloudsim.volumes', 'client_token', 'UPDATE'),
    'the app may not move, re-own or decrypt a volume, nor rebind a token');
SELECT ok(NOT has_column_privilege('cloudsim_app', 'cloudsim.volume_attachments', 'volume_id', 'UPDATE')
      AND NOT has_column_privilege('cloudsim_app', 'cloudsim.volume_attachments', 'instance_id', 'UPDATE')
      AND has_column_privilege('cloudsim_app', 'cloudsim.volume_attachments', 'state', 'UPDATE'),
    'an attachment''s ends never change; its state does');
SELECT ok(NOT has_column_privilege('cloudsim_app', 'cloudsim.snapshots', 'volume_size', 'UPDATE')
      AND has_column_privilege('cloudsim_app', 'cloudsim.snapshots', 'tags', 'UPDATE'),
    'a snapshot changes only its tags');
SELECT table_privs_are('cloudsim', 'v_volumes', 'cloudsim_readonly', ARRAY['SELECT'],
    'readonly reads the volumes view');
SELECT table_privs_are('cloudsim', 'volumes', 'cloudsim_readonly', ARRAY['SELECT'],
    'readonly only reads volumes');
SELECT table_privs_are('cloudsim', 'volume_attachments', 'cloudsim_readonly', ARRAY['SELECT'],
    'readonly only reads attachments');
SELECT table_privs_are('cloudsim', 'snapshots', 'cloudsim_readonly', ARRAY['SELECT'],
    'readonly only reads snapshots');
SELECT table_privs_are('cloudsim', 'v_snapshots', 'cloudsim_readonly', ARRAY['SELECT'],
    'readonly reads the snapshots view');
SELECT ok(has_function_privilege('cloudsim_readonly', 'cloudsim.volume_json(cloudsim.v_volumes)',
        'EXECUTE')
      AND NOT has_function_privilege('cloudsim_readonly',
        'cloudsim.volume_quota_lock(text, text)', 'EXECUTE'),
    'readonly may render volumes, not take the quota lock');
SELECT ok(NOT has_function_privilege('public', 'cloudsim.volume_quota_lock(text, text)',
        'EXECUTE'), 'functions are not PUBLIC');

SELECT * FROM finish();
ROLLBACK;
