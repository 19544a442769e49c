-- 022_volume_usage_counted: the volume quota's count in constant time.
--
-- cloudsim.volume_usage (016) summed every volume of the account in the
-- region, per type, on each CreateVolume and each RunInstances (its
-- root volumes count too).  Every instance has a root volume, so an
-- account with 12,000 instances in a region paid 2.3 ms a launch there
-- for the count alone (pgbench; RunInstances' p50 on the development
-- server 6.7-6.9 ms in that region against 4.3-5.0 ms in an empty one).
--
-- Now every row of cloudsim.volumes is counted, with its GiB, per
-- account, region and type, in cloudsim.volume_counts, by triggers, as
-- 017 counts instances.  The quota wants the volumes whose effective
-- state is not 'deleted'; no API leaves such a row (DeleteVolume and a
-- termination delete the row), so the difference is the rows SQL marks
-- deleted, read through a partial index that is empty in practice:
-- exact for any row (tests/sql/volume_counts.sql compares it with a
-- plain count).
--
-- The counts' rows are locked until commit by whoever changes the
-- account's volumes of that type in the region: creates already queue
-- on their quota lock; deletions of one account's volumes of one type
-- now queue on the row.  Several types are counted in a fixed order, so
-- two transactions cannot take them crosswise.

CREATE TABLE cloudsim.volume_counts (
    account_id  text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region      text NOT NULL REFERENCES cloudsim.regions (name),
    volume_type text NOT NULL,
    volumes     bigint NOT NULL CHECK (volumes >= 0),
    gib         bigint NOT NULL CHECK (gib >= 0),
    PRIMARY KEY (account_id, region, volume_type)
);
COMMENT ON TABLE cloudsim.volume_counts IS
    'Per account, region and volume type, how many rows cloudsim.volumes holds and their GiB, whatever their state; kept by the triggers on cloudsim.volumes, read by cloudsim.volume_usage';
COMMENT ON COLUMN cloudsim.volume_counts.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.volume_counts.region IS 'Region';
COMMENT ON COLUMN cloudsim.volume_counts.volume_type IS 'Volume type (gp2, gp3, ...)';
COMMENT ON COLUMN cloudsim.volume_counts.volumes IS 'Rows of cloudsim.volumes of the account, region and type';
COMMENT ON COLUMN cloudsim.volume_counts.gib IS 'Their size_gib, summed';

-- Volumes marked deleted (by SQL only): what the counts hold too many.
CREATE INDEX volumes_deleted_idx ON cloudsim.volumes (account_id, region)
    WHERE state = 'deleted' OR next_state = 'deleted';

-- Adds a delta of volumes and GiB to (account, region, type); the row
-- is made on first use and kept (at zero) until its account goes.  A
-- removal updates only: what it removes was counted, so the row is
-- there (an upsert would check its proposed negative row first).
CREATE FUNCTION cloudsim.volume_count_add(account text, reg text, vtype text,
    dvolumes bigint, dgib bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF dvolumes >= 0 AND dgib >= 0 THEN
        INSERT INTO cloudsim.volume_counts AS c
            (account_id, region, volume_type, volumes, gib)
        VALUES (account, reg, vtype, dvolumes, dgib)
        ON CONFLICT (account_id, region, volume_type)
        DO UPDATE SET volumes = c.volumes + dvolumes, gib = c.gib + dgib;
    ELSE
        UPDATE cloudsim.volume_counts AS c
        SET volumes = c.volumes + dvolumes, gib = c.gib + dgib
        WHERE c.account_id = account AND c.region = reg
          AND c.volume_type = vtype;
    END IF;
END
$$;
COMMENT ON FUNCTION cloudsim.volume_count_add(text, text, text, bigint, bigint) IS
    'Adds volumes and GiB (negative to remove) to the counts of an account, region and volume type';

-- Inserted rows add, deleted rows remove, per statement.  Each branch
-- names only its own trigger's transition table (PL/pgSQL prepares a
-- statement when it first runs it).
CREATE FUNCTION cloudsim.volumes_counted_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cloudsim.volume_count_add(n.account_id, n.region,
                    n.volume_type, count(*), sum(n.size_gib))
        FROM new_rows AS n
        GROUP BY n.account_id, n.region, n.volume_type
        ORDER BY n.account_id, n.region, n.volume_type;
    ELSE
        PERFORM cloudsim.volume_count_add(o.account_id, o.region,
                    o.volume_type, -count(*), -sum(o.size_gib))
        FROM old_rows AS o
        GROUP BY o.account_id, o.region, o.volume_type
        ORDER BY o.account_id, o.region, o.volume_type;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.volumes_counted_rows() IS
    'Trigger: counts the volumes a statement inserted, or uncounts those it deleted';

-- A modification (size, type) or a move: out of the old counts, into
-- the new ones, in key order (as the statement triggers take them).
CREATE FUNCTION cloudsim.volumes_counted_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cloudsim.volume_count_add(c.account_id, c.region, c.volume_type,
                c.volumes, c.gib)
    FROM (VALUES (OLD.account_id, OLD.region, OLD.volume_type, -1::bigint,
                  -OLD.size_gib::bigint),
                 (NEW.account_id, NEW.region, NEW.volume_type, 1::bigint,
                  NEW.size_gib::bigint))
         AS c (account_id, region, volume_type, volumes, gib)
    ORDER BY c.account_id, c.region, c.volume_type;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.volumes_counted_update() IS
    'Trigger: moves a volume between the counts when its size, type, account or region changes';

CREATE FUNCTION cloudsim.volumes_counted_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cloudsim.volume_counts;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.volumes_counted_truncate() IS
    'Trigger: no volume is left after TRUNCATE';

-- The app may not write the counts itself: the functions run as their
-- owner.
ALTER FUNCTION cloudsim.volume_count_add(text, text, text, bigint, bigint)
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
ALTER FUNCTION cloudsim.volumes_counted_rows()
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
ALTER FUNCTION cloudsim.volumes_counted_update()
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
ALTER FUNCTION cloudsim.volumes_counted_truncate()
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
REVOKE ALL ON FUNCTION cloudsim.volume_count_add(text, text, text, bigint, bigint),
    cloudsim.volumes_counted_rows(), cloudsim.volumes_counted_update(),
    cloudsim.volumes_counted_truncate()
    FROM PUBLIC;

CREATE TRIGGER volumes_counted_insert AFTER INSERT ON cloudsim.volumes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.volumes_counted_rows();
CREATE TRIGGER volumes_counted_delete AFTER DELETE ON cloudsim.volumes
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.volumes_counted_rows();
-- Only rows whose counted values change: a state change, an attachment
-- or a tag costs nothing more.
CREATE TRIGGER volumes_counted_update
    AFTER UPDATE OF size_gib, volume_type, account_id, region ON cloudsim.volumes
    FOR EACH ROW
    WHEN (OLD.size_gib IS DISTINCT FROM NEW.size_gib
          OR OLD.volume_type IS DISTINCT FROM NEW.volume_type
          OR OLD.account_id IS DISTINCT FROM NEW.account_id
          OR OLD.region IS DISTINCT FROM NEW.region)
    EXECUTE FUNCTION cloudsim.volumes_counted_update();
CREATE TRIGGER volumes_counted_truncate AFTER TRUNCATE ON cloudsim.volumes
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.volumes_counted_truncate();

INSERT INTO cloudsim.volume_counts (account_id, region, volume_type, volumes, gib)
SELECT v.account_id, v.region, v.volume_type, count(*), sum(v.size_gib)
FROM cloudsim.volumes AS v
GROUP BY v.account_id, v.region, v.volume_type;

GRANT SELECT ON cloudsim.volume_counts TO cloudsim_app, cloudsim_readonly;

-- The counts, less the rows SQL marked deleted (effective state
-- 'deleted': next_state 'deleted' once its time has passed, or state
-- 'deleted' until then), per type; only types with a volume left.  Both
-- reads are index ranges whatever the values, so one plan is kept.
CREATE OR REPLACE FUNCTION cloudsim.volume_usage(account_id text, region text,
    OUT volumes bigint, OUT gib_by_type json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    SELECT coalesce(sum(t.n), 0),
           json_object_agg(t.volume_type, t.gib ORDER BY t.volume_type)
               FILTER (WHERE t.n > 0)
    INTO volumes, gib_by_type
    FROM (SELECT c.volume_type, c.volumes - coalesce(d.n, 0) AS n,
                 c.gib - coalesce(d.gib, 0) AS gib
          FROM cloudsim.volume_counts AS c
          LEFT JOIN (SELECT v.volume_type, count(*) AS n, sum(v.size_gib) AS gib
                     FROM cloudsim.volumes AS v
                     WHERE v.account_id = volume_usage.account_id
                       AND v.region = volume_usage.region
                       AND (v.state = 'deleted' OR v.next_state = 'deleted')
                       AND cloudsim.ebs_settled(v.state, v.next_state,
                               v.next_state_at) = 'deleted'
                     GROUP BY v.volume_type) AS d
            ON d.volume_type = c.volume_type
          WHERE c.account_id = volume_usage.account_id
            AND c.region = volume_usage.region) AS t;
END
$$;
