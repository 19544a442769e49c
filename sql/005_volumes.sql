/*
 * 005_volumes.sql — the block storage of volumes.fcgi: EBS volumes, their
 * attachments to instances, and snapshots.
 *
 * What must always hold is a constraint here, not an if in C, so that
 * processes racing on any number of hosts cannot break it; the loser
 * gets an error the executable maps, by constraint name, to EC2's code:
 *   - a volume's size, IOPS and throughput fit its type's limits
 *     (volumes_spec_check, the same table docs/volumes.md gives);
 *   - a volume has at most one attachment (the attachments' primary key
 *     is the volume id), and a device name is used once per instance;
 *   - an attachment joins a volume and an instance of the same account,
 *     region and zone (a trigger, once 006 has created the instances);
 *   - a client token names one volume per account.
 *
 * Transitions that take time (creating → available, attaching →
 * attached, detaching → gone, pending → completed) are stored as a state,
 * the state it moves to and when; cloudsim.ebs_settled resolves them
 * when read, so the views, the REST and EC2 fronts and an administrator
 * with psql all see the same effective state without any background job.
 * A volume's in-use is not stored at all: it is the presence of a live
 * attachment, so an instance's termination (006, which removes the
 * attachments) makes its data volumes available in the same transaction.
 *
 * 006_instances.sql adds the foreign key from volume_attachments to
 * cloudsim.instances; instances come later in the migration order.
 */

/* ---------------------------------------------------------------------
 * Helpers.
 * ------------------------------------------------------------------- */

CREATE FUNCTION cloudsim.ebs_settled(state text, next_state text, next_state_at timestamptz)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN next_state_at IS NOT NULL AND next_state_at <= now()
                THEN next_state ELSE state END
$$;
COMMENT ON FUNCTION cloudsim.ebs_settled(text, text, timestamptz) IS
    'The effective state of a stored transition: next_state once next_state_at has passed, else state';

-- Each type's limits (docs/volumes.md cites AWS's documentation).  NULL
-- iops or throughput of gp3 mean the baseline (3000, 125), so rows that
-- RunInstances inserts for root volumes need not spell them out; gp2's
-- IOPS are derived from the size and never stored.
CREATE FUNCTION cloudsim.volume_spec_valid(volume_type text, size integer, iops integer,
                                           throughput integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(CASE volume_type
        WHEN 'gp2' THEN size BETWEEN 1 AND 16384 AND iops IS NULL AND throughput IS NULL
        WHEN 'gp3' THEN size BETWEEN 1 AND 16384
            AND (iops IS NULL OR (iops BETWEEN 3000 AND 16000
                                  AND (iops <= 3000 OR iops <= 500 * size)))
            AND (throughput IS NULL OR (throughput BETWEEN 125 AND 1000
                                        AND throughput * 4 <= coalesce(iops, 3000)))
        WHEN 'io1' THEN size BETWEEN 4 AND 16384 AND iops BETWEEN 100 AND 64000
            AND iops <= 50 * size AND throughput IS NULL
        WHEN 'io2' THEN size BETWEEN 4 AND 65536 AND iops BETWEEN 100 AND 256000
            AND iops <= 1000 * size AND throughput IS NULL
        WHEN 'st1' THEN size BETWEEN 125 AND 16384 AND iops IS NULL AND throughput IS NULL
        WHEN 'sc1' THEN size BETWEEN 125 AND 16384 AND iops IS NULL AND throughput IS NULL
        WHEN 'standard' THEN size BETWEEN 1 AND 1024 AND iops IS NULL AND throughput IS NULL
        END, false)
$$;
COMMENT ON FUNCTION cloudsim.volume_spec_valid(text, integer, integer, integer) IS
    'True when size (GiB), iops and throughput (MiB/s) fit the volume type''s limits (docs/volumes.md)';

-- The account's AWS-managed key for EBS (alias/aws/ebs), one per account
-- and region, with a stable key id derived from both.
CREATE FUNCTION cloudsim.ebs_default_kms_key(account text, region text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'arn:aws:kms:' || region || ':' || account || ':key/'
        || regexp_replace(md5('alias/aws/ebs/' || account || '/' || region),
                          '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5')
$$;
COMMENT ON FUNCTION cloudsim.ebs_default_kms_key(text, text) IS
    'ARN of the account''s default EBS key (alias/aws/ebs) in a region: stable, derived from both';

-- Quotas are configuration, not schema: whoever counts a region's
-- volumes for one (CreateVolume, ModifyVolume, RunInstances' root
-- volumes) takes this lock first, so two writers racing for the last
-- slot are serialised and the second counts the first's row.
CREATE FUNCTION cloudsim.volume_quota_lock(account text, region text)
RETURNS void LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(hashtext('cloudsim.volumes'), hashtext(account || '/' || region))
$$;
COMMENT ON FUNCTION cloudsim.volume_quota_lock(text, text) IS
    'Serialises volume quota counting per account and region until the transaction ends';

/* ---------------------------------------------------------------------
 * Volumes.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.volumes (
    id                text PRIMARY KEY DEFAULT 'vol-' || cloudsim.random_hex(17)
                      CONSTRAINT volumes_id_check CHECK (id ~ '^vol-[0-9a-f]{17}$'),
    account_id        text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region            text NOT NULL REFERENCES cloudsim.regions (name),
    availability_zone text NOT NULL REFERENCES cloudsim.zones (name),
    size_gib          integer NOT NULL,
    volume_type       text NOT NULL
                      CONSTRAINT volumes_type_check
                      CHECK (volume_type IN ('gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard')),
    iops              integer,
    throughput        integer,
    encrypted         boolean NOT NULL DEFAULT false,
    kms_key_id        text CHECK (char_length(kms_key_id) BETWEEN 1 AND 2048),
    snapshot_id       text CHECK (snapshot_id ~ '^snap-([0-9a-f]{8}|[0-9a-f]{17})$'),
    state             text NOT NULL DEFAULT 'available'
                      CHECK (state IN ('creating', 'available', 'in-use', 'deleting', 'deleted', 'error')),
    next_state        text CHECK (next_state IN ('available', 'deleted')),
    next_state_at     timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    client_token      text CHECK (char_length(client_token) BETWEEN 1 AND 64),
    request_hash      text,
    tags              cloudsim.tags,
    CONSTRAINT volumes_tenant_key UNIQUE (id, account_id, region),
    CONSTRAINT volumes_client_token_key UNIQUE (account_id, client_token),
    CONSTRAINT volumes_spec_check CHECK (cloudsim.volume_spec_valid(volume_type, size_gib, iops, throughput)),
    CONSTRAINT volumes_kms_check CHECK (encrypted = (kms_key_id IS NOT NULL)),
    CONSTRAINT volumes_transition_check CHECK ((next_state IS NULL) = (next_state_at IS NULL)),
    CONSTRAINT volumes_token_hash_check CHECK ((client_token IS NULL) = (request_hash IS NULL)),
    -- A zone's region is its name less the final letter (002_catalog).
    CONSTRAINT volumes_zone_in_region CHECK (
        left(availability_zone, -1) = region AND right(availability_zone, 1) ~ '^[a-z]$')
);
CREATE INDEX volumes_list_idx ON cloudsim.volumes (account_id, region, created_at, id);
CREATE INDEX volumes_region_idx ON cloudsim.volumes (region, created_at, id);

COMMENT ON TABLE cloudsim.volumes IS
    'EBS volumes: one zone, one type with its size/IOPS/throughput limits; in-use means a live row in volume_attachments';
COMMENT ON COLUMN cloudsim.volumes.id IS 'vol- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.volumes.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.volumes.region IS 'Region the volume lives in';
COMMENT ON COLUMN cloudsim.volumes.availability_zone IS 'Zone of the region; only instances of this zone can attach it';
COMMENT ON COLUMN cloudsim.volumes.size_gib IS 'Size in GiB; only grows (ModifyVolume)';
COMMENT ON COLUMN cloudsim.volumes.volume_type IS 'gp2, gp3, io1, io2, st1, sc1 or standard';
COMMENT ON COLUMN cloudsim.volumes.iops IS
    'Provisioned IOPS of gp3 (NULL = baseline 3000), io1 and io2; NULL for the others (gp2''s are derived from the size)';
COMMENT ON COLUMN cloudsim.volumes.throughput IS 'Provisioned MiB/s of gp3 (NULL = baseline 125); NULL for the others';
COMMENT ON COLUMN cloudsim.volumes.encrypted IS 'Encrypted at rest (with kms_key_id)';
COMMENT ON COLUMN cloudsim.volumes.kms_key_id IS 'ARN of the KMS key when encrypted, else NULL';
COMMENT ON COLUMN cloudsim.volumes.snapshot_id IS 'The snapshot it was created from, or NULL (kept after the snapshot is deleted, as EC2)';
COMMENT ON COLUMN cloudsim.volumes.state IS
    'Stored state: creating until next_state_at, then available; in-use as RunInstances stores root volumes reads as available or in-use by its attachment; deleting/deleted when marked so';
COMMENT ON COLUMN cloudsim.volumes.next_state IS 'State the volume moves to at next_state_at (available, or deleted = gone), or NULL';
COMMENT ON COLUMN cloudsim.volumes.next_state_at IS 'When next_state takes effect (created_at + volume_creating_delay), or NULL';
COMMENT ON COLUMN cloudsim.volumes.created_at IS 'Creation time (create_time); lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.volumes.client_token IS 'The CreateVolume client token (idempotency), unique per account, or NULL';
COMMENT ON COLUMN cloudsim.volumes.request_hash IS 'SHA-256 of the normalized create parameters the token was first used with';
COMMENT ON COLUMN cloudsim.volumes.tags IS 'Tags, {"Key": "value"}';

/* ---------------------------------------------------------------------
 * Attachments: at most one per volume (the key), a device once per
 * instance.  A detached attachment whose detaching time has passed is
 * gone for every reader; the row itself is removed by the next attach
 * that needs its volume or device, or with the volume.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.volume_attachments (
    volume_id             text NOT NULL
                          CONSTRAINT volume_attachments_pkey PRIMARY KEY
                          CONSTRAINT volume_attachments_volume_fkey
                          REFERENCES cloudsim.volumes (id) ON DELETE CASCADE,
    instance_id           text NOT NULL CHECK (instance_id ~ '^i-([0-9a-f]{8}|[0-9a-f]{17})$'),
    device                text NOT NULL CHECK (device ~ '^/dev/[a-z0-9]{1,16}$'),
    state                 text NOT NULL DEFAULT 'attached'
                          CHECK (state IN ('attaching', 'attached', 'detaching')),
    next_state            text CHECK (next_state IN ('attached', 'detached')),
    next_state_at         timestamptz,
    delete_on_termination boolean NOT NULL DEFAULT false,
    attached_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT volume_attachments_instance_device_key UNIQUE (instance_id, device),
    CONSTRAINT volume_attachments_transition_check CHECK ((next_state IS NULL) = (next_state_at IS NULL))
);

COMMENT ON TABLE cloudsim.volume_attachments IS
    'Volumes attached to instances: one attachment per volume (primary key), one volume per device of an instance';
COMMENT ON COLUMN cloudsim.volume_attachments.volume_id IS 'The attached volume';
COMMENT ON COLUMN cloudsim.volume_attachments.instance_id IS 'The instance (foreign key added by 006_instances)';
COMMENT ON COLUMN cloudsim.volume_attachments.device IS 'Device name on the instance, e.g. /dev/sdf, or the AMI''s root device';
COMMENT ON COLUMN cloudsim.volume_attachments.state IS 'Stored state: attaching, attached or detaching';
COMMENT ON COLUMN cloudsim.volume_attachments.next_state IS
    'State at next_state_at: attached, or detached (= gone for every reader), or NULL';
COMMENT ON COLUMN cloudsim.volume_attachments.next_state_at IS 'When next_state takes effect (volume_attach_delay later), or NULL';
COMMENT ON COLUMN cloudsim.volume_attachments.delete_on_termination IS 'Terminating the instance deletes the volume (root volumes by default)';
COMMENT ON COLUMN cloudsim.volume_attachments.attached_at IS 'When the attachment was requested (attach_time)';

-- Same account, region and zone on both ends.  The volumes executable
-- checks first and answers with the values involved; this holds for any
-- writer.  Before 006 exists there is nothing to compare with.
CREATE FUNCTION cloudsim.volume_attachments_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    vol record;
    inst record;
BEGIN
    IF to_regclass('cloudsim.instances') IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT account_id, region, availability_zone INTO vol
    FROM cloudsim.volumes WHERE id = NEW.volume_id;
    SELECT account_id, region, availability_zone INTO inst
    FROM cloudsim.instances WHERE id = NEW.instance_id;
    IF NOT FOUND OR vol.account_id IS DISTINCT FROM inst.account_id
            OR vol.region IS DISTINCT FROM inst.region THEN
        RAISE EXCEPTION 'the instance ''%'' does not exist', NEW.instance_id
            USING HINT = 'InvalidInstanceID.NotFound', DETAIL = '404';
    END IF;
    IF vol.availability_zone IS DISTINCT FROM inst.availability_zone THEN
        RAISE EXCEPTION 'the volume ''%'' is in zone ''%'', not in the instance''s zone ''%''',
            NEW.volume_id, vol.availability_zone, inst.availability_zone
            USING HINT = 'InvalidVolume.ZoneMismatch', DETAIL = '400';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION cloudsim.volume_attachments_check() IS
    'Trigger: an attachment joins a volume and an instance of one account, region and zone (raises EC2''s codes)';
CREATE TRIGGER volume_attachments_check BEFORE INSERT OR UPDATE OF volume_id, instance_id
    ON cloudsim.volume_attachments
    FOR EACH ROW EXECUTE FUNCTION cloudsim.volume_attachments_check();

/* ---------------------------------------------------------------------
 * Snapshots.  A snapshot outlives its volume and the volumes made from
 * it, as in EC2; neither side holds a foreign key.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.snapshots (
    id            text PRIMARY KEY DEFAULT 'snap-' || cloudsim.random_hex(17)
                  CONSTRAINT snapshots_id_check CHECK (id ~ '^snap-[0-9a-f]{17}$'),
    account_id    text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region        text NOT NULL REFERENCES cloudsim.regions (name),
    volume_id     text NOT NULL CHECK (volume_id ~ '^vol-([0-9a-f]{8}|[0-9a-f]{17})$'),
    volume_size   integer NOT NULL CHECK (volume_size BETWEEN 1 AND 65536),
    description   text NOT NULL DEFAULT '' CHECK (char_length(description) <= 255),
    encrypted     boolean NOT NULL DEFAULT false,
    kms_key_id    text CHECK (char_length(kms_key_id) BETWEEN 1 AND 2048),
    state         text NOT NULL DEFAULT 'completed'
                  CHECK (state IN ('pending', 'completed', 'error')),
    next_state    text CHECK (next_state = 'completed'),
    next_state_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    tags          cloudsim.tags,
    CONSTRAINT snapshots_tenant_key UNIQUE (id, account_id, region),
    CONSTRAINT snapshots_kms_check CHECK (encrypted = (kms_key_id IS NOT NULL)),
    CONSTRAINT snapshots_transition_check CHECK ((next_state IS NULL) = (next_state_at IS NULL))
);
CREATE INDEX snapshots_list_idx ON cloudsim.snapshots (account_id, region, created_at, id);
CREATE INDEX snapshots_region_idx ON cloudsim.snapshots (region, created_at, id);

COMMENT ON TABLE cloudsim.snapshots IS
    'EBS snapshots: a point-in-time copy of a volume''s size and encryption; pending until snapshot_pending_delay has passed';
COMMENT ON COLUMN cloudsim.snapshots.id IS 'snap- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.snapshots.account_id IS 'Owning account (owner_id)';
COMMENT ON COLUMN cloudsim.snapshots.region IS 'Region';
COMMENT ON COLUMN cloudsim.snapshots.volume_id IS 'The volume it was taken from (which may since be deleted)';
COMMENT ON COLUMN cloudsim.snapshots.volume_size IS 'The volume''s size in GiB when taken: the least size of a volume made from it';
COMMENT ON COLUMN cloudsim.snapshots.description IS 'Free text, up to 255 characters';
COMMENT ON COLUMN cloudsim.snapshots.encrypted IS 'Encrypted, as its volume was';
COMMENT ON COLUMN cloudsim.snapshots.kms_key_id IS 'ARN of the volume''s KMS key when encrypted, else NULL';
COMMENT ON COLUMN cloudsim.snapshots.state IS 'Stored state: pending until next_state_at, then completed';
COMMENT ON COLUMN cloudsim.snapshots.next_state IS 'completed, or NULL';
COMMENT ON COLUMN cloudsim.snapshots.next_state_at IS 'When the snapshot completes (created_at + snapshot_pending_delay), or NULL';
COMMENT ON COLUMN cloudsim.snapshots.created_at IS 'Start time; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.snapshots.tags IS 'Tags, {"Key": "value"}';

/* ---------------------------------------------------------------------
 * Views: what the API shows, effective states resolved.
 * ------------------------------------------------------------------- */
CREATE VIEW cloudsim.v_volume_attachments AS
SELECT a.volume_id, a.instance_id, a.device,
       cloudsim.ebs_settled(a.state, a.next_state, a.next_state_at) AS state,
       a.delete_on_termination, a.attached_at
FROM cloudsim.volume_attachments AS a
WHERE cloudsim.ebs_settled(a.state, a.next_state, a.next_state_at) <> 'detached';
COMMENT ON VIEW cloudsim.v_volume_attachments IS
    'Live attachments with their effective state (attaching, attached, detaching); settled detaches are gone';
COMMENT ON COLUMN cloudsim.v_volume_attachments.volume_id IS 'The volume';
COMMENT ON COLUMN cloudsim.v_volume_attachments.instance_id IS 'The instance';
COMMENT ON COLUMN cloudsim.v_volume_attachments.device IS 'Device name';
COMMENT ON COLUMN cloudsim.v_volume_attachments.state IS 'attaching, attached or detaching, as of now';
COMMENT ON COLUMN cloudsim.v_volume_attachments.delete_on_termination IS 'Deleted with the instance';
COMMENT ON COLUMN cloudsim.v_volume_attachments.attached_at IS 'attach_time';

CREATE FUNCTION cloudsim.volume_attachment_json(a cloudsim.v_volume_attachments)
RETURNS json LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'volume_id', a.volume_id, 'instance_id', a.instance_id, 'device', a.device,
        'state', a.state,
        'attach_time', to_char(a.attached_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'delete_on_termination', a.delete_on_termination)
$$;
COMMENT ON FUNCTION cloudsim.volume_attachment_json(cloudsim.v_volume_attachments) IS
    'An attachment as the API shows it: {volume_id, instance_id, device, state, attach_time, delete_on_termination}';

CREATE VIEW cloudsim.v_volumes AS
SELECT v.id,
       'arn:aws:ec2:' || v.region || ':' || v.account_id || ':volume/' || v.id AS arn,
       v.account_id, v.region, v.availability_zone, v.size_gib AS size, v.volume_type,
       CASE v.volume_type
           WHEN 'gp2' THEN least(greatest(3 * v.size_gib, 100), 16000)
           WHEN 'gp3' THEN coalesce(v.iops, 3000)
           WHEN 'io1' THEN v.iops
           WHEN 'io2' THEN v.iops
       END AS iops,
       CASE WHEN v.volume_type = 'gp3' THEN coalesce(v.throughput, 125) END AS throughput,
       v.encrypted, v.kms_key_id, v.snapshot_id,
       CASE WHEN b.state IN ('available', 'in-use') THEN
                CASE WHEN EXISTS (SELECT 1 FROM cloudsim.v_volume_attachments AS a
                                  WHERE a.volume_id = v.id)
                     THEN 'in-use' ELSE 'available' END
            ELSE b.state
       END AS state,
       coalesce((SELECT json_agg(cloudsim.volume_attachment_json(a) ORDER BY a.attached_at)
                 FROM cloudsim.v_volume_attachments AS a WHERE a.volume_id = v.id), '[]')
           AS attachments,
       false AS multi_attach_enabled,
       v.created_at, v.tags
FROM cloudsim.volumes AS v
CROSS JOIN LATERAL (SELECT cloudsim.ebs_settled(v.state, v.next_state, v.next_state_at) AS state) AS b
WHERE b.state <> 'deleted';
COMMENT ON VIEW cloudsim.v_volumes IS
    'Volumes as the API shows them: effective state (creating, available, in-use, deleting), derived IOPS, attachments';
COMMENT ON COLUMN cloudsim.v_volumes.id IS 'Volume id';
COMMENT ON COLUMN cloudsim.v_volumes.arn IS 'arn:aws:ec2:<region>:<account>:volume/<id>';
COMMENT ON COLUMN cloudsim.v_volumes.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_volumes.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_volumes.availability_zone IS 'Zone';
COMMENT ON COLUMN cloudsim.v_volumes.size IS 'Size in GiB';
COMMENT ON COLUMN cloudsim.v_volumes.volume_type IS 'Volume type';
COMMENT ON COLUMN cloudsim.v_volumes.iops IS 'IOPS: provisioned (gp3 baseline 3000, io1, io2), derived for gp2 (3 per GiB, 100..16000), NULL otherwise';
COMMENT ON COLUMN cloudsim.v_volumes.throughput IS 'MiB/s for gp3 (baseline 125), NULL otherwise';
COMMENT ON COLUMN cloudsim.v_volumes.encrypted IS 'Encrypted';
COMMENT ON COLUMN cloudsim.v_volumes.kms_key_id IS 'KMS key ARN when encrypted';
COMMENT ON COLUMN cloudsim.v_volumes.snapshot_id IS 'Source snapshot, or NULL';
COMMENT ON COLUMN cloudsim.v_volumes.state IS 'creating, available, in-use (a live attachment) or deleting, as of now';
COMMENT ON COLUMN cloudsim.v_volumes.attachments IS 'JSON array of live attachments (at most one)';
COMMENT ON COLUMN cloudsim.v_volumes.multi_attach_enabled IS 'Always false: Multi-Attach is not offered';
COMMENT ON COLUMN cloudsim.v_volumes.created_at IS 'create_time';
COMMENT ON COLUMN cloudsim.v_volumes.tags IS 'Tags';

CREATE FUNCTION cloudsim.volume_json(v cloudsim.v_volumes)
RETURNS json LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', v.id, 'arn', v.arn, 'account_id', v.account_id, 'region', v.region,
        'availability_zone', v.availability_zone, 'size', v.size,
        'volume_type', v.volume_type, 'iops', v.iops, 'throughput', v.throughput,
        'encrypted', v.encrypted, 'kms_key_id', v.kms_key_id, 'snapshot_id', v.snapshot_id,
        'state', v.state,
        'create_time', to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'attachments', v.attachments, 'multi_attach_enabled', v.multi_attach_enabled,
        'tags', v.tags)
$$;
COMMENT ON FUNCTION cloudsim.volume_json(cloudsim.v_volumes) IS
    'A volume as the API shows it (docs/volumes.md); the REST and EC2 fronts render this object';

CREATE VIEW cloudsim.v_snapshots AS
SELECT s.id,
       'arn:aws:ec2:' || s.region || ':' || s.account_id || ':snapshot/' || s.id AS arn,
       s.account_id, s.region, s.volume_id, s.volume_size, b.state,
       CASE b.state
           WHEN 'completed' THEN '100%'
           WHEN 'pending' THEN least(99, greatest(0, floor(100
               * extract(epoch FROM now() - s.created_at)
               / nullif(extract(epoch FROM s.next_state_at - s.created_at), 0))))::integer || '%'
           ELSE '0%'
       END AS progress,
       s.created_at AS start_time, s.description, s.encrypted, s.kms_key_id,
       s.account_id AS owner_id, s.created_at, s.tags
FROM cloudsim.snapshots AS s
CROSS JOIN LATERAL (SELECT cloudsim.ebs_settled(s.state, s.next_state, s.next_state_at) AS state) AS b;
COMMENT ON VIEW cloudsim.v_snapshots IS 'Snapshots as the API shows them, with effective state and progress';
COMMENT ON COLUMN cloudsim.v_snapshots.id IS 'Snapshot id';
COMMENT ON COLUMN cloudsim.v_snapshots.arn IS 'arn:aws:ec2:<region>:<account>:snapshot/<id>';
COMMENT ON COLUMN cloudsim.v_snapshots.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_snapshots.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_snapshots.volume_id IS 'Source volume';
COMMENT ON COLUMN cloudsim.v_snapshots.volume_size IS 'Source volume size, GiB';
COMMENT ON COLUMN cloudsim.v_snapshots.state IS 'pending, completed or error, as of now';
COMMENT ON COLUMN cloudsim.v_snapshots.progress IS 'Percentage text: elapsed share of the pending delay, 100% when completed';
COMMENT ON COLUMN cloudsim.v_snapshots.start_time IS 'When the snapshot was started';
COMMENT ON COLUMN cloudsim.v_snapshots.description IS 'Description';
COMMENT ON COLUMN cloudsim.v_snapshots.encrypted IS 'Encrypted';
COMMENT ON COLUMN cloudsim.v_snapshots.kms_key_id IS 'KMS key ARN when encrypted';
COMMENT ON COLUMN cloudsim.v_snapshots.owner_id IS 'Owning account (EC2 OwnerId)';
COMMENT ON COLUMN cloudsim.v_snapshots.created_at IS 'Creation time, the list order';
COMMENT ON COLUMN cloudsim.v_snapshots.tags IS 'Tags';

CREATE FUNCTION cloudsim.snapshot_json(s cloudsim.v_snapshots)
RETURNS json LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', s.id, 'arn', s.arn, 'account_id', s.account_id, 'region', s.region,
        'volume_id', s.volume_id, 'volume_size', s.volume_size, 'state', s.state,
        'progress', s.progress,
        'start_time', to_char(s.start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'description', s.description, 'encrypted', s.encrypted, 'kms_key_id', s.kms_key_id,
        'owner_id', s.owner_id, 'tags', s.tags)
$$;
COMMENT ON FUNCTION cloudsim.snapshot_json(cloudsim.v_snapshots) IS
    'A snapshot as the API shows it (docs/volumes.md); the REST and EC2 fronts render this object';

/* ---------------------------------------------------------------------
 * Privileges.  cloudsim_app changes only what the API changes: a
 * volume's size, type, performance, tags and state (UPDATE on them also
 * lets it lock rows), an attachment's state and delete-on-termination, a
 * snapshot's tags.  The id, owner, zone and encryption of a volume never
 * change.  Nothing here is secret.
 * ------------------------------------------------------------------- */
REVOKE ALL ON FUNCTION cloudsim.ebs_settled(text, text, timestamptz),
    cloudsim.volume_spec_valid(text, integer, integer, integer),
    cloudsim.ebs_default_kms_key(text, text), cloudsim.volume_attachments_check(),
    cloudsim.volume_quota_lock(text, text),
    cloudsim.volume_attachment_json(cloudsim.v_volume_attachments),
    cloudsim.volume_json(cloudsim.v_volumes), cloudsim.snapshot_json(cloudsim.v_snapshots)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.ebs_settled(text, text, timestamptz),
    cloudsim.volume_spec_valid(text, integer, integer, integer),
    cloudsim.ebs_default_kms_key(text, text),
    cloudsim.volume_attachment_json(cloudsim.v_volume_attachments),
    cloudsim.volume_json(cloudsim.v_volumes), cloudsim.snapshot_json(cloudsim.v_snapshots)
    TO cloudsim_app, cloudsim_readonly;
GRANT EXECUTE ON FUNCTION cloudsim.volume_attachments_check(),
    cloudsim.volume_quota_lock(text, text) TO cloudsim_app;

GRANT SELECT, INSERT, DELETE ON cloudsim.volumes, cloudsim.volume_attachments,
    cloudsim.snapshots TO cloudsim_app;
-- state and its transition also for TerminateInstances (006), which may
-- mark a delete-on-termination volume deleted instead of deleting it.
GRANT UPDATE (size_gib, volume_type, iops, throughput, tags, state, next_state, next_state_at)
    ON cloudsim.volumes TO cloudsim_app;
GRANT UPDATE (state, next_state, next_state_at, delete_on_termination)
    ON cloudsim.volume_attachments TO cloudsim_app;
GRANT UPDATE (tags) ON cloudsim.snapshots TO cloudsim_app;
GRANT SELECT ON cloudsim.v_volumes, cloudsim.v_volume_attachments, cloudsim.v_snapshots
    TO cloudsim_app;

GRANT SELECT ON cloudsim.volumes, cloudsim.volume_attachments, cloudsim.snapshots,
    cloudsim.v_volumes, cloudsim.v_volume_attachments, cloudsim.v_snapshots
    TO cloudsim_readonly;
