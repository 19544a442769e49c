/*
 * 002_catalog.sql — the seeded catalog: regions and their Availability
 * Zones, the public AMIs and the instance types.
 *
 * Every executable reads these rows and none writes them: instances.fcgi
 * lists them (GET /api/v1/regions, /images, /instance-types) and checks a
 * launch against them, vpcs.fcgi creates one default subnet per zone, and
 * ec2.fcgi answers DescribeRegions, DescribeAvailabilityZones,
 * DescribeImages and DescribeInstanceTypes from them. The values are AWS's
 * own where AWS publishes them (region codes, zone names and ids, instance
 * type sizes, AMI owners and naming schemes), because users' code and
 * Terraform configurations name them; the AMI ids are invented, fixed
 * forever so that tests and docs can quote them.
 *
 * cloudsim.regions and cloudsim.zones belong to 001_core.sql (which also
 * comments them); this file only fills them. cloudsim.images and
 * cloudsim.instance_types are created here. The migration runner wraps
 * the file in one transaction.
 */

/* ---------------------------------------------------------------------
 * Regions: every commercial region of the "aws" partition (GovCloud,
 * China and the European Sovereign Cloud are other partitions and are not
 * simulated). AWS makes every region launched after 20 March 2019 opt-in;
 * the simulator treats every account as having opted in to all of them,
 * so those read 'opted-in' and no region reads 'not-opted-in'.
 * ------------------------------------------------------------------- */
INSERT INTO cloudsim.regions (name, opt_in_status, endpoint)
SELECT r.name, r.opt_in_status, 'ec2.' || r.name || '.amazonaws.com'
FROM (VALUES
    ('us-east-1',      'opt-in-not-required'),  -- US East (N. Virginia)
    ('us-east-2',      'opt-in-not-required'),  -- US East (Ohio)
    ('us-west-1',      'opt-in-not-required'),  -- US West (N. California)
    ('us-west-2',      'opt-in-not-required'),  -- US West (Oregon)
    ('af-south-1',     'opted-in'),             -- Africa (Cape Town)
    ('ap-east-1',      'opted-in'),             -- Asia Pacific (Hong Kong)
    ('ap-east-2',      'opted-in'),             -- Asia Pacific (Taipei)
    ('ap-south-1',     'opt-in-not-required'),  -- Asia Pacific (Mumbai)
    ('ap-south-2',     'opted-in'),             -- Asia Pacific (Hyderabad)
    ('ap-southeast-1', 'opt-in-not-required'),  -- Asia Pacific (Singapore)
    ('ap-southeast-2', 'opt-in-not-required'),  -- Asia Pacific (Sydney)
    ('ap-southeast-3', 'opted-in'),             -- Asia Pacific (Jakarta)
    ('ap-southeast-4', 'opted-in'),             -- Asia Pacific (Melbourne)
    ('ap-southeast-5', 'opted-in'),             -- Asia Pacific (Malaysia)
    ('ap-southeast-6', 'opted-in'),             -- Asia Pacific (New Zealand)
    ('ap-southeast-7', 'opted-in'),             -- Asia Pacific (Thailand)
    ('ap-northeast-1', 'opt-in-not-required'),  -- Asia Pacific (Tokyo)
    ('ap-northeast-2', 'opt-in-not-required'),  -- Asia Pacific (Seoul)
    ('ap-northeast-3', 'opt-in-not-required'),  -- Asia Pacific (Osaka)
    ('ca-central-1',   'opt-in-not-required'),  -- Canada (Central)
    ('ca-west-1',      'opted-in'),             -- Canada West (Calgary)
    ('eu-central-1',   'opt-in-not-required'),  -- Europe (Frankfurt)
    ('eu-central-2',   'opted-in'),             -- Europe (Zurich)
    ('eu-west-1',      'opt-in-not-required'),  -- Europe (Ireland)
    ('eu-west-2',      'opt-in-not-required'),  -- Europe (London)
    ('eu-west-3',      'opt-in-not-required'),  -- Europe (Paris)
    ('eu-south-1',     'opted-in'),             -- Europe (Milan)
    ('eu-south-2',     'opted-in'),             -- Europe (Spain)
    ('eu-north-1',     'opt-in-not-required'),  -- Europe (Stockholm)
    ('il-central-1',   'opted-in'),             -- Israel (Tel Aviv)
    ('me-south-1',     'opted-in'),             -- Middle East (Bahrain)
    ('me-central-1',   'opted-in'),             -- Middle East (UAE)
    ('mx-central-1',   'opted-in'),             -- Mexico (Central)
    ('sa-east-1',      'opt-in-not-required')   -- South America (Sao Paulo)
) AS r(name, opt_in_status);

/* ---------------------------------------------------------------------
 * Availability Zones (no Local Zones, Wavelength Zones or Outposts).
 *
 * A zone id (use1-az4) names the same physical place in every account. A
 * zone name (us-east-1a) does too in the regions AWS launched after 2012,
 * and the mapping below is the fixed one AWS uses there; note that it is
 * not always alphabetical (eu-central-1a is euc1-az2, ap-south-1b is
 * aps1-az3). In the oldest regions (us-east-1, us-west-1, us-west-2,
 * eu-west-1, ap-northeast-1, ap-southeast-1, ap-southeast-2, sa-east-1) AWS
 * maps names to ids independently for each account created before
 * November 2025, so a real account may see us-east-1a as any of use1-az1
 * to use1-az6; there the simulator shows one mapping for every account:
 * the alphabetical one, except for the zone sets most accounts see
 * (us-west-1 offers b and c; ap-northeast-1 offers a, c and d, commonly
 * mapped to apne1-az4, az1 and az2). The region of a zone is its name
 * less the final letter.
 * ------------------------------------------------------------------- */
INSERT INTO cloudsim.zones (name, zone_id, region)
SELECT z.name, z.zone_id, left(z.name, -1)
FROM (VALUES
    ('us-east-1a', 'use1-az1'), ('us-east-1b', 'use1-az2'),
    ('us-east-1c', 'use1-az3'), ('us-east-1d', 'use1-az4'),
    ('us-east-1e', 'use1-az5'), ('us-east-1f', 'use1-az6'),
    ('us-east-2a', 'use2-az1'), ('us-east-2b', 'use2-az2'),
    ('us-east-2c', 'use2-az3'),
    ('us-west-1b', 'usw1-az3'), ('us-west-1c', 'usw1-az1'),
    ('us-west-2a', 'usw2-az1'), ('us-west-2b', 'usw2-az2'),
    ('us-west-2c', 'usw2-az3'), ('us-west-2d', 'usw2-az4'),
    ('af-south-1a', 'afs1-az1'), ('af-south-1b', 'afs1-az2'),
    ('af-south-1c', 'afs1-az3'),
    ('ap-east-1a', 'ape1-az1'), ('ap-east-1b', 'ape1-az2'),
    ('ap-east-1c', 'ape1-az3'),
    ('ap-east-2a', 'ape2-az1'), ('ap-east-2b', 'ape2-az2'),
    ('ap-east-2c', 'ape2-az3'),
    ('ap-south-1a', 'aps1-az1'), ('ap-south-1b', 'aps1-az3'),
    ('ap-south-1c', 'aps1-az2'),
    ('ap-south-2a', 'aps2-az1'), ('ap-south-2b', 'aps2-az2'),
    ('ap-south-2c', 'aps2-az3'),
    ('ap-southeast-1a', 'apse1-az1'), ('ap-southeast-1b', 'apse1-az2'),
    ('ap-southeast-1c', 'apse1-az3'),
    ('ap-southeast-2a', 'apse2-az1'), ('ap-southeast-2b', 'apse2-az2'),
    ('ap-southeast-2c', 'apse2-az3'),
    ('ap-southeast-3a', 'apse3-az1'), ('ap-southeast-3b', 'apse3-az2'),
    ('ap-southeast-3c', 'apse3-az3'),
    ('ap-southeast-4a', 'apse4-az1'), ('ap-southeast-4b', 'apse4-az2'),
    ('ap-southeast-4c', 'apse4-az3'),
    ('ap-southeast-5a', 'apse5-az1'), ('ap-southeast-5b', 'apse5-az2'),
    ('ap-southeast-5c', 'apse5-az3'),
    ('ap-southeast-6a', 'apse6-az1'), ('ap-southeast-6b', 'apse6-az2'),
    ('ap-southeast-6c', 'apse6-az3'),
    ('ap-southeast-7a', 'apse7-az1'), ('ap-southeast-7b', 'apse7-az2'),
    ('ap-southeast-7c', 'apse7-az3'),
    ('ap-northeast-1a', 'apne1-az4'), ('ap-northeast-1c', 'apne1-az1'),
    ('ap-northeast-1d', 'apne1-az2'),
    ('ap-northeast-2a', 'apne2-az1'), ('ap-northeast-2b', 'apne2-az2'),
    ('ap-northeast-2c', 'apne2-az3'), ('ap-northeast-2d', 'apne2-az4'),
    ('ap-northeast-3a', 'apne3-az3'), ('ap-northeast-3b', 'apne3-az1'),
    ('ap-northeast-3c', 'apne3-az2'),
    ('ca-central-1a', 'cac1-az1'), ('ca-central-1b', 'cac1-az2'),
    ('ca-central-1d', 'cac1-az4'),
    ('ca-west-1a', 'caw1-az1'), ('ca-west-1b', 'caw1-az2'),
    ('ca-west-1c', 'caw1-az3'),
    ('eu-central-1a', 'euc1-az2'), ('eu-central-1b', 'euc1-az3'),
    ('eu-central-1c', 'euc1-az1'),
    ('eu-central-2a', 'euc2-az1'), ('eu-central-2b', 'euc2-az2'),
    ('eu-central-2c', 'euc2-az3'),
    ('eu-west-1a', 'euw1-az1'), ('eu-west-1b', 'euw1-az2'),
    ('eu-west-1c', 'euw1-az3'),
    ('eu-west-2a', 'euw2-az2'), ('eu-west-2b', 'euw2-az3'),
    ('eu-west-2c', 'euw2-az1'),
    ('eu-west-3a', 'euw3-az1'), ('eu-west-3b', 'euw3-az2'),
    ('eu-west-3c', 'euw3-az3'),
    ('eu-south-1a', 'eus1-az1'), ('eu-south-1b', 'eus1-az2'),
    ('eu-south-1c', 'eus1-az3'),
    ('eu-south-2a', 'eus2-az1'), ('eu-south-2b', 'eus2-az2'),
    ('eu-south-2c', 'eus2-az3'),
    ('eu-north-1a', 'eun1-az1'), ('eu-north-1b', 'eun1-az2'),
    ('eu-north-1c', 'eun1-az3'),
    ('il-central-1a', 'ilc1-az1'), ('il-central-1b', 'ilc1-az2'),
    ('il-central-1c', 'ilc1-az3'),
    ('me-south-1a', 'mes1-az1'), ('me-south-1b', 'mes1-az2'),
    ('me-south-1c', 'mes1-az3'),
    ('me-central-1a', 'mec1-az1'), ('me-central-1b', 'mec1-az2'),
    ('me-central-1c', 'mec1-az3'),
    ('mx-central-1a', 'mxc1-az1'), ('mx-central-1b', 'mxc1-az2'),
    ('mx-central-1c', 'mxc1-az3'),
    ('sa-east-1a', 'sae1-az1'), ('sa-east-1b', 'sae1-az2'),
    ('sa-east-1c', 'sae1-az3')
) AS z(name, zone_id);

/* ---------------------------------------------------------------------
 * Images: the public AMI catalog.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.images (
    id                   text PRIMARY KEY
                         CHECK (id ~ '^ami-[0-9a-f]{17}$'),
    name                 text NOT NULL
                         CHECK (length(name) BETWEEN 3 AND 128),
    description          text NOT NULL DEFAULT ''
                         CHECK (length(description) <= 255),
    architecture         text NOT NULL
                         CHECK (architecture IN ('x86_64', 'arm64')),
    platform_details     text NOT NULL DEFAULT 'Linux/UNIX'
                         CHECK (platform_details IN ('Linux/UNIX',
                                'Red Hat Enterprise Linux', 'SUSE Linux',
                                'Ubuntu Pro', 'Windows')),
    usage_operation      text NOT NULL DEFAULT 'RunInstances'
                         CHECK (usage_operation ~ '^RunInstances(:[0-9a-z]{4})?$'),
    platform             text
                         CHECK (platform = 'windows'),
    root_device_name     text NOT NULL
                         CHECK (root_device_name IN ('/dev/xvda', '/dev/sda1')),
    root_device_type     text NOT NULL DEFAULT 'ebs'
                         CHECK (root_device_type IN ('ebs', 'instance-store')),
    root_volume_size_gib integer NOT NULL
                         CHECK (root_volume_size_gib BETWEEN 1 AND 16384),
    root_volume_type     text NOT NULL DEFAULT 'gp3'
                         CHECK (root_volume_type IN ('gp2', 'gp3', 'io1',
                                'io2', 'st1', 'sc1', 'standard')),
    virtualization_type  text NOT NULL DEFAULT 'hvm'
                         CHECK (virtualization_type IN ('hvm', 'paravirtual')),
    boot_mode            text NOT NULL
                         CHECK (boot_mode IN ('legacy-bios', 'uefi',
                                'uefi-preferred')),
    ena_support          boolean NOT NULL DEFAULT true,
    imds_support         text
                         CHECK (imds_support = 'v2.0'),
    owner_id             text NOT NULL
                         CHECK (owner_id ~ '^[0-9]{12}$'),
    owner_alias          text
                         CHECK (owner_alias IN ('amazon', 'aws-marketplace')),
    creation_date        timestamptz NOT NULL,
    state                text NOT NULL DEFAULT 'available'
                         CHECK (state IN ('pending', 'available', 'invalid',
                                'deregistered', 'transient', 'failed',
                                'error', 'disabled')),
    public               boolean NOT NULL DEFAULT true,
    image_location       text NOT NULL,

    UNIQUE (owner_id, name),
    /* EC2 sets Platform for Windows images only. */
    CHECK ((platform IS NOT DISTINCT FROM 'windows')
           = (platform_details = 'Windows')),
    /* Graviton boots only through UEFI. */
    CHECK (architecture <> 'arm64' OR boot_mode = 'uefi')
);

COMMENT ON TABLE cloudsim.images IS
    'The public AMI catalog, seeded by migrations and read-only to the '
    'services. Each row is one public machine image, offered under the same '
    'id in every region (real AWS gives the same image a different id per '
    'region; the simulator does not). Ids are invented and never change, so '
    'tests and docs may quote them; names, owners and attributes follow the '
    'real publishers'' images.';
COMMENT ON COLUMN cloudsim.images.id IS
    'AMI id: ''ami-'' and 17 lower-case hex digits (ImageId).';
COMMENT ON COLUMN cloudsim.images.name IS
    'Image name as its publisher names it, unique per owner (Name); what '
    'name filters and Terraform aws_ami lookups match.';
COMMENT ON COLUMN cloudsim.images.description IS
    'Free-text description set by the publisher (Description).';
COMMENT ON COLUMN cloudsim.images.architecture IS
    'CPU architecture the image boots on: x86_64 or arm64 (Architecture); '
    'a launch needs an instance type whose architectures include it.';
COMMENT ON COLUMN cloudsim.images.platform_details IS
    'Operating-system billing platform (PlatformDetails): Linux/UNIX, Red '
    'Hat Enterprise Linux, SUSE Linux, Ubuntu Pro or Windows.';
COMMENT ON COLUMN cloudsim.images.usage_operation IS
    'Billing operation code matching platform_details (UsageOperation): '
    'RunInstances for Linux/UNIX, RunInstances:0002 for Windows, '
    ':0010 for RHEL, :000g for SUSE.';
COMMENT ON COLUMN cloudsim.images.platform IS
    '''windows'' for Windows images, NULL otherwise (Platform); EC2 sets it '
    'for Windows only.';
COMMENT ON COLUMN cloudsim.images.root_device_name IS
    'Device name of the root volume (RootDeviceName): /dev/xvda for Amazon '
    'Linux and Debian, /dev/sda1 for Ubuntu, RHEL, SUSE and Windows.';
COMMENT ON COLUMN cloudsim.images.root_device_type IS
    'Root device type (RootDeviceType); every seeded image is ebs-backed.';
COMMENT ON COLUMN cloudsim.images.root_volume_size_gib IS
    'Size in GiB of the root EBS volume a launch creates from this image '
    '(the snapshot size in its block device mapping); a launch may ask for '
    'more, never less.';
COMMENT ON COLUMN cloudsim.images.root_volume_type IS
    'EBS volume type of the root volume a launch creates unless told '
    'otherwise (gp2, gp3, io2 ...), from the image''s block device mapping.';
COMMENT ON COLUMN cloudsim.images.virtualization_type IS
    'Virtualization type (VirtualizationType); hvm for every current image.';
COMMENT ON COLUMN cloudsim.images.boot_mode IS
    'Boot mode (BootMode): legacy-bios, uefi, or uefi-preferred (UEFI where '
    'the instance type supports it). arm64 images are always uefi. Older '
    'x86 images that EC2 reports without a boot mode are legacy-bios.';
COMMENT ON COLUMN cloudsim.images.ena_support IS
    'Whether the image has the Elastic Network Adapter driver (EnaSupport), '
    'required by Nitro instance types.';
COMMENT ON COLUMN cloudsim.images.imds_support IS
    '''v2.0'' when instances launched from the image default to IMDSv2 only '
    '(ImdsSupport), NULL otherwise.';
COMMENT ON COLUMN cloudsim.images.owner_id IS
    'Twelve-digit account id of the publisher (OwnerId), the real public '
    'one: 137112412989 Amazon Linux, 801119661308 Amazon Windows, '
    '099720109477 Canonical, 136693071363 Debian, 309956199498 Red Hat, '
    '013907871322 SUSE.';
COMMENT ON COLUMN cloudsim.images.owner_alias IS
    'Owner alias (ImageOwnerAlias): ''amazon'' for images AWS publishes or '
    'vouches for, NULL for other publishers; the owners=amazon filter '
    'matches it.';
COMMENT ON COLUMN cloudsim.images.creation_date IS
    'When the publisher registered the image (CreationDate); '
    'most_recent lookups sort on it.';
COMMENT ON COLUMN cloudsim.images.state IS
    'Image state (State); seeded images are available, and only available '
    'images can be launched.';
COMMENT ON COLUMN cloudsim.images.public IS
    'Whether every account may launch the image (Public); true for the '
    'whole seeded catalog.';
COMMENT ON COLUMN cloudsim.images.image_location IS
    'Image location (ImageLocation): the owner alias or account id, a '
    'slash, and the image name.';

/*
 * A dozen images a user of EC2 reaches for first, each as its publisher
 * released it in autumn 2024. Root volume sizes and types, boot modes and
 * device names are the publishers' own choices, which is why they differ.
 */
INSERT INTO cloudsim.images (id, name, description, architecture,
        platform_details, usage_operation, platform, root_device_name,
        root_volume_size_gib, root_volume_type, boot_mode, imds_support,
        owner_id, owner_alias, creation_date, image_location)
VALUES
    /* Amazon Linux 2023 */
    ('ami-008df4d2c9cb4c1db',
     'al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64',
     'Amazon Linux 2023 AMI 2023.6.20241010.0 x86_64 HVM kernel-6.1',
     'x86_64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/xvda',
     8, 'gp3', 'uefi-preferred', 'v2.0',
     '137112412989', 'amazon', '2024-10-10 21:37:42+00',
     'amazon/al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64'),
    ('ami-01ed9424d63bbafd0',
     'al2023-ami-2023.6.20241010.0-kernel-6.1-arm64',
     'Amazon Linux 2023 AMI 2023.6.20241010.0 arm64 HVM kernel-6.1',
     'arm64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/xvda',
     8, 'gp3', 'uefi', 'v2.0',
     '137112412989', 'amazon', '2024-10-10 21:38:05+00',
     'amazon/al2023-ami-2023.6.20241010.0-kernel-6.1-arm64'),
    /* Amazon Linux 2 */
    ('ami-00940ed4cfcd0f004',
     'amzn2-ami-kernel-5.10-hvm-2.0.20241001.0-x86_64-gp2',
     'Amazon Linux 2 Kernel 5.10 AMI 2.0.20241001.0 x86_64 HVM gp2',
     'x86_64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/xvda',
     8, 'gp2', 'legacy-bios', NULL,
     '137112412989', 'amazon', '2024-10-01 23:02:18+00',
     'amazon/amzn2-ami-kernel-5.10-hvm-2.0.20241001.0-x86_64-gp2'),
    /* Ubuntu 22.04 LTS (jammy) */
    ('ami-0d4c8be791a4b78b9',
     'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241002',
     'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-10-02',
     'x86_64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/sda1',
     8, 'gp2', 'uefi-preferred', NULL,
     '099720109477', NULL, '2024-10-02 20:51:09+00',
     '099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241002'),
    ('ami-0f01cd7da333fc395',
     'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241002',
     'Canonical, Ubuntu, 22.04 LTS, arm64 jammy image build on 2024-10-02',
     'arm64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/sda1',
     8, 'gp2', 'uefi', NULL,
     '099720109477', NULL, '2024-10-02 20:52:31+00',
     '099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241002'),
    /* Ubuntu 24.04 LTS (noble) */
    ('ami-0b627493c8a7d61e4',
     'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241004',
     'Canonical, Ubuntu, 24.04, amd64 noble image',
     'x86_64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/sda1',
     8, 'gp3', 'uefi-preferred', NULL,
     '099720109477', NULL, '2024-10-04 07:12:44+00',
     '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241004'),
    ('ami-0487b7ee98734d628',
     'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241004',
     'Canonical, Ubuntu, 24.04, arm64 noble image',
     'arm64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/sda1',
     8, 'gp3', 'uefi', NULL,
     '099720109477', NULL, '2024-10-04 07:14:02+00',
     '099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241004'),
    /* Debian 12 (bookworm) */
    ('ami-041c6ab79cbf6b020',
     'debian-12-amd64-20241004-1890',
     'Debian 12 (20241004-1890)',
     'x86_64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/xvda',
     8, 'gp2', 'uefi-preferred', NULL,
     '136693071363', NULL, '2024-10-04 11:27:53+00',
     '136693071363/debian-12-amd64-20241004-1890'),
    ('ami-00f9982b306aea859',
     'debian-12-arm64-20241004-1890',
     'Debian 12 (20241004-1890)',
     'arm64', 'Linux/UNIX', 'RunInstances', NULL, '/dev/xvda',
     8, 'gp2', 'uefi', NULL,
     '136693071363', NULL, '2024-10-04 11:29:16+00',
     '136693071363/debian-12-arm64-20241004-1890'),
    /* Windows Server */
    ('ami-04a725ff3dd90d8a4',
     'Windows_Server-2022-English-Full-Base-2024.10.09',
     'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
     'x86_64', 'Windows', 'RunInstances:0002', 'windows', '/dev/sda1',
     30, 'gp2', 'legacy-bios', NULL,
     '801119661308', 'amazon', '2024-10-09 18:44:26+00',
     'amazon/Windows_Server-2022-English-Full-Base-2024.10.09'),
    ('ami-065dfb589f4ae6d79',
     'Windows_Server-2019-English-Full-Base-2024.10.09',
     'Microsoft Windows Server 2019 with Desktop Experience Locale English AMI provided by Amazon',
     'x86_64', 'Windows', 'RunInstances:0002', 'windows', '/dev/sda1',
     30, 'gp2', 'legacy-bios', NULL,
     '801119661308', 'amazon', '2024-10-09 18:39:57+00',
     'amazon/Windows_Server-2019-English-Full-Base-2024.10.09'),
    /* Red Hat Enterprise Linux 9 */
    ('ami-0b6a6757975784371',
     'RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3',
     'Provided by Red Hat, Inc.',
     'x86_64', 'Red Hat Enterprise Linux', 'RunInstances:0010', NULL,
     '/dev/sda1', 10, 'gp3', 'uefi-preferred', NULL,
     '309956199498', NULL, '2024-06-05 15:20:11+00',
     '309956199498/RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3'),
    /* SUSE Linux Enterprise Server 15 */
    ('ami-0f12c6c1b17da68cf',
     'suse-sles-15-sp6-v20240808-hvm-ssd-x86_64',
     'SUSE Linux Enterprise Server 15 SP6 (HVM, 64-bit, SSD-Backed)',
     'x86_64', 'SUSE Linux', 'RunInstances:000g', NULL, '/dev/sda1',
     10, 'gp3', 'uefi-preferred', NULL,
     '013907871322', 'amazon', '2024-08-08 22:05:36+00',
     'amazon/suse-sles-15-sp6-v20240808-hvm-ssd-x86_64');

/* ---------------------------------------------------------------------
 * Instance types.
 * ------------------------------------------------------------------- */
CREATE TABLE cloudsim.instance_types (
    name                     text PRIMARY KEY
                             CHECK (name ~ '^[a-z][a-z0-9-]*\.[a-z0-9]+$'),
    family                   text NOT NULL,
    vcpus                    integer NOT NULL CHECK (vcpus > 0),
    memory_mib               integer NOT NULL CHECK (memory_mib > 0),
    architectures            text[] NOT NULL
                             CHECK (cardinality(architectures) > 0
                                    AND array_position(architectures, NULL) IS NULL
                                    AND architectures <@ ARRAY['x86_64', 'i386', 'arm64']),
    burstable                boolean NOT NULL DEFAULT false,
    default_cores            integer NOT NULL CHECK (default_cores > 0),
    default_threads_per_core integer NOT NULL
                             CHECK (default_threads_per_core IN (1, 2)),
    network_performance      text NOT NULL,
    ebs_optimized_support    text NOT NULL
                             CHECK (ebs_optimized_support IN ('default',
                                    'supported', 'unsupported')),
    hypervisor               text NOT NULL
                             CHECK (hypervisor IN ('nitro', 'xen')),
    current_generation       boolean NOT NULL DEFAULT true,
    free_tier_eligible       boolean NOT NULL DEFAULT false,

    CHECK (family = split_part(name, '.', 1)),
    CHECK (default_cores * default_threads_per_core = vcpus),
    /* A processor is either Arm or x86, never both. */
    CHECK (NOT (architectures && ARRAY['arm64']
                AND architectures && ARRAY['x86_64', 'i386']))
);

COMMENT ON TABLE cloudsim.instance_types IS
    'The instance type catalog, seeded by migrations and read-only to the '
    'services: one row per type a launch may name, with AWS''s published '
    'size and capabilities (DescribeInstanceTypes). Every type is offered '
    'in every region and zone.';
COMMENT ON COLUMN cloudsim.instance_types.name IS
    'Instance type name, family dot size (InstanceType): t3.micro.';
COMMENT ON COLUMN cloudsim.instance_types.family IS
    'Instance family, the part of the name before the dot: t3, m6i, c7g.';
COMMENT ON COLUMN cloudsim.instance_types.vcpus IS
    'Default number of vCPUs (VCpuInfo.DefaultVCpus) = default_cores * '
    'default_threads_per_core.';
COMMENT ON COLUMN cloudsim.instance_types.memory_mib IS
    'Memory in MiB (MemoryInfo.SizeInMiB).';
COMMENT ON COLUMN cloudsim.instance_types.architectures IS
    'Architectures the type runs (ProcessorInfo.SupportedArchitectures), a '
    'non-empty subset of {x86_64, i386, arm64}; an image launches only on '
    'a type listing its architecture.';
COMMENT ON COLUMN cloudsim.instance_types.burstable IS
    'Whether the type earns and spends CPU credits (BurstablePerformance'
    'Supported): the T families.';
COMMENT ON COLUMN cloudsim.instance_types.default_cores IS
    'Default number of physical cores (VCpuInfo.DefaultCores).';
COMMENT ON COLUMN cloudsim.instance_types.default_threads_per_core IS
    'Default threads per core (VCpuInfo.DefaultThreadsPerCore): 2 with '
    'Intel or AMD hyperthreading, 1 for Graviton and T2.';
COMMENT ON COLUMN cloudsim.instance_types.network_performance IS
    'Network performance as EC2 words it (NetworkInfo.NetworkPerformance): '
    '''Low to Moderate'', ''Up to 5 Gigabit'', ''25 Gigabit''.';
COMMENT ON COLUMN cloudsim.instance_types.ebs_optimized_support IS
    'EBS optimization (EbsInfo.EbsOptimizedSupport): default (always on), '
    'supported (on request) or unsupported.';
COMMENT ON COLUMN cloudsim.instance_types.hypervisor IS
    'Hypervisor (Hypervisor): nitro, or xen for the older families.';
COMMENT ON COLUMN cloudsim.instance_types.current_generation IS
    'Whether AWS lists the type as current generation (CurrentGeneration).';
COMMENT ON COLUMN cloudsim.instance_types.free_tier_eligible IS
    'Whether the type is in the free tier (FreeTierEligible): t2.micro, '
    'and t3.micro where t2 is not offered.';

INSERT INTO cloudsim.instance_types (name, family, vcpus, memory_mib,
        architectures, burstable, default_cores, default_threads_per_core,
        network_performance, ebs_optimized_support, hypervisor,
        free_tier_eligible)
SELECT t.name, split_part(t.name, '.', 1), t.vcpus, t.memory_mib,
       t.architectures, t.burstable, t.vcpus / t.threads, t.threads,
       t.network, t.ebs, t.hypervisor, t.free_tier
FROM (VALUES
    /* T2: Xen, one thread per core; the four smallest also run 32-bit. */
    ('t2.nano',      1,    512, '{i386,x86_64}'::text[], true, 1, 'Low to Moderate',  'unsupported', 'xen',   false),
    ('t2.micro',     1,   1024, '{i386,x86_64}',  true, 1, 'Low to Moderate',  'unsupported', 'xen',   true),
    ('t2.small',     1,   2048, '{i386,x86_64}',  true, 1, 'Low to Moderate',  'unsupported', 'xen',   false),
    ('t2.medium',    2,   4096, '{i386,x86_64}',  true, 1, 'Low to Moderate',  'unsupported', 'xen',   false),
    ('t2.large',     2,   8192, '{x86_64}',       true, 1, 'Low to Moderate',  'unsupported', 'xen',   false),
    ('t2.xlarge',    4,  16384, '{x86_64}',       true, 1, 'Moderate',         'unsupported', 'xen',   false),
    ('t2.2xlarge',   8,  32768, '{x86_64}',       true, 1, 'Moderate',         'unsupported', 'xen',   false),
    /* T3: Intel; T3a: AMD. */
    ('t3.nano',      2,    512, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3.micro',     2,   1024, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', true),
    ('t3.small',     2,   2048, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3.medium',    2,   4096, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3.large',     2,   8192, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3.xlarge',    4,  16384, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3.2xlarge',   8,  32768, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.nano',     2,    512, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.micro',    2,   1024, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.small',    2,   2048, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.medium',   2,   4096, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.large',    2,   8192, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.xlarge',   4,  16384, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t3a.2xlarge',  8,  32768, '{x86_64}',       true, 2, 'Up to 5 Gigabit',  'default',     'nitro', false),
    /* T4g: Graviton2. */
    ('t4g.nano',     2,    512, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t4g.micro',    2,   1024, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t4g.small',    2,   2048, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t4g.medium',   2,   4096, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t4g.large',    2,   8192, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t4g.xlarge',   4,  16384, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    ('t4g.2xlarge',  8,  32768, '{arm64}',        true, 1, 'Up to 5 Gigabit',  'default',     'nitro', false),
    /* M5: Intel Xeon Platinum, 4 GiB per vCPU. */
    ('m5.large',     2,   8192, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m5.xlarge',    4,  16384, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m5.2xlarge',   8,  32768, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m5.4xlarge',  16,  65536, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m5.8xlarge',  32, 131072, '{x86_64}',       false, 2, '10 Gigabit',       'default',    'nitro', false),
    ('m5.12xlarge', 48, 196608, '{x86_64}',       false, 2, '10 Gigabit',       'default',    'nitro', false),
    ('m5.16xlarge', 64, 262144, '{x86_64}',       false, 2, '20 Gigabit',       'default',    'nitro', false),
    ('m5.24xlarge', 96, 393216, '{x86_64}',       false, 2, '25 Gigabit',       'default',    'nitro', false),
    /* M6i: Intel Xeon (Ice Lake), 4 GiB per vCPU. */
    ('m6i.large',     2,   8192, '{x86_64}',      false, 2, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('m6i.xlarge',    4,  16384, '{x86_64}',      false, 2, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('m6i.2xlarge',   8,  32768, '{x86_64}',      false, 2, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('m6i.4xlarge',  16,  65536, '{x86_64}',      false, 2, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('m6i.8xlarge',  32, 131072, '{x86_64}',      false, 2, '12.5 Gigabit',       'default',  'nitro', false),
    ('m6i.12xlarge', 48, 196608, '{x86_64}',      false, 2, '18.75 Gigabit',      'default',  'nitro', false),
    ('m6i.16xlarge', 64, 262144, '{x86_64}',      false, 2, '25 Gigabit',         'default',  'nitro', false),
    ('m6i.24xlarge', 96, 393216, '{x86_64}',      false, 2, '37.5 Gigabit',       'default',  'nitro', false),
    /* M6g: Graviton2, 4 GiB per vCPU. */
    ('m6g.medium',   1,   4096, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m6g.large',    2,   8192, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m6g.xlarge',   4,  16384, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m6g.2xlarge',  8,  32768, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('m6g.4xlarge', 16,  65536, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    /* C5: Intel Xeon, 2 GiB per vCPU. */
    ('c5.large',     2,   4096, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c5.xlarge',    4,   8192, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c5.2xlarge',   8,  16384, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c5.4xlarge',  16,  32768, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c5.9xlarge',  36,  73728, '{x86_64}',       false, 2, '10 Gigabit',       'default',    'nitro', false),
    /* C6g: Graviton2; C7g: Graviton3; 2 GiB per vCPU. */
    ('c6g.medium',   1,   2048, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c6g.large',    2,   4096, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c6g.xlarge',   4,   8192, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c6g.2xlarge',  8,  16384, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c6g.4xlarge', 16,  32768, '{arm64}',        false, 1, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('c7g.medium',   1,   2048, '{arm64}',        false, 1, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('c7g.large',    2,   4096, '{arm64}',        false, 1, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('c7g.xlarge',   4,   8192, '{arm64}',        false, 1, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('c7g.2xlarge',  8,  16384, '{arm64}',        false, 1, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    ('c7g.4xlarge', 16,  32768, '{arm64}',        false, 1, 'Up to 12.5 Gigabit', 'default',  'nitro', false),
    /* R5: Intel Xeon, 8 GiB per vCPU. */
    ('r5.large',     2,  16384, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('r5.xlarge',    4,  32768, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('r5.2xlarge',   8,  65536, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false),
    ('r5.4xlarge',  16, 131072, '{x86_64}',       false, 2, 'Up to 10 Gigabit', 'default',    'nitro', false)
) AS t(name, vcpus, memory_mib, architectures, burstable, threads,
       network, ebs, hypervisor, free_tier);

/* The catalog is read by every service and changed only by migrations. */
GRANT SELECT ON cloudsim.images, cloudsim.instance_types
    TO cloudsim_app, cloudsim_readonly;
