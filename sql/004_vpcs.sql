/*
 * 004_vpcs.sql — the networks of vpcs.fcgi: VPCs, subnets and the private
 * addresses taken in them, security groups and their rules, internet
 * gateways, route tables with their routes and subnet associations, and
 * every account's default VPC in every region.
 *
 * What must always hold is a constraint here, not an if in C, so that any
 * number of processes on any number of hosts racing each other cannot
 * break it; the loser gets an error the executables map, by constraint
 * name, to AWS's code:
 *   - a subnet lies inside its VPC (a foreign key carries the VPC's block
 *     into the row, a CHECK compares) and never overlaps a sibling
 *     (EXCLUDE USING gist);
 *   - a child always belongs to its VPC's account and region (composite
 *     foreign keys), so no row can point across tenants;
 *   - one default VPC per account and region, one main route table and
 *     one default security group per VPC, one gateway per VPC, one
 *     association per subnet, a private address used once per subnet and
 *     never one of the five AWS reserves (unique indexes and CHECKs);
 *   - a VPC, subnet, group or route table still depended on cannot be
 *     deleted (foreign keys without cascade).
 * Statement triggers give every new VPC its main route table (with the
 * local route) and its default security group, and every new group its
 * default rules, however the VPC was inserted: one row from the API or
 * thirty-four at registration.
 *
 * Quotas are counted by the executables under a lock (the VPC's or the
 * group's row, or an advisory lock per account and region), because the
 * limits are configuration, not schema.
 */

/* ---------------------------------------------------------------------
 * Identifiers and tags.
 * ------------------------------------------------------------------- */

-- gen_random_uuid() is built in and draws from the server's strong random
-- source; of a v4 UUID's 32 hex digits, 30 are random (the 13th is the
-- version, the 17th carries the variant), and only those are used.
CREATE FUNCTION cloudsim.random_hex(n integer) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT left(string_agg(substr(h, 1, 12) || substr(h, 14, 3) || substr(h, 18, 15), ''), n)
    FROM (SELECT replace(gen_random_uuid()::text, '-', '') AS h
          FROM generate_series(1, (n + 29) / 30)) AS u
$$;
COMMENT ON FUNCTION cloudsim.random_hex(integer) IS
    'n random lower-case hex digits from gen_random_uuid (cryptographically strong), for resource ids';

-- VPC and subnet ids have only 8 hex digits (32 bits), where collisions
-- become likely after tens of thousands of rows: draw again while the
-- candidate is taken.  17-digit ids need no such care.
CREATE FUNCTION cloudsim.new_vpc_id() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    candidate text;
BEGIN
    LOOP
        candidate := 'vpc-' || cloudsim.random_hex(8);
        EXIT WHEN NOT EXISTS (SELECT 1 FROM cloudsim.vpcs WHERE id = candidate);
    END LOOP;
    RETURN candidate;
END
$$;
COMMENT ON FUNCTION cloudsim.new_vpc_id() IS
    'A fresh vpc- id (8 hex digits) not used by any VPC; the default of vpcs.id';

CREATE FUNCTION cloudsim.new_subnet_id() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    candidate text;
BEGIN
    LOOP
        candidate := 'subnet-' || cloudsim.random_hex(8);
        EXIT WHEN NOT EXISTS (SELECT 1 FROM cloudsim.subnets WHERE id = candidate);
    END LOOP;
    RETURN candidate;
END
$$;
COMMENT ON FUNCTION cloudsim.new_subnet_id() IS
    'A fresh subnet- id (8 hex digits) not used by any subnet; the default of subnets.id';

-- Tags are a jsonb object on each resource row, so a list reads them with
-- the row (no join) and a merge is one UPDATE.  The rules are AWS's: at
-- most 50, keys of 1..128 characters not starting with aws: (in any
-- case), values of 0..256 characters.  A CASE guards jsonb_each, which
-- fails on anything but an object.
CREATE FUNCTION cloudsim.tags_valid(t jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(t) <> 'object' THEN false
        ELSE NOT EXISTS (
            SELECT 1 FROM jsonb_each(t) AS e
            WHERE jsonb_typeof(e.value) <> 'string'
               OR char_length(e.key) NOT BETWEEN 1 AND 128
               OR char_length(e.value #>> '{}') > 256
               OR lower(left(e.key, 4)) = 'aws:')
    END
$$;
COMMENT ON FUNCTION cloudsim.tags_valid(jsonb) IS
    'True when t is an object of string tags with AWS''s key and value lengths and no aws: keys';

CREATE FUNCTION cloudsim.tags_count(t jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(t) = 'object'
        THEN (SELECT count(*)::integer FROM jsonb_object_keys(t)) ELSE 0 END
$$;
COMMENT ON FUNCTION cloudsim.tags_count(jsonb) IS 'Number of tags in a tags object';

CREATE DOMAIN cloudsim.tags AS jsonb NOT NULL DEFAULT '{}'
    CONSTRAINT tags_count_check CHECK (cloudsim.tags_count(VALUE) <= 50)
    CONSTRAINT tags_valid_check CHECK (cloudsim.tags_valid(VALUE));
COMMENT ON DOMAIN cloudsim.tags IS
    'A resource''s tags, {"Key": "value"}: at most 50, AWS''s key and value rules (any resource table may use it)';

-- The tag filter of every list: filter is {"Key": ["v1", "v2"], ...} (or
-- NULL for none); a row matches when, for every key, its tag has one of
-- the values.  One static statement thus serves any tag filter.
CREATE FUNCTION cloudsim.tags_match(tags jsonb, filter jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT filter IS NULL OR NOT EXISTS (
        SELECT 1 FROM jsonb_each(filter) AS f
        WHERE NOT coalesce(f.value ? (tags ->> f.key), false))
$$;
COMMENT ON FUNCTION cloudsim.tags_match(jsonb, jsonb) IS
    'List filter: true when for every key of filter ({"K": ["v", ...]}) the tag K has one of the values';

/* ---------------------------------------------------------------------
 * VPCs.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.vpcs (
    id                   text PRIMARY KEY DEFAULT cloudsim.new_vpc_id()
                         CONSTRAINT vpcs_id_check CHECK (id ~ '^vpc-[0-9a-f]{8}$'),
    account_id           text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region               text NOT NULL REFERENCES cloudsim.regions (name),
    cidr_block           cidr NOT NULL
                         CONSTRAINT vpcs_cidr_block_check
                         CHECK (family(cidr_block) = 4 AND masklen(cidr_block) BETWEEN 16 AND 28),
    is_default           boolean NOT NULL DEFAULT false,
    state                text NOT NULL DEFAULT 'available'
                         CHECK (state IN ('pending', 'available')),
    instance_tenancy     text NOT NULL DEFAULT 'default'
                         CHECK (instance_tenancy IN ('default', 'dedicated')),
    enable_dns_support   boolean NOT NULL DEFAULT true,
    enable_dns_hostnames boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    tags                 cloudsim.tags,
    -- Targets of the children's composite foreign keys.
    CONSTRAINT vpcs_tenant_key UNIQUE (id, account_id, region),
    CONSTRAINT vpcs_cidr_key UNIQUE (id, cidr_block)
);
-- "Never two default VPCs" is this index; ensure_default_vpc relies on it.
CREATE UNIQUE INDEX vpcs_one_default ON cloudsim.vpcs (account_id, region) WHERE is_default;
-- The list's scope and order.
CREATE INDEX vpcs_list_idx ON cloudsim.vpcs (account_id, region, created_at, id);
CREATE INDEX vpcs_region_idx ON cloudsim.vpcs (region, created_at, id);

COMMENT ON TABLE cloudsim.vpcs IS
    'Virtual private clouds: one IPv4 block per VPC; its main route table and default security group are created with it';
COMMENT ON COLUMN cloudsim.vpcs.id IS 'vpc- and 8 lower-case hex digits';
COMMENT ON COLUMN cloudsim.vpcs.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.vpcs.region IS 'Region the VPC lives in';
COMMENT ON COLUMN cloudsim.vpcs.cidr_block IS 'The VPC''s IPv4 block, /16 to /28, canonical (no host bits); never changes';
COMMENT ON COLUMN cloudsim.vpcs.is_default IS 'The account''s default VPC of the region (172.31.0.0/16), at most one';
COMMENT ON COLUMN cloudsim.vpcs.state IS 'Always available: creation settles at once';
COMMENT ON COLUMN cloudsim.vpcs.instance_tenancy IS 'default (dedicated is not offered by the API)';
COMMENT ON COLUMN cloudsim.vpcs.enable_dns_support IS 'Amazon DNS resolution in the VPC; true as AWS creates VPCs';
COMMENT ON COLUMN cloudsim.vpcs.enable_dns_hostnames IS 'Public DNS host names for instances; true only in default VPCs, as AWS';
COMMENT ON COLUMN cloudsim.vpcs.created_at IS 'Creation time; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.vpcs.tags IS 'Tags, {"Key": "value"}';

/* ---------------------------------------------------------------------
 * Subnets and their taken addresses.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.subnets (
    id                      text PRIMARY KEY DEFAULT cloudsim.new_subnet_id()
                            CONSTRAINT subnets_id_check CHECK (id ~ '^subnet-[0-9a-f]{8}$'),
    vpc_id                  text NOT NULL,
    account_id              text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region                  text NOT NULL,
    cidr_block              cidr NOT NULL
                            CONSTRAINT subnets_cidr_block_check
                            CHECK (family(cidr_block) = 4 AND masklen(cidr_block) BETWEEN 16 AND 28),
    vpc_cidr_block          cidr NOT NULL,
    availability_zone       text NOT NULL REFERENCES cloudsim.zones (name),
    map_public_ip_on_launch boolean NOT NULL DEFAULT false,
    default_for_az          boolean NOT NULL DEFAULT false,
    state                   text NOT NULL DEFAULT 'available'
                            CHECK (state IN ('pending', 'available')),
    created_at              timestamptz NOT NULL DEFAULT now(),
    tags                    cloudsim.tags,
    CONSTRAINT subnets_vpc_fkey FOREIGN KEY (vpc_id, account_id, region)
        REFERENCES cloudsim.vpcs (id, account_id, region),
    -- vpc_cidr_block is the VPC's block (the key says so); then the CHECK
    -- below is "inside its VPC" without a trigger.
    CONSTRAINT subnets_vpc_cidr_fkey FOREIGN KEY (vpc_id, vpc_cidr_block)
        REFERENCES cloudsim.vpcs (id, cidr_block),
    CONSTRAINT subnets_inside_vpc CHECK (cidr_block <<= vpc_cidr_block),
    -- A zone's region is its name less the final letter (002_catalog).
    CONSTRAINT subnets_zone_in_region CHECK (
        left(availability_zone, -1) = region AND right(availability_zone, 1) ~ '^[a-z]$'),
    CONSTRAINT subnets_no_overlap EXCLUDE USING gist (vpc_id WITH =, cidr_block inet_ops WITH &&),
    CONSTRAINT subnets_vpc_key UNIQUE (id, vpc_id),
    CONSTRAINT subnets_address_key UNIQUE (id, cidr_block, account_id)
);
CREATE UNIQUE INDEX subnets_one_default_per_zone
    ON cloudsim.subnets (vpc_id, availability_zone) WHERE default_for_az;
CREATE INDEX subnets_list_idx ON cloudsim.subnets (account_id, region, created_at, id);
CREATE INDEX subnets_region_idx ON cloudsim.subnets (region, created_at, id);

COMMENT ON TABLE cloudsim.subnets IS
    'Subnets: a block inside their VPC''s, in one zone, never overlapping a sibling';
COMMENT ON COLUMN cloudsim.subnets.id IS 'subnet- and 8 lower-case hex digits';
COMMENT ON COLUMN cloudsim.subnets.vpc_id IS 'The VPC it is part of';
COMMENT ON COLUMN cloudsim.subnets.account_id IS 'Owning account (always the VPC''s)';
COMMENT ON COLUMN cloudsim.subnets.region IS 'Region (always the VPC''s)';
COMMENT ON COLUMN cloudsim.subnets.cidr_block IS 'The subnet''s IPv4 block, /16 to /28, inside the VPC''s';
COMMENT ON COLUMN cloudsim.subnets.vpc_cidr_block IS 'Copy of the VPC''s block, held equal by a foreign key, so that containment is a CHECK';
COMMENT ON COLUMN cloudsim.subnets.availability_zone IS 'Zone name (e.g. us-east-1a) of the subnet''s region';
COMMENT ON COLUMN cloudsim.subnets.map_public_ip_on_launch IS 'Instances launched here get a public IP (true in default subnets)';
COMMENT ON COLUMN cloudsim.subnets.default_for_az IS 'The default subnet of its zone in a default VPC';
COMMENT ON COLUMN cloudsim.subnets.state IS 'Always available: creation settles at once';
COMMENT ON COLUMN cloudsim.subnets.created_at IS 'Creation time; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.subnets.tags IS 'Tags, {"Key": "value"}';

-- One row per private address in use.  The count of a subnet's rows is
-- what available_ip_address_count subtracts, so the count is exact by
-- construction: there is no counter that could drift.
CREATE TABLE cloudsim.subnet_addresses (
    subnet_id    text NOT NULL,
    subnet_cidr  cidr NOT NULL,
    -- Deleting an account (sandbox reset) takes its addresses directly;
    -- deleting a subnet that still has some is refused.
    account_id   text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    address      inet NOT NULL,
    owner        text NOT NULL CHECK (char_length(owner) BETWEEN 1 AND 64),
    allocated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subnet_addresses_pkey PRIMARY KEY (subnet_id, address),
    CONSTRAINT subnet_addresses_subnet_fkey FOREIGN KEY (subnet_id, subnet_cidr, account_id)
        REFERENCES cloudsim.subnets (id, cidr_block, account_id),
    -- AWS reserves the network address, the next three and the broadcast.
    CONSTRAINT subnet_addresses_usable CHECK (
        family(address) = 4 AND masklen(address) = 32 AND address << subnet_cidr
        AND address - subnet_cidr >= 4 AND broadcast(subnet_cidr) - address >= 1)
);
CREATE INDEX subnet_addresses_owner_idx ON cloudsim.subnet_addresses (owner);

COMMENT ON TABLE cloudsim.subnet_addresses IS
    'Private IPv4 addresses taken in subnets (by instances or interfaces); allocate_private_ip and release_private_ip manage them';
COMMENT ON COLUMN cloudsim.subnet_addresses.subnet_id IS 'The subnet the address belongs to';
COMMENT ON COLUMN cloudsim.subnet_addresses.subnet_cidr IS 'Copy of the subnet''s block (held equal by a foreign key) for the usable-address CHECK';
COMMENT ON COLUMN cloudsim.subnet_addresses.account_id IS 'The subnet''s account (held equal by the same foreign key)';
COMMENT ON COLUMN cloudsim.subnet_addresses.address IS 'The address (/32), never one of the five AWS reserves';
COMMENT ON COLUMN cloudsim.subnet_addresses.owner IS 'Who holds it: an instance id (i-...) or an interface id';
COMMENT ON COLUMN cloudsim.subnet_addresses.allocated_at IS 'When it was taken';

/* ---------------------------------------------------------------------
 * Security groups and their rules.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.security_groups (
    id          text PRIMARY KEY DEFAULT 'sg-' || cloudsim.random_hex(17)
                CONSTRAINT security_groups_id_check CHECK (id ~ '^sg-[0-9a-f]{17}$'),
    vpc_id      text NOT NULL,
    account_id  text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region      text NOT NULL,
    name        text NOT NULL
                CHECK (char_length(name) BETWEEN 1 AND 255 AND lower(left(name, 3)) <> 'sg-'),
    description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 255),
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    tags        cloudsim.tags,
    CONSTRAINT security_groups_vpc_fkey FOREIGN KEY (vpc_id, account_id, region)
        REFERENCES cloudsim.vpcs (id, account_id, region),
    CONSTRAINT security_groups_name_key UNIQUE (vpc_id, name),
    CONSTRAINT security_groups_vpc_key UNIQUE (id, vpc_id)
);
CREATE UNIQUE INDEX security_groups_one_default ON cloudsim.security_groups (vpc_id) WHERE is_default;
CREATE INDEX security_groups_list_idx ON cloudsim.security_groups (account_id, region, created_at, id);
CREATE INDEX security_groups_region_idx ON cloudsim.security_groups (region, created_at, id);

COMMENT ON TABLE cloudsim.security_groups IS
    'Security groups of VPCs; each VPC has one default group, created and deleted with it';
COMMENT ON COLUMN cloudsim.security_groups.id IS 'sg- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.security_groups.vpc_id IS 'The VPC the group belongs to';
COMMENT ON COLUMN cloudsim.security_groups.account_id IS 'Owning account (always the VPC''s)';
COMMENT ON COLUMN cloudsim.security_groups.region IS 'Region (always the VPC''s)';
COMMENT ON COLUMN cloudsim.security_groups.name IS 'Group name, unique in its VPC, 1..255 characters, not starting with sg-';
COMMENT ON COLUMN cloudsim.security_groups.description IS 'Description, 1..255 characters';
COMMENT ON COLUMN cloudsim.security_groups.is_default IS 'The VPC''s default group (name default), which cannot be deleted on its own';
COMMENT ON COLUMN cloudsim.security_groups.created_at IS 'Creation time; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.security_groups.tags IS 'Tags, {"Key": "value"}';

CREATE TABLE cloudsim.security_group_rules (
    id              text PRIMARY KEY DEFAULT 'sgr-' || cloudsim.random_hex(17)
                    CONSTRAINT security_group_rules_id_check CHECK (id ~ '^sgr-[0-9a-f]{17}$'),
    group_id        text NOT NULL,
    vpc_id          text NOT NULL,
    direction       text NOT NULL CHECK (direction IN ('ingress', 'egress')),
    protocol        text NOT NULL CHECK (protocol IN ('tcp', 'udp', 'icmp', '-1')),
    from_port       integer NOT NULL,
    to_port         integer NOT NULL,
    cidr            cidr CHECK (family(cidr) = 4),
    source_group_id text,
    description     text CHECK (char_length(description) <= 255),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT security_group_rules_group_fkey FOREIGN KEY (group_id, vpc_id)
        REFERENCES cloudsim.security_groups (id, vpc_id) ON DELETE CASCADE,
    -- No cascade: a group another group's rule names is in use.
    CONSTRAINT security_group_rules_source_fkey FOREIGN KEY (source_group_id, vpc_id)
        REFERENCES cloudsim.security_groups (id, vpc_id),
    CONSTRAINT security_group_rules_peer_check CHECK ((cidr IS NULL) <> (source_group_id IS NULL)),
    -- As EC2 stores them: all protocols (-1) have ports -1; ICMP's pair is
    -- type and code, each -1 (any) or 0..255; TCP and UDP a port range.
    CONSTRAINT security_group_rules_ports_check CHECK (CASE protocol
        WHEN '-1' THEN from_port = -1 AND to_port = -1
        WHEN 'icmp' THEN from_port BETWEEN -1 AND 255 AND to_port BETWEEN -1 AND 255
        ELSE from_port BETWEEN 0 AND 65535 AND to_port BETWEEN from_port AND 65535 END),
    CONSTRAINT security_group_rules_unique UNIQUE NULLS NOT DISTINCT
        (group_id, direction, protocol, from_port, to_port, cidr, source_group_id)
);
CREATE INDEX security_group_rules_source_idx ON cloudsim.security_group_rules (source_group_id)
    WHERE source_group_id IS NOT NULL;

COMMENT ON TABLE cloudsim.security_group_rules IS
    'Ingress and egress rules of security groups; an identical rule exists once per group';
COMMENT ON COLUMN cloudsim.security_group_rules.id IS 'sgr- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.security_group_rules.group_id IS 'The group the rule belongs to';
COMMENT ON COLUMN cloudsim.security_group_rules.vpc_id IS 'The group''s VPC (a source group must be in the same VPC)';
COMMENT ON COLUMN cloudsim.security_group_rules.direction IS 'ingress or egress';
COMMENT ON COLUMN cloudsim.security_group_rules.protocol IS 'tcp, udp, icmp, or -1 for all';
COMMENT ON COLUMN cloudsim.security_group_rules.from_port IS 'First port (tcp/udp), ICMP type (-1 any), or -1 for all protocols';
COMMENT ON COLUMN cloudsim.security_group_rules.to_port IS 'Last port (tcp/udp), ICMP code (-1 any), or -1 for all protocols';
COMMENT ON COLUMN cloudsim.security_group_rules.cidr IS 'Peer IPv4 block, when the peer is not a group';
COMMENT ON COLUMN cloudsim.security_group_rules.source_group_id IS 'Peer security group, when the peer is not a block';
COMMENT ON COLUMN cloudsim.security_group_rules.description IS 'Optional description, up to 255 characters';
COMMENT ON COLUMN cloudsim.security_group_rules.created_at IS 'Creation time; rules are listed in this order';

/* ---------------------------------------------------------------------
 * Internet gateways.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.internet_gateways (
    id         text PRIMARY KEY DEFAULT 'igw-' || cloudsim.random_hex(17)
               CONSTRAINT internet_gateways_id_check CHECK (id ~ '^igw-[0-9a-f]{17}$'),
    account_id text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region     text NOT NULL REFERENCES cloudsim.regions (name),
    vpc_id     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    tags       cloudsim.tags,
    -- No cascade: a VPC with an attached gateway cannot be deleted.
    CONSTRAINT internet_gateways_vpc_fkey FOREIGN KEY (vpc_id, account_id, region)
        REFERENCES cloudsim.vpcs (id, account_id, region),
    CONSTRAINT internet_gateways_vpc_key UNIQUE (vpc_id)
);
CREATE INDEX internet_gateways_list_idx ON cloudsim.internet_gateways (account_id, region, created_at, id);
CREATE INDEX internet_gateways_region_idx ON cloudsim.internet_gateways (region, created_at, id);

COMMENT ON TABLE cloudsim.internet_gateways IS
    'Internet gateways; each is attached to at most one VPC and a VPC has at most one';
COMMENT ON COLUMN cloudsim.internet_gateways.id IS 'igw- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.internet_gateways.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.internet_gateways.region IS 'Region the gateway lives in';
COMMENT ON COLUMN cloudsim.internet_gateways.vpc_id IS 'The VPC it is attached to, NULL when detached';
COMMENT ON COLUMN cloudsim.internet_gateways.created_at IS 'Creation time; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.internet_gateways.tags IS 'Tags, {"Key": "value"}';

/* ---------------------------------------------------------------------
 * Route tables, routes and subnet associations.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.route_tables (
    id                  text PRIMARY KEY DEFAULT 'rtb-' || cloudsim.random_hex(17)
                        CONSTRAINT route_tables_id_check CHECK (id ~ '^rtb-[0-9a-f]{17}$'),
    vpc_id              text NOT NULL,
    account_id          text NOT NULL REFERENCES cloudsim.accounts (id) ON DELETE CASCADE,
    region              text NOT NULL,
    main                boolean NOT NULL DEFAULT false,
    main_association_id text UNIQUE
                        CHECK (main_association_id ~ '^rtbassoc-[0-9a-f]{17}$'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    tags                cloudsim.tags,
    CONSTRAINT route_tables_vpc_fkey FOREIGN KEY (vpc_id, account_id, region)
        REFERENCES cloudsim.vpcs (id, account_id, region),
    CONSTRAINT route_tables_main_association_check CHECK (main = (main_association_id IS NOT NULL)),
    CONSTRAINT route_tables_vpc_key UNIQUE (id, vpc_id)
);
CREATE UNIQUE INDEX route_tables_one_main ON cloudsim.route_tables (vpc_id) WHERE main;
CREATE INDEX route_tables_list_idx ON cloudsim.route_tables (account_id, region, created_at, id);
CREATE INDEX route_tables_region_idx ON cloudsim.route_tables (region, created_at, id);

COMMENT ON TABLE cloudsim.route_tables IS
    'Route tables; every VPC has exactly one main table, used by the subnets no table is explicitly associated with';
COMMENT ON COLUMN cloudsim.route_tables.id IS 'rtb- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.route_tables.vpc_id IS 'The VPC the table belongs to';
COMMENT ON COLUMN cloudsim.route_tables.account_id IS 'Owning account (always the VPC''s)';
COMMENT ON COLUMN cloudsim.route_tables.region IS 'Region (always the VPC''s)';
COMMENT ON COLUMN cloudsim.route_tables.main IS 'The VPC''s main table, created and deleted with the VPC';
COMMENT ON COLUMN cloudsim.route_tables.main_association_id IS 'Id of the main association (rtbassoc-...), set exactly when main';
COMMENT ON COLUMN cloudsim.route_tables.created_at IS 'Creation time; lists are ordered by it, then id';
COMMENT ON COLUMN cloudsim.route_tables.tags IS 'Tags, {"Key": "value"}';

-- gateway_id has no foreign key on purpose: as in AWS, detaching (and
-- then deleting) a gateway leaves its routes in place as blackholes.
CREATE TABLE cloudsim.routes (
    route_table_id         text NOT NULL REFERENCES cloudsim.route_tables (id) ON DELETE CASCADE,
    destination_cidr_block cidr NOT NULL CHECK (family(destination_cidr_block) = 4),
    gateway_id             text NOT NULL
                           CHECK (gateway_id = 'local' OR gateway_id ~ '^igw-[0-9a-f]{17}$'),
    origin                 text NOT NULL CHECK (origin IN ('CreateRouteTable', 'CreateRoute')),
    created_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT routes_pkey PRIMARY KEY (route_table_id, destination_cidr_block),
    CONSTRAINT routes_local_check CHECK ((gateway_id = 'local') = (origin = 'CreateRouteTable'))
);
CREATE INDEX routes_gateway_idx ON cloudsim.routes (gateway_id) WHERE gateway_id <> 'local';

COMMENT ON TABLE cloudsim.routes IS
    'Routes of route tables: the local route (the VPC''s block, undeletable) and routes to internet gateways';
COMMENT ON COLUMN cloudsim.routes.route_table_id IS 'The table the route is in';
COMMENT ON COLUMN cloudsim.routes.destination_cidr_block IS 'Destination IPv4 block, unique in its table';
COMMENT ON COLUMN cloudsim.routes.gateway_id IS 'local, or an internet gateway id (a blackhole once that gateway is detached)';
COMMENT ON COLUMN cloudsim.routes.origin IS 'CreateRouteTable for the local route, CreateRoute for the others (as EC2 reports)';
COMMENT ON COLUMN cloudsim.routes.created_at IS 'Creation time';

CREATE TABLE cloudsim.route_table_associations (
    id             text PRIMARY KEY DEFAULT 'rtbassoc-' || cloudsim.random_hex(17)
                   CONSTRAINT route_table_associations_id_check CHECK (id ~ '^rtbassoc-[0-9a-f]{17}$'),
    route_table_id text NOT NULL,
    vpc_id         text NOT NULL,
    subnet_id      text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Both ends in one VPC; a table with associations cannot be deleted,
    -- a deleted subnet takes its association with it.
    CONSTRAINT route_table_associations_table_fkey FOREIGN KEY (route_table_id, vpc_id)
        REFERENCES cloudsim.route_tables (id, vpc_id),
    CONSTRAINT route_table_associations_subnet_fkey FOREIGN KEY (subnet_id, vpc_id)
        REFERENCES cloudsim.subnets (id, vpc_id) ON DELETE CASCADE,
    CONSTRAINT route_table_associations_subnet_key UNIQUE (subnet_id)
);
CREATE INDEX route_table_associations_table_idx ON cloudsim.route_table_associations (route_table_id);

COMMENT ON TABLE cloudsim.route_table_associations IS
    'Explicit subnet associations; a subnet without one uses its VPC''s main table';
COMMENT ON COLUMN cloudsim.route_table_associations.id IS 'rtbassoc- and 17 lower-case hex digits';
COMMENT ON COLUMN cloudsim.route_table_associations.route_table_id IS 'The table';
COMMENT ON COLUMN cloudsim.route_table_associations.vpc_id IS 'The VPC of both the table and the subnet';
COMMENT ON COLUMN cloudsim.route_table_associations.subnet_id IS 'The subnet, associated with at most one table';
COMMENT ON COLUMN cloudsim.route_table_associations.created_at IS 'Creation time';

/* ---------------------------------------------------------------------
 * What every VPC and group is born with.
 * ------------------------------------------------------------------- */

-- Statement level, so that registration's 34 VPCs cost one run.
CREATE FUNCTION cloudsim.vpcs_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cloudsim.route_tables (vpc_id, account_id, region, main, main_association_id)
    SELECT n.id, n.account_id, n.region, true, 'rtbassoc-' || cloudsim.random_hex(17)
    FROM new_vpcs AS n;
    INSERT INTO cloudsim.security_groups (vpc_id, account_id, region, name, description, is_default)
    SELECT n.id, n.account_id, n.region, 'default', 'default VPC security group', true
    FROM new_vpcs AS n;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.vpcs_created() IS
    'Trigger: gives every new VPC its main route table and its default security group';
CREATE TRIGGER vpcs_created AFTER INSERT ON cloudsim.vpcs
    REFERENCING NEW TABLE AS new_vpcs
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.vpcs_created();

CREATE FUNCTION cloudsim.route_tables_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cloudsim.routes (route_table_id, destination_cidr_block, gateway_id, origin)
    SELECT n.id, v.cidr_block, 'local', 'CreateRouteTable'
    FROM new_tables AS n JOIN cloudsim.vpcs AS v ON v.id = n.vpc_id;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.route_tables_created() IS
    'Trigger: gives every new route table the local route of its VPC''s block';
CREATE TRIGGER route_tables_created AFTER INSERT ON cloudsim.route_tables
    REFERENCING NEW TABLE AS new_tables
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.route_tables_created();

-- As AWS: every group may send anything anywhere; a VPC's default group
-- also admits all traffic from its own members.
CREATE FUNCTION cloudsim.security_groups_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cloudsim.security_group_rules
        (group_id, vpc_id, direction, protocol, from_port, to_port, cidr, source_group_id)
    SELECT n.id, n.vpc_id, 'egress', '-1', -1, -1, '0.0.0.0/0'::cidr, NULL::text FROM new_groups AS n
    UNION ALL
    SELECT n.id, n.vpc_id, 'ingress', '-1', -1, -1, NULL, n.id FROM new_groups AS n WHERE n.is_default;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cloudsim.security_groups_created() IS
    'Trigger: gives every new group the allow-all egress rule, and a default group the ingress rule from itself';
CREATE TRIGGER security_groups_created AFTER INSERT ON cloudsim.security_groups
    REFERENCING NEW TABLE AS new_groups
    FOR EACH STATEMENT EXECUTE FUNCTION cloudsim.security_groups_created();

-- A VPC goes with its main table and default group; anything else still
-- in it (subnets, other groups and tables, an attached gateway) keeps the
-- foreign keys from letting it go.
CREATE FUNCTION cloudsim.vpcs_deleting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cloudsim.security_groups WHERE vpc_id = OLD.id AND is_default;
    DELETE FROM cloudsim.route_tables WHERE vpc_id = OLD.id AND main;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION cloudsim.vpcs_deleting() IS
    'Trigger: deletes a VPC''s main route table and default security group with it';
CREATE TRIGGER vpcs_deleting BEFORE DELETE ON cloudsim.vpcs
    FOR EACH ROW EXECUTE FUNCTION cloudsim.vpcs_deleting();

-- A main table goes only with its VPC (or account): as part of another
-- delete, whose triggers run this one a level deeper.  The executables
-- check first and answer with AWS's code; this holds "every VPC has its
-- main table" for any other writer.  (A default security group is
-- guarded by the executables only: the instances service's tests rely
-- on its foreign key answering first.)
CREATE FUNCTION cloudsim.route_tables_deleting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.main AND pg_trigger_depth() = 1 THEN
        RAISE EXCEPTION 'the route table ''%'' is its VPC''s main route table and is deleted only with the VPC', OLD.id
            USING ERRCODE = 'P0001', HINT = 'DependencyViolation', DETAIL = '409';
    END IF;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION cloudsim.route_tables_deleting() IS
    'Trigger: refuses to delete a main route table except with its VPC or account';
CREATE TRIGGER route_tables_deleting BEFORE DELETE ON cloudsim.route_tables
    FOR EACH ROW EXECUTE FUNCTION cloudsim.route_tables_deleting();

-- The local route goes only with its table (which is then already gone
-- when the cascade reaches the route).
CREATE FUNCTION cloudsim.routes_deleting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.gateway_id = 'local' AND EXISTS
            (SELECT 1 FROM cloudsim.route_tables WHERE id = OLD.route_table_id) THEN
        RAISE EXCEPTION 'the local route of route table ''%'' cannot be deleted', OLD.route_table_id
            USING ERRCODE = 'P0001', HINT = 'InvalidParameterValue', DETAIL = '400';
    END IF;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION cloudsim.routes_deleting() IS
    'Trigger: refuses to delete a local route while its route table exists';
CREATE TRIGGER routes_deleting BEFORE DELETE ON cloudsim.routes
    FOR EACH ROW EXECUTE FUNCTION cloudsim.routes_deleting();

/* ---------------------------------------------------------------------
 * JSON of child rows, shared by the views and the executables.
 * ------------------------------------------------------------------- */
CREATE FUNCTION cloudsim.security_group_rule_json(r cloudsim.security_group_rules) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_strip_nulls(json_build_object(
        'id', r.id, 'group_id', r.group_id, 'direction', r.direction,
        'protocol', r.protocol, 'from_port', r.from_port, 'to_port', r.to_port,
        'cidr', r.cidr, 'source_group_id', r.source_group_id,
        'description', r.description))
$$;
COMMENT ON FUNCTION cloudsim.security_group_rule_json(cloudsim.security_group_rules) IS
    'A rule as the API shows it: {id, group_id, direction, protocol, from_port, to_port, cidr | source_group_id, description?}';

-- A route is active while its gateway is attached to the table's VPC.
CREATE FUNCTION cloudsim.route_json(r cloudsim.routes, vpc_id text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'destination_cidr_block', r.destination_cidr_block,
        'gateway_id', r.gateway_id,
        'state', CASE WHEN r.gateway_id = 'local' OR EXISTS (
                SELECT 1 FROM cloudsim.internet_gateways AS g
                WHERE g.id = r.gateway_id AND g.vpc_id = route_json.vpc_id)
            THEN 'active' ELSE 'blackhole' END,
        'origin', r.origin)
$$;
COMMENT ON FUNCTION cloudsim.route_json(cloudsim.routes, text) IS
    'A route as the API shows it: {destination_cidr_block, gateway_id, state active|blackhole, origin}';

/* ---------------------------------------------------------------------
 * Views: what the API shows, for administrators and for the executables.
 * ------------------------------------------------------------------- */
CREATE VIEW cloudsim.v_vpcs AS
SELECT v.id,
       'arn:aws:ec2:' || v.region || ':' || v.account_id || ':vpc/' || v.id AS arn,
       v.account_id, v.region, v.cidr_block, v.state, v.is_default,
       v.instance_tenancy, v.enable_dns_support, v.enable_dns_hostnames,
       (SELECT t.id FROM cloudsim.route_tables AS t WHERE t.vpc_id = v.id AND t.main)
           AS main_route_table_id,
       (SELECT g.id FROM cloudsim.security_groups AS g WHERE g.vpc_id = v.id AND g.is_default)
           AS default_security_group_id,
       v.created_at, v.tags
FROM cloudsim.vpcs AS v;
COMMENT ON VIEW cloudsim.v_vpcs IS 'VPCs as the API shows them';
COMMENT ON COLUMN cloudsim.v_vpcs.id IS 'VPC id';
COMMENT ON COLUMN cloudsim.v_vpcs.arn IS 'arn:aws:ec2:<region>:<account>:vpc/<id>';
COMMENT ON COLUMN cloudsim.v_vpcs.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_vpcs.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_vpcs.cidr_block IS 'IPv4 block';
COMMENT ON COLUMN cloudsim.v_vpcs.state IS 'available';
COMMENT ON COLUMN cloudsim.v_vpcs.is_default IS 'The default VPC of its account and region';
COMMENT ON COLUMN cloudsim.v_vpcs.instance_tenancy IS 'default';
COMMENT ON COLUMN cloudsim.v_vpcs.enable_dns_support IS 'DNS resolution enabled';
COMMENT ON COLUMN cloudsim.v_vpcs.enable_dns_hostnames IS 'DNS host names enabled';
COMMENT ON COLUMN cloudsim.v_vpcs.main_route_table_id IS 'The VPC''s main route table';
COMMENT ON COLUMN cloudsim.v_vpcs.default_security_group_id IS 'The VPC''s default security group';
COMMENT ON COLUMN cloudsim.v_vpcs.created_at IS 'Creation time';
COMMENT ON COLUMN cloudsim.v_vpcs.tags IS 'Tags';

CREATE VIEW cloudsim.v_subnets AS
SELECT s.id,
       'arn:aws:ec2:' || s.region || ':' || s.account_id || ':subnet/' || s.id AS arn,
       s.account_id, s.region, s.vpc_id, s.cidr_block, s.availability_zone,
       z.zone_id AS availability_zone_id,
       (1::bigint << (32 - masklen(s.cidr_block))) - 5
           - (SELECT count(*) FROM cloudsim.subnet_addresses AS a WHERE a.subnet_id = s.id)
           AS available_ip_address_count,
       s.map_public_ip_on_launch, s.default_for_az, s.state, s.created_at, s.tags
FROM cloudsim.subnets AS s
JOIN cloudsim.zones AS z ON z.name = s.availability_zone;
COMMENT ON VIEW cloudsim.v_subnets IS 'Subnets as the API shows them, with their free address count';
COMMENT ON COLUMN cloudsim.v_subnets.id IS 'Subnet id';
COMMENT ON COLUMN cloudsim.v_subnets.arn IS 'arn:aws:ec2:<region>:<account>:subnet/<id>';
COMMENT ON COLUMN cloudsim.v_subnets.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_subnets.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_subnets.vpc_id IS 'The VPC';
COMMENT ON COLUMN cloudsim.v_subnets.cidr_block IS 'IPv4 block';
COMMENT ON COLUMN cloudsim.v_subnets.availability_zone IS 'Zone name';
COMMENT ON COLUMN cloudsim.v_subnets.availability_zone_id IS 'Zone id (e.g. use1-az1)';
COMMENT ON COLUMN cloudsim.v_subnets.available_ip_address_count IS
    'Addresses of the block less the 5 AWS reserves less those taken (subnet_addresses); exact, computed on read';
COMMENT ON COLUMN cloudsim.v_subnets.map_public_ip_on_launch IS 'Instances get a public IP';
COMMENT ON COLUMN cloudsim.v_subnets.default_for_az IS 'Default subnet of its zone';
COMMENT ON COLUMN cloudsim.v_subnets.state IS 'available';
COMMENT ON COLUMN cloudsim.v_subnets.created_at IS 'Creation time';
COMMENT ON COLUMN cloudsim.v_subnets.tags IS 'Tags';

CREATE VIEW cloudsim.v_security_groups AS
SELECT g.id,
       'arn:aws:ec2:' || g.region || ':' || g.account_id || ':security-group/' || g.id AS arn,
       g.account_id, g.region, g.vpc_id, g.name, g.description, g.is_default,
       coalesce((SELECT json_agg(cloudsim.security_group_rule_json(r) ORDER BY r.created_at, r.id)
                 FROM cloudsim.security_group_rules AS r
                 WHERE r.group_id = g.id AND r.direction = 'ingress'), '[]') AS ingress,
       coalesce((SELECT json_agg(cloudsim.security_group_rule_json(r) ORDER BY r.created_at, r.id)
                 FROM cloudsim.security_group_rules AS r
                 WHERE r.group_id = g.id AND r.direction = 'egress'), '[]') AS egress,
       g.created_at, g.tags
FROM cloudsim.security_groups AS g;
COMMENT ON VIEW cloudsim.v_security_groups IS 'Security groups as the API shows them, with their rules';
COMMENT ON COLUMN cloudsim.v_security_groups.id IS 'Group id';
COMMENT ON COLUMN cloudsim.v_security_groups.arn IS 'arn:aws:ec2:<region>:<account>:security-group/<id>';
COMMENT ON COLUMN cloudsim.v_security_groups.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_security_groups.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_security_groups.vpc_id IS 'The VPC';
COMMENT ON COLUMN cloudsim.v_security_groups.name IS 'Group name';
COMMENT ON COLUMN cloudsim.v_security_groups.description IS 'Description';
COMMENT ON COLUMN cloudsim.v_security_groups.is_default IS 'The VPC''s default group';
COMMENT ON COLUMN cloudsim.v_security_groups.ingress IS 'Ingress rules, JSON array in creation order';
COMMENT ON COLUMN cloudsim.v_security_groups.egress IS 'Egress rules, JSON array in creation order';
COMMENT ON COLUMN cloudsim.v_security_groups.created_at IS 'Creation time';
COMMENT ON COLUMN cloudsim.v_security_groups.tags IS 'Tags';

CREATE VIEW cloudsim.v_internet_gateways AS
SELECT g.id,
       'arn:aws:ec2:' || g.region || ':' || g.account_id || ':internet-gateway/' || g.id AS arn,
       g.account_id, g.region, g.vpc_id,
       CASE WHEN g.vpc_id IS NULL THEN '[]'::json
            ELSE json_build_array(json_build_object('vpc_id', g.vpc_id, 'state', 'available'))
       END AS attachments,
       g.created_at, g.tags
FROM cloudsim.internet_gateways AS g;
COMMENT ON VIEW cloudsim.v_internet_gateways IS 'Internet gateways as the API shows them';
COMMENT ON COLUMN cloudsim.v_internet_gateways.id IS 'Gateway id';
COMMENT ON COLUMN cloudsim.v_internet_gateways.arn IS 'arn:aws:ec2:<region>:<account>:internet-gateway/<id>';
COMMENT ON COLUMN cloudsim.v_internet_gateways.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_internet_gateways.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_internet_gateways.vpc_id IS 'Attached VPC, or NULL';
COMMENT ON COLUMN cloudsim.v_internet_gateways.attachments IS 'JSON [{vpc_id, state: available}] or []';
COMMENT ON COLUMN cloudsim.v_internet_gateways.created_at IS 'Creation time';
COMMENT ON COLUMN cloudsim.v_internet_gateways.tags IS 'Tags';

CREATE VIEW cloudsim.v_route_tables AS
SELECT t.id,
       'arn:aws:ec2:' || t.region || ':' || t.account_id || ':route-table/' || t.id AS arn,
       t.account_id, t.region, t.vpc_id, t.main,
       coalesce((SELECT json_agg(cloudsim.route_json(r, t.vpc_id)
                                 ORDER BY r.gateway_id <> 'local', r.destination_cidr_block)
                 FROM cloudsim.routes AS r WHERE r.route_table_id = t.id), '[]') AS routes,
       coalesce((SELECT json_agg(a.j ORDER BY a.main DESC, a.created_at, a.id) FROM (
                     SELECT t.main_association_id AS id, true AS main, t.created_at,
                            json_build_object('id', t.main_association_id,
                                'route_table_id', t.id, 'main', true) AS j
                     WHERE t.main
                     UNION ALL
                     SELECT s.id, false, s.created_at,
                            json_build_object('id', s.id, 'route_table_id', s.route_table_id,
                                'subnet_id', s.subnet_id, 'main', false)
                     FROM cloudsim.route_table_associations AS s
                     WHERE s.route_table_id = t.id) AS a), '[]') AS associations,
       t.created_at, t.tags
FROM cloudsim.route_tables AS t;
COMMENT ON VIEW cloudsim.v_route_tables IS 'Route tables as the API shows them, with routes and associations';
COMMENT ON COLUMN cloudsim.v_route_tables.id IS 'Route table id';
COMMENT ON COLUMN cloudsim.v_route_tables.arn IS 'arn:aws:ec2:<region>:<account>:route-table/<id>';
COMMENT ON COLUMN cloudsim.v_route_tables.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_route_tables.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_route_tables.vpc_id IS 'The VPC';
COMMENT ON COLUMN cloudsim.v_route_tables.main IS 'The VPC''s main table';
COMMENT ON COLUMN cloudsim.v_route_tables.routes IS 'JSON array of routes, local first';
COMMENT ON COLUMN cloudsim.v_route_tables.associations IS 'JSON array: the main association (main: true) then subnet associations';
COMMENT ON COLUMN cloudsim.v_route_tables.created_at IS 'Creation time';
COMMENT ON COLUMN cloudsim.v_route_tables.tags IS 'Tags';

/* ---------------------------------------------------------------------
 * Private addresses, for the instances service.
 * ------------------------------------------------------------------- */

-- The lowest free usable address: the first usable one, or the address
-- after a taken one, whichever is free and lowest.  It reads every
-- address taken in the subnet (about 0.4 µs each: 4 ms with 10,000
-- taken), so that the writes of a small subnet maintain nothing
-- (docs/vpcs.md).  Two callers that pick the same address meet at the
-- primary key: ON CONFLICT lets the loser try the next, so the loop ends
-- with an address or with the subnet full.  Tenancy is the caller's
-- business: it passes a subnet it has already checked.
CREATE FUNCTION cloudsim.allocate_private_ip(subnet_id text, owner text) RETURNS inet
LANGUAGE plpgsql AS $$
DECLARE
    s     cloudsim.subnets%ROWTYPE;
    lo    inet;
    hi    inet;
    got   inet;
BEGIN
    SELECT * INTO s FROM cloudsim.subnets AS x WHERE x.id = allocate_private_ip.subnet_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the subnet ''%'' does not exist', allocate_private_ip.subnet_id
            USING ERRCODE = 'P0001', HINT = 'InvalidSubnetID.NotFound', DETAIL = '404';
    END IF;
    lo := set_masklen(s.cidr_block::inet, 32) + 4;
    hi := set_masklen(broadcast(s.cidr_block), 32) - 1;
    LOOP
        INSERT INTO cloudsim.subnet_addresses AS t (subnet_id, subnet_cidr, account_id, address, owner)
        SELECT s.id, s.cidr_block, s.account_id, c.address, allocate_private_ip.owner
        FROM (SELECT min(k.address) AS address
              FROM (SELECT lo AS address
                    UNION ALL
                    SELECT a.address + 1 FROM cloudsim.subnet_addresses AS a
                    WHERE a.subnet_id = s.id) AS k
              WHERE k.address <= hi AND NOT EXISTS (
                  SELECT 1 FROM cloudsim.subnet_addresses AS b
                  WHERE b.subnet_id = s.id AND b.address = k.address)) AS c
        WHERE c.address IS NOT NULL
        ON CONFLICT ON CONSTRAINT subnet_addresses_pkey DO NOTHING
        RETURNING t.address INTO got;
        IF got IS NOT NULL THEN
            RETURN got;
        END IF;
        IF (SELECT count(*) FROM cloudsim.subnet_addresses AS a WHERE a.subnet_id = s.id)
                >= (1::bigint << (32 - masklen(s.cidr_block))) - 5 THEN
            RAISE EXCEPTION 'the subnet ''%'' has no free private IP address', s.id
                USING ERRCODE = 'P0001', HINT = 'InsufficientFreeAddressesInSubnet', DETAIL = '400';
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION cloudsim.allocate_private_ip(text, text) IS
    'Takes the lowest free usable address of a subnet for owner and returns it; raises InsufficientFreeAddressesInSubnet (400) when none is left, InvalidSubnetID.NotFound (404) for an unknown subnet';

CREATE FUNCTION cloudsim.release_private_ip(subnet_id text, address inet) RETURNS boolean
LANGUAGE sql AS $$
    WITH d AS (
        DELETE FROM cloudsim.subnet_addresses AS a
        WHERE a.subnet_id = release_private_ip.subnet_id
          AND a.address = set_masklen(release_private_ip.address, 32)
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM d)
$$;
COMMENT ON FUNCTION cloudsim.release_private_ip(text, inet) IS
    'Gives an address of a subnet back; true when it was taken, false when it was already free';

/* ---------------------------------------------------------------------
 * Default VPCs.
 * ------------------------------------------------------------------- */

-- Set-based, so that registering (34 regions) costs a handful of
-- statements: the VPCs (whose triggers add main tables and default
-- groups), one /20 per zone in zone-name order (172.31.0.0/20,
-- 172.31.16.0/20, ...), a gateway each, and the 0.0.0.0/0 route to it.
-- Regions that already have a default VPC are skipped.
CREATE FUNCTION cloudsim.create_default_vpcs(account text, regions text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    created text[];
BEGIN
    WITH v AS (
        INSERT INTO cloudsim.vpcs (account_id, region, cidr_block, is_default, enable_dns_hostnames)
        SELECT create_default_vpcs.account, r.name, '172.31.0.0/16', true, true
        FROM cloudsim.regions AS r WHERE r.name = ANY (create_default_vpcs.regions)
        ORDER BY r.name
        ON CONFLICT (account_id, region) WHERE is_default DO NOTHING
        RETURNING id)
    SELECT array_agg(id) INTO created FROM v;
    IF created IS NULL THEN
        RETURN;
    END IF;

    INSERT INTO cloudsim.subnets (vpc_id, account_id, region, cidr_block, vpc_cidr_block,
                                  availability_zone, map_public_ip_on_launch, default_for_az)
    SELECT v.id, v.account_id, v.region,
           set_masklen('172.31.0.0'::inet + z.n * 4096, 20)::cidr, v.cidr_block,
           z.name, true, true
    FROM cloudsim.vpcs AS v
    JOIN (SELECT name, region, row_number() OVER (PARTITION BY region ORDER BY name) - 1 AS n
          FROM cloudsim.zones) AS z ON z.region = v.region
    WHERE v.id = ANY (created) AND z.n < 16
    ORDER BY v.id, z.n;

    WITH g AS (
        INSERT INTO cloudsim.internet_gateways (account_id, region, vpc_id)
        SELECT v.account_id, v.region, v.id FROM cloudsim.vpcs AS v WHERE v.id = ANY (created)
        RETURNING id, vpc_id)
    INSERT INTO cloudsim.routes (route_table_id, destination_cidr_block, gateway_id, origin)
    SELECT t.id, '0.0.0.0/0', g.id, 'CreateRoute'
    FROM g JOIN cloudsim.route_tables AS t ON t.vpc_id = g.vpc_id AND t.main;
END
$$;
COMMENT ON FUNCTION cloudsim.create_default_vpcs(text, text[]) IS
    'Creates the default VPC (172.31.0.0/16, a /20 per zone, attached gateway, 0.0.0.0/0 route) of account in each of regions that has none';

-- Idempotent and safe under concurrency: the unique index on default VPCs
-- makes a racing second caller wait for the first and then find its VPC.
CREATE FUNCTION cloudsim.ensure_default_vpc(account text, region text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    found_id text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cloudsim.regions AS r WHERE r.name = ensure_default_vpc.region) THEN
        RAISE EXCEPTION 'the region ''%'' does not exist', ensure_default_vpc.region
            USING ERRCODE = 'P0001', HINT = 'InvalidParameterValue', DETAIL = '400';
    END IF;
    PERFORM cloudsim.create_default_vpcs(ensure_default_vpc.account, ARRAY[ensure_default_vpc.region]);
    SELECT v.id INTO found_id FROM cloudsim.vpcs AS v
    WHERE v.account_id = ensure_default_vpc.account AND v.region = ensure_default_vpc.region
      AND v.is_default;
    RETURN found_id;
END
$$;
COMMENT ON FUNCTION cloudsim.ensure_default_vpc(text, text) IS
    'Returns the id of the default VPC of account in region, creating it (with subnets, gateway and routes) when missing';

-- Registration creates the default VPC of every region, in the
-- registering transaction (003_auth calls this hook).
CREATE OR REPLACE FUNCTION cloudsim.account_created(account text) RETURNS void
LANGUAGE sql AS $$
    SELECT cloudsim.create_default_vpcs(account, ARRAY(SELECT name FROM cloudsim.regions))
$$;
COMMENT ON FUNCTION cloudsim.account_created(text) IS
    'Called once in the registering transaction: creates the account''s default VPC in every region (004_vpcs)';

/* ---------------------------------------------------------------------
 * Privileges.  cloudsim_app may change only what the API changes: tags,
 * a gateway's attachment; a VPC's or subnet's block never.  (UPDATE on
 * tags also lets it lock rows FOR NO KEY UPDATE, which quota counting
 * needs.)  cloudsim_readonly reads everything; nothing here is secret.
 * ------------------------------------------------------------------- */
REVOKE ALL ON FUNCTION cloudsim.random_hex(integer), cloudsim.new_vpc_id(),
    cloudsim.new_subnet_id(), cloudsim.allocate_private_ip(text, text),
    cloudsim.release_private_ip(text, inet), cloudsim.create_default_vpcs(text, text[]),
    cloudsim.ensure_default_vpc(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.random_hex(integer), cloudsim.new_vpc_id(),
    cloudsim.new_subnet_id(), cloudsim.allocate_private_ip(text, text),
    cloudsim.release_private_ip(text, inet), cloudsim.create_default_vpcs(text, text[]),
    cloudsim.ensure_default_vpc(text, text) TO cloudsim_app;

GRANT SELECT, INSERT, DELETE ON cloudsim.vpcs, cloudsim.subnets,
    cloudsim.security_groups, cloudsim.internet_gateways, cloudsim.route_tables
    TO cloudsim_app;
GRANT UPDATE (tags) ON cloudsim.vpcs, cloudsim.subnets, cloudsim.security_groups,
    cloudsim.internet_gateways, cloudsim.route_tables TO cloudsim_app;
GRANT UPDATE (vpc_id) ON cloudsim.internet_gateways TO cloudsim_app;
GRANT SELECT, INSERT, DELETE ON cloudsim.subnet_addresses, cloudsim.security_group_rules,
    cloudsim.routes, cloudsim.route_table_associations TO cloudsim_app;
GRANT SELECT ON cloudsim.v_vpcs, cloudsim.v_subnets, cloudsim.v_security_groups,
    cloudsim.v_internet_gateways, cloudsim.v_route_tables TO cloudsim_app;

GRANT SELECT ON cloudsim.vpcs, cloudsim.subnets, cloudsim.subnet_addresses,
    cloudsim.security_groups, cloudsim.security_group_rules, cloudsim.internet_gateways,
    cloudsim.route_tables, cloudsim.routes, cloudsim.route_table_associations,
    cloudsim.v_vpcs, cloudsim.v_subnets, cloudsim.v_security_groups,
    cloudsim.v_internet_gateways, cloudsim.v_route_tables TO cloudsim_readonly;
