#!/usr/bin/python3
"""Instances, key pairs, volumes and snapshots through boto3 and aws-cli,
including waiters against the sandbox server, which runs with non-zero
transition delays."""
import base64
import os
import subprocess
import sys
import tempfile

import boto3
import botocore.config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awstap import Identity, done, eq, error_code, ok  # noqa: E402

me = Identity()
other = Identity()
ec2 = me.client()
ami = ec2.describe_images(Filters=[{"Name": "architecture", "Values": ["x86_64"]},
                                   {"Name": "name", "Values": ["al2023*"]}])["Images"][0]["ImageId"]
arm = ec2.describe_images(Filters=[{"Name": "architecture", "Values": ["arm64"]}])["Images"][0]["ImageId"]

r = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=2, MaxCount=2,
                      TagSpecifications=[{"ResourceType": "instance",
                                          "Tags": [{"Key": "Name", "Value": "web"}]}])
ids = [i["InstanceId"] for i in r["Instances"]]
ok(len(ids) == 2 and all(i.startswith("i-") for i in ids), "RunInstances launches two")
ok(r["ReservationId"].startswith("r-") and r["OwnerId"] == me.account_id, "in one reservation")
inst = r["Instances"][0]
ok(inst["PrivateIpAddress"].startswith("172.31.") and inst["SubnetId"].startswith("subnet-"),
   "in the default VPC's subnet with a private IP")
ok(inst["BlockDeviceMappings"][0]["Ebs"]["VolumeId"].startswith("vol-"), "with a root volume")
res = ec2.describe_instances(InstanceIds=ids)["Reservations"]
eq(sorted(i["InstanceId"] for rr in res for i in rr["Instances"]), sorted(ids),
   "DescribeInstances groups them by reservation")
eq(res[0]["Instances"][0]["State"]["Name"], "running", "running at once with no delay")
eq([i["InstanceId"] for rr in ec2.describe_instances(Filters=[
    {"Name": "tag:Name", "Values": ["web"]}])["Reservations"] for i in rr["Instances"]].__len__(), 2,
   "tag filter")
eq(error_code(ec2.describe_instances, InstanceIds=["i-00000000000000000"]),
   "InvalidInstanceID.NotFound", "unknown instance id")
eq(error_code(other.client().describe_instances, InstanceIds=ids[:1]),
   "InvalidInstanceID.NotFound", "another account cannot see it")
eq(error_code(ec2.describe_instances, InstanceIds=ids, MaxResults=5),
   "InvalidParameterCombination", "MaxResults with InstanceIds is refused")
eq(error_code(ec2.run_instances, ImageId=arm, InstanceType="t3.micro", MinCount=1, MaxCount=1),
   "InvalidParameterValue", "an arm64 AMI on an x86 type is refused")
eq(error_code(ec2.run_instances, ImageId="ami-00000000000000000", InstanceType="t3.micro",
              MinCount=1, MaxCount=1), "InvalidAMIID.NotFound", "unknown AMI")

st = ec2.stop_instances(InstanceIds=ids[:1])["StoppingInstances"][0]
eq((st["PreviousState"]["Name"], st["CurrentState"]["Name"]), ("running", "stopping"),
   "StopInstances reports previous and current state")
ec2.get_waiter("instance_stopped").wait(InstanceIds=ids[:1], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
ok(True, "the instance_stopped waiter returns")
ec2.modify_instance_attribute(InstanceId=ids[0], InstanceType={"Value": "t3.small"})
eq(ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="instanceType")["InstanceType"]["Value"],
   "t3.small", "ModifyInstanceAttribute while stopped")
eq(error_code(ec2.reboot_instances, InstanceIds=ids[:1]), "IncorrectInstanceState",
   "rebooting a stopped instance is IncorrectInstanceState")
# A state change refuses in its own statement (sql/023): one unknown id
# among known ones, or one instance that may not move, changes nothing.
eq(error_code(ec2.terminate_instances, InstanceIds=[ids[1], "i-0123456789abcdef0"]),
   "InvalidInstanceID.NotFound", "terminating a known and an unknown id is refused")
eq(error_code(ec2.reboot_instances, InstanceIds=[ids[1], ids[0]]), "IncorrectInstanceState",
   "rebooting a running and a stopped instance is refused")
eq(ec2.describe_instances(InstanceIds=ids[1:])["Reservations"][0]["Instances"][0]["State"]["Name"],
   "running", "and the known, running instance was left as it was")
st = ec2.start_instances(InstanceIds=ids[:1])["StartingInstances"][0]
eq(st["CurrentState"]["Name"], "pending", "StartInstances")
status = ec2.describe_instance_status(InstanceIds=ids)["InstanceStatuses"]
ok(len(status) >= 1 and status[0]["InstanceStatus"]["Status"] == "ok", "DescribeInstanceStatus")
credits = ec2.describe_instance_credit_specifications(InstanceIds=ids)["InstanceCreditSpecifications"]
eq(sorted(c["CpuCredits"] for c in credits), ["unlimited", "unlimited"],
   "DescribeInstanceCreditSpecifications: t3 is unlimited")
eq(ec2.get_instance_uefi_data(InstanceId=ids[1])["InstanceId"], ids[1],
   "GetInstanceUefiData answers for an instance (without a variable store)")
eq(error_code(ec2.get_instance_uefi_data, InstanceId=ami), "InvalidInstanceID.Malformed",
   "and refuses an AMI id as EC2 does (terraform's aws_ami asks it)")
ec2.modify_instance_attribute(InstanceId=ids[1], DisableApiTermination={"Value": False})
eq(ec2.describe_instance_attribute(InstanceId=ids[1], Attribute="disableApiTermination")[
    "DisableApiTermination"]["Value"], False, "ModifyInstanceAttribute DisableApiTermination false is a no-op")
eq(error_code(ec2.modify_instance_attribute, InstanceId=ids[1], DisableApiTermination={"Value": True}),
   "InvalidParameterValue", "termination protection cannot be turned on")
eq(error_code(ec2.modify_instance_attribute, InstanceId="i-00000000000000000",
              DisableApiTermination={"Value": False}), "InvalidInstanceID.NotFound",
   "a no-op on an unknown instance is still InvalidInstanceID.NotFound")

enis = ec2.describe_network_interfaces(Filters=[{"Name": "attachment.instance-id",
                                                 "Values": [ids[1]]}])["NetworkInterfaces"]
i1 = ec2.describe_instances(InstanceIds=ids[1:])["Reservations"][0]["Instances"][0]
eq([(n["SubnetId"], n["PrivateIpAddress"], n["Attachment"]["DeviceIndex"], n["Status"]) for n in enis],
   [(i1["SubnetId"], i1["PrivateIpAddress"], 0, "in-use")],
   "DescribeNetworkInterfaces: an instance has its primary interface")
eni = enis[0]["NetworkInterfaceId"] if enis else "eni-0"
eq([g["GroupId"] for g in enis[0]["Groups"]] if enis else None, [g["GroupId"] for g in i1["SecurityGroups"]],
   "with the instance's security groups")
eq([n["NetworkInterfaceId"] for n in ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])[
    "NetworkInterfaces"]], [eni], "found by its id")
ok(eni in [n["NetworkInterfaceId"] for n in ec2.describe_network_interfaces(Filters=[
    {"Name": "subnet-id", "Values": [i1["SubnetId"]]},
    {"Name": "group-id", "Values": [i1["SecurityGroups"][0]["GroupId"]]}])["NetworkInterfaces"]],
   "and by subnet-id and group-id")
eq(ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": [i1["SubnetId"]]},
                                            {"Name": "description", "Values": ["AWS Lambda VPC ENI*"]}])[
    "NetworkInterfaces"], [], "a description pattern no primary interface has finds none")
eq(error_code(ec2.describe_network_interfaces, NetworkInterfaceIds=["eni-00000000000000000"]),
   "InvalidNetworkInterfaceID.NotFound", "an unknown interface id")
eq(error_code(ec2.describe_network_interfaces, Filters=[{"Name": "nope", "Values": ["x"]}]),
   "InvalidParameterValue", "an unknown filter")

key = ec2.create_key_pair(KeyName="aws-test", KeyType="ed25519")
ok(key["KeyMaterial"].startswith("-----BEGIN OPENSSH PRIVATE KEY-----"), "CreateKeyPair returns the key once")
eq(ec2.describe_key_pairs(KeyNames=["aws-test"])["KeyPairs"][0]["KeyFingerprint"], key["KeyFingerprint"],
   "DescribeKeyPairs by name")
eq(error_code(ec2.create_key_pair, KeyName="aws-test"), "InvalidKeyPair.Duplicate", "duplicate name")
with tempfile.TemporaryDirectory() as d:
    subprocess.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", d + "/k"], check=True)
    pub = open(d + "/k.pub").read().strip()
imp = ec2.import_key_pair(KeyName="imported", PublicKeyMaterial=pub.encode())
ok(imp["KeyPairId"].startswith("key-") and ":" in imp["KeyFingerprint"], "ImportKeyPair (MD5 fingerprint)")
eq(error_code(ec2.import_key_pair, KeyName="bad", PublicKeyMaterial=b"ssh-rsa garbage"),
   "InvalidKey.Format", "a bad public key is InvalidKey.Format")
ec2.delete_key_pair(KeyName="imported")
eq(error_code(ec2.describe_key_pairs, KeyNames=["imported"]), "InvalidKeyPair.NotFound", "DeleteKeyPair")

vol = ec2.create_volume(AvailabilityZone=inst["Placement"]["AvailabilityZone"], Size=10, VolumeType="gp3",
                        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "k", "Value": "v"}]}])
vid = vol["VolumeId"]
ok(vid.startswith("vol-") and vol["Size"] == 10 and vol["Iops"] == 3000, "CreateVolume gp3 with its baseline")
eq(error_code(ec2.create_volume, AvailabilityZone="us-east-1a", Size=10, VolumeType="io1", Iops=1000),
   "InvalidParameterValue", "io1 over 50 IOPS per GiB is refused")
att = ec2.attach_volume(VolumeId=vid, InstanceId=ids[1], Device="/dev/sdf")
ok(att["State"] in ("attaching", "attached") and att["Device"] == "/dev/sdf", "AttachVolume", att)
eq(error_code(ec2.attach_volume, VolumeId=vid, InstanceId=ids[0], Device="/dev/sdg"),
   "VolumeInUse", "a volume attaches once")
got = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [ids[1]]}])["Volumes"]
eq(sorted(v["VolumeId"] == vid for v in got), [False, True], "attachment.instance-id finds root and data volume")
eq(ec2.describe_volumes(VolumeIds=[vid], Filters=[{"Name": "attachment.instance-id",
                                                   "Values": [ids[0]]}])["Volumes"], [],
   "an id the filters exclude answers an empty set, not NotFound")
eq(error_code(ec2.describe_volumes, VolumeIds=[vid, "vol-00000000000000000"],
              Filters=[{"Name": "status", "Values": ["available"]}]),
   "InvalidVolume.NotFound", "an id that does not exist is NotFound, filters or not")
eq(error_code(ec2.delete_volume, VolumeId=vid), "VolumeInUse", "an attached volume cannot be deleted")
ec2.detach_volume(VolumeId=vid)
ec2.get_waiter("volume_available").wait(VolumeIds=[vid], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
ok(True, "DetachVolume, and the volume_available waiter returns")
mod = ec2.modify_volume(VolumeId=vid, Size=20)["VolumeModification"]
eq((mod["OriginalSize"], mod["TargetSize"]), (10, 20), "ModifyVolume grows it")
eq(error_code(ec2.modify_volume, VolumeId=vid, Size=5), "InvalidParameterValue", "but never shrinks it")
snap = ec2.create_snapshot(VolumeId=vid, Description="aws test")
ok(snap["SnapshotId"].startswith("snap-") and snap["VolumeSize"] == 20, "CreateSnapshot")
eq([s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]], [snap["SnapshotId"]],
   "DescribeSnapshots OwnerIds=self")
ec2.delete_snapshot(SnapshotId=snap["SnapshotId"])
ec2.delete_volume(VolumeId=vid)
eq(error_code(ec2.describe_volumes, VolumeIds=[vid]), "InvalidVolume.NotFound", "DeleteVolume")

term = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
ok(all(t["CurrentState"]["Name"] in ("shutting-down", "terminated") for t in term), "TerminateInstances")
root = inst["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
eq(error_code(ec2.describe_volumes, VolumeIds=[root]), "InvalidVolume.NotFound",
   "the root volume goes with its instance")
eq(ec2.describe_network_interfaces(Filters=[{"Name": "attachment.instance-id", "Values": ids}])[
    "NetworkInterfaces"], [], "terminated instances have no interfaces")
again = ec2.terminate_instances(InstanceIds=ids[:1])["TerminatingInstances"][0]
eq(again["CurrentState"]["Name"], "terminated", "terminating again is a no-op")
eq(error_code(ec2.start_instances, InstanceIds=ids[:1]), "IncorrectInstanceState",
   "a terminated instance cannot start")

# Security groups by name (EC2 resolves names in the default VPC only).
web = ec2.create_security_group(GroupName="web-by-name", Description="by name")["GroupId"]
r = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                      SecurityGroups=["web-by-name", "default"])["Instances"][0]
named = r["InstanceId"]
eq([g["GroupName"] for g in r["SecurityGroups"]], ["web-by-name", "default"],
   "RunInstances SecurityGroup.N names the groups of the default VPC")
eq(r["SecurityGroups"][0]["GroupId"], web, "resolved to their ids")
eq(error_code(ec2.run_instances, ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
              SecurityGroups=["no-such-group"]), "InvalidGroup.NotFound",
   "an unknown group name is InvalidGroup.NotFound")
own_vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
own_subnet = ec2.create_subnet(VpcId=own_vpc, CidrBlock="10.77.1.0/24")["Subnet"]["SubnetId"]
eq(error_code(ec2.run_instances, ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
              SubnetId=own_subnet, SecurityGroups=["default"]), "InvalidParameterCombination",
   "group names with a subnet of another VPC are InvalidParameterCombination, as EC2")

# Data volumes in the block device mapping: made and attached with the instances.
r = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=2, MaxCount=2, BlockDeviceMappings=[
    {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5, "VolumeType": "gp3"}},
    {"DeviceName": "/dev/sdg", "Ebs": {"VolumeSize": 6, "DeleteOnTermination": False}}])["Instances"]
bdm_ids = [i["InstanceId"] for i in r]
eq([(b["DeviceName"], b["Ebs"]["DeleteOnTermination"]) for b in r[0]["BlockDeviceMappings"]],
   [(r[0]["RootDeviceName"], True), ("/dev/sdf", True), ("/dev/sdg", False)],
   "RunInstances BlockDeviceMapping.N: the root and two data volumes, attached")
data = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [bdm_ids[1]]}])["Volumes"]
eq(sorted((v["Attachments"][0]["Device"], v["Size"], v["VolumeType"], v["State"]) for v in data
          if v["Attachments"][0]["Device"] != r[1]["RootDeviceName"]),
   [("/dev/sdf", 5, "gp3", "in-use"), ("/dev/sdg", 6, "gp2", "in-use")],
   "each instance gets its own, of the size and type asked (gp2 by default)")
before = len(ec2.describe_volumes()["Volumes"])
eq(error_code(ec2.run_instances, ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
              BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 10}},
                                   {"DeviceName": "/dev/sdg", "Ebs": {"VolumeSize": 10, "VolumeType": "io1"}}]),
   "InvalidBlockDeviceMapping", "an io1 data volume without Iops is InvalidBlockDeviceMapping")
eq(len(ec2.describe_volumes()["Volumes"]), before, "and nothing of the launch is left")
eq(error_code(ec2.run_instances, ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
              BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeType": "gp3"}}]),
   "InvalidBlockDeviceMapping", "a data volume needs a size")
eq(error_code(ec2.run_instances, ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
              BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 10, "VolumeType": "st1"}}]),
   "InvalidBlockDeviceMapping", "an st1 volume under 125 GiB is refused")
ec2.terminate_instances(InstanceIds=bdm_ids + [named])
left = ec2.describe_volumes(Filters=[{"Name": "size", "Values": ["5", "6"]}])["Volumes"]
eq(sorted((v["Size"], v["State"]) for v in left), [(6, "available"), (6, "available")],
   "termination deletes the volumes marked so and keeps the others")
for v in left:
    ec2.delete_volume(VolumeId=v["VolumeId"])

r = ec2.run_instances(ImageId=ami, InstanceType="t3.nano", MinCount=1, MaxCount=1,
                      Placement={"AvailabilityZone": ""}, KeyName="")
ok(r["Instances"][0]["Placement"]["AvailabilityZone"].startswith("us-east-1"),
   "RunInstances reads an empty Placement.AvailabilityZone and KeyName as not given (the Go SDK sends them)")
ec2.terminate_instances(InstanceIds=[r["Instances"][0]["InstanceId"]])
rc, out = me.cli("ec2", "run-instances", "--image-id", ami, "--instance-type", "t3.nano", "--count", "1")
ok(rc == 0 and out["Instances"][0]["State"]["Name"] in ("pending", "running"), "aws-cli run-instances", out)
if rc == 0:
    rc, out = me.cli("ec2", "terminate-instances", "--instance-ids", out["Instances"][0]["InstanceId"])
    ok(rc == 0, "aws-cli terminate-instances", out)

sandbox = os.environ.get("CLOUDSIM_SANDBOX_URL")
if sandbox:
    sb = boto3.client("ec2", endpoint_url=sandbox, region_name="us-east-1",
                      aws_access_key_id="AKIASANDBOXWAITER000", aws_secret_access_key="x",
                      config=botocore.config.Config(retries={"max_attempts": 1}))
    i = sb.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0]
    eq(i["State"]["Name"], "pending", "with a launch delay the instance starts pending")
    sb.get_waiter("instance_running").wait(InstanceIds=[i["InstanceId"]],
                                           WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    eq(sb.describe_instances(InstanceIds=[i["InstanceId"]])["Reservations"][0]["Instances"][0]["State"]["Name"],
       "running", "the instance_running waiter sees it running")
    v = sb.create_volume(AvailabilityZone="us-east-1a", Size=1)
    eq(v["State"], "creating", "with a creation delay the volume starts creating")
    sb.get_waiter("volume_available").wait(VolumeIds=[v["VolumeId"]], WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    ok(True, "the volume_available waiter sees it available")
done()
