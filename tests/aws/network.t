#!/usr/bin/python3
"""VPCs, subnets, security groups, internet gateways and route tables
through boto3 and aws-cli against ec2.fcgi."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awstap import Identity, done, eq, error_code, ok  # noqa: E402

me = Identity()
other = Identity()
ec2 = me.client()

default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
eq(len(default), 1, "the account has its default VPC")
eq(default[0]["CidrBlock"], "172.31.0.0/16", "172.31.0.0/16")
subs = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default[0]["VpcId"]]}])["Subnets"]
eq(len(subs), 6, "with a default subnet per zone")
ok(all(s["DefaultForAz"] and s["MapPublicIpOnLaunch"] for s in subs), "that map public IPs")
eq(subs[0]["AvailableIpAddressCount"], 4091, "a /20 offers 4091 addresses")

vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=[
    {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "aws-test"}]}])["Vpc"]
ok(vpc["VpcId"].startswith("vpc-") and vpc["State"] == "available", "CreateVpc")
eq(vpc["Tags"], [{"Key": "Name", "Value": "aws-test"}], "with its tags")
eq(vpc["CidrBlockAssociationSet"][0]["CidrBlock"], "10.20.0.0/16", "and its block association")
vid = vpc["VpcId"]
got = ec2.describe_vpcs(VpcIds=[vid])["Vpcs"]
eq([v["VpcId"] for v in got], [vid], "DescribeVpcs by id")
eq([v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["aws-test"]}])["Vpcs"]],
   [vid], "DescribeVpcs by tag filter")
eq(error_code(ec2.describe_vpcs, VpcIds=["vpc-00000000"]), "InvalidVpcID.NotFound",
   "an unknown VPC id is InvalidVpcID.NotFound")
eq(error_code(other.client().describe_vpcs, VpcIds=[vid]), "InvalidVpcID.NotFound",
   "another account cannot see it")
eq(error_code(ec2.create_vpc, CidrBlock="10.0.0.1/16"), "InvalidParameterValue",
   "a non-canonical block is refused")
eq(error_code(ec2.create_vpc, CidrBlock="10.0.0.0/8"), "InvalidVpc.Range",
   "a /8 is out of range")
attr = ec2.describe_vpc_attribute(VpcId=vid, Attribute="enableDnsSupport")
eq(attr["EnableDnsSupport"]["Value"], True, "DescribeVpcAttribute enableDnsSupport")
ec2.modify_vpc_attribute(VpcId=vid, EnableDnsHostnames={"Value": True})
eq(ec2.describe_vpc_attribute(VpcId=vid, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"],
   True, "ModifyVpcAttribute enables DNS host names")
eq(error_code(ec2.modify_vpc_attribute, VpcId=vid, EnableDnsSupport={"Value": False}),
   "InvalidParameterCombination", "DNS support cannot go while host names need it")
page = ec2.describe_vpcs(MaxResults=5)
ok("Vpcs" in page and len(page["Vpcs"]) == 2 and "NextToken" not in page, "MaxResults with fewer VPCs")
eq(error_code(ec2.describe_vpcs, Filters=[{"Name": "nope", "Values": ["x"]}]),
   "InvalidParameterValue", "an unknown filter is refused")

sn = ec2.create_subnet(VpcId=vid, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]
ok(sn["SubnetId"].startswith("subnet-") and sn["AvailabilityZone"] == "us-east-1b", "CreateSubnet")
eq(sn["AvailableIpAddressCount"], 251, "a /24 offers 251 addresses")
ec2.modify_subnet_attribute(SubnetId=sn["SubnetId"], MapPublicIpOnLaunch={"Value": True})
eq(ec2.describe_subnets(SubnetIds=[sn["SubnetId"]])["Subnets"][0]["MapPublicIpOnLaunch"], True,
   "ModifySubnetAttribute maps public IPs")
eq(error_code(ec2.create_subnet, VpcId=vid, CidrBlock="10.20.1.128/25"), "InvalidSubnet.Conflict",
   "an overlapping subnet is InvalidSubnet.Conflict")
eq(error_code(ec2.create_subnet, VpcId=vid, CidrBlock="10.99.0.0/24"), "InvalidSubnet.Range",
   "a subnet outside its VPC is InvalidSubnet.Range")
eq(error_code(ec2.delete_vpc, VpcId=vid), "DependencyViolation",
   "a VPC with a subnet cannot be deleted")

sg = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vid)
gid = sg["GroupId"]
ok(gid.startswith("sg-"), "CreateSecurityGroup")
eq(error_code(ec2.create_security_group, GroupName="web", Description="again", VpcId=vid),
   "InvalidGroup.Duplicate", "a duplicate name is InvalidGroup.Duplicate")
r = ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ok(r["Return"] and r["SecurityGroupRules"][0]["SecurityGroupRuleId"].startswith("sgr-"),
   "AuthorizeSecurityGroupIngress returns the rule")
eq(error_code(ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
   "InvalidPermission.Duplicate", "a duplicate rule is InvalidPermission.Duplicate")
eq(error_code(ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 70000, "ToPort": 70001, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
   "InvalidParameterValue", "ports out of range are refused")
desc = ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]
perm = desc["IpPermissions"][0]
eq((perm["IpProtocol"], perm["FromPort"], perm["ToPort"], perm["IpRanges"][0]["CidrIp"]),
   ("tcp", 443, 443, "0.0.0.0/0"), "DescribeSecurityGroups shows the permission")
eq(desc["IpPermissionsEgress"][0]["IpProtocol"], "-1", "and the default egress rule")
rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [gid]}])["SecurityGroupRules"]
eq(len(rules), 2, "DescribeSecurityGroupRules lists ingress and egress")
ec2.revoke_security_group_ingress(GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
eq(ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]["IpPermissions"], [],
   "RevokeSecurityGroupIngress removes it")


def ingress(group):
    """The group's ingress as (protocol, from, to, peer) tuples."""
    g = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
    return sorted((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), x.get("CidrIp") or x.get("GroupId"))
                  for p in g["IpPermissions"] for x in p["IpRanges"] + p["UserIdGroupPairs"])


# Several permissions, several peers each: one rule per peer, all in one change.
two = [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
       {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "192.168.0.0/16", "Description": "office"}],
        "UserIdGroupPairs": [{"GroupId": gid}]}]
added = ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=two)["SecurityGroupRules"]
eq(len(added), 4, "AuthorizeSecurityGroupIngress: a rule per range and group pair of every permission")
ok(any(r.get("ReferencedGroupInfo", {}).get("GroupId") == gid for r in added),
   "a group pair is a rule that references the group", added)
eq(ingress(gid), [("tcp", 22, 22, "10.0.0.0/8"), ("tcp", 22, 22, "192.168.0.0/16"), ("tcp", 22, 22, gid),
                  ("tcp", 80, 80, "10.0.0.0/8")], "all four are in the group")
eq(error_code(ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]),
   "InvalidPermission.Duplicate", "a duplicate in the second permission is InvalidPermission.Duplicate")
ok(not any(r[0] == "udp" for r in ingress(gid)), "and the first permission is not added either (all or none)")
eq(error_code(ec2.revoke_security_group_ingress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
    {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]),
   "InvalidPermission.NotFound", "revoking a rule that does not exist is InvalidPermission.NotFound")
eq(len(ingress(gid)), 4, "and revokes none of the others")
ec2.revoke_security_group_ingress(GroupId=gid, IpPermissions=two)
eq(ingress(gid), [], "revoking the two permissions removes the four rules")
icmp = [{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=icmp)
ec2.revoke_security_group_ingress(GroupId=gid, IpPermissions=[{"IpProtocol": "icmp",
                                                               "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
eq(ingress(gid), [], "an ICMP rule is revoked whether or not its type and code are written")
eq(error_code(ec2.revoke_security_group_egress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "-1", "FromPort": 0, "ToPort": 0, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]),
   "InvalidPermission.NotFound", "a group in a VPC without IPv6 has no ::/0 egress rule to revoke")
eq(error_code(ec2.revoke_security_group_egress, GroupId="sg-00000000000000000", IpPermissions=[
    {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]),
   "InvalidGroup.NotFound", "but an unknown group is still InvalidGroup.NotFound")
eq(error_code(ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]),
   "InvalidParameterValue", "IPv6 rules are refused")
eq(error_code(ec2.authorize_security_group_ingress, GroupId=gid, IpPermissions=[
    {"IpProtocol": "tcp", "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]),
   "MissingParameter", "a TCP rule without FromPort is MissingParameter")
egress_all = [{"IpProtocol": "-1", "FromPort": 0, "ToPort": 0, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=egress_all)
eq(ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]["IpPermissionsEgress"], [],
   "the default egress rule is revoked by terraform's parameters (all protocols, ports 0)")
ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=egress_all)
eq([p["IpProtocol"] for p in ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0][
    "IpPermissionsEgress"]], ["-1"], "and authorized again")
default_sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vid]},
                                                   {"Name": "group-name", "Values": ["default"]}])
eq(len(default_sg["SecurityGroups"]), 1, "the VPC has its default group")
eq(error_code(ec2.delete_security_group, GroupId=default_sg["SecurityGroups"][0]["GroupId"]),
   "CannotDelete", "the default group cannot be deleted")

igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ok(igw.startswith("igw-"), "CreateInternetGateway")
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vid)
att = ec2.describe_internet_gateways(InternetGatewayIds=[igw])["InternetGateways"][0]["Attachments"]
eq(att, [{"VpcId": vid, "State": "available"}], "AttachInternetGateway")
eq(error_code(ec2.delete_internet_gateway, InternetGatewayId=igw), "DependencyViolation",
   "an attached gateway cannot be deleted")

rtb = ec2.create_route_table(VpcId=vid)["RouteTable"]
rid = rtb["RouteTableId"]
eq([(x["DestinationCidrBlock"], x["GatewayId"]) for x in rtb["Routes"]],
   [("10.20.0.0/16", "local")], "a new route table has its local route")
ec2.create_route(RouteTableId=rid, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
assoc = ec2.associate_route_table(RouteTableId=rid, SubnetId=sn["SubnetId"])["AssociationId"]
ok(assoc.startswith("rtbassoc-"), "AssociateRouteTable")
t = ec2.describe_route_tables(RouteTableIds=[rid])["RouteTables"][0]
eq(sorted(x["DestinationCidrBlock"] for x in t["Routes"]), ["0.0.0.0/0", "10.20.0.0/16"], "routes listed")
eq([a["SubnetId"] for a in t["Associations"]], [sn["SubnetId"]], "association listed")
main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vid]},
                                          {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
eq(len(main), 1, "the main table is found by association.main")


def rtb_ids(*filters):
    return sorted(x["RouteTableId"] for x in ec2.describe_route_tables(Filters=[
        {"Name": n, "Values": [v]} for n, v in filters])["RouteTables"])


eq(rtb_ids(("association.route-table-association-id", assoc)), [rid],
   "association.route-table-association-id finds the table of a subnet association")
main_assoc = main[0]["Associations"][0]["RouteTableAssociationId"]
eq(rtb_ids(("association.route-table-association-id", main_assoc)), [main[0]["RouteTableId"]],
   "and of the main association")
eq(rtb_ids(("association.route-table-association-id", "rtbassoc-00000000000000000")), [],
   "an unknown association id finds nothing")
eq(rtb_ids(("route.gateway-id", igw)), [rid], "route.gateway-id")
eq(rtb_ids(("vpc-id", vid), ("route.destination-cidr-block", "0.0.0.0/0")), [rid],
   "route.destination-cidr-block")
eq(rtb_ids(("vpc-id", vid), ("route.destination-cidr-block", "10.20.0.0/16")),
   sorted([rid, main[0]["RouteTableId"]]), "every table has its local route")
eq(error_code(ec2.delete_route, RouteTableId=rid, DestinationCidrBlock="10.20.0.0/16"),
   "InvalidParameterValue", "the local route cannot be deleted")
eq(error_code(ec2.delete_route_table, RouteTableId=rid), "DependencyViolation",
   "a table with associations cannot be deleted")

acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vid]}])["NetworkAcls"]
ok(len(acls) == 1 and acls[0]["IsDefault"] and acls[0]["Associations"][0]["SubnetId"] == sn["SubnetId"],
   "DescribeNetworkAcls shows the VPC's default ACL with its subnet")
eq(sorted((e["RuleNumber"], e["RuleAction"]) for e in acls[0]["Entries"] if not e["Egress"]),
   [(100, "allow"), (32767, "deny")], "with AWS's default entries")
eq(ec2.describe_network_acls(NetworkAclIds=[acls[0]["NetworkAclId"]])["NetworkAcls"][0]["VpcId"], vid,
   "its id is stable")

ec2.create_tags(Resources=[vid, sn["SubnetId"]], Tags=[{"Key": "env", "Value": "test"}])
tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["env"]}])["Tags"]
eq(sorted((t["ResourceId"], t["ResourceType"], t["Value"]) for t in tags),
   sorted([(vid, "vpc", "test"), (sn["SubnetId"], "subnet", "test")]), "CreateTags on two resources, DescribeTags")
eq(error_code(ec2.create_tags, Resources=[vid, "vpc-00000000"], Tags=[{"Key": "x", "Value": "y"}]),
   "InvalidID", "CreateTags with an unknown id fails")
ok(not any(t["Key"] == "x" for t in ec2.describe_tags(
    Filters=[{"Name": "resource-id", "Values": [vid]}])["Tags"]), "and changes nothing (atomic)")
ec2.delete_tags(Resources=[sn["SubnetId"]], Tags=[{"Key": "env"}])
eq([t["ResourceId"] for t in ec2.describe_tags(Filters=[{"Name": "key", "Values": ["env"]}])["Tags"]],
   [vid], "DeleteTags removes the key")
eq(error_code(ec2.create_tags, Resources=[vid], Tags=[{"Key": "aws:reserved", "Value": "v"}]),
   "InvalidParameterValue", "aws: keys are refused")

# Tear down in EC2's order.
ec2.disassociate_route_table(AssociationId=assoc)
ec2.delete_route(RouteTableId=rid, DestinationCidrBlock="0.0.0.0/0")
ec2.delete_route_table(RouteTableId=rid)
ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vid)
ec2.delete_internet_gateway(InternetGatewayId=igw)
ec2.delete_security_group(GroupId=gid)
ec2.delete_subnet(SubnetId=sn["SubnetId"])
ec2.delete_vpc(VpcId=vid)
eq(error_code(ec2.describe_vpcs, VpcIds=[vid]), "InvalidVpcID.NotFound", "everything deleted cleanly")

rc, out = me.cli("ec2", "create-vpc", "--cidr-block", "10.30.0.0/16")
ok(rc == 0 and out["Vpc"]["CidrBlock"] == "10.30.0.0/16", "aws-cli create-vpc", out)
rc, out = me.cli("ec2", "describe-vpcs", "--vpc-ids", out["Vpc"]["VpcId"] if rc == 0 else "vpc-0")
ok(rc == 0 and len(out["Vpcs"]) == 1, "aws-cli describe-vpcs", out)
eq(error_code(ec2.create_default_vpc), "DefaultVpcAlreadyExists",
   "CreateDefaultVpc says the default VPC exists")
west = me.client(region="eu-west-1")
wdef = west.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
for s in west.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [wdef]}])["Subnets"]:
    west.delete_subnet(SubnetId=s["SubnetId"])
for g in west.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [wdef]}])["InternetGateways"]:
    west.detach_internet_gateway(InternetGatewayId=g["InternetGatewayId"], VpcId=wdef)
    west.delete_internet_gateway(InternetGatewayId=g["InternetGatewayId"])
west.delete_vpc(VpcId=wdef)
eq(west.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"], [],
   "the default VPC can be deleted, as in EC2")
new = west.create_default_vpc()["Vpc"]
ok(new["IsDefault"] and new["CidrBlock"] == "172.31.0.0/16", "CreateDefaultVpc makes a new one")
done()
