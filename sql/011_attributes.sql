-- 011_attributes: the VPC and subnet attributes EC2 can modify.

GRANT UPDATE (enable_dns_support, enable_dns_hostnames) ON cloudsim.vpcs TO cloudsim_app;
GRANT UPDATE (map_public_ip_on_launch) ON cloudsim.subnets TO cloudsim_app;

-- As EC2: DNS host names make no sense without DNS resolution.
ALTER TABLE cloudsim.vpcs ADD CONSTRAINT vpcs_dns_hostnames_need_support
    CHECK (enable_dns_support OR NOT enable_dns_hostnames);
COMMENT ON CONSTRAINT vpcs_dns_hostnames_need_support ON cloudsim.vpcs IS
    'enable_dns_hostnames requires enable_dns_support, as EC2 ModifyVpcAttribute';
