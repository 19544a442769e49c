#!/usr/bin/python3
"""Region and zone filters, which cloudsim applies in memory (the seeded
catalog is read once per process): EC2's wildcards, OR within a filter,
AND across filters, and the errors for unknown names."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awstap import Identity, done, eq, error_code  # noqa: E402

ec2 = Identity().client()


def regions(**kw):
    return sorted(r["RegionName"] for r in ec2.describe_regions(**kw)["Regions"])


def zones(**kw):
    return sorted(z["ZoneName"] for z in
                  ec2.describe_availability_zones(**kw)["AvailabilityZones"])


def f(name, *values):
    return {"Name": name, "Values": list(values)}


every = regions()
eq(every, sorted(every), "regions come in name order")
eq(regions(Filters=[f("region-name", "eu-west-?")]),
   [r for r in every if r.startswith("eu-west-") and len(r) == 9],
   "? matches exactly one character")
eq(regions(Filters=[f("region-name", "*-west-1")]),
   [r for r in every if r.endswith("-west-1")], "* matches a run at the start")
eq(regions(Filters=[f("region-name", "us-east-1", "eu-west-1")]),
   ["eu-west-1", "us-east-1"], "several values of one filter are OR-ed")
eq(regions(Filters=[f("region-name", "us-*"), f("endpoint", "*east*")]),
   [r for r in every if r.startswith("us-") and "east" in r],
   "two filters are AND-ed")
eq(regions(Filters=[f("region-name", "US-EAST-1")]), [], "values are case-sensitive")
eq(regions(Filters=[f("opt-in-status", "opt-in-not-required", "opted-in")]), every,
   "opt-in-status matches every region")
eq(regions(RegionNames=["us-east-1"], Filters=[f("region-name", "eu-*")]), [],
   "names and filters both apply")
eq(regions(Filters=[f("region-name", "*")]), every, "a lone * matches all")
eq(error_code(ec2.describe_regions, RegionNames=["us-east-1", "xx-nowhere-1"]),
   "InvalidParameterValue", "one unknown name among known ones is refused")

here = zones()
eq(zones(Filters=[f("zone-name", "us-east-1?")]), here, "zone-name with ?")
eq(zones(Filters=[f("state", "available")]), here, "state filter")
eq(zones(Filters=[f("state", "impaired")]), [], "a state no zone has")
eq(zones(ZoneNames=["us-east-1b", "us-east-1a"]), ["us-east-1a", "us-east-1b"],
   "ZoneName.N picks zones")
eq(zones(ZoneIds=["use1-az1"]), [z["ZoneName"] for z in
   ec2.describe_availability_zones()["AvailabilityZones"] if z["ZoneId"] == "use1-az1"],
   "ZoneId.N picks zones by id")
eq(zones(Filters=[f("zone-name", "nowhere-1z")]), [],
   "a zone-name filter matching nothing is empty, not an error")
eq(zones(Filters=[f("zone-id", "use1-az*"), f("zone-name", "*a", "*b")]),
   ["us-east-1a", "us-east-1b"], "zone-id and zone-name filters with wildcards")
eq(zones(Filters=[f("region-name", "eu-*")]), [],
   "region-name of other regions: this region's zones are filtered out")
eq(zones(Filters=[f("region-name", "us-east-?")]), here, "region-name with ?")
eq(error_code(ec2.describe_availability_zones, ZoneIds=["usw2-az1"]),
   "InvalidParameterValue", "a zone id of another region is refused")
done()
