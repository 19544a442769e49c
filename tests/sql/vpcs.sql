/*
 * vpcs.sql — pgTAP checks of sql/004_vpcs.sql: the constraints
 * themselves (so they hold whoever writes), what the triggers give every
 * VPC and group, the default VPCs of registration, the private address
 * functions for the instances service, comments and privileges.  Runs
 * under pg_prove as the cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(102);

-- Run sql as role (cloudsim_app, cloudsim_readonly): proves the grants.
-- A failure inside a throws_ok rolls the SET ROLE back with it.
CREATE FUNCTION pg_temp.as_role(role text, sql text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role);
    EXECUTE sql;
    RESET ROLE;
END
$$;
CREATE FUNCTION pg_temp.as_app(sql text) RETURNS void
LANGUAGE sql AS $$ SELECT pg_temp.as_role('cloudsim_app', sql) $$;

/* ---- the schema ---------------------------------------------------- */
SELECT has_table('cloudsim', t, 'table cloudsim.' || t || ' exists')
FROM unnest(ARRAY['vpcs', 'subnets', 'subnet_addresses', 'security_groups',
    'security_group_rules', 'internet_gateways', 'route_tables', 'routes',
    'route_table_associations']) AS t;
SELECT has_view('cloudsim', v, 'view cloudsim.' || v || ' exists')
FROM unnest(ARRAY['v_vpcs', 'v_subnets', 'v_security_groups',
    'v_internet_gateways', 'v_route_tables']) AS v;
SELECT has_function('cloudsim', 'allocate_private_ip', ARRAY['text', 'text'],
    'allocate_private_ip(subnet, owner) exists');
SELECT has_function('cloudsim', 'release_private_ip', ARRAY['text', 'inet'],
    'release_private_ip(subnet, address) exists');
SELECT has_function('cloudsim', 'ensure_default_vpc', ARRAY['text', 'text'],
    'ensure_default_vpc(account, region) exists');

CREATE TEMP VIEW mine AS
    SELECT c.oid, c.relname FROM pg_class c
    WHERE c.relnamespace = 'cloudsim'::regnamespace
      AND c.relname IN ('vpcs', 'subnets', 'subnet_addresses', 'security_groups',
          'security_group_rules', 'internet_gateways', 'route_tables', 'routes',
          'route_table_associations', 'v_vpcs', 'v_subnets', 'v_security_groups',
          'v_internet_gateways', 'v_route_tables');
SELECT is((SELECT count(*)::int FROM mine), 14, 'nine tables and five views');
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
      AND p.proname IN ('random_hex', 'new_vpc_id', 'new_subnet_id', 'tags_valid',
          'tags_count', 'tags_match', 'vpcs_created', 'route_tables_created',
          'security_groups_created', 'vpcs_deleting', 'routes_deleting',
          'security_group_rule_json', 'route_json', 'allocate_private_ip', 'route_tables_deleting',
          'release_private_ip', 'create_default_vpcs', 'ensure_default_vpc',
          'account_created')
      AND obj_description(p.oid, 'pg_proc') IS NULL$$,
    'every function is commented');

/* ---- registration: default VPCs ------------------------------------ */
INSERT INTO cloudsim.accounts (id, name) VALUES
    ('900000000001', 'pgtap a'), ('900000000002', 'pgtap b');
SELECT lives_ok($$SELECT pg_temp.as_app('SELECT cloudsim.account_created(''900000000001'')')$$,
    'cloudsim_app runs account_created');
SELECT is((SELECT count(*) FROM cloudsim.vpcs WHERE account_id = '900000000001' AND is_default),
    (SELECT count(*) FROM cloudsim.regions), 'a default VPC in every region');
SELECT is_empty($$
    SELECT id FROM cloudsim.vpcs WHERE account_id = '900000000001'
    AND (cidr_block <> '172.31.0.0/16' OR NOT enable_dns_hostnames)$$,
    'default VPCs are 172.31.0.0/16 with DNS host names');
SELECT is((SELECT count(*) FROM cloudsim.subnets WHERE account_id = '900000000001'),
    (SELECT count(*) FROM cloudsim.zones), 'a default subnet in every zone');
SELECT results_eq($$
    SELECT s.availability_zone, s.cidr_block::text FROM cloudsim.subnets s
    WHERE s.account_id = '900000000001' AND s.region = 'us-east-1'
    ORDER BY s.availability_zone$$,
    $$VALUES ('us-east-1a', '172.31.0.0/20'), ('us-east-1b', '172.31.16.0/20'),
        ('us-east-1c', '172.31.32.0/20'), ('us-east-1d', '172.31.48.0/20'),
        ('us-east-1e', '172.31.64.0/20'), ('us-east-1f', '172.31.80.0/20')$$,
    'us-east-1 default subnets are consecutive /20s in zone order');
SELECT is_empty($$
    SELECT id FROM cloudsim.subnets WHERE account_id = '900000000001'
    AND NOT (map_public_ip_on_launch AND default_for_az)$$,
    'default subnets map public IPs and are default for their zone');
SELECT is_empty($$
    SELECT v.id FROM cloudsim.vpcs v WHERE v.account_id = '900000000001'
    AND NOT EXISTS (SELECT 1 FROM cloudsim.internet_gateways g WHERE g.vpc_id = v.id)$$,
    'every default VPC has an attached internet gateway');
SELECT is_empty($$
    SELECT t.id FROM cloudsim.route_tables t JOIN cloudsim.vpcs v ON v.id = t.vpc_id
    WHERE v.account_id = '900000000001' AND t.main
    AND (SELECT array_agg(r.destination_cidr_block::text || ' ' ||
             CASE WHEN r.gateway_id = 'local' THEN 'local' ELSE 'igw' END
             ORDER BY r.destination_cidr_block)
         FROM cloudsim.routes r WHERE r.route_table_id = t.id)
        <> ARRAY['0.0.0.0/0 igw', '172.31.0.0/16 local']$$,
    'every default main table routes the VPC locally and 0.0.0.0/0 to the gateway');
SELECT is_empty($$
    SELECT r->>'gateway_id' FROM cloudsim.v_route_tables t, json_array_elements(t.routes) r
    WHERE t.account_id = '900000000001' AND r->>'state' <> 'active'$$,
    'their routes are active');
SELECT set_eq($$
    SELECT r.direction, r.protocol, r.cidr::text, r.source_group_id = g.id
    FROM cloudsim.security_groups g JOIN cloudsim.security_group_rules r ON r.group_id = g.id
    WHERE g.account_id = '900000000001' AND g.region = 'us-east-1'$$,
    $$VALUES ('egress', '-1', '0.0.0.0/0', NULL::boolean), ('ingress', '-1', NULL, true)$$,
    'the default group sends anywhere and admits its own members');
SELECT is((SELECT name || '/' || description FROM cloudsim.security_groups
           WHERE account_id = '900000000001' AND region = 'us-east-1'),
    'default/default VPC security group', 'the default group is named as AWS names it');
SELECT is(cloudsim.ensure_default_vpc('900000000001', 'eu-west-1'),
    (SELECT id FROM cloudsim.vpcs WHERE account_id = '900000000001'
     AND region = 'eu-west-1' AND is_default),
    'ensure_default_vpc returns the existing default VPC');
SELECT is((SELECT count(*)::int FROM cloudsim.vpcs WHERE account_id = '900000000001'),
    (SELECT count(*)::int FROM cloudsim.regions), 'and creates nothing more');
SELECT throws_ok($$SELECT cloudsim.ensure_default_vpc('900000000001', 'xx-nowhere-1')$$,
    'P0001', 'the region ''xx-nowhere-1'' does not exist', 'ensure_default_vpc refuses unknown regions');
SELECT lives_ok($$SELECT pg_temp.as_app('SELECT cloudsim.ensure_default_vpc(''900000000002'', ''eu-west-1'')')$$,
    'cloudsim_app runs ensure_default_vpc for a new account');
SELECT is((SELECT count(*)::int FROM cloudsim.subnets WHERE account_id = '900000000002'),
    (SELECT count(*)::int FROM cloudsim.zones WHERE region = 'eu-west-1'),
    'which creates that region''s default VPC with its subnets');
SELECT throws_ok($$INSERT INTO cloudsim.vpcs (account_id, region, cidr_block, is_default)
    VALUES ('900000000001', 'us-east-1', '10.9.0.0/16', true)$$,
    '23505', NULL, 'a second default VPC in a region is refused');

/* ---- VPCs and subnets ---------------------------------------------- */
INSERT INTO cloudsim.vpcs (id, account_id, region, cidr_block)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.0.0.0/16'),
           ('vpc-0000000b', '900000000001', 'us-east-1', '10.0.0.0/16'),
           ('vpc-0000000c', '900000000002', 'us-east-1', '10.1.0.0/16');
SELECT is((SELECT count(*)::int FROM cloudsim.route_tables WHERE vpc_id = 'vpc-0000000a' AND main),
    1, 'a new VPC gets its main route table');
SELECT is((SELECT json_agg(r.destination_cidr_block::text || ' ' || r.gateway_id)::text
           FROM cloudsim.routes r JOIN cloudsim.route_tables t ON t.id = r.route_table_id
           WHERE t.vpc_id = 'vpc-0000000a'), '["10.0.0.0/16 local"]',
    'with the local route only');
SELECT is((SELECT count(*)::int FROM cloudsim.security_groups WHERE vpc_id = 'vpc-0000000a' AND is_default),
    1, 'and its default security group');
SELECT throws_ok($$INSERT INTO cloudsim.vpcs (account_id, region, cidr_block)
    VALUES ('900000000001', 'us-east-1', '10.0.0.0/8')$$,
    '23514', NULL, 'a /8 VPC is refused');
SELECT throws_ok($$INSERT INTO cloudsim.vpcs (account_id, region, cidr_block)
    VALUES ('900000000001', 'us-east-1', '10.0.0.0/29')$$,
    '23514', NULL, 'a /29 VPC is refused');
SELECT throws_ok($$INSERT INTO cloudsim.vpcs (account_id, region, cidr_block)
    VALUES ('900000000001', 'us-east-1', 'fd00::/56')$$,
    '23514', NULL, 'an IPv6 VPC is refused');
SELECT throws_ok($$INSERT INTO cloudsim.vpcs (account_id, region, cidr_block)
    VALUES ('900000000001', 'us-east-1', '10.0.0.1/16')$$,
    '22P02', NULL, 'a block with host bits is refused by the cidr type');

INSERT INTO cloudsim.subnets (id, vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('subnet-0000000a', 'vpc-0000000a', '900000000001', 'us-east-1', '10.0.1.0/24', '10.0.0.0/16', 'us-east-1a');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.0.1.128/25', '10.0.0.0/16', 'us-east-1b')$$,
    '23P01', NULL, 'an overlapping sibling subnet is refused by the exclusion constraint');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.0.0.0/16', '10.0.0.0/16', 'us-east-1b')$$,
    '23P01', NULL, 'so is a subnet that covers a sibling');
SELECT lives_ok($$SELECT pg_temp.as_app('INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES (''vpc-0000000a'', ''900000000001'', ''us-east-1'', ''10.0.2.0/24'', ''10.0.0.0/16'', ''us-east-1b'')')$$,
    'a disjoint sibling is accepted (as cloudsim_app)');
SELECT lives_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000b', '900000000001', 'us-east-1', '10.0.1.0/24', '10.0.0.0/16', 'us-east-1a')$$,
    'the same block in another VPC is accepted');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.0.9.0/24', '10.0.0.0/8', 'us-east-1a')$$,
    '23503', NULL, 'a wrong copy of the VPC''s block is refused by the foreign key');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.1.0.0/24', '10.0.0.0/16', 'us-east-1a')$$,
    '23514', 'new row for relation "subnets" violates check constraint "subnets_inside_vpc"',
    'a subnet outside its VPC is refused');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.0.9.0/24', '10.0.0.0/16', 'eu-west-1a')$$,
    '23514', NULL, 'a subnet in another region''s zone is refused');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000002', 'us-east-1', '10.0.9.0/24', '10.0.0.0/16', 'us-east-1a')$$,
    '23503', NULL, 'a subnet of another account''s VPC is refused');
SELECT throws_ok($$INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', '10.0.9.0/29', '10.0.0.0/16', 'us-east-1a')$$,
    '23514', NULL, 'a /29 subnet is refused');

/* ---- addresses ----------------------------------------------------- */
INSERT INTO cloudsim.subnets (id, vpc_id, account_id, region, cidr_block, vpc_cidr_block, availability_zone)
    VALUES ('subnet-0000000b', 'vpc-0000000a', '900000000001', 'us-east-1', '10.0.3.0/28', '10.0.0.0/16', 'us-east-1a');
SELECT is((SELECT available_ip_address_count FROM cloudsim.v_subnets WHERE id = 'subnet-0000000b'),
    11::bigint, 'a /28 has 11 usable addresses');
CREATE TEMP TABLE got (n serial, address inet);
GRANT ALL ON got, got_n_seq TO cloudsim_app;
SELECT lives_ok($$SELECT pg_temp.as_app('INSERT INTO got (address) SELECT cloudsim.allocate_private_ip(''subnet-0000000b'', ''i-test'') FROM generate_series(1, 11)')$$,
    'cloudsim_app allocates all 11 addresses');
SELECT results_eq($$SELECT host(address) FROM got ORDER BY n$$,
    $$SELECT '10.0.3.' || i FROM generate_series(4, 14) AS i$$,
    'allocation hands out the lowest free address, .4 to .14, never a reserved one');
SELECT is((SELECT available_ip_address_count FROM cloudsim.v_subnets WHERE id = 'subnet-0000000b'),
    0::bigint, 'the full subnet shows 0 available');
SELECT throws_ok($$SELECT cloudsim.allocate_private_ip('subnet-0000000b', 'i-test')$$,
    'P0001', 'the subnet ''subnet-0000000b'' has no free private IP address',
    'a full subnet raises InsufficientFreeAddressesInSubnet');
SELECT throws_ok($$SELECT cloudsim.allocate_private_ip('subnet-ffffffff', 'i-test')$$,
    'P0001', 'the subnet ''subnet-ffffffff'' does not exist', 'an unknown subnet is reported');
SELECT ok(cloudsim.release_private_ip('subnet-0000000b', '10.0.3.7'), 'release gives .7 back');
SELECT ok(NOT cloudsim.release_private_ip('subnet-0000000b', '10.0.3.7'), 'releasing it twice is false');
SELECT is((SELECT available_ip_address_count FROM cloudsim.v_subnets WHERE id = 'subnet-0000000b'),
    1::bigint, 'one address is available again');
SELECT is(host(cloudsim.allocate_private_ip('subnet-0000000b', 'i-other')), '10.0.3.7',
    'the released address is the next one handed out');
SELECT throws_ok($$INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id, address, owner)
    VALUES ('subnet-0000000a', '10.0.1.0/24', '900000000001', '10.0.1.3', 'x')$$,
    '23514', NULL, 'the fourth address is reserved');
SELECT throws_ok($$INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id, address, owner)
    VALUES ('subnet-0000000a', '10.0.1.0/24', '900000000001', '10.0.1.255', 'x')$$,
    '23514', NULL, 'the broadcast address is reserved');
SELECT throws_ok($$INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id, address, owner)
    VALUES ('subnet-0000000b', '10.0.3.0/28', '900000000001', '10.0.3.4', 'x')$$,
    '23505', NULL, 'an address is taken once per subnet');
SELECT throws_ok($$DELETE FROM cloudsim.subnets WHERE id = 'subnet-0000000b'$$,
    '23503', NULL, 'a subnet with addresses in use cannot be deleted');

/* ---- gateways, route tables, associations -------------------------- */
INSERT INTO cloudsim.internet_gateways (id, account_id, region, vpc_id) VALUES
    ('igw-0000000000000000a', '900000000001', 'us-east-1', 'vpc-0000000a'),
    ('igw-0000000000000000b', '900000000001', 'us-east-1', NULL);
SELECT throws_ok($$UPDATE cloudsim.internet_gateways SET vpc_id = 'vpc-0000000a'
    WHERE id = 'igw-0000000000000000b'$$,
    '23505', NULL, 'a VPC takes one internet gateway');
SELECT throws_ok($$UPDATE cloudsim.internet_gateways SET vpc_id = 'vpc-0000000c'
    WHERE id = 'igw-0000000000000000b'$$,
    '23503', NULL, 'a gateway cannot attach to another account''s VPC');
SELECT throws_ok($$DELETE FROM cloudsim.vpcs WHERE id = 'vpc-0000000b'$$,
    '23503', NULL, 'a VPC with subnets cannot be deleted');
INSERT INTO cloudsim.route_tables (id, vpc_id, account_id, region)
    VALUES ('rtb-0000000000000000a', 'vpc-0000000a', '900000000001', 'us-east-1');
SELECT throws_ok($$INSERT INTO cloudsim.route_tables (vpc_id, account_id, region, main, main_association_id)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', true, 'rtbassoc-00000000000000000')$$,
    '23505', NULL, 'a VPC has one main route table');
SELECT throws_ok($$DELETE FROM cloudsim.routes WHERE route_table_id = 'rtb-0000000000000000a'$$,
    'P0001', 'the local route of route table ''rtb-0000000000000000a'' cannot be deleted',
    'the local route cannot be deleted');
INSERT INTO cloudsim.routes (route_table_id, destination_cidr_block, gateway_id, origin)
    VALUES ('rtb-0000000000000000a', '0.0.0.0/0', 'igw-0000000000000000a', 'CreateRoute');
SELECT throws_ok($$INSERT INTO cloudsim.routes (route_table_id, destination_cidr_block, gateway_id, origin)
    VALUES ('rtb-0000000000000000a', '0.0.0.0/0', 'igw-0000000000000000b', 'CreateRoute')$$,
    '23505', NULL, 'one route per destination');
UPDATE cloudsim.internet_gateways SET vpc_id = NULL WHERE id = 'igw-0000000000000000a';
SELECT is((SELECT r->>'state' FROM cloudsim.v_route_tables t, json_array_elements(t.routes) r
           WHERE t.id = 'rtb-0000000000000000a' AND r->>'gateway_id' = 'igw-0000000000000000a'),
    'blackhole', 'a route to a detached gateway is a blackhole');
INSERT INTO cloudsim.route_table_associations (id, route_table_id, vpc_id, subnet_id)
    VALUES ('rtbassoc-0000000000000000a', 'rtb-0000000000000000a', 'vpc-0000000a', 'subnet-0000000a');
SELECT throws_ok($$INSERT INTO cloudsim.route_table_associations (route_table_id, vpc_id, subnet_id)
    SELECT id, vpc_id, 'subnet-0000000a' FROM cloudsim.route_tables WHERE vpc_id = 'vpc-0000000a' AND main$$,
    '23505', NULL, 'a subnet is associated with one table at most');
SELECT throws_ok($$INSERT INTO cloudsim.route_table_associations (route_table_id, vpc_id, subnet_id)
    SELECT t.id, t.vpc_id, s.id FROM cloudsim.route_tables t, cloudsim.subnets s
    WHERE t.vpc_id = 'vpc-0000000a' AND t.main AND s.vpc_id = 'vpc-0000000b'$$,
    '23503', NULL, 'a table and a subnet of different VPCs cannot be associated');
SELECT throws_ok($$DELETE FROM cloudsim.route_tables WHERE id = 'rtb-0000000000000000a'$$,
    '23503', NULL, 'a table with associations cannot be deleted');
DELETE FROM cloudsim.route_table_associations WHERE id = 'rtbassoc-0000000000000000a';
SELECT lives_ok($$SELECT pg_temp.as_app('DELETE FROM cloudsim.route_tables WHERE id = ''rtb-0000000000000000a''')$$,
    'without them it can (and its local route goes with it)');
SELECT is((SELECT count(*)::int FROM cloudsim.routes WHERE route_table_id = 'rtb-0000000000000000a'),
    0, 'no route of the deleted table is left');

/* ---- security groups ----------------------------------------------- */
INSERT INTO cloudsim.security_groups (id, vpc_id, account_id, region, name, description) VALUES
    ('sg-0000000000000000a', 'vpc-0000000a', '900000000001', 'us-east-1', 'web', 'web'),
    ('sg-0000000000000000b', 'vpc-0000000a', '900000000001', 'us-east-1', 'db', 'db'),
    ('sg-0000000000000000c', 'vpc-0000000b', '900000000001', 'us-east-1', 'web', 'other vpc');
SELECT is((SELECT json_agg(json_build_array(direction, protocol, cidr))::text
           FROM cloudsim.security_group_rules WHERE group_id = 'sg-0000000000000000a'),
    '[["egress", "-1", "0.0.0.0/0"]]', 'a new group gets only the allow-all egress rule');
SELECT throws_ok($$INSERT INTO cloudsim.security_groups (vpc_id, account_id, region, name, description)
    VALUES ('vpc-0000000a', '900000000001', 'us-east-1', 'web', 'again')$$,
    '23505', NULL, 'group names are unique in a VPC');
INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, cidr)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'tcp', 80, 80, '0.0.0.0/0');
SELECT throws_ok($$INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, cidr)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'tcp', 80, 80, '0.0.0.0/0')$$,
    '23505', NULL, 'a duplicate rule is refused');
SELECT throws_ok($$INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, cidr)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'tcp', 90, 80, '0.0.0.0/0')$$,
    '23514', NULL, 'from_port above to_port is refused');
SELECT throws_ok($$INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, cidr)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'udp', 0, 65536, '0.0.0.0/0')$$,
    '23514', NULL, 'a port over 65535 is refused');
SELECT throws_ok($$INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, cidr, source_group_id)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'tcp', 22, 22, '10.0.0.0/8', 'sg-0000000000000000b')$$,
    '23514', NULL, 'a rule names a block or a group, not both');
SELECT throws_ok($$INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, source_group_id)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'tcp', 22, 22, 'sg-0000000000000000c')$$,
    '23503', NULL, 'a source group of another VPC is refused');
INSERT INTO cloudsim.security_group_rules (group_id, vpc_id, direction, protocol, from_port, to_port, source_group_id)
    VALUES ('sg-0000000000000000a', 'vpc-0000000a', 'ingress', 'tcp', 5432, 5432, 'sg-0000000000000000b'),
           ('sg-0000000000000000b', 'vpc-0000000a', 'ingress', '-1', -1, -1, 'sg-0000000000000000b');
SELECT throws_ok($$DELETE FROM cloudsim.security_groups WHERE id = 'sg-0000000000000000b'$$,
    '23503', NULL, 'a group another group''s rule names is in use');
DELETE FROM cloudsim.security_group_rules WHERE group_id = 'sg-0000000000000000a' AND source_group_id IS NOT NULL;
SELECT lives_ok($$DELETE FROM cloudsim.security_groups WHERE id = 'sg-0000000000000000b'$$,
    'a group naming only itself can be deleted');

/* ---- deleting VPCs and accounts ------------------------------------ */
SELECT throws_ok($$DELETE FROM cloudsim.route_tables WHERE vpc_id = 'vpc-0000000a' AND main$$,
    'P0001', NULL, 'a main route table is not deleted on its own');
INSERT INTO cloudsim.route_tables (id, vpc_id, account_id, region)
    VALUES ('rtb-0000000000000000b', 'vpc-0000000a', '900000000001', 'us-east-1');
INSERT INTO cloudsim.route_table_associations (route_table_id, vpc_id, subnet_id)
    VALUES ('rtb-0000000000000000b', 'vpc-0000000a', 'subnet-0000000a');
SELECT throws_ok($$DELETE FROM cloudsim.vpcs WHERE id = 'vpc-0000000a'$$,
    '23503', NULL, 'a VPC with other groups and subnets cannot be deleted');
INSERT INTO cloudsim.vpcs (id, account_id, region, cidr_block)
    VALUES ('vpc-0000000d', '900000000001', 'us-east-1', '10.4.0.0/16');
SELECT lives_ok($$SELECT pg_temp.as_app('DELETE FROM cloudsim.vpcs WHERE id = ''vpc-0000000d''')$$,
    'an empty VPC is deleted (as cloudsim_app)');
SELECT is((SELECT count(*)::int FROM cloudsim.route_tables WHERE vpc_id = 'vpc-0000000d')
        + (SELECT count(*)::int FROM cloudsim.security_groups WHERE vpc_id = 'vpc-0000000d'),
    0, 'with its main route table and default group');
SELECT lives_ok($$DELETE FROM cloudsim.accounts WHERE id = '900000000001'$$,
    'deleting an account cascades through its whole network');
SELECT is((SELECT count(*)::int FROM cloudsim.vpcs WHERE account_id = '900000000001')
        + (SELECT count(*)::int FROM cloudsim.subnet_addresses WHERE subnet_id = 'subnet-0000000b'),
    0, 'and leaves nothing of it');

/* ---- tags ---------------------------------------------------------- */
SELECT throws_ok($$UPDATE cloudsim.vpcs SET tags = (SELECT jsonb_object_agg('k' || i, 'v')
    FROM generate_series(1, 51) i) WHERE id = 'vpc-0000000c'$$,
    '23514', NULL, 'more than 50 tags are refused');
SELECT throws_ok($$UPDATE cloudsim.vpcs SET tags = '{"AWS:x": "v"}' WHERE id = 'vpc-0000000c'$$,
    '23514', NULL, 'aws: keys are refused');
SELECT ok(cloudsim.tags_match('{"Name": "web", "env": "prod"}', '{"Name": ["db", "web"], "env": ["prod"]}'),
    'tag filters OR the values of a key and AND the keys');
SELECT ok(NOT cloudsim.tags_match('{"Name": "web"}', '{"Name": ["web"], "env": ["prod"]}'),
    'a missing tag does not match');

/* ---- privileges ---------------------------------------------------- */
SELECT throws_ok($$SELECT pg_temp.as_app('UPDATE cloudsim.vpcs SET cidr_block = ''10.7.0.0/16''')$$,
    '42501', NULL, 'cloudsim_app cannot change a VPC''s block');
SELECT lives_ok($$SELECT pg_temp.as_role('cloudsim_readonly',
    'SELECT (SELECT 1 FROM cloudsim.v_vpcs LIMIT 1), (SELECT 1 FROM cloudsim.v_subnets LIMIT 1),
     (SELECT 1 FROM cloudsim.v_security_groups LIMIT 1), (SELECT 1 FROM cloudsim.v_route_tables LIMIT 1),
     (SELECT 1 FROM cloudsim.v_internet_gateways LIMIT 1), (SELECT 1 FROM cloudsim.subnet_addresses LIMIT 1)')$$,
    'cloudsim_readonly reads the views and tables');
SELECT throws_ok($$SELECT pg_temp.as_role('cloudsim_readonly',
    'INSERT INTO cloudsim.internet_gateways (account_id, region) VALUES (''900000000002'', ''us-east-1'')')$$,
    '42501', NULL, 'cloudsim_readonly cannot write');

SELECT * FROM finish();
ROLLBACK;
