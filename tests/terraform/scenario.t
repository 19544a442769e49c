#!/usr/bin/python3
"""terraform's AWS provider against ec2.fcgi, as a user would drive it:
a fresh identity with an access key, a configuration of ten resources
(VPC, subnet, internet gateway, route table with a default route and
its association, security group, imported key pair, instance, EBS
volume and its attachment), apply, a plan that finds nothing to
change, destroy, and boto3 checking the account before, between and
after.  terraform and the provider come from the machine (offline, a
filesystem mirror of hashicorp/aws); without them the test skips.

terraform keeps everything it writes in a temporary directory (its
data directory, logs, state, and HOME), so it never touches the
invoking user's home.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aws"))
sys.path.insert(0, HERE)

PROVIDER = "registry.terraform.io/hashicorp/aws"
TIMEOUTS = {"init": 180, "apply": 600, "plan": 300, "destroy": 600}


def find_terraform():
    for t in (os.environ.get("TERRAFORM"), shutil.which("terraform"),
              "/usr/local/bin/terraform", "/usr/bin/terraform"):
        if t and os.access(t, os.X_OK):
            return t
    return None


def find_mirror():
    """A filesystem mirror holding hashicorp/aws for this platform."""
    home = os.path.expanduser("~")
    for d in (os.environ.get("TF_PLUGIN_MIRROR"), "/opt/tf-plugins",
              os.path.join(home, ".terraform.d", "plugins"),
              os.path.join(home, ".local", "share", "terraform", "plugins"),
              "/usr/local/share/terraform/plugins",
              "/usr/share/terraform/plugins"):
        if d and glob.glob(os.path.join(d, PROVIDER, "*", "linux_amd64",
                                        "terraform-provider-aws*")):
            return d
    return None


TERRAFORM, MIRROR = find_terraform(), find_mirror()
if TERRAFORM is None or MIRROR is None:
    print("1..0 # SKIP terraform or its hashicorp/aws mirror not found")
    sys.exit(0)

import awstap  # noqa: E402
from awstap import URL, Identity, done, eq, ok  # noqa: E402
import tflog  # noqa: E402

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGWfPq8dQMUZK7tZtS0zvJ9Z6x0"
              "cQmRf0rjP7fVzKZkn tf@cloudsim")

# The provider block a user writes: the endpoints, a region, the access
# key.  Nothing is skipped: the provider validates the key and learns the
# account through STS GetCallerIdentity on the same endpoint (with static
# keys it never asks the instance metadata service).
CONFIG = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region     = "us-east-1"
  access_key = "%(access_key)s"
  secret_key = "%(secret)s"
  endpoints {
    ec2 = "%(url)s"
    sts = "%(url)s"
  }
}

data "aws_ami" "linux" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["amzn2-ami-kernel-5.10-hvm-*-x86_64-gp2"]
  }
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "tf-main" }
}

resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.42.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
  tags                    = { Name = "tf-a" }
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.rt.id
}

resource "aws_security_group" "web" {
  name        = "tf-web"
  description = "web"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_key_pair" "k" {
  key_name   = "tf-key"
  public_key = "%(public_key)s"
}

resource "aws_instance" "web" {
  ami                    = data.aws_ami.linux.id
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]
  key_name               = aws_key_pair.k.key_name
  tags                   = { Name = "tf-web" }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 8
  tags              = { Name = "tf-data" }
}

resource "aws_volume_attachment" "att" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.web.id
}

output "ids" {
  value = {
    vpc         = aws_vpc.main.id
    subnet      = aws_subnet.a.id
    igw         = aws_internet_gateway.gw.id
    route_table = aws_route_table.rt.id
    association = aws_route_table_association.a.id
    group       = aws_security_group.web.id
    key         = aws_key_pair.k.key_pair_id
    instance    = aws_instance.web.id
    volume      = aws_ebs_volume.data.id
    ami         = data.aws_ami.linux.id
  }
}
"""

CLI_CONFIG = """
provider_installation {
  filesystem_mirror {
    path    = "%s"
    include = ["%s"]
  }
  direct {
    exclude = ["%s"]
  }
}
""" % (MIRROR, PROVIDER, PROVIDER)


class Terraform:
    """terraform in a private directory, one debug log per command."""

    def __init__(self, workdir):
        self.dir = workdir
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": workdir,
            "TMPDIR": workdir,
            "TF_CLI_CONFIG_FILE": os.path.join(workdir, "cli.tfrc"),
            "TF_DATA_DIR": os.path.join(workdir, ".terraform"),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "TF_LOG": "DEBUG",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        }
        self.seconds = {}

    def run(self, name, *args):
        """(exit code, output, log path); the output is kept on failure."""
        log = os.path.join(self.dir, name + ".log")
        env = dict(self.env, TF_LOG_PATH=log)
        start = time.monotonic()
        try:
            p = subprocess.run([TERRAFORM] + list(args) + ["-no-color"],
                               cwd=self.dir, env=env, capture_output=True,
                               text=True, timeout=TIMEOUTS[args[0]])
            rc, out = p.returncode, p.stdout + p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out = -1, "timed out after %ds\n%s" % (
                TIMEOUTS[args[0]], (e.stdout or b"").decode(errors="replace"))
        self.seconds[name] = time.monotonic() - start
        print("# terraform %s: exit %d after %.1f s" % (name, rc,
                                                        self.seconds[name]))
        return rc, out, log

    def output(self):
        p = subprocess.run([TERRAFORM, "output", "-json"], cwd=self.dir,
                           env=dict(self.env, TF_LOG=""), capture_output=True,
                           text=True, timeout=60)
        return json.loads(p.stdout)["ids"]["value"] if p.returncode == 0 else {}


def inventory(ec2):
    """What the account holds, as sets of ids (live instances only)."""
    inst = ec2.describe_instances(Filters=[{
        "Name": "instance-state-name",
        "Values": ["pending", "running", "stopping", "stopped"]}])
    return {
        "vpcs": {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]},
        "subnets": {s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]},
        "groups": {g["GroupId"] for g in
                   ec2.describe_security_groups()["SecurityGroups"]},
        "gateways": {g["InternetGatewayId"] for g in
                     ec2.describe_internet_gateways()["InternetGateways"]},
        "route tables": {t["RouteTableId"] for t in
                         ec2.describe_route_tables()["RouteTables"]},
        "key pairs": {k["KeyName"] for k in
                      ec2.describe_key_pairs()["KeyPairs"]},
        "volumes": {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]},
        "instances": {i["InstanceId"] for r in inst["Reservations"]
                      for i in r["Instances"]},
        "interfaces": {n["NetworkInterfaceId"] for n in
                       ec2.describe_network_interfaces()["NetworkInterfaces"]},
    }


def check_log(name, log, expected_errors):
    """No call retried, no waiter polling twice, only expected errors."""
    calls = tflog.calls(log)
    ok(len(calls) > 0, "%s: the debug log shows the provider's calls" % name,
       "no HTTP request found in %s" % log)
    retried = [c for c in calls if c.attempt > 1]
    ok(not retried, "%s: no call was retried" % name, retried)
    failed = [c for c in calls if c.status is None or c.status >= 500]
    ok(not failed, "%s: every call was answered, none with a 5xx" % name,
       failed)
    odd = [c for c in calls if c.status and 400 <= c.status < 500 and
           not expected_errors(c)]
    ok(not odd, "%s: the only errors are the ones the provider expects"
       % name, "\n".join("%r: %s" % (c, c.body) for c in odd))
    again = tflog.repolls(calls)
    ok(not again, "%s: no waiter had to look twice" % name,
       "\n".join("%r then %r: %s" % (a, b, b.body) for a, b in again))
    moving = tflog.transient(calls)
    ok(not moving, "%s: no Describe answer showed a resource still changing"
       % name, "\n".join("%r: %s" % (c, c.body) for c in moving))
    return calls


# The provider asks GetInstanceUefiData of the AMI id (and ignores the
# error), tries to drop the default IPv6 egress rule a VPC without IPv6
# does not have, and while destroying polls until things are gone.
def apply_errors(c):
    return (c.method, c.code) in {
        ("GetInstanceUefiData", "InvalidInstanceID.Malformed"),
        ("RevokeSecurityGroupEgress", "InvalidPermission.NotFound")}


def plan_errors(c):
    return (c.method, c.code) == ("GetInstanceUefiData",
                                  "InvalidInstanceID.Malformed")


def destroy_errors(c):
    return plan_errors(c) or (c.method.startswith("Describe") and
                              (c.code or "").endswith(".NotFound"))


me = Identity()
ec2 = me.client()
before = inventory(ec2)
ok(len(before["vpcs"]) == 1, "a fresh account holds its default VPC only",
   before)

work = tempfile.mkdtemp(prefix="cloudsim-tf.")
try:
    with open(os.path.join(work, "main.tf"), "w") as f:
        f.write(CONFIG % {"url": URL, "access_key": me.access_key,
                          "secret": me.secret, "public_key": PUBLIC_KEY})
    with open(os.path.join(work, "cli.tfrc"), "w") as f:
        f.write(CLI_CONFIG)
    tf = Terraform(work)
    print("# terraform %s, provider mirror %s" % (TERRAFORM, MIRROR))

    rc, out, _ = tf.run("init", "init", "-input=false")
    if not ok(rc == 0, "terraform init installs hashicorp/aws from the "
              "mirror, offline", out):
        done()

    rc, out, log = tf.run("apply", "apply", "-auto-approve", "-input=false")
    applied = ok(rc == 0 and "Resources: 10 added, 0 changed, 0 destroyed"
                 in out, "terraform apply creates the 10 resources", out)
    calls = check_log("apply", log, apply_errors)
    print("# apply: %d EC2/STS calls; the provider itself waits 10 s before "
          "its first look after creating a volume, an instance, an "
          "attachment (twice) and after changing a VPC or subnet attribute"
          % len(calls))
    ids = tf.output()

    vpc = ec2.describe_vpcs(VpcIds=[ids.get("vpc", "vpc-0")])["Vpcs"][0] \
        if applied else {}
    eq(vpc.get("CidrBlock"), "10.42.0.0/16", "the VPC exists with its block")
    eq(vpc.get("Tags"), [{"Key": "Name", "Value": "tf-main"}],
       "and its Name tag")
    if applied:
        eq(ec2.describe_vpc_attribute(VpcId=vpc["VpcId"],
                                      Attribute="enableDnsHostnames")
           ["EnableDnsHostnames"]["Value"], True, "and DNS host names on")
        sn = ec2.describe_subnets(SubnetIds=[ids["subnet"]])["Subnets"][0]
        ok(sn["VpcId"] == vpc["VpcId"] and sn["CidrBlock"] == "10.42.1.0/24"
           and sn["AvailabilityZone"] == "us-east-1a", "the subnet", sn)
        eq(sn["MapPublicIpOnLaunch"], True, "maps public IPs on launch")
        gw = ec2.describe_internet_gateways(
            InternetGatewayIds=[ids["igw"]])["InternetGateways"][0]
        eq(gw["Attachments"], [{"State": "available", "VpcId": vpc["VpcId"]}],
           "the internet gateway is attached to the VPC")
        rt = ec2.describe_route_tables(
            RouteTableIds=[ids["route_table"]])["RouteTables"][0]
        eq(sorted((r["DestinationCidrBlock"], r["GatewayId"])
                  for r in rt["Routes"]),
           [("0.0.0.0/0", ids["igw"]), ("10.42.0.0/16", "local")],
           "the route table routes 0.0.0.0/0 to the gateway")
        eq([(a["RouteTableAssociationId"], a["SubnetId"])
            for a in rt["Associations"]], [(ids["association"], sn["SubnetId"])],
           "and is associated with the subnet")
        sg = ec2.describe_security_groups(
            GroupIds=[ids["group"]])["SecurityGroups"][0]
        eq([(p["IpProtocol"], p.get("FromPort"), p.get("ToPort"),
             [r["CidrIp"] for r in p["IpRanges"]]) for p in sg["IpPermissions"]],
           [("tcp", 22, 22, ["10.0.0.0/8"])], "the group admits ssh from 10/8")
        eq([(p["IpProtocol"], [r["CidrIp"] for r in p["IpRanges"]])
            for p in sg["IpPermissionsEgress"]], [("-1", ["0.0.0.0/0"])],
           "and has exactly its one egress rule")
        key = ec2.describe_key_pairs(KeyNames=["tf-key"])["KeyPairs"][0]
        ok(key["KeyPairId"] == ids["key"] and key["KeyType"] == "ed25519",
           "the imported key pair", key)
        inst = ec2.describe_instances(InstanceIds=[ids["instance"]])[
            "Reservations"][0]["Instances"][0]
        eq((inst["State"]["Name"], inst["InstanceType"], inst["ImageId"],
            inst["SubnetId"], inst["KeyName"]),
           ("running", "t3.micro", ids["ami"], sn["SubnetId"], "tf-key"),
           "the instance runs in the subnet with the key")
        eq([g["GroupId"] for g in inst["SecurityGroups"]], [ids["group"]],
           "in the security group")
        ok(inst.get("PublicIpAddress"), "with a public address (the subnet "
           "maps them)", inst)
        vol = ec2.describe_volumes(VolumeIds=[ids["volume"]])["Volumes"][0]
        eq((vol["Size"], vol["State"], vol["AvailabilityZone"]),
           (8, "in-use", "us-east-1a"), "the volume is in use")
        eq([(a["InstanceId"], a["Device"], a["State"])
            for a in vol["Attachments"]],
           [(ids["instance"], "/dev/sdf", "attached")],
           "attached to the instance as /dev/sdf")

    rc, out, log = tf.run("plan", "plan", "-detailed-exitcode",
                          "-input=false")
    ok(rc == 0, "terraform plan -detailed-exitcode finds nothing to change",
       out)
    check_log("plan", log, plan_errors)

    rc, out, log = tf.run("destroy", "destroy", "-auto-approve",
                          "-input=false")
    ok(rc == 0 and "Resources: 10 destroyed" in out,
       "terraform destroy removes the 10 resources", out)
    check_log("destroy", log, destroy_errors)
    after = inventory(ec2)
    for kind in sorted(before):
        eq(sorted(after[kind]), sorted(before[kind]),
           "after destroy the account's %s are as before" % kind)
    print("# seconds: init %.1f, apply %.1f, plan %.1f, destroy %.1f" % (
        tf.seconds.get("init", 0), tf.seconds.get("apply", 0),
        tf.seconds.get("plan", 0), tf.seconds.get("destroy", 0)))
finally:
    if awstap._failed:
        print("# terraform's files and logs are kept in %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)

done()
