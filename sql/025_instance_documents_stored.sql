-- 025_instance_documents_stored: an instance's document is built when
-- the instance changes, not each time it is read.
--
-- cloudsim.v_instance_documents (015, 019) built the document on every
-- read: the instance, its image and reservation, its group links and a
-- name per link, its attachments, three to_char and thirty keys of
-- json_build_object.  With pgbench -M prepared on the development
-- server that was 0.113-0.136 ms a read against 0.030 ms for SELECT 1,
-- while the same document read from a table by primary key took
-- 0.033-0.038 ms; GET /api/v1/instances/{id} spent about 180 us of
-- PostgreSQL's CPU a request.  Instances are read far more often than
-- they change (a waiter polls DescribeInstances until the state it
-- waits for), so the document is now kept in
-- cloudsim.instance_documents_stored and rebuilt in the transaction
-- that changes what it shows.
--
-- Time.  A stored transition settles by itself (pending -> running,
-- attaching -> attached, ...) when its next_state_at passes, with no
-- write.  A document built at commit would go stale then and stay
-- stale until the next write.  So the stored document is the one the
-- instance will show once every transition it has pending has settled
-- (cloudsim.instance_document at 'infinity'), with the moment from
-- which that holds, settled_after: the latest next_state_at of the
-- instance and its attachments.  Until then a read builds the document
-- as of now(), exactly as before; after it, a read takes the stored one.
--
-- Staleness.  What the document shows comes from cloudsim.instances,
-- cloudsim.instance_security_groups, cloudsim.volume_attachments,
-- cloudsim.security_groups (a group's name), cloudsim.images
-- (architecture, platform) and cloudsim.reservations (client_token).
-- A change to any of them
--   1. counts, once per transaction, in the transaction-local setting
--      cloudsim.document_changes: a transaction that has changed an
--      input reads no stored document (it builds them, as before), and
--   2. at commit (a deferred constraint trigger per changed row),
--      rebuilds the document of each instance it touched, once per
--      instance unless an input changed again since.
-- The other transactions see the old inputs with the old document or
-- the new inputs with the new one: they commit together.  A missing
-- row is never wrong, only slower: the view then builds the document as
-- it did before.  The rebuild locks the stored row before it reads the
-- inputs, with a fresh snapshot (READ COMMITTED), so that of two
-- transactions changing one instance, the second to commit builds from
-- what the first committed.  The first design marked each touched
-- document stale with an UPDATE at once; that cost each write 0.15 to
-- 0.35 ms and took a row lock mid-transaction.
--
-- Measured after this migration on the development server, pgbench
-- -M prepared, one document read by id: 0.044-0.046 ms (SELECT 1:
-- 0.036-0.039 ms); GET /api/v1/instances/{id} at 8 connections went
-- from about 5,400 to 8,000 requests a second.  Writes that touch an
-- instance pay the rebuild: 0.3-0.5 ms more server time for a
-- RunInstances or a TerminateInstances.

/* ---------------------------------------------------------------------
 * The settle rules, with the moment as a parameter.  The three-argument
 * forms, which every reader uses, are now these at now(): one rule.
 * ------------------------------------------------------------------- */

CREATE FUNCTION cloudsim.instance_state_at(state text, next_state text,
        next_state_at timestamptz, at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN next_state_at < at THEN next_state ELSE state END
$$;
COMMENT ON FUNCTION cloudsim.instance_state_at(text, text, timestamptz, timestamptz) IS
    'The state an instance is in at the moment at: next_state once next_state_at is before it, else the stored state';

CREATE OR REPLACE FUNCTION cloudsim.instance_effective_state(state text,
        next_state text, next_state_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT cloudsim.instance_state_at(state, next_state, next_state_at, now())
$$;

CREATE FUNCTION cloudsim.ebs_state_at(state text, next_state text,
        next_state_at timestamptz, at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN next_state_at IS NOT NULL AND next_state_at <= at
                THEN next_state ELSE state END
$$;
COMMENT ON FUNCTION cloudsim.ebs_state_at(text, text, timestamptz, timestamptz) IS
    'The state of a stored EBS transition at the moment at: next_state once next_state_at has passed, else state';

CREATE OR REPLACE FUNCTION cloudsim.ebs_settled(state text, next_state text,
        next_state_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT cloudsim.ebs_state_at(state, next_state, next_state_at, now())
$$;

/* ---------------------------------------------------------------------
 * The document, defined once.  The fields are v_instances' (006) and
 * the shape 019's view gave them; tests/sql/instance_documents_stored.sql
 * compares the two for every instance it makes.  PL/pgSQL, so that the
 * query is planned once per connection (see 021).
 * ------------------------------------------------------------------- */

CREATE FUNCTION cloudsim.instance_document(instance_id text, at timestamptz)
RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
    SELECT json_build_object(
           'id', i.id,
           'arn', 'arn:aws:ec2:' || i.region || ':' || i.account_id || ':instance/' || i.id,
           'account_id', i.account_id,
           'region', i.region, 'reservation_id', i.reservation_id,
           'ami_launch_index', i.ami_launch_index, 'image_id', i.image_id,
           'instance_type', i.instance_type, 'architecture', img.architecture,
           'platform', img.platform,
           'state', json_build_object('code', cloudsim.instance_state_code(e.state),
                                      'name', e.state),
           'state_reason', CASE
               WHEN e.state = 'pending' THEN
                   json_build_object('code', 'pending', 'message', 'pending')
               WHEN e.state IN ('stopping', 'stopped', 'shutting-down', 'terminated')
                    AND i.state_reason_code IS NOT NULL THEN
                   json_build_object('code', i.state_reason_code,
                                     'message', i.state_reason_message) END,
           'state_transition_reason', CASE WHEN e.state IN ('pending', 'running')
               THEN '' ELSE i.state_transition_reason END,
           'availability_zone', i.availability_zone, 'vpc_id', i.vpc_id,
           'subnet_id', i.subnet_id, 'private_ip', host(i.private_ip),
           'public_ip', host(i.public_ip),
           'private_dns_name', CASE WHEN i.private_ip IS NOT NULL THEN
               'ip-' || replace(host(i.private_ip), '.', '-')
               || CASE WHEN i.region = 'us-east-1' THEN '.ec2.internal'
                       ELSE '.' || i.region || '.compute.internal' END END,
           'public_dns_name', CASE WHEN i.public_ip IS NOT NULL THEN
               'ec2-' || replace(host(i.public_ip), '.', '-')
               || CASE WHEN i.region = 'us-east-1' THEN '.compute-1.amazonaws.com'
                       ELSE '.' || i.region || '.compute.amazonaws.com' END END,
           'security_group_ids', coalesce(sg.ids, '[]'),
           'security_groups', coalesce(sg.groups, '[]'),
           'key_name', i.key_name,
           'launch_time', to_char(i.launch_time AT TIME ZONE 'UTC',
                                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'root_device_name', i.root_device_name,
           'root_device_type', 'ebs',
           'root_volume_id', bd.root_volume_id,
           'block_device_mappings', coalesce(bd.mappings, '[]'),
           'client_token', r.client_token, 'tags', i.tags,
           'created_at', to_char(i.created_at AT TIME ZONE 'UTC',
                                 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM cloudsim.instances AS i
    CROSS JOIN LATERAL (SELECT cloudsim.instance_state_at(i.state, i.next_state,
                                   i.next_state_at, at) AS state) AS e
    JOIN cloudsim.images AS img ON img.id = i.image_id
    JOIN cloudsim.reservations AS r ON r.id = i.reservation_id
    LEFT JOIN LATERAL (
        SELECT json_agg(l.group_id ORDER BY l.position) AS ids,
               json_agg(json_build_object('id', l.group_id, 'name',
                            (SELECT g.name FROM cloudsim.security_groups AS g
                             WHERE g.id = l.group_id))
                        ORDER BY l.position) AS groups
        FROM cloudsim.instance_security_groups AS l
        WHERE l.instance_id = i.id) AS sg ON true
    LEFT JOIN LATERAL (
        SELECT min(a.volume_id) FILTER (WHERE a.device = i.root_device_name)
                   AS root_volume_id,
               json_agg(json_build_object(
                   'device_name', a.device, 'volume_id', a.volume_id,
                   'status', a.state,
                   'attach_time', to_char(a.attached_at AT TIME ZONE 'UTC',
                                          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'delete_on_termination', a.delete_on_termination)
                   ORDER BY a.device <> i.root_device_name, a.device) AS mappings
        FROM (SELECT va.volume_id, va.device, va.delete_on_termination,
                     va.attached_at,
                     cloudsim.ebs_state_at(va.state, va.next_state,
                                           va.next_state_at, at) AS state
              FROM cloudsim.volume_attachments AS va
              WHERE va.instance_id = i.id) AS a
        WHERE a.state <> 'detached') AS bd ON true
    WHERE i.id = instance_document.instance_id);
END
$$;
-- Planned once per connection: a generic plan (the custom plans
-- PL/pgSQL would otherwise keep choosing cost a planning of this query
-- each call, 0.3 ms and more, and the plan is the same index probes
-- whatever the id), under its own search_path (it runs in the readers'
-- sessions and in the rebuild, which runs with its triggers' path, and
-- PostgreSQL plans a query again whenever the search_path differs from
-- the one it was planned under).
ALTER FUNCTION cloudsim.instance_document(text, timestamptz)
    SET search_path = cloudsim, pg_temp
    SET plan_cache_mode = force_generic_plan;
COMMENT ON FUNCTION cloudsim.instance_document(text, timestamptz) IS
    'The instance as GET /api/v1/instances/{id} answers it, as of the moment at (its transitions settled by then); NULL if there is no such instance. Checks no tenancy or visibility';

/* ---------------------------------------------------------------------
 * The stored documents.
 * ------------------------------------------------------------------- */

CREATE TABLE cloudsim.instance_documents_stored (
    instance_id   text PRIMARY KEY
                  REFERENCES cloudsim.instances (id) ON DELETE CASCADE,
    document      json NOT NULL,
    settled_after timestamptz,
    rebuilt_in    xid8 NOT NULL,
    rebuilt_after integer NOT NULL
);
COMMENT ON TABLE cloudsim.instance_documents_stored IS
    'Each instance''s document as it is once its pending transitions have settled, rebuilt by triggers in every transaction that changes what it shows; read through cloudsim.v_instance_documents, which falls back to building it';
COMMENT ON COLUMN cloudsim.instance_documents_stored.instance_id IS 'The instance';
COMMENT ON COLUMN cloudsim.instance_documents_stored.document IS
    'cloudsim.instance_document(instance_id, ''infinity'')';
COMMENT ON COLUMN cloudsim.instance_documents_stored.settled_after IS
    'The document holds once now() is past this (the latest next_state_at of the instance and its attachments); NULL: at once';
COMMENT ON COLUMN cloudsim.instance_documents_stored.rebuilt_in IS
    'The transaction that last rebuilt it';
COMMENT ON COLUMN cloudsim.instance_documents_stored.rebuilt_after IS
    'How many input-changing statements that transaction had run then (cloudsim.document_changes): a later rebuild in it with the same count has nothing new to show';

-- How many statements of this transaction have changed an input of the
-- documents (0 outside one that has).
CREATE FUNCTION cloudsim.document_changes() RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(current_setting('cloudsim.document_changes', true), ''),
                    '0')::integer
$$;
COMMENT ON FUNCTION cloudsim.document_changes() IS
    'How many statements of the current transaction have changed what an instance document shows (the transaction-local setting cloudsim.document_changes)';

-- Whether this transaction rebuilt the instance's document after its
-- last input-changing statement (it then holds the row's lock).  The
-- other rows of one change (a launch's group links and volumes) stop
-- here, before the rebuild's SECURITY DEFINER call.
CREATE FUNCTION cloudsim.instance_document_rebuilt(id text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    RETURN EXISTS (SELECT FROM cloudsim.instance_documents_stored AS s
                   WHERE s.instance_id = instance_document_rebuilt.id
                     AND s.rebuilt_in = pg_current_xact_id()
                     AND s.rebuilt_after = cloudsim.document_changes());
END
$$;
COMMENT ON FUNCTION cloudsim.instance_document_rebuilt(text) IS
    'Whether the current transaction has rebuilt the instance''s stored document since it last changed an input';

-- Rebuilds one instance's document, unless the instance is gone or this
-- transaction rebuilt it after its last input-changing statement.
CREATE FUNCTION cloudsim.instance_document_rebuild(id text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    changes integer := cloudsim.document_changes();
BEGIN
    IF cloudsim.instance_document_rebuilt(id) THEN
        RETURN;
    END IF;
    -- The lock first: the statement below then reads, with a snapshot
    -- of its own, what a concurrent writer of this instance committed.
    -- Without a row there is nothing to lock: the instance is new, and
    -- no other transaction sees it before this one commits (025 stored
    -- every instance already there).
    PERFORM FROM cloudsim.instance_documents_stored AS s
    WHERE s.instance_id = instance_document_rebuild.id
    FOR UPDATE;
    PERFORM set_config('cloudsim.document_rebuilt_at', changes::text, true);
    INSERT INTO cloudsim.instance_documents_stored AS s
        (instance_id, document, settled_after, rebuilt_in, rebuilt_after)
    SELECT i.id, cloudsim.instance_document(i.id, 'infinity'),
           greatest(i.next_state_at,
                    (SELECT max(a.next_state_at) FROM cloudsim.volume_attachments AS a
                     WHERE a.instance_id = i.id)),
           pg_current_xact_id(), changes
    FROM cloudsim.instances AS i WHERE i.id = instance_document_rebuild.id
    ON CONFLICT (instance_id) DO UPDATE
    SET document = excluded.document, settled_after = excluded.settled_after,
        rebuilt_in = excluded.rebuilt_in, rebuilt_after = excluded.rebuilt_after;
END
$$;
COMMENT ON FUNCTION cloudsim.instance_document_rebuild(text) IS
    'Rebuilds the stored document of an instance, unless this transaction already did after its last input change';

-- Counts a change to an input (at once).
-- Once marked, a transaction stays marked until a rebuild has recorded
-- the count: only a change after a rebuild needs a new number.  The
-- triggers' WHEN says when (cloudsim.document_mark_due, a plain
-- expression PostgreSQL evaluates without calling PL/pgSQL), so that
-- the rows of a transaction after its first cost nothing more.
CREATE FUNCTION cloudsim.document_mark_due() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT cloudsim.document_changes() = 0
        OR cloudsim.document_changes()::text
           = current_setting('cloudsim.document_rebuilt_at', true)
$$;
COMMENT ON FUNCTION cloudsim.document_mark_due() IS
    'Whether a change to a document input must count itself: none counted yet in this transaction, or a rebuild has recorded the count since';

CREATE FUNCTION cloudsim.instance_documents_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('cloudsim.document_changes',
                       (cloudsim.document_changes() + 1)::text, true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instance_documents_changed() IS
    'Trigger: counts a change to what instance documents show, so that this transaction reads none stored and rebuilds again what it rebuilt before';

-- At commit, per changed row: the instances it concerns, old and new.
-- TG_ARGV[0] names the column holding the id (PL/pgSQL resolves a field
-- when it first runs the statement, and each trigger keeps its own
-- compiled copy, so the branch a table does not take never names a
-- field it lacks).
CREATE FUNCTION cloudsim.instance_documents_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_id text;
    new_id text;
BEGIN
    IF TG_ARGV[0] = 'id' THEN
        IF TG_OP <> 'INSERT' THEN old_id := OLD.id; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := NEW.id; END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN old_id := OLD.instance_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := NEW.instance_id; END IF;
    END IF;
    IF old_id IS NOT NULL AND NOT cloudsim.instance_document_rebuilt(old_id) THEN
        PERFORM cloudsim.instance_document_rebuild(old_id);
    END IF;
    IF new_id IS DISTINCT FROM old_id AND new_id IS NOT NULL
       AND NOT cloudsim.instance_document_rebuilt(new_id) THEN
        PERFORM cloudsim.instance_document_rebuild(new_id);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instance_documents_touched() IS
    'Trigger, deferred to commit, on the tables keyed by instance a document is built from: rebuilds the documents of the instances the row concerns; TG_ARGV[0] is the column holding the instance id';

-- Tables keyed by something else (rarely changed): the instances that
-- use the changed row, rebuilt at once.
CREATE FUNCTION cloudsim.instance_documents_touched_by() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('cloudsim.document_changes',
                       (cloudsim.document_changes() + 1)::text, true);
    IF TG_TABLE_NAME = 'security_groups' THEN
        PERFORM cloudsim.instance_document_rebuild(l.instance_id)
        FROM cloudsim.instance_security_groups AS l WHERE l.group_id = NEW.id;
    ELSIF TG_TABLE_NAME = 'images' THEN
        PERFORM cloudsim.instance_document_rebuild(i.id)
        FROM cloudsim.instances AS i WHERE i.image_id = NEW.id;
    ELSE
        PERFORM cloudsim.instance_document_rebuild(i.id)
        FROM cloudsim.instances AS i WHERE i.reservation_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instance_documents_touched_by() IS
    'Trigger on security_groups, images and reservations: rebuilds the documents of the instances using the changed row';

-- The app may read the stored documents, not write them: the rebuild
-- runs as its owner.  The app may call it (its triggers do), which only
-- rebuilds a document from what the tables hold.
ALTER FUNCTION cloudsim.instance_document_rebuild(text)
    SECURITY DEFINER SET search_path = cloudsim, pg_temp;
REVOKE ALL ON FUNCTION cloudsim.instance_document_rebuild(text),
    cloudsim.instance_document_rebuilt(text),
    cloudsim.instance_documents_changed(),
    cloudsim.instance_documents_touched(),
    cloudsim.instance_documents_touched_by() FROM PUBLIC;
REVOKE ALL ON FUNCTION cloudsim.instance_state_at(text, text, timestamptz, timestamptz),
    cloudsim.ebs_state_at(text, text, timestamptz, timestamptz),
    cloudsim.instance_document(text, timestamptz),
    cloudsim.document_changes(), cloudsim.document_mark_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instance_state_at(text, text, timestamptz, timestamptz),
    cloudsim.ebs_state_at(text, text, timestamptz, timestamptz),
    cloudsim.instance_document(text, timestamptz),
    cloudsim.document_changes(), cloudsim.document_mark_due()
    TO cloudsim_app, cloudsim_readonly;
GRANT EXECUTE ON FUNCTION cloudsim.instance_document_rebuild(text),
    cloudsim.instance_document_rebuilt(text) TO cloudsim_app;
GRANT SELECT ON cloudsim.instance_documents_stored TO cloudsim_app, cloudsim_readonly;

CREATE TRIGGER instance_documents_changed
    AFTER INSERT OR UPDATE OR DELETE ON cloudsim.instances
    FOR EACH ROW WHEN (cloudsim.document_mark_due())
    EXECUTE FUNCTION cloudsim.instance_documents_changed();
CREATE CONSTRAINT TRIGGER instance_documents_rebuild
    AFTER INSERT OR UPDATE ON cloudsim.instances
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cloudsim.instance_documents_touched('id');
CREATE TRIGGER instance_documents_changed
    AFTER INSERT OR UPDATE OR DELETE ON cloudsim.instance_security_groups
    FOR EACH ROW WHEN (cloudsim.document_mark_due())
    EXECUTE FUNCTION cloudsim.instance_documents_changed();
CREATE CONSTRAINT TRIGGER instance_documents_rebuild
    AFTER INSERT OR UPDATE OR DELETE ON cloudsim.instance_security_groups
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cloudsim.instance_documents_touched('instance_id');
CREATE TRIGGER instance_documents_changed
    AFTER INSERT OR UPDATE OR DELETE ON cloudsim.volume_attachments
    FOR EACH ROW WHEN (cloudsim.document_mark_due())
    EXECUTE FUNCTION cloudsim.instance_documents_changed();
CREATE CONSTRAINT TRIGGER instance_documents_rebuild
    AFTER INSERT OR UPDATE OR DELETE ON cloudsim.volume_attachments
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cloudsim.instance_documents_touched('instance_id');
CREATE TRIGGER instance_documents_changed
    AFTER UPDATE OF name ON cloudsim.security_groups
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION cloudsim.instance_documents_touched_by();
CREATE TRIGGER instance_documents_changed
    AFTER UPDATE OF architecture, platform ON cloudsim.images
    FOR EACH ROW WHEN (OLD.architecture IS DISTINCT FROM NEW.architecture
                       OR OLD.platform IS DISTINCT FROM NEW.platform)
    EXECUTE FUNCTION cloudsim.instance_documents_touched_by();
CREATE TRIGGER instance_documents_changed
    AFTER UPDATE OF client_token ON cloudsim.reservations
    FOR EACH ROW WHEN (OLD.client_token IS DISTINCT FROM NEW.client_token)
    EXECUTE FUNCTION cloudsim.instance_documents_touched_by();

/* ---------------------------------------------------------------------
 * The view every reader uses: the stored document once it holds, else
 * the document built now.  CREATE OR REPLACE keeps its columns,
 * comments and grants.
 * ------------------------------------------------------------------- */

CREATE OR REPLACE VIEW cloudsim.v_instance_documents AS
SELECT i.id, i.account_id, i.region, i.reservation_id, i.ami_launch_index,
       i.created_at,
       CASE WHEN s.instance_id IS NOT NULL
                 AND (s.settled_after IS NULL OR s.settled_after < now())
                 AND cloudsim.document_changes() = 0
            THEN s.document
            ELSE cloudsim.instance_document(i.id, now()) END AS document
FROM cloudsim.instances AS i
LEFT JOIN cloudsim.instance_documents_stored AS s ON s.instance_id = i.id
WHERE i.visible_until IS NULL OR i.visible_until > now();

-- The instances already there.
SELECT count(cloudsim.instance_document_rebuild(i.id)) FROM cloudsim.instances AS i;
