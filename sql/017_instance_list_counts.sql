-- 017_instance_list_counts: the total of an unfiltered instance list
-- without reading the list.
--
-- API.md's list envelope carries an exact "total".  It was a count(*)
-- over every instance the caller may see in the region, one pass over
-- the account's rows per page (about 20 ms at 100,000 instances, while
-- the page itself is a range of instances_list_idx and stays flat).
-- Now the live instances (visible_until NULL) are counted as they come
-- and go, per account and region, in cloudsim.instance_list_counts;
-- the terminated ones still listed (visible_until in the future) are
-- few, the retention's worth, and are counted through their own
-- partial index.  So a list with no filter answers
--   live (this table) + count(visible_until > now()) (the index)
-- in constant time whatever the account holds.  A filtered list still
-- counts its matches.
--
-- The triggers keep the table exact in every transaction that changes
-- instances (the row is locked until commit, so concurrent changes in
-- one account and region queue on it; launches already queue on their
-- quota lock).  Bulk inserts and deletes are counted per statement
-- from their transition tables.  The table belongs to the triggers:
-- the executables only read it.

CREATE TABLE cloudsim.instance_list_counts (
    account_id text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region     text NOT NULL REFERENCES cloudsim.regions (name),
    live       bigint NOT NULL CHECK (live >= 0),
    PRIMARY KEY (account_id, region)
);
COMMENT ON TABLE cloudsim.instance_list_counts IS
    'Per account and region, how many instances are live (visible_until IS NULL); kept by the triggers on cloudsim.instances, read for the total of an unfiltered list';
COMMENT ON COLUMN cloudsim.instance_list_counts.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.instance_list_counts.region IS 'Region';
COMMENT ON COLUMN cloudsim.instance_list_counts.live IS 'Instances of the account in the region not yet terminated (visible_until IS NULL)';

-- Terminated instances still listed: a range of this index.
CREATE INDEX instances_visible_until_idx ON cloudsim.instances
    (account_id, region, visible_until) WHERE visible_until IS NOT NULL;

-- Adds delta live instances to (account, region); the row is made on
-- first use and never removed but with its account.  A removal updates
-- only: the instances it removes were counted, so the row is there (an
-- upsert would check its proposed negative row against live >= 0).
CREATE FUNCTION cloudsim.instance_list_count_add(account text, reg text,
    delta bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF delta >= 0 THEN
        INSERT INTO cloudsim.instance_list_counts AS c (account_id, region, live)
        VALUES (account, reg, delta)
        ON CONFLICT (account_id, region) DO UPDATE SET live = c.live + delta;
    ELSE
        UPDATE cloudsim.instance_list_counts AS c SET live = c.live + delta
        WHERE c.account_id = account AND c.region = reg;
    END IF;
END
$$;
COMMENT ON FUNCTION cloudsim.instance_list_count_add(text, text, bigint) IS
    'Adds delta (negative to remove) to the live instances of an account in a region';

-- Inserted rows add, deleted rows remove.  Each branch names only its
-- own trigger's transition table (PL/pgSQL prepares a statement when it
-- first runs it).
CREATE FUNCTION cloudsim.instances_counted_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cloudsim.instance_list_count_add(n.account_id, n.region, count(*))
        FROM new_rows AS n WHERE n.visible_until IS NULL
        GROUP BY n.account_id, n.region;
    ELSE
        PERFORM cloudsim.instance_list_count_add(o.account_id, o.region, -count(*))
        FROM old_rows AS o WHERE o.visible_until IS NULL
        GROUP BY o.account_id, o.region;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instances_counted_rows() IS
    'Trigger: counts the live instances a statement inserted, or uncounts those it deleted';

CREATE FUNCTION cloudsim.instances_counted_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.visible_until IS NULL THEN
        PERFORM cloudsim.instance_list_count_add(OLD.account_id, OLD.region, -1);
    END IF;
    IF NEW.visible_until IS NULL THEN
        PERFORM cloudsim.instance_list_count_add(NEW.account_id, NEW.region, 1);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instances_counted_update() IS
    'Trigger: moves an instance between the live counts when it is terminated (or its account or region changes)';

CREATE FUNCTION cloudsim.instances_counted_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cloudsim.instance_list_counts;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instances_counted_truncate() IS
    'Trigger: no instance is live after TRUNCATE';

-- The app may not write the counts itself: the functions run as their
-- owner.
ALTER FUNCTION cloudsim.instance_list_count_add(text, text, bigint)
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
ALTER FUNCTION cloudsim.instances_counted_rows()
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
ALTER FUNCTION cloudsim.instances_counted_update()
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
ALTER FUNCTION cloudsim.instances_counted_truncate()
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
REVOKE ALL ON FUNCTION cloudsim.instance_list_count_add(text, text, bigint),
    cloudsim.instances_counted_rows(), cloudsim.instances_counted_update(),
    cloudsim.instances_counted_truncate()
    FROM PUBLIC;

CREATE TRIGGER instances_counted_insert AFTER INSERT ON cloudsim.instances
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.instances_counted_rows();
CREATE TRIGGER instances_counted_delete AFTER DELETE ON cloudsim.instances
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.instances_counted_rows();
-- Only rows whose liveness (or place) changes: a state change or a tag
-- costs nothing more.
CREATE TRIGGER instances_counted_update
    AFTER UPDATE OF visible_until, account_id, region ON cloudsim.instances
    FOR EACH ROW
    WHEN ((OLD.visible_until IS NULL) IS DISTINCT FROM (NEW.visible_until IS NULL)
          OR OLD.account_id IS DISTINCT FROM NEW.account_id
          OR OLD.region IS DISTINCT FROM NEW.region)
    EXECUTE FUNCTION cloudsim.instances_counted_update();
CREATE TRIGGER instances_counted_truncate AFTER TRUNCATE ON cloudsim.instances
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.instances_counted_truncate();

INSERT INTO cloudsim.instance_list_counts (account_id, region, live)
SELECT i.account_id, i.region, count(*)
FROM cloudsim.instances AS i WHERE i.visible_until IS NULL
GROUP BY i.account_id, i.region;

GRANT SELECT ON cloudsim.instance_list_counts TO cloudsim_app, cloudsim_readonly;
