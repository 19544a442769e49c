-- 017_subnet_address_marks: a subnet knows how many of its addresses are
-- taken and where its lowest free one is, so that taking an address and
-- counting the free ones cost the same in a full /16 as in an empty /28.
--
-- Both used to be read from cloudsim.subnet_addresses on every call:
-- allocate_private_ip took the minimum over "every taken address + 1"
-- with a probe each (4 ms per address with 10,000 taken, growing with
-- the subnet), and the free count behind DescribeSubnets, a launch's
-- capacity check and a subnet's deletion counted the rows.  Now two
-- columns of the subnet's row hold them, and statement triggers on
-- subnet_addresses keep them in the same transaction as the change:
--
--   addresses_taken  the count of the subnet's rows;
--   free_from        the offset (from the network address) of the lowest
--                    free usable address: every usable offset below it is
--                    taken, and it is free, or it is the broadcast's
--                    offset when the subnet is full.
--
-- Whoever changes a subnet's addresses takes the subnet's row lock (FOR
-- NO KEY UPDATE, which foreign key checks do not wait for) before the
-- triggers read anything, and holds it to commit, so the triggers see
-- every earlier change and no later one can interleave.  Allocation
-- takes the lock first and reads free_from, so concurrent allocations
-- in one subnet queue on that row instead of racing to the same address
-- (they used to wait on the primary key instead).  The trigger functions
-- are SECURITY DEFINER: the executables' role cannot write either
-- column, only change addresses.

ALTER TABLE cloudsim.subnets
    ADD COLUMN addresses_taken integer NOT NULL DEFAULT 0,
    ADD COLUMN free_from integer NOT NULL DEFAULT 4,
    ADD CONSTRAINT subnets_addresses_taken_range CHECK (
        addresses_taken BETWEEN 0 AND (1 << (32 - masklen(cidr_block))) - 5),
    ADD CONSTRAINT subnets_free_from_range CHECK (
        free_from BETWEEN 4 AND (1 << (32 - masklen(cidr_block))) - 1);
COMMENT ON COLUMN cloudsim.subnets.addresses_taken IS
    'How many of its addresses are taken (rows of cloudsim.subnet_addresses), kept by that table''s triggers';
COMMENT ON COLUMN cloudsim.subnets.free_from IS
    'Offset from the network address of the lowest free usable address (every usable one below is taken); the broadcast''s offset when full; kept by cloudsim.subnet_addresses'' triggers';

-- The lowest free usable offset of the subnet at or above from_offset
-- (the broadcast's offset when there is none): from_offset itself when
-- it is free, else the end of the run of taken addresses that starts
-- there, read in order along the primary key and no further.
CREATE FUNCTION cloudsim.subnet_first_free(subnet text, block cidr, from_offset integer)
RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN NOT EXISTS (
            SELECT 1 FROM cloudsim.subnet_addresses AS a
            WHERE a.subnet_id = subnet
              AND a.address = set_masklen(block::inet, 32) + from_offset)
        THEN from_offset
        ELSE (SELECT (r.address - block)::integer + 1
              FROM (SELECT a.address,
                           lead(a.address) OVER (ORDER BY a.address) AS next
                    FROM cloudsim.subnet_addresses AS a
                    WHERE a.subnet_id = subnet
                      AND a.address >= set_masklen(block::inet, 32) + from_offset) AS r
              WHERE r.next IS DISTINCT FROM r.address + 1
              ORDER BY r.address
              LIMIT 1)
    END
$$;
COMMENT ON FUNCTION cloudsim.subnet_first_free(text, cidr, integer) IS
    'The lowest free usable offset of a subnet at or above from_offset (the broadcast''s offset when none is); reads only the run of taken addresses that starts there';
REVOKE ALL ON FUNCTION cloudsim.subnet_first_free(text, cidr, integer) FROM PUBLIC;

-- One function for the three row-changing events: rows that leave give
-- their count back and may lower free_from; rows that come in add to
-- the count and may push free_from on.  Subnets are locked in id order,
-- so two statements that touch the same subnets cannot deadlock.  Each
-- event has its own query because a trigger sees only the transition
-- tables of its event.
CREATE FUNCTION cloudsim.subnet_addresses_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cloudsim, pg_temp AS $$
DECLARE
    changes refcursor;
    c       record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        OPEN changes FOR
            SELECT w.subnet_id, count(*) AS delta, NULL::integer AS lowest
            FROM new_rows AS w GROUP BY w.subnet_id ORDER BY w.subnet_id;
    ELSIF TG_OP = 'DELETE' THEN
        OPEN changes FOR
            SELECT o.subnet_id, -count(*) AS delta,
                   min(o.address - o.subnet_cidr)::integer AS lowest
            FROM old_rows AS o GROUP BY o.subnet_id ORDER BY o.subnet_id;
    ELSE
        OPEN changes FOR
            SELECT coalesce(g.subnet_id, m.subnet_id) AS subnet_id,
                   coalesce(m.n, 0) - coalesce(g.n, 0) AS delta, g.lowest
            FROM (SELECT o.subnet_id, count(*) AS n,
                         min(o.address - o.subnet_cidr)::integer AS lowest
                  FROM old_rows AS o GROUP BY o.subnet_id) AS g
            FULL JOIN (SELECT w.subnet_id, count(*) AS n
                       FROM new_rows AS w GROUP BY w.subnet_id) AS m
                ON m.subnet_id = g.subnet_id
            ORDER BY 1;
    END IF;
    LOOP
        FETCH changes INTO c;
        EXIT WHEN NOT FOUND;
        -- Lock first: the next statement's snapshot then holds every
        -- change committed before the lock was granted.
        PERFORM 1 FROM cloudsim.subnets AS s WHERE s.id = c.subnet_id
        FOR NO KEY UPDATE;
        UPDATE cloudsim.subnets AS s
        SET addresses_taken = s.addresses_taken + c.delta,
            free_from = cloudsim.subnet_first_free(s.id, s.cidr_block,
                            least(s.free_from, coalesce(c.lowest, s.free_from)))
        WHERE s.id = c.subnet_id;
    END LOOP;
    CLOSE changes;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.subnet_addresses_changed() IS
    'Trigger: keeps cloudsim.subnets.addresses_taken and free_from equal to the subnet''s rows of cloudsim.subnet_addresses';
REVOKE ALL ON FUNCTION cloudsim.subnet_addresses_changed() FROM PUBLIC;

-- Transition tables allow one event per trigger, hence three.
CREATE TRIGGER subnet_addresses_inserted AFTER INSERT ON cloudsim.subnet_addresses
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.subnet_addresses_changed();
CREATE TRIGGER subnet_addresses_updated AFTER UPDATE ON cloudsim.subnet_addresses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.subnet_addresses_changed();
CREATE TRIGGER subnet_addresses_deleted AFTER DELETE ON cloudsim.subnet_addresses
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.subnet_addresses_changed();

-- TRUNCATE fires no row changes; it empties every subnet.
CREATE FUNCTION cloudsim.subnet_addresses_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cloudsim, pg_temp AS $$
BEGIN
    UPDATE cloudsim.subnets SET addresses_taken = 0, free_from = 4
    WHERE addresses_taken <> 0 OR free_from <> 4;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.subnet_addresses_truncated() IS
    'Trigger: after TRUNCATE of cloudsim.subnet_addresses every subnet is empty again';
REVOKE ALL ON FUNCTION cloudsim.subnet_addresses_truncated() FROM PUBLIC;
CREATE TRIGGER subnet_addresses_truncated AFTER TRUNCATE ON cloudsim.subnet_addresses
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.subnet_addresses_truncated();

-- The subnets that exist already.
UPDATE cloudsim.subnets AS s
SET addresses_taken = t.n,
    free_from = cloudsim.subnet_first_free(s.id, s.cidr_block, 4)
FROM (SELECT a.subnet_id, count(*) AS n FROM cloudsim.subnet_addresses AS a
      GROUP BY a.subnet_id) AS t
WHERE t.subnet_id = s.id;

-- The lowest free usable address, in constant time: the subnet's
-- free_from under its row lock.  The lock also orders this against a
-- release, whose trigger may lower free_from.  The insert's trigger
-- moves free_from on.  A conflict at the primary key can only come from
-- a row written past the triggers (or a concurrent insert of that exact
-- address, which then deadlocks with this lock and is retried); the next
-- offset is tried then.  Tenancy is the caller's business: it passes a
-- subnet it has already checked.
CREATE OR REPLACE FUNCTION cloudsim.allocate_private_ip(subnet_id text, owner text) RETURNS inet
LANGUAGE plpgsql AS $$
DECLARE
    s     cloudsim.subnets%ROWTYPE;
    try   integer;
    last  integer;
    got   inet;
BEGIN
    SELECT * INTO s FROM cloudsim.subnets AS x
    WHERE x.id = allocate_private_ip.subnet_id
    FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the subnet ''%'' does not exist', allocate_private_ip.subnet_id
            USING ERRCODE = 'P0001', HINT = 'InvalidSubnetID.NotFound', DETAIL = '404';
    END IF;
    last := (1 << (32 - masklen(s.cidr_block))) - 2;
    try := s.free_from;
    LOOP
        IF try > last THEN
            RAISE EXCEPTION 'the subnet ''%'' has no free private IP address', s.id
                USING ERRCODE = 'P0001', HINT = 'InsufficientFreeAddressesInSubnet', DETAIL = '400';
        END IF;
        INSERT INTO cloudsim.subnet_addresses AS t (subnet_id, subnet_cidr, account_id, address, owner)
        VALUES (s.id, s.cidr_block, s.account_id,
                set_masklen(s.cidr_block::inet, 32) + try, allocate_private_ip.owner)
        ON CONFLICT ON CONSTRAINT subnet_addresses_pkey DO NOTHING
        RETURNING t.address INTO got;
        IF got IS NOT NULL THEN
            RETURN got;
        END IF;
        try := try + 1;
    END LOOP;
END
$$;

-- release_private_ip is unchanged: its DELETE fires the trigger.

-- The free count from the row instead of a count of the addresses.
CREATE OR REPLACE VIEW cloudsim.v_subnets AS
SELECT s.id,
       'arn:aws:ec2:' || s.region || ':' || s.account_id || ':subnet/' || s.id AS arn,
       s.account_id, s.region, s.vpc_id, s.cidr_block, s.availability_zone,
       z.zone_id AS availability_zone_id,
       (1::bigint << (32 - masklen(s.cidr_block))) - 5 - s.addresses_taken
           AS available_ip_address_count,
       s.map_public_ip_on_launch, s.default_for_az, s.state, s.created_at, s.tags
FROM cloudsim.subnets AS s
JOIN cloudsim.zones AS z ON z.name = s.availability_zone;
COMMENT ON COLUMN cloudsim.v_subnets.available_ip_address_count IS
    'Addresses of the block less the 5 AWS reserves less those taken (subnets.addresses_taken, kept equal to subnet_addresses by its triggers)';
