/*
 * catalog.sql — pgTAP checks of the seeded catalog (sql/002_catalog.sql):
 * regions and zones, the AMI catalog and the instance types, their
 * constraints, their comments and who may read them. Runs under pg_prove
 * against a migrated database, as a role that owns or may write the
 * catalog (the constraint checks insert rows); everything is rolled back.
 */
BEGIN;
SELECT plan(34);

/* Regions and zones. */
SELECT cmp_ok((SELECT count(*)::int FROM cloudsim.regions), '>=', 28,
    'at least 28 commercial regions are seeded');
SELECT is((SELECT count(*)::int FROM cloudsim.zones WHERE region = 'us-east-1'), 6,
    'us-east-1 has six zones');
SELECT set_eq($$SELECT zone_id FROM cloudsim.zones WHERE region = 'us-east-1'$$,
    ARRAY['use1-az1', 'use1-az2', 'use1-az3', 'use1-az4', 'use1-az5', 'use1-az6'],
    'us-east-1 zone ids are use1-az1 to use1-az6');
SELECT cmp_ok((SELECT count(*)::int FROM cloudsim.zones WHERE region = 'us-west-2'), '>=', 3,
    'us-west-2 has at least three zones');
SELECT cmp_ok((SELECT count(*)::int FROM cloudsim.zones WHERE region = 'eu-west-1'), '>=', 3,
    'eu-west-1 has at least three zones');
SELECT set_eq($$SELECT name FROM cloudsim.zones WHERE region = 'ap-northeast-1'$$,
    ARRAY['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
    'ap-northeast-1 offers zones a, c and d');
SELECT is((SELECT zone_id FROM cloudsim.zones WHERE name = 'eu-central-1a'), 'euc1-az2',
    'eu-central-1a is euc1-az2, as in every account');
SELECT is((SELECT count(*) - count(DISTINCT zone_id) FROM cloudsim.zones), 0::bigint,
    'every zone id is unique');
SELECT is_empty($$
    SELECT z.name FROM cloudsim.zones z
    WHERE z.name !~ ('^' || z.region || '[a-z]$')
       OR z.zone_id !~ '^[a-z]+[0-9]-az[0-9]+$'
       OR z.state <> 'available'$$,
    'every zone is its region plus one letter, with a well-formed id, available');
SELECT is_empty($$
    SELECT r.name FROM cloudsim.regions r
    WHERE (SELECT count(*) FROM cloudsim.zones z WHERE z.region = r.name) < 2$$,
    'every region has at least two zones');
SELECT is_empty($$
    SELECT name FROM cloudsim.regions
    WHERE endpoint <> 'ec2.' || name || '.amazonaws.com'$$,
    'every region endpoint is ec2.<region>.amazonaws.com');
SELECT results_eq($$
    SELECT opt_in_status FROM cloudsim.regions
    WHERE name IN ('af-south-1', 'us-east-1') ORDER BY name$$,
    ARRAY['opted-in', 'opt-in-not-required'],
    'opt-in regions read opted-in, the others opt-in-not-required');

/* Images. */
SELECT cmp_ok((SELECT count(*)::int FROM cloudsim.images), '>=', 12,
    'at least twelve images are seeded');
SELECT set_eq($$SELECT DISTINCT architecture FROM cloudsim.images$$,
    ARRAY['x86_64', 'arm64'],
    'images cover both x86_64 and arm64');
SELECT is_empty($$SELECT id FROM cloudsim.images WHERE id !~ '^ami-[0-9a-f]{17}$'$$,
    'every image id is ami- and 17 lower-case hex digits');
SELECT is_empty($$
    SELECT id FROM cloudsim.images
    WHERE (platform IS NOT NULL) <> (platform_details = 'Windows')
       OR (platform_details = 'Windows') <> (root_volume_size_gib = 30)$$,
    'only Windows images set platform, and they have 30 GiB roots');
SELECT is((SELECT name FROM cloudsim.images WHERE id = 'ami-008df4d2c9cb4c1db'),
    'al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64',
    'the Amazon Linux 2023 x86_64 image keeps its documented id');
SELECT throws_ok($$
    INSERT INTO cloudsim.images (id, name, architecture, root_device_name,
        root_volume_size_gib, boot_mode, owner_id, creation_date, image_location)
    VALUES ('ami-0123456789ABCDEF0', 'bad', 'x86_64', '/dev/xvda', 8,
        'uefi', '123456789012', now(), '123456789012/bad')$$,
    '23514', NULL, 'an upper-case image id is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.images (id, name, architecture, root_device_name,
        root_volume_size_gib, boot_mode, owner_id, creation_date, image_location)
    VALUES ('ami-0123456789abcdef0', 'bad', 'arm64', '/dev/xvda', 8,
        'legacy-bios', '123456789012', now(), '123456789012/bad')$$,
    '23514', NULL, 'an arm64 image must boot with uefi');

/* Instance types. */
SELECT is((SELECT count(*)::int FROM cloudsim.instance_types WHERE family = 't4g'), 7,
    't4g comes in seven sizes');
SELECT is_empty($$
    SELECT name FROM cloudsim.instance_types
    WHERE family = 't4g' AND architectures <> ARRAY['arm64']$$,
    't4g types are arm64 only');
SELECT row_eq($$SELECT vcpus, memory_mib FROM cloudsim.instance_types WHERE name = 't3.micro'$$,
    ROW(2, 1024), 't3.micro has 2 vCPUs and 1024 MiB');
SELECT row_eq($$SELECT vcpus, memory_mib FROM cloudsim.instance_types WHERE name = 't2.micro'$$,
    ROW(1, 1024), 't2.micro has 1 vCPU and 1024 MiB');
SELECT set_eq($$SELECT name FROM cloudsim.instance_types WHERE free_tier_eligible$$,
    ARRAY['t2.micro', 't3.micro'],
    'exactly t2.micro and t3.micro are free-tier eligible');
SELECT is_empty($$
    SELECT i.architecture FROM cloudsim.images i
    WHERE NOT EXISTS (SELECT 1 FROM cloudsim.instance_types t
                      WHERE i.architecture = ANY (t.architectures))$$,
    'every image architecture has an instance type to run on');
SELECT throws_ok($$
    INSERT INTO cloudsim.instance_types (name, family, vcpus, memory_mib,
        architectures, default_cores, default_threads_per_core,
        network_performance, ebs_optimized_support, hypervisor)
    VALUES ('x9.large', 'x9', 2, 4096, '{sparc}', 1, 2, 'Moderate',
        'default', 'nitro')$$,
    '23514', NULL, 'an unknown architecture is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.instance_types (name, family, vcpus, memory_mib,
        architectures, default_cores, default_threads_per_core,
        network_performance, ebs_optimized_support, hypervisor)
    VALUES ('x9.large', 'x9', 0, 4096, '{x86_64}', 0, 2, 'Moderate',
        'default', 'nitro')$$,
    '23514', NULL, 'zero vCPUs are refused');

/* Every table and column of the catalog says what it holds. */
SELECT is_empty($$
    SELECT c.relname FROM pg_class c
    WHERE c.oid IN ('cloudsim.images'::regclass, 'cloudsim.instance_types'::regclass)
      AND obj_description(c.oid, 'pg_class') IS NULL$$,
    'both catalog tables have a comment');
SELECT is_empty($$
    SELECT a.attrelid::regclass || '.' || a.attname FROM pg_attribute a
    WHERE a.attrelid IN ('cloudsim.images'::regclass, 'cloudsim.instance_types'::regclass)
      AND a.attnum > 0 AND NOT a.attisdropped
      AND col_description(a.attrelid, a.attnum) IS NULL$$,
    'every column of both catalog tables has a comment');

/* Who may read and write. */
SELECT ok(has_table_privilege('cloudsim_readonly', 'cloudsim.images', 'SELECT'),
    'cloudsim_readonly can read images');
SELECT ok(has_table_privilege('cloudsim_readonly', 'cloudsim.instance_types', 'SELECT'),
    'cloudsim_readonly can read instance_types');
SELECT ok(has_table_privilege('cloudsim_app', 'cloudsim.images', 'SELECT')
      AND has_table_privilege('cloudsim_app', 'cloudsim.instance_types', 'SELECT'),
    'cloudsim_app can read both catalog tables');
SELECT ok(NOT has_table_privilege('cloudsim_app', 'cloudsim.images', 'INSERT, UPDATE, DELETE')
      AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_types', 'INSERT, UPDATE, DELETE'),
    'cloudsim_app cannot change the catalog');
SELECT ok(NOT has_table_privilege('cloudsim_readonly', 'cloudsim.images', 'INSERT, UPDATE, DELETE, TRUNCATE'),
    'cloudsim_readonly cannot change images');

SELECT * FROM finish();
ROLLBACK;
