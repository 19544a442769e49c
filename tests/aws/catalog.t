#!/usr/bin/python3
"""EC2 catalog actions and STS through boto3 and aws-cli."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awstap import Identity, done, eq, error_code, ok  # noqa: E402

me = Identity()
ec2 = me.client()

regions = ec2.describe_regions()["Regions"]
ok(len(regions) >= 28, "DescribeRegions lists every region (%d)" % len(regions))
names = {r["RegionName"] for r in regions}
ok({"us-east-1", "us-west-2", "eu-west-1"} <= names, "with the usual ones")
eq(ec2.describe_regions(RegionNames=["eu-west-1"])["Regions"][0]["Endpoint"],
   "ec2.eu-west-1.amazonaws.com", "RegionNames selects, with the endpoint")
eq(len(ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["us-*"]}])["Regions"]),
   len([n for n in names if n.startswith("us-")]), "region-name filter takes wildcards")
eq(error_code(ec2.describe_regions, RegionNames=["xx-nowhere-1"]),
   "InvalidParameterValue", "an unknown region name is InvalidParameterValue")
eq(error_code(ec2.describe_regions, Filters=[{"Name": "bogus", "Values": ["x"]}]),
   "InvalidParameterValue", "an unknown filter is InvalidParameterValue, not a 500")

zones = ec2.describe_availability_zones()["AvailabilityZones"]
eq(sorted(z["ZoneName"] for z in zones),
   ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
   "us-east-1 has its six zones")
ok(all(z["ZoneId"].startswith("use1-az") and z["State"] == "available" for z in zones),
   "with zone ids and state")
west = me.client(region="eu-west-1").describe_availability_zones()["AvailabilityZones"]
ok(all(z["RegionName"] == "eu-west-1" for z in west) and len(west) == 3,
   "the region comes from the SigV4 scope")
eq(error_code(ec2.describe_availability_zones, ZoneNames=["eu-west-1a"]),
   "InvalidParameterValue", "a zone of another region is refused")

images = ec2.describe_images(Owners=["amazon"])["Images"]
ok(len(images) >= 2 and all(i["ImageOwnerAlias"] == "amazon" for i in images),
   "Owners=amazon selects Amazon's images")
arm = ec2.describe_images(Filters=[{"Name": "architecture", "Values": ["arm64"]}])["Images"]
ok(arm and all(i["Architecture"] == "arm64" for i in arm), "architecture filter")
one = ec2.describe_images(ImageIds=[arm[0]["ImageId"]])["Images"]
eq(len(one), 1, "ImageIds selects one image")
bdm = one[0]["BlockDeviceMappings"][0]
ok(bdm["DeviceName"] == one[0]["RootDeviceName"] and bdm["Ebs"]["VolumeSize"] > 0,
   "with its root block device mapping")
eq(error_code(ec2.describe_images, ImageIds=["ami-00000000000000000"]),
   "InvalidAMIID.NotFound", "an unknown AMI is InvalidAMIID.NotFound")
eq(ec2.describe_images(Owners=["self"])["Images"], [], "Owners=self is empty (no private AMIs)")

t3 = ec2.describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"][0]
eq((t3["VCpuInfo"]["DefaultVCpus"], t3["MemoryInfo"]["SizeInMiB"]), (2, 1024),
   "t3.micro has 2 vCPUs and 1024 MiB")
eq(t3["ProcessorInfo"]["SupportedArchitectures"], ["x86_64"], "t3.micro is x86_64")
page = ec2.describe_instance_types(MaxResults=5)
ok(len(page["InstanceTypes"]) == 5 and "NextToken" in page, "MaxResults pages with a NextToken")
page2 = ec2.describe_instance_types(MaxResults=5, NextToken=page["NextToken"])
ok(page2["InstanceTypes"][0]["InstanceType"] != page["InstanceTypes"][0]["InstanceType"],
   "NextToken gives the next page")
total = 0
for p in ec2.get_paginator("describe_instance_types").paginate(PaginationConfig={"PageSize": 20}):
    total += len(p["InstanceTypes"])
eq(total, len(ec2.describe_instance_types()["InstanceTypes"]), "the paginator walks every page")
eq(error_code(ec2.describe_instance_types, MaxResults=1000), "InvalidParameterValue",
   "MaxResults over 100 is refused")
eq(error_code(ec2.describe_instance_types, NextToken="garbage"), "InvalidParameterValue",
   "a bad NextToken is refused")
eq(error_code(ec2.describe_instance_types, InstanceTypes=["t3.micro"], MaxResults=5),
   "InvalidParameterCombination", "MaxResults with InstanceTypes is refused")
eq(error_code(ec2.describe_instance_types, InstanceTypes=["t9.nope"]),
   "InvalidInstanceType", "an unknown type is InvalidInstanceType")
graviton = ec2.describe_instance_types(Filters=[
    {"Name": "processor-info.supported-architecture", "Values": ["arm64"]}])["InstanceTypes"]
ok(graviton and all(t["ProcessorInfo"]["SupportedArchitectures"] == ["arm64"] for t in graviton),
   "architecture filter on instance types")

attrs = {a["AttributeName"]: a["AttributeValues"][0]["AttributeValue"]
         for a in ec2.describe_account_attributes()["AccountAttributes"]}
eq(attrs.get("supported-platforms"), "VPC", "supported-platforms is VPC")
eq(attrs.get("max-instances"), "20", "max-instances is the configured quota")
ok(attrs.get("default-vpc", "").startswith("vpc-"), "default-vpc names the region's default VPC")

eq(error_code(ec2.describe_regions, DryRun=True), "DryRunOperation", "DryRun answers DryRunOperation")

who = me.client("sts").get_caller_identity()
eq(who["Account"], me.account_id, "GetCallerIdentity names the account")
ok(who["Arn"].startswith("arn:aws:iam::%s:user/" % me.account_id), "and the user's ARN")

rc, out = me.cli("ec2", "describe-regions", "--region-names", "us-west-2")
ok(rc == 0 and out["Regions"][0]["RegionName"] == "us-west-2", "aws-cli describe-regions", out)
rc, out = me.cli("sts", "get-caller-identity")
ok(rc == 0 and out["Account"] == me.account_id, "aws-cli sts get-caller-identity", out)

bad = me.client()
bad._request_signer._credentials.secret_key = "x" * 40
eq(error_code(bad.describe_regions), "AuthFailure", "a wrong secret is AuthFailure")
eq(error_code(ec2.describe_regions, **{}) , None, "the right one still works")
done()
