-- 015_instance_documents: an instance as the API shows it, defined once,
-- planned once per connection.
--
-- The document (some thirty fields, the security groups and the block
-- device mappings) used to be written into every statement that answers
-- instances.  A list statement must be planned for each call's filters
-- (its generic plan cannot use the index that the filters given allow),
-- and planning the document with it cost PostgreSQL about a millisecond
-- per call, five times the work of the call itself.  The document is
-- now a view, cloudsim.v_instance_documents, which a single read joins
-- (its generic plan is kept), and lists go through
-- cloudsim.instance_documents: the filtering stays in the caller's
-- statement, the function's one query keeps its generic plan
-- (plan_cache_mode is set for the function's duration only), the ids
-- come in and the documents go out, in the ids' order.
--
-- Neither checks tenancy: the caller scopes by account and region (the
-- view's columns) or passes only ids it has already scoped.

CREATE VIEW cloudsim.v_instance_documents AS
SELECT v.id, v.account_id, v.region, v.reservation_id, v.ami_launch_index,
       v.created_at,
       json_build_object(
           'id', v.id, 'arn', v.arn, 'account_id', v.account_id,
           'region', v.region, 'reservation_id', v.reservation_id,
           'ami_launch_index', v.ami_launch_index, 'image_id', v.image_id,
           'instance_type', v.instance_type, 'architecture', v.architecture,
           'platform', v.platform,
           'state', json_build_object('code', v.state_code, 'name', v.state),
           'state_reason', CASE WHEN v.state_reason_code IS NOT NULL THEN
               json_build_object('code', v.state_reason_code,
                                 'message', v.state_reason_message) END,
           'state_transition_reason', v.state_transition_reason,
           'availability_zone', v.availability_zone, 'vpc_id', v.vpc_id,
           'subnet_id', v.subnet_id, 'private_ip', host(v.private_ip),
           'public_ip', host(v.public_ip),
           'private_dns_name', v.private_dns_name,
           'public_dns_name', v.public_dns_name,
           'security_group_ids', coalesce(sg.ids, '[]'),
           'security_groups', coalesce(sg.groups, '[]'),
           'key_name', v.key_name,
           'launch_time', to_char(v.launch_time AT TIME ZONE 'UTC',
                                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'root_device_name', v.root_device_name,
           'root_device_type', v.root_device_type,
           'root_volume_id', bd.root_volume_id,
           'block_device_mappings', coalesce(bd.mappings, '[]'),
           'client_token', v.client_token, 'tags', v.tags,
           'created_at', to_char(v.created_at AT TIME ZONE 'UTC',
                                 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS document
FROM cloudsim.v_instances AS v
-- The view's security_groups, root_volume_id and block_device_mappings
-- are a subquery each; the document needs the groups twice and the
-- attachments twice, so each link table is read once here instead.
LEFT JOIN LATERAL (
    SELECT json_agg(l.group_id ORDER BY l.position) AS ids,
           json_agg(json_build_object('id', g.id, 'name', g.name)
                    ORDER BY l.position) AS groups
    FROM cloudsim.instance_security_groups AS l
    JOIN cloudsim.security_groups AS g ON g.id = l.group_id
    WHERE l.instance_id = v.id) AS sg ON true
LEFT JOIN LATERAL (
    SELECT min(a.volume_id) FILTER (WHERE a.device = v.root_device_name)
               AS root_volume_id,
           json_agg(json_build_object(
               'device_name', a.device, 'volume_id', a.volume_id,
               'status', a.state,
               'attach_time', to_char(a.attached_at AT TIME ZONE 'UTC',
                                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               'delete_on_termination', a.delete_on_termination)
               ORDER BY a.device <> v.root_device_name, a.device) AS mappings
    FROM cloudsim.v_volume_attachments AS a
    WHERE a.instance_id = v.id) AS bd ON true;
COMMENT ON VIEW cloudsim.v_instance_documents IS
    'Each instance of cloudsim.v_instances as the API shows it (document, JSON), with the columns its readers scope by';
COMMENT ON COLUMN cloudsim.v_instance_documents.id IS 'Instance id';
COMMENT ON COLUMN cloudsim.v_instance_documents.account_id IS 'Owning account';
COMMENT ON COLUMN cloudsim.v_instance_documents.region IS 'Region';
COMMENT ON COLUMN cloudsim.v_instance_documents.reservation_id IS 'Reservation (the RunInstances call)';
COMMENT ON COLUMN cloudsim.v_instance_documents.ami_launch_index IS 'Position in its reservation';
COMMENT ON COLUMN cloudsim.v_instance_documents.created_at IS 'Creation time (lists are ordered by it, then id)';
COMMENT ON COLUMN cloudsim.v_instance_documents.document IS 'The instance as GET /api/v1/instances/{id} answers it';
GRANT SELECT ON cloudsim.v_instance_documents TO cloudsim_app, cloudsim_readonly;

CREATE FUNCTION cloudsim.instance_documents(ids text[]) RETURNS json
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN (SELECT coalesce(json_agg(d.document ORDER BY w.ord), '[]')
            FROM unnest(ids) WITH ORDINALITY AS w(id, ord)
            JOIN cloudsim.v_instance_documents AS d ON d.id = w.id);
END
$$;
COMMENT ON FUNCTION cloudsim.instance_documents(text[]) IS
    'The documents of the instances of ids (those visible in cloudsim.v_instances), a JSON array in the order of ids; checks no tenancy: callers pass ids they have scoped';
REVOKE ALL ON FUNCTION cloudsim.instance_documents(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instance_documents(text[]) TO cloudsim_app;
