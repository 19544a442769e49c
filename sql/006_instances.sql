/*
 * 006_instances.sql — what instances.fcgi keeps: EC2 instances with their
 * reservations and security groups, the state machine they move through,
 * and key pairs.
 *
 * An instance's state is stored as a triple: the state an action set
 * (state), the state it settles into by itself (next_state) and when
 * (next_state_at).  Every reader resolves the triple the same way, with
 * cloudsim.instance_effective_state, so REST, the EC2 front and an
 * administrator's SELECT on cloudsim.v_instances agree to the
 * microsecond without any process keeping a timer.  The moment of the
 * change is exclusive: inside the transaction that made a change its
 * reads still show the state just set (pending, stopping …), and the
 * next transaction shows the settled one when the delay is 0 s, as
 * API.md asks.
 *
 * What must always hold is a constraint: a live instance holds a private
 * address of its subnet (a foreign key into cloudsim.subnet_addresses,
 * which vpcs.fcgi's allocate_private_ip fills), in its VPC, in its
 * account and region (composite foreign keys); a public address is used
 * once (a unique index); its security groups belong to its VPC (a
 * composite foreign key); the stored triple is one of the machine's
 * (CHECK).  Row triggers do what a state change implies however the row
 * is written: addresses are taken on insert and start and given back on
 * stop and termination; termination also drops the security group links
 * and the volumes marked delete-on-termination and detaches the others.
 *
 * The transitions themselves are data (cloudsim.instance_transitions):
 * which action may start from which effective state and what it stores.
 *
 * Quotas are counted by the executable under an advisory lock per
 * account and region, because the limit is configuration.
 */

/* ---------------------------------------------------------------------
 * The state machine.
 * ------------------------------------------------------------------- */

-- EC2's codes (the low byte of InstanceState.Code).
CREATE FUNCTION cloudsim.instance_state_code(state text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE state
        WHEN 'pending' THEN 0 WHEN 'running' THEN 16
        WHEN 'shutting-down' THEN 32 WHEN 'terminated' THEN 48
        WHEN 'stopping' THEN 64 WHEN 'stopped' THEN 80 END
$$;
COMMENT ON FUNCTION cloudsim.instance_state_code(text) IS
    'EC2''s code of an instance state: pending 0, running 16, shutting-down 32, terminated 48, stopping 64, stopped 80';

-- The state a transient state settles into by itself, NULL for a
-- settled one.
CREATE FUNCTION cloudsim.instance_next_state(state text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE state
        WHEN 'pending' THEN 'running' WHEN 'stopping' THEN 'stopped'
        WHEN 'shutting-down' THEN 'terminated' END
$$;
COMMENT ON FUNCTION cloudsim.instance_next_state(text) IS
    'What a transient instance state settles into (pending→running, stopping→stopped, shutting-down→terminated); NULL for the others';

-- A plain SQL expression, so the planner inlines it into every query.
-- now() is the transaction's start: one statement, one answer.
CREATE FUNCTION cloudsim.instance_effective_state(state text, next_state text,
        next_state_at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN next_state_at < now() THEN next_state ELSE state END
$$;
COMMENT ON FUNCTION cloudsim.instance_effective_state(text, text, timestamptz) IS
    'The state an instance is in now: next_state once next_state_at has passed, else the stored state. Every reader uses it';

CREATE TABLE cloudsim.instance_transitions (
    action     text NOT NULL CHECK (action IN ('start', 'stop', 'reboot', 'terminate')),
    from_state text NOT NULL CHECK (from_state IN ('pending', 'running', 'shutting-down',
                                                   'terminated', 'stopping', 'stopped')),
    to_state   text CHECK (to_state IN ('pending', 'stopping', 'shutting-down')),
    PRIMARY KEY (action, from_state)
);
COMMENT ON TABLE cloudsim.instance_transitions IS
    'What each instance action does from each effective state, as EC2 does it: a row with a to_state stores that state, a row without one is a no-op answered with the current state (start a running instance), no row is 409 IncorrectInstanceState (start a terminated instance)';
COMMENT ON COLUMN cloudsim.instance_transitions.action IS 'start, stop, reboot or terminate';
COMMENT ON COLUMN cloudsim.instance_transitions.from_state IS 'The effective state the instance is in';
COMMENT ON COLUMN cloudsim.instance_transitions.to_state IS 'The state stored (it settles by itself after its delay), or NULL: nothing changes';

INSERT INTO cloudsim.instance_transitions (action, from_state, to_state) VALUES
    ('start', 'stopped', 'pending'),
    ('start', 'pending', NULL), ('start', 'running', NULL),
    -- EC2 refuses to stop an instance that has not reached running.
    ('stop', 'running', 'stopping'),
    ('stop', 'stopping', NULL), ('stop', 'stopped', NULL),
    -- A reboot keeps the instance running: nothing to store.
    ('reboot', 'running', NULL),
    ('terminate', 'pending', 'shutting-down'), ('terminate', 'running', 'shutting-down'),
    ('terminate', 'stopping', 'shutting-down'), ('terminate', 'stopped', 'shutting-down'),
    ('terminate', 'shutting-down', NULL), ('terminate', 'terminated', NULL);

/* ---------------------------------------------------------------------
 * Public addresses.
 * ------------------------------------------------------------------- */

-- The pool is 198.18.0.0/15 (RFC 2544's benchmarking block, never
-- routed on the Internet): 131,070 usable addresses.  A random candidate
-- is locked (an advisory lock on the address), then checked against the
-- live instances; two launches cannot both take it, because the second
-- waits for the first's lock and, under READ COMMITTED, its check then
-- sees the first's committed row.  The unique index on public_ip stays
-- the referee.
CREATE FUNCTION cloudsim.allocate_public_ip() RETURNS inet
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    candidate inet;
BEGIN
    FOR attempt IN 1 .. 64 LOOP
        candidate := '198.18.0.0'::inet + (1 + floor(random() * 131070))::bigint;
        PERFORM pg_advisory_xact_lock(6100, hashtext(host(candidate)));
        IF NOT EXISTS (SELECT 1 FROM cloudsim.instances AS i WHERE i.public_ip = candidate) THEN
            RETURN candidate;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'no public IPv4 address is free; try again later'
        USING ERRCODE = 'P0001', HINT = 'InsufficientAddressCapacity', DETAIL = '503';
END
$$;
COMMENT ON FUNCTION cloudsim.allocate_public_ip() IS
    'A public address from 198.18.0.0/15 no live instance holds, locked for the calling transaction; raises InsufficientAddressCapacity (503) when 64 draws all hit taken ones';

/* ---------------------------------------------------------------------
 * Reservations and instances.
 * ------------------------------------------------------------------- */

-- One RunInstances call.  Its client token makes a retry return the
-- same reservation: the hash of the call's normalized parameters tells
-- a true retry from a different call reusing the token.
CREATE TABLE cloudsim.reservations (
    id           text PRIMARY KEY CHECK (id ~ '^r-[0-9a-f]{17}$'),
    account_id   text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region       text NOT NULL REFERENCES cloudsim.regions (name),
    client_token text CHECK (char_length(client_token) BETWEEN 1 AND 64),
    params_hash  text CHECK (params_hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reservations_token_check CHECK ((client_token IS NULL) = (params_hash IS NULL)),
    CONSTRAINT reservations_client_token_key UNIQUE (account_id, region, client_token)
);
COMMENT ON TABLE cloudsim.reservations IS
    'RunInstances calls: each launched its instances as one reservation, as EC2 groups them';
COMMENT ON COLUMN cloudsim.reservations.id IS 'r- and 17 lower-case hex digits (ReservationId)';
COMMENT ON COLUMN cloudsim.reservations.account_id IS 'The launching account (OwnerId)';
COMMENT ON COLUMN cloudsim.reservations.region IS 'Region of the launch';
COMMENT ON COLUMN cloudsim.reservations.client_token IS 'The caller''s idempotency token (ClientToken), unique per account and region; NULL when none was given';
COMMENT ON COLUMN cloudsim.reservations.params_hash IS 'Hex SHA-256 of the call''s normalized parameters: a retry with the token must match it (else IdempotentParameterMismatch)';
COMMENT ON COLUMN cloudsim.reservations.created_at IS 'When the call launched';

CREATE TABLE cloudsim.instances (
    id                      text PRIMARY KEY
                            CONSTRAINT instances_id_check CHECK (id ~ '^i-[0-9a-f]{17}$'),
    reservation_id          text NOT NULL REFERENCES cloudsim.reservations (id) ON DELETE CASCADE,
    ami_launch_index        integer NOT NULL CHECK (ami_launch_index >= 0),
    account_id              text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region                  text NOT NULL REFERENCES cloudsim.regions (name),
    availability_zone       text NOT NULL REFERENCES cloudsim.zones (name),
    vpc_id                  text,
    subnet_id               text,
    image_id                text NOT NULL REFERENCES cloudsim.images (id),
    instance_type           text NOT NULL REFERENCES cloudsim.instance_types (name),
    state                   text NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'shutting-down',
                                             'terminated', 'stopping', 'stopped')),
    next_state              text,
    next_state_at           timestamptz,
    state_reason_code       text,
    state_reason_message    text,
    state_transition_reason text NOT NULL DEFAULT '',
    private_ip              inet,
    public_ip               inet,
    associate_public_ip     boolean NOT NULL,
    key_name                text CHECK (char_length(key_name) BETWEEN 1 AND 255),
    root_device_name        text NOT NULL CHECK (root_device_name ~ '^/dev/[a-z0-9]+$'),
    user_data               text
                            CONSTRAINT instances_user_data_check
                            CHECK (char_length(user_data) BETWEEN 1 AND 21848
                                   AND user_data ~ '^[A-Za-z0-9+/]+={0,2}$'),
    launch_time             timestamptz NOT NULL DEFAULT now(),
    created_at              timestamptz NOT NULL DEFAULT now(),
    visible_until           timestamptz,
    tags                    cloudsim.tags,
    -- Tenancy: the VPC is the account's in the region, the subnet the
    -- VPC's.  A deleted subnet or VPC (possible once only terminated
    -- instances remain) leaves those ids NULL.
    CONSTRAINT instances_vpc_fkey FOREIGN KEY (vpc_id, account_id, region)
        REFERENCES cloudsim.vpcs (id, account_id, region) ON DELETE SET NULL (vpc_id),
    CONSTRAINT instances_subnet_fkey FOREIGN KEY (subnet_id, vpc_id)
        REFERENCES cloudsim.subnets (id, vpc_id) ON DELETE SET NULL (subnet_id),
    -- The private address is really taken in the subnet, and by nobody
    -- else (subnet_addresses' primary key).
    CONSTRAINT instances_private_ip_fkey FOREIGN KEY (subnet_id, private_ip)
        REFERENCES cloudsim.subnet_addresses (subnet_id, address),
    CONSTRAINT instances_zone_in_region CHECK (left(availability_zone, -1) = region),
    CONSTRAINT instances_timing_check CHECK (
        next_state IS NOT DISTINCT FROM cloudsim.instance_next_state(state)
        AND (next_state IS NULL) = (next_state_at IS NULL)),
    CONSTRAINT instances_network_check CHECK (
        (vpc_id IS NOT NULL AND subnet_id IS NOT NULL AND private_ip IS NOT NULL)
        OR state IN ('shutting-down', 'terminated')),
    CONSTRAINT instances_public_ip_check CHECK (
        public_ip IS NULL OR (associate_public_ip AND public_ip << inet '198.18.0.0/15')),
    CONSTRAINT instances_reason_check CHECK ((state_reason_code IS NULL) = (state_reason_message IS NULL)),
    -- The volumes' attachments and the group links point here.
    CONSTRAINT instances_vpc_key UNIQUE (id, vpc_id)
);
CREATE UNIQUE INDEX instances_public_ip_key ON cloudsim.instances (public_ip)
    WHERE public_ip IS NOT NULL;
-- The list's scope and order; a page is an index range.
CREATE INDEX instances_list_idx ON cloudsim.instances (account_id, region, created_at, id);
CREATE INDEX instances_region_idx ON cloudsim.instances (region, created_at, id);
CREATE INDEX instances_reservation_idx ON cloudsim.instances (reservation_id);
-- For the foreign keys' ON DELETE SET NULL from subnets and VPCs.
CREATE INDEX instances_subnet_idx ON cloudsim.instances (subnet_id, private_ip);
CREATE INDEX instances_vpc_idx ON cloudsim.instances (vpc_id);

COMMENT ON TABLE cloudsim.instances IS
    'EC2 instances. The state is stored with its timing (state, next_state, next_state_at); read the effective state through cloudsim.instance_effective_state or cloudsim.v_instances';
COMMENT ON COLUMN cloudsim.instances.id IS 'i- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.instances.reservation_id IS 'The RunInstances call that launched it';
COMMENT ON COLUMN cloudsim.instances.ami_launch_index IS 'Its position (0, 1, ...) among the instances of its reservation (AmiLaunchIndex)';
COMMENT ON COLUMN cloudsim.instances.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.instances.region IS 'Region';
COMMENT ON COLUMN cloudsim.instances.availability_zone IS 'Zone of its subnet';
COMMENT ON COLUMN cloudsim.instances.vpc_id IS 'Its VPC; NULL only for a terminated instance whose VPC was deleted since';
COMMENT ON COLUMN cloudsim.instances.subnet_id IS 'Its subnet; NULL only for a terminated instance whose subnet was deleted since';
COMMENT ON COLUMN cloudsim.instances.image_id IS 'The AMI it was launched from';
COMMENT ON COLUMN cloudsim.instances.instance_type IS 'Instance type; changes only while stopped';
COMMENT ON COLUMN cloudsim.instances.state IS 'The state the last action stored (pending, stopping, shutting-down) or a settled one; not necessarily the state now';
COMMENT ON COLUMN cloudsim.instances.next_state IS 'What state settles into by itself (running, stopped, terminated), NULL when settled';
COMMENT ON COLUMN cloudsim.instances.next_state_at IS 'When state settles into next_state (launch or action time plus the configured delay); the change is visible strictly after it';
COMMENT ON COLUMN cloudsim.instances.state_reason_code IS 'StateReason.Code of the last stop or termination (Client.UserInitiatedShutdown), NULL otherwise';
COMMENT ON COLUMN cloudsim.instances.state_reason_message IS 'StateReason.Message going with state_reason_code';
COMMENT ON COLUMN cloudsim.instances.state_transition_reason IS 'StateTransitionReason of the last stop or termination, e.g. User initiated (2026-01-31 12:00:00 GMT); empty otherwise';
COMMENT ON COLUMN cloudsim.instances.private_ip IS 'Private address taken in the subnet (cloudsim.subnet_addresses); given back at termination (then NULL)';
COMMENT ON COLUMN cloudsim.instances.public_ip IS 'Public address from 198.18.0.0/15 while running, when associate_public_ip; given back at stop and termination, a new one at start (as EC2)';
COMMENT ON COLUMN cloudsim.instances.associate_public_ip IS 'Whether it gets a public address (its subnet mapped public IPs at launch)';
COMMENT ON COLUMN cloudsim.instances.key_name IS 'Name of the key pair named at launch (kept if the pair is deleted later, as EC2)';
COMMENT ON COLUMN cloudsim.instances.root_device_name IS 'Device of the root volume, from the AMI (/dev/xvda, /dev/sda1)';
COMMENT ON COLUMN cloudsim.instances.user_data IS 'User data as base64, at most 16 KiB decoded; never in lists (hidden from cloudsim_readonly: it may hold secrets)';
COMMENT ON COLUMN cloudsim.instances.launch_time IS 'When it was last launched or started (LaunchTime)';
COMMENT ON COLUMN cloudsim.instances.created_at IS 'When it was launched first; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.instances.visible_until IS 'For a terminated instance: when it leaves lists (termination plus instance_terminated_retention); NULL while live';
COMMENT ON COLUMN cloudsim.instances.tags IS 'Tags, {"Key": "value"}';

-- The security groups of an instance, in the order given.  A live
-- instance's links keep its groups from being deleted; termination drops
-- them.
CREATE TABLE cloudsim.instance_security_groups (
    instance_id text NOT NULL,
    vpc_id      text NOT NULL,
    group_id    text NOT NULL,
    position    smallint NOT NULL CHECK (position >= 0),
    CONSTRAINT instance_security_groups_pkey PRIMARY KEY (instance_id, group_id),
    CONSTRAINT instance_security_groups_instance_fkey FOREIGN KEY (instance_id, vpc_id)
        REFERENCES cloudsim.instances (id, vpc_id) ON DELETE CASCADE,
    -- The group is one of the instance's VPC: EC2's "belong to different
    -- networks" refusal, held by the schema.
    CONSTRAINT instance_security_groups_group_fkey FOREIGN KEY (group_id, vpc_id)
        REFERENCES cloudsim.security_groups (id, vpc_id)
);
CREATE INDEX instance_security_groups_group_idx ON cloudsim.instance_security_groups (group_id);
COMMENT ON TABLE cloudsim.instance_security_groups IS
    'Security groups of live instances (a group in use cannot be deleted); at most 5 per instance, as EC2';
COMMENT ON COLUMN cloudsim.instance_security_groups.instance_id IS 'The instance';
COMMENT ON COLUMN cloudsim.instance_security_groups.vpc_id IS 'The VPC of both the instance and the group';
COMMENT ON COLUMN cloudsim.instance_security_groups.group_id IS 'The security group';
COMMENT ON COLUMN cloudsim.instance_security_groups.position IS 'Order in which the launch named the groups (0 first)';

-- Volumes attach to instances (005_volumes comes first, so the key that
-- ties an attachment to its instance is added here).
ALTER TABLE cloudsim.volume_attachments ADD CONSTRAINT volume_attachments_instance_fkey
    FOREIGN KEY (instance_id) REFERENCES cloudsim.instances (id) ON DELETE CASCADE;

/* ---------------------------------------------------------------------
 * What a state change implies.
 * ------------------------------------------------------------------- */

-- Before the row is written: addresses, and the launch time of a start.
CREATE FUNCTION cloudsim.instances_writing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.private_ip IS NULL AND NEW.subnet_id IS NOT NULL THEN
            NEW.private_ip := cloudsim.allocate_private_ip(NEW.subnet_id, NEW.id);
        END IF;
        IF NEW.associate_public_ip AND NEW.public_ip IS NULL AND NEW.state = 'pending' THEN
            NEW.public_ip := cloudsim.allocate_public_ip();
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.state IS NOT DISTINCT FROM OLD.state THEN
        RETURN NEW;
    END IF;
    IF NEW.state IN ('stopping', 'shutting-down') THEN
        NEW.public_ip := NULL;
    END IF;
    IF NEW.state = 'shutting-down' THEN
        NEW.private_ip := NULL;
    END IF;
    IF NEW.state = 'pending' THEN
        NEW.launch_time := now();
        IF NEW.associate_public_ip AND NEW.public_ip IS NULL THEN
            NEW.public_ip := cloudsim.allocate_public_ip();
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION cloudsim.instances_writing() IS
    'Trigger: takes the private (and public) address of a new instance, gives the public one back on stop and both on termination, takes a new public one and sets launch_time on start';
CREATE TRIGGER instances_writing BEFORE INSERT OR UPDATE OF state ON cloudsim.instances
    FOR EACH ROW EXECUTE FUNCTION cloudsim.instances_writing();

-- After termination is stored: the address goes back to the subnet, the
-- group links go, delete-on-termination volumes are deleted and the
-- others detached (so they read available again).
CREATE FUNCTION cloudsim.instances_terminating() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.private_ip IS NOT NULL THEN
        PERFORM cloudsim.release_private_ip(OLD.subnet_id, OLD.private_ip);
    END IF;
    DELETE FROM cloudsim.instance_security_groups AS g WHERE g.instance_id = NEW.id;
    DELETE FROM cloudsim.volumes AS v
    USING cloudsim.volume_attachments AS a
    WHERE a.instance_id = NEW.id AND a.volume_id = v.id AND a.delete_on_termination;
    WITH d AS (
        DELETE FROM cloudsim.volume_attachments AS a WHERE a.instance_id = NEW.id
        RETURNING a.volume_id)
    UPDATE cloudsim.volumes AS v SET state = 'available'
    FROM d WHERE v.id = d.volume_id AND v.state = 'in-use';
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instances_terminating() IS
    'Trigger: on termination, releases the private address, drops the security group links, deletes the delete-on-termination volumes and detaches the other volumes';
CREATE TRIGGER instances_terminating AFTER UPDATE OF state ON cloudsim.instances
    FOR EACH ROW WHEN (NEW.state = 'shutting-down' AND OLD.state IS DISTINCT FROM 'shutting-down')
    EXECUTE FUNCTION cloudsim.instances_terminating();

-- A deleted row (an account deleted with its resources) gives its
-- address back, so that the subnet can go too.
CREATE FUNCTION cloudsim.instances_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.private_ip IS NOT NULL AND OLD.subnet_id IS NOT NULL THEN
        PERFORM cloudsim.release_private_ip(OLD.subnet_id, OLD.private_ip);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.instances_deleted() IS
    'Trigger: a deleted instance row releases its private address';
CREATE TRIGGER instances_deleted AFTER DELETE ON cloudsim.instances
    FOR EACH ROW EXECUTE FUNCTION cloudsim.instances_deleted();

-- Deleting an account (sandbox reset) cascades to its subnets, whose
-- taken addresses refuse to go while instances hold them: the instances
-- go first.
CREATE FUNCTION cloudsim.accounts_deleting_instances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cloudsim.instances AS i WHERE i.account_id = OLD.id;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION cloudsim.accounts_deleting_instances() IS
    'Trigger: deletes an account''s instances (releasing their addresses) before the account''s cascade reaches its subnets';
CREATE TRIGGER accounts_deleting_instances BEFORE DELETE ON cloudsim.accounts
    FOR EACH ROW EXECUTE FUNCTION cloudsim.accounts_deleting_instances();

/* ---------------------------------------------------------------------
 * Key pairs.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.key_pairs (
    id          text PRIMARY KEY DEFAULT 'key-' || cloudsim.random_hex(17)
                CONSTRAINT key_pairs_id_check CHECK (id ~ '^key-[0-9a-f]{17}$'),
    account_id  text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region      text NOT NULL REFERENCES cloudsim.regions (name),
    name        text NOT NULL
                CONSTRAINT key_pairs_name_check CHECK (name ~ '^[ -~]{1,255}$'),
    key_type    text NOT NULL CHECK (key_type IN ('rsa', 'ed25519')),
    public_key  text NOT NULL CHECK (public_key ~ '^ssh-(rsa|ed25519) [A-Za-z0-9+/]+={0,2}( |$)'),
    fingerprint text NOT NULL CHECK (char_length(fingerprint) BETWEEN 1 AND 128),
    imported    boolean NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    tags        cloudsim.tags,
    CONSTRAINT key_pairs_name_key UNIQUE (account_id, region, name)
);
CREATE INDEX key_pairs_list_idx ON cloudsim.key_pairs (account_id, region, created_at, id);
CREATE INDEX key_pairs_region_idx ON cloudsim.key_pairs (region, created_at, id);
COMMENT ON TABLE cloudsim.key_pairs IS
    'SSH key pairs: the public half only (the private key of a created pair is shown once and never stored); names are unique per account and region';
COMMENT ON COLUMN cloudsim.key_pairs.id IS 'key- and 17 lower-case hex digits (KeyPairId)';
COMMENT ON COLUMN cloudsim.key_pairs.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.key_pairs.region IS 'Region (a pair is regional, as in EC2)';
COMMENT ON COLUMN cloudsim.key_pairs.name IS 'Key name, 1 to 255 printable ASCII characters, unique per account and region';
COMMENT ON COLUMN cloudsim.key_pairs.key_type IS 'rsa or ed25519';
COMMENT ON COLUMN cloudsim.key_pairs.public_key IS 'The OpenSSH public key line (ssh-rsa / ssh-ed25519, base64 blob, comment)';
COMMENT ON COLUMN cloudsim.key_pairs.fingerprint IS 'As EC2 computes it: created RSA SHA-1 of the PKCS#8 private key, imported RSA MD5 of the DER public key (both colon hex), ED25519 base64 SHA-256 of the key blob';
COMMENT ON COLUMN cloudsim.key_pairs.imported IS 'Whether the public key was imported (ImportKeyPair) rather than created';
COMMENT ON COLUMN cloudsim.key_pairs.created_at IS 'Creation or import time (CreateTime); lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.key_pairs.tags IS 'Tags, {"Key": "value"}';

/* ---------------------------------------------------------------------
 * Views: what the API shows.
 * ------------------------------------------------------------------- */
CREATE VIEW cloudsim.v_instances AS
SELECT i.id,
       'arn:aws:ec2:' || i.region || ':' || i.account_id || ':instance/' || i.id AS arn,
       i.account_id, i.region, i.reservation_id, i.ami_launch_index,
       i.image_id, i.instance_type, img.architecture, img.platform,
       e.state, cloudsim.instance_state_code(e.state) AS state_code,
       CASE WHEN e.state = 'pending' THEN 'pending'
            WHEN e.state IN ('stopping', 'stopped', 'shutting-down', 'terminated')
            THEN i.state_reason_code END AS state_reason_code,
       CASE WHEN e.state = 'pending' THEN 'pending'
            WHEN e.state IN ('stopping', 'stopped', 'shutting-down', 'terminated')
            THEN i.state_reason_message END AS state_reason_message,
       CASE WHEN e.state IN ('pending', 'running') THEN ''
            ELSE i.state_transition_reason END AS state_transition_reason,
       i.availability_zone, i.vpc_id, i.subnet_id, i.private_ip, i.public_ip,
       CASE WHEN i.private_ip IS NOT NULL THEN
           'ip-' || replace(host(i.private_ip), '.', '-')
           || CASE WHEN i.region = 'us-east-1' THEN '.ec2.internal'
                   ELSE '.' || i.region || '.compute.internal' END
       END AS private_dns_name,
       CASE WHEN i.public_ip IS NOT NULL THEN
           'ec2-' || replace(host(i.public_ip), '.', '-')
           || CASE WHEN i.region = 'us-east-1' THEN '.compute-1.amazonaws.com'
                   ELSE '.' || i.region || '.compute.amazonaws.com' END
       END AS public_dns_name,
       coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.name)
                                 ORDER BY l.position)
                 FROM cloudsim.instance_security_groups AS l
                 JOIN cloudsim.security_groups AS g ON g.id = l.group_id
                 WHERE l.instance_id = i.id), '[]') AS security_groups,
       i.key_name, i.launch_time, i.root_device_name, 'ebs'::text AS root_device_type,
       (SELECT a.volume_id FROM cloudsim.v_volume_attachments AS a
        WHERE a.instance_id = i.id AND a.device = i.root_device_name) AS root_volume_id,
       coalesce((SELECT json_agg(json_build_object(
                     'device_name', a.device, 'volume_id', a.volume_id,
                     'status', a.state,
                     'attach_time', to_char(a.attached_at AT TIME ZONE 'UTC',
                                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                     'delete_on_termination', a.delete_on_termination)
                     ORDER BY a.device <> i.root_device_name, a.device)
                 FROM cloudsim.v_volume_attachments AS a
                 WHERE a.instance_id = i.id), '[]') AS block_device_mappings,
       r.client_token, i.tags, i.created_at,
       i.next_state, i.next_state_at, i.visible_until
FROM cloudsim.instances AS i
CROSS JOIN LATERAL (SELECT cloudsim.instance_effective_state(i.state, i.next_state,
                                                             i.next_state_at) AS state) AS e
JOIN cloudsim.images AS img ON img.id = i.image_id
JOIN cloudsim.reservations AS r ON r.id = i.reservation_id
WHERE i.visible_until IS NULL OR i.visible_until > now();
COMMENT ON VIEW cloudsim.v_instances IS
    'Instances as the API shows them, with their effective state (delays resolved at the time of the query); terminated instances leave it after instance_terminated_retention';
COMMENT ON COLUMN cloudsim.v_instances.id IS 'Instance id';
COMMENT ON COLUMN cloudsim.v_instances.arn IS 'arn:aws:ec2:<region>:<account>:instance/<id>';
COMMENT ON COLUMN cloudsim.v_instances.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_instances.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_instances.reservation_id IS 'Reservation (the RunInstances call)';
COMMENT ON COLUMN cloudsim.v_instances.ami_launch_index IS 'Position in its reservation';
COMMENT ON COLUMN cloudsim.v_instances.image_id IS 'AMI';
COMMENT ON COLUMN cloudsim.v_instances.instance_type IS 'Instance type';
COMMENT ON COLUMN cloudsim.v_instances.architecture IS 'The AMI''s architecture (x86_64, arm64)';
COMMENT ON COLUMN cloudsim.v_instances.platform IS 'windows for Windows AMIs, NULL otherwise';
COMMENT ON COLUMN cloudsim.v_instances.state IS 'Effective state now: pending, running, stopping, stopped, shutting-down, terminated';
COMMENT ON COLUMN cloudsim.v_instances.state_code IS 'EC2''s code of the effective state';
COMMENT ON COLUMN cloudsim.v_instances.state_reason_code IS 'StateReason.Code: pending while pending, the stop or termination reason after one, NULL while running';
COMMENT ON COLUMN cloudsim.v_instances.state_reason_message IS 'StateReason.Message going with state_reason_code';
COMMENT ON COLUMN cloudsim.v_instances.state_transition_reason IS 'StateTransitionReason: empty while pending or running, User initiated (...) after a stop or termination';
COMMENT ON COLUMN cloudsim.v_instances.availability_zone IS 'Zone';
COMMENT ON COLUMN cloudsim.v_instances.vpc_id IS 'VPC';
COMMENT ON COLUMN cloudsim.v_instances.subnet_id IS 'Subnet';
COMMENT ON COLUMN cloudsim.v_instances.private_ip IS 'Private address (NULL once terminated)';
COMMENT ON COLUMN cloudsim.v_instances.public_ip IS 'Public address while running with one';
COMMENT ON COLUMN cloudsim.v_instances.private_dns_name IS 'ip-a-b-c-d.ec2.internal in us-east-1, ip-a-b-c-d.<region>.compute.internal elsewhere';
COMMENT ON COLUMN cloudsim.v_instances.public_dns_name IS 'ec2-a-b-c-d.compute-1.amazonaws.com in us-east-1, ec2-a-b-c-d.<region>.compute.amazonaws.com elsewhere, when a public address is held';
COMMENT ON COLUMN cloudsim.v_instances.security_groups IS 'JSON [{id, name}] in launch order; empty once terminated';
COMMENT ON COLUMN cloudsim.v_instances.key_name IS 'Key pair name given at launch';
COMMENT ON COLUMN cloudsim.v_instances.launch_time IS 'Last launch or start';
COMMENT ON COLUMN cloudsim.v_instances.root_device_name IS 'Root device';
COMMENT ON COLUMN cloudsim.v_instances.root_device_type IS 'Always ebs';
COMMENT ON COLUMN cloudsim.v_instances.root_volume_id IS 'The volume attached at the root device, NULL once deleted or detached';
COMMENT ON COLUMN cloudsim.v_instances.block_device_mappings IS 'JSON [{device_name, volume_id, status, attach_time, delete_on_termination}] of the live attachments (cloudsim.v_volume_attachments, status attaching/attached/detaching), root first';
COMMENT ON COLUMN cloudsim.v_instances.client_token IS 'The launch''s idempotency token, or NULL';
COMMENT ON COLUMN cloudsim.v_instances.tags IS 'Tags';
COMMENT ON COLUMN cloudsim.v_instances.created_at IS 'First launch; the list order';
COMMENT ON COLUMN cloudsim.v_instances.next_state IS 'For administrators: what the stored state settles into';
COMMENT ON COLUMN cloudsim.v_instances.next_state_at IS 'For administrators: when it settles';
COMMENT ON COLUMN cloudsim.v_instances.visible_until IS 'For administrators: when a terminated instance leaves the lists';

CREATE VIEW cloudsim.v_key_pairs AS
SELECT k.id, 'arn:aws:ec2:' || k.region || ':' || k.account_id || ':key-pair/' || k.id AS arn,
       k.account_id, k.region, k.name, k.key_type, k.fingerprint, k.public_key,
       k.imported, k.created_at, k.tags
FROM cloudsim.key_pairs AS k;
COMMENT ON VIEW cloudsim.v_key_pairs IS 'Key pairs as the API shows them';
COMMENT ON COLUMN cloudsim.v_key_pairs.id IS 'Key pair id';
COMMENT ON COLUMN cloudsim.v_key_pairs.arn IS 'arn:aws:ec2:<region>:<account>:key-pair/<id>';
COMMENT ON COLUMN cloudsim.v_key_pairs.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_key_pairs.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_key_pairs.name IS 'Key name';
COMMENT ON COLUMN cloudsim.v_key_pairs.key_type IS 'rsa or ed25519';
COMMENT ON COLUMN cloudsim.v_key_pairs.fingerprint IS 'Fingerprint as EC2 computes it';
COMMENT ON COLUMN cloudsim.v_key_pairs.public_key IS 'OpenSSH public key line';
COMMENT ON COLUMN cloudsim.v_key_pairs.imported IS 'Imported rather than created';
COMMENT ON COLUMN cloudsim.v_key_pairs.created_at IS 'Creation time';
COMMENT ON COLUMN cloudsim.v_key_pairs.tags IS 'Tags';

/* ---------------------------------------------------------------------
 * Privileges.  cloudsim_app changes what the API changes: the state
 * columns, the type, tags; the triggers it sets off release addresses,
 * drop group links and delete or detach volumes with its rights.
 * cloudsim_readonly reads everything but user data.
 * ------------------------------------------------------------------- */
REVOKE ALL ON FUNCTION cloudsim.instance_state_code(text), cloudsim.instance_next_state(text),
    cloudsim.instance_effective_state(text, text, timestamptz), cloudsim.allocate_public_ip()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instance_state_code(text), cloudsim.instance_next_state(text),
    cloudsim.instance_effective_state(text, text, timestamptz)
    TO cloudsim_app, cloudsim_readonly;
GRANT EXECUTE ON FUNCTION cloudsim.allocate_public_ip() TO cloudsim_app;

GRANT SELECT ON cloudsim.instance_transitions TO cloudsim_app, cloudsim_readonly;
GRANT SELECT, INSERT ON cloudsim.reservations TO cloudsim_app;
GRANT SELECT, INSERT ON cloudsim.instances TO cloudsim_app;
GRANT UPDATE (state, next_state, next_state_at, state_reason_code, state_reason_message,
    state_transition_reason, visible_until, instance_type, tags)
    ON cloudsim.instances TO cloudsim_app;
GRANT SELECT, INSERT, DELETE ON cloudsim.instance_security_groups TO cloudsim_app;
GRANT SELECT, INSERT, DELETE ON cloudsim.key_pairs TO cloudsim_app;
GRANT UPDATE (tags) ON cloudsim.key_pairs TO cloudsim_app;
GRANT SELECT ON cloudsim.v_instances, cloudsim.v_key_pairs TO cloudsim_app;

GRANT SELECT ON cloudsim.reservations, cloudsim.instance_security_groups, cloudsim.key_pairs,
    cloudsim.v_instances, cloudsim.v_key_pairs TO cloudsim_readonly;
GRANT SELECT (id, reservation_id, ami_launch_index, account_id, region, availability_zone,
    vpc_id, subnet_id, image_id, instance_type, state, next_state, next_state_at,
    state_reason_code, state_reason_message, state_transition_reason, private_ip, public_ip,
    associate_public_ip, key_name, root_device_name, launch_time, created_at, visible_until,
    tags) ON cloudsim.instances TO cloudsim_readonly;
