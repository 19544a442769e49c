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
