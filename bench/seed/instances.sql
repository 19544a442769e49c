/*
 * bench/seed/instances.sql — running instances for the bench, written
 * directly with SQL (100,000 in seconds, where RunInstances would take
 * minutes), as RunInstances leaves them: reservations of 20, a private
 * address taken in subnet_addresses, the VPC's default security group,
 * and a root volume attached (delete on termination).  They live in
 * bench VPCs 10.100.0.0/16, 10.101.0.0/16, … (one /16 subnet each in
 * the region's first zone, 65,531 usable addresses), never in the
 * default VPC.
 *
 * Run by bench.py as the cluster owner:
 *   psql -v account_id=123456789012 -v region=us-east-2 -v count=N -f …
 * Afterwards the account has at least N live instances in the region.
 * It follows sql/006_instances.sql: when that schema changes, this file
 * fails loudly (ON_ERROR_STOP) and the bench reports the error.
 */
\set ON_ERROR_STOP on
BEGIN;
SELECT set_config('bench.account', :'account_id', true),
       set_config('bench.region', :'region', true),
       set_config('bench.count', :'count', true) \gset bench_

DO $$
DECLARE
    acct  text := current_setting('bench.account');
    reg   text := current_setting('bench.region');
    want  bigint := current_setting('bench.count')::bigint;
    zone  text;
    img   record;
    todo  bigint;
    k     integer := 0;
    block cidr;
    vpc   text;
    sub   text;
    sg    text;
    used  bigint;
    take  bigint;
BEGIN
    SELECT name INTO zone FROM cloudsim.zones WHERE region = reg ORDER BY name LIMIT 1;
    SELECT want - count(*) INTO todo FROM cloudsim.instances
    WHERE account_id = acct AND region = reg AND state <> 'terminated';
    SELECT id, root_device_name, root_volume_size_gib INTO img
    FROM cloudsim.images WHERE architecture = 'x86_64' ORDER BY id LIMIT 1;

    WHILE todo > 0 LOOP
        IF k > 150 THEN
            RAISE EXCEPTION 'bench seed: out of bench VPCs';
        END IF;
        block := ('10.' || (100 + k) || '.0.0/16')::cidr;
        SELECT id INTO vpc FROM cloudsim.vpcs
        WHERE account_id = acct AND region = reg AND cidr_block = block
          AND NOT is_default;
        IF vpc IS NULL THEN
            INSERT INTO cloudsim.vpcs (account_id, region, cidr_block)
            VALUES (acct, reg, block) RETURNING id INTO vpc;
            INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block,
                                          vpc_cidr_block, availability_zone)
            VALUES (vpc, acct, reg, block, block, zone);
        END IF;
        SELECT id INTO sub FROM cloudsim.subnets WHERE vpc_id = vpc;
        SELECT id INTO sg FROM cloudsim.security_groups WHERE vpc_id = vpc AND is_default;
        -- Only this file takes addresses here, lowest first: the next free
        -- one is the first usable (network + 4) plus the count taken.
        SELECT count(*) INTO used FROM cloudsim.subnet_addresses WHERE subnet_id = sub;
        take := least(todo, 65531 - used);
        IF take > 0 THEN
            CREATE TEMP TABLE bench_new ON COMMIT DROP AS
            SELECT g, 'i-' || cloudsim.random_hex(17) AS id,
                   'vol-' || cloudsim.random_hex(17) AS vol,
                   set_masklen(block::inet, 32) + 4 + g AS ip,
                   NULL::text AS res
            FROM generate_series(used, used + take - 1) AS g;
            CREATE TEMP TABLE bench_res ON COMMIT DROP AS
            SELECT b, 'r-' || cloudsim.random_hex(17) AS id
            FROM (SELECT DISTINCT g / 20 AS b FROM bench_new) AS s;
            UPDATE bench_new n SET res = r.id FROM bench_res r WHERE r.b = n.g / 20;

            INSERT INTO cloudsim.reservations (id, account_id, region)
            SELECT id, acct, reg FROM bench_res;
            INSERT INTO cloudsim.subnet_addresses (subnet_id, subnet_cidr, account_id,
                                                   address, owner)
            SELECT sub, block, acct, ip, id FROM bench_new;
            INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index,
                account_id, region, availability_zone, vpc_id, subnet_id, image_id,
                instance_type, state, private_ip, associate_public_ip,
                root_device_name, launch_time, created_at)
            SELECT id, res, g % 20, acct, reg, zone, vpc, sub, img.id, 't3.micro',
                   'running', ip, false, img.root_device_name,
                   timestamptz '2026-01-01 00:00:00+00' + (k * 65536 + g) * interval '1 ms',
                   timestamptz '2026-01-01 00:00:00+00' + (k * 65536 + g) * interval '1 ms'
            FROM bench_new ORDER BY g;
            INSERT INTO cloudsim.instance_security_groups (instance_id, vpc_id,
                                                           group_id, position)
            SELECT id, vpc, sg, 0 FROM bench_new;
            INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone,
                                          size_gib, volume_type, encrypted, state)
            SELECT vol, acct, reg, zone, img.root_volume_size_gib, 'gp3', false, 'in-use'
            FROM bench_new;
            INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device,
                state, delete_on_termination)
            SELECT vol, id, img.root_device_name, 'attached', true FROM bench_new;
            DROP TABLE bench_new;
            DROP TABLE bench_res;
            todo := todo - take;
        END IF;
        k := k + 1;
        vpc := NULL;
    END LOOP;
END
$$;
COMMIT;

ANALYZE cloudsim.reservations;
ANALYZE cloudsim.instances;
ANALYZE cloudsim.subnet_addresses;
ANALYZE cloudsim.instance_security_groups;
ANALYZE cloudsim.volumes;
ANALYZE cloudsim.volume_attachments;
