-- 021_functions_planned_once: the SQL functions every write calls, in
-- PL/pgSQL, so that PostgreSQL plans their queries once per connection
-- instead of once per call.
--
-- A LANGUAGE sql function whose body the planner cannot inline (it has
-- a FROM, a subquery or a DML statement) is parsed and planned each
-- time a statement calls it: PostgreSQL 15 keeps no plan for it between
-- statements.  PL/pgSQL keeps its plans for the session.  Measured on
-- the development server with pgbench -M prepared, one call a
-- statement, against SELECT 1 at 0.077 ms:
--   random_hex(17)            0.237 -> 0.113 ms
--   tags_valid(2 tags)        0.220 -> 0.095 ms
--   tags_count(2 tags)        0.142 -> 0.076 ms
--   instances_forget          0.327 -> 0.126 ms
--   instance_usage            0.765 -> 0.203 ms (generic plan, below)
--   allocate_private_ip       0.260 -> 0.083 ms (a query with one good
--                             plan for any subnet, below)
-- Every resource id drawn by a column default calls random_hex, and
-- every row with tags checks its tags domain (both functions): a
-- RunInstances calls the first three times and the domain twice, a
-- CreateVpc (with its route table, group and ACL) about ten and six.
--
-- The results are the same for every input, NULL included
-- (tests/sql/planned_functions.sql compares them with the old bodies).
-- CREATE OR REPLACE keeps each function's owner, comment and grants.

CREATE OR REPLACE FUNCTION cloudsim.random_hex(n integer) RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
DECLARE
    h text := '';
    u text;
BEGIN
    -- As before: no digits (NULL) unless at least one is asked for.
    IF n IS NULL OR n < 1 THEN
        RETURN NULL;
    END IF;
    -- 30 digits per UUID: all but the version (13th) and variant (17th).
    WHILE length(h) < n LOOP
        u := replace(gen_random_uuid()::text, '-', '');
        h := h || substr(u, 1, 12) || substr(u, 14, 3) || substr(u, 18, 15);
    END LOOP;
    RETURN left(h, n);
END
$$;

CREATE OR REPLACE FUNCTION cloudsim.tags_valid(t jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF jsonb_typeof(t) <> 'object' THEN
        RETURN false;
    END IF;
    RETURN NOT EXISTS (
        SELECT 1 FROM jsonb_each(t) AS e
        WHERE jsonb_typeof(e.value) <> 'string'
           OR char_length(e.key) NOT BETWEEN 1 AND 128
           OR char_length(e.value #>> '{}') > 256
           OR lower(left(e.key, 4)) = 'aws:');
END
$$;

CREATE OR REPLACE FUNCTION cloudsim.tags_count(t jsonb) RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF jsonb_typeof(t) = 'object' THEN
        RETURN (SELECT count(*)::integer FROM jsonb_object_keys(t));
    END IF;
    RETURN 0;
END
$$;

CREATE OR REPLACE FUNCTION cloudsim.release_private_ip(subnet_id text, address inet)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cloudsim.subnet_addresses AS a
    WHERE a.subnet_id = release_private_ip.subnet_id
      AND a.address = set_masklen(release_private_ip.address, 32);
    RETURN FOUND;
END
$$;

-- The lowest free address, found with plans that hold for any subnet.
-- 004's one statement (the lowest of "first usable" and "a taken
-- address plus one" that is free) joins the subnet's taken addresses
-- with themselves; with its estimate for an unknown subnet its generic
-- plan reads the whole table twice (every subnet's addresses), so
-- PostgreSQL planned it for each call instead: 0.26 ms a call in a
-- subnet with nothing taken.  Here: the first usable address if free;
-- else the address after the first taken one whose successor is not
-- taken, read in address order from the primary key (lead() compares
-- each address with the next): one index range, stopped at the first
-- gap, whatever the plan.  0.08 ms a call in that subnet; 6.1 against
-- 6.4 ms with 11,000 taken (pgbench, rolled back).  The lowest free
-- address f is always found: f - 1 is taken, and every address below
-- it is followed by a taken one.  A full subnet gives its broadcast
-- address as the candidate, hence the bound.
CREATE OR REPLACE FUNCTION cloudsim.allocate_private_ip(subnet_id text, owner text)
RETURNS inet
LANGUAGE plpgsql AS $$
DECLARE
    s     cloudsim.subnets%ROWTYPE;
    lo    inet;
    hi    inet;
    cand  inet;
    got   inet;
BEGIN
    SELECT * INTO s FROM cloudsim.subnets AS x WHERE x.id = allocate_private_ip.subnet_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the subnet ''%'' does not exist', allocate_private_ip.subnet_id
            USING ERRCODE = 'P0001', HINT = 'InvalidSubnetID.NotFound', DETAIL = '404';
    END IF;
    lo := set_masklen(s.cidr_block::inet, 32) + 4;
    hi := set_masklen(broadcast(s.cidr_block), 32) - 1;
    -- Two callers that pick the same address meet at the primary key:
    -- ON CONFLICT lets the loser look again, with a newer snapshot.
    LOOP
        IF NOT EXISTS (SELECT 1 FROM cloudsim.subnet_addresses AS a
                       WHERE a.subnet_id = s.id AND a.address = lo) THEN
            cand := lo;
        ELSE
            SELECT w.address + 1 INTO cand
            FROM (SELECT a.address,
                         lead(a.address) OVER (ORDER BY a.address) AS next
                  FROM cloudsim.subnet_addresses AS a
                  WHERE a.subnet_id = s.id) AS w
            WHERE w.next IS DISTINCT FROM w.address + 1
            ORDER BY w.address
            LIMIT 1;
        END IF;
        IF cand IS NULL OR cand > hi THEN
            RAISE EXCEPTION 'the subnet ''%'' has no free private IP address', s.id
                USING ERRCODE = 'P0001', HINT = 'InsufficientFreeAddressesInSubnet', DETAIL = '400';
        END IF;
        INSERT INTO cloudsim.subnet_addresses AS t (subnet_id, subnet_cidr, account_id, address, owner)
        VALUES (s.id, s.cidr_block, s.account_id, cand, allocate_private_ip.owner)
        ON CONFLICT ON CONSTRAINT subnet_addresses_pkey DO NOTHING
        RETURNING t.address INTO got;
        IF got IS NOT NULL THEN
            RETURN got;
        END IF;
    END LOOP;
END
$$;

-- Still its owner's: CREATE OR REPLACE would otherwise make it the
-- caller's, and cloudsim_app may not delete instances.
CREATE OR REPLACE FUNCTION cloudsim.instances_forget(account text, reg text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cloudsim, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    DELETE FROM cloudsim.instances AS i
    WHERE i.account_id = account AND i.region = reg
      AND i.visible_until <= now();
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- 020's probes read partial indexes whatever the values, so the plan no
-- longer depends on them: keep one instead of planning four subqueries
-- per launch.  With 900 of 1,000 instances terminated and retained, the
-- generic plan reads instances_terminating_idx by next_state_at, as a
-- custom plan does.
ALTER FUNCTION cloudsim.instance_usage(text, text)
    SET plan_cache_mode = force_generic_plan;
