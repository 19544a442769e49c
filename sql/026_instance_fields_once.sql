-- 026_instance_fields_once: the fields cloudsim.v_instances (006) and
-- cloudsim.instance_document (025) both show, each spelled once.
--
-- The view and the document each wrote out the instance's ARN, its two
-- DNS names, its state reason and its state transition reason, so a
-- change to one had to be made in the other as well (only
-- tests/sql/instance_documents_stored.sql, which compares them field by
-- field, would tell).  Both now call the functions below.  Each is one
-- expression in LANGUAGE sql, IMMUTABLE and without SET clauses, so the
-- planner inlines it: the view's plans and the document's are what they
-- were, and so are the values (the stored documents stay as they are).

CREATE FUNCTION cloudsim.instance_arn(region text, account_id text, id text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'arn:aws:ec2:' || region || ':' || account_id || ':instance/' || id
$$;
COMMENT ON FUNCTION cloudsim.instance_arn(text, text, text) IS
    'arn:aws:ec2:<region>:<account>:instance/<id>';

-- EC2's names: us-east-1 has its own domains.
CREATE FUNCTION cloudsim.instance_private_dns_name(private_ip inet, region text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN private_ip IS NOT NULL THEN
        'ip-' || replace(host(private_ip), '.', '-')
        || CASE WHEN region = 'us-east-1' THEN '.ec2.internal'
                ELSE '.' || region || '.compute.internal' END END
$$;
COMMENT ON FUNCTION cloudsim.instance_private_dns_name(inet, text) IS
    'ip-a-b-c-d.ec2.internal in us-east-1, ip-a-b-c-d.<region>.compute.internal elsewhere; NULL without an address';

CREATE FUNCTION cloudsim.instance_public_dns_name(public_ip inet, region text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN public_ip IS NOT NULL THEN
        'ec2-' || replace(host(public_ip), '.', '-')
        || CASE WHEN region = 'us-east-1' THEN '.compute-1.amazonaws.com'
                ELSE '.' || region || '.compute.amazonaws.com' END END
$$;
COMMENT ON FUNCTION cloudsim.instance_public_dns_name(inet, text) IS
    'ec2-a-b-c-d.compute-1.amazonaws.com in us-east-1, ec2-a-b-c-d.<region>.compute.amazonaws.com elsewhere; NULL without an address';

-- StateReason, its code and its message alike: "pending" while
-- pending, the stored one after a stop or a termination, none while
-- running.
CREATE FUNCTION cloudsim.instance_state_reason(state text, stored text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN state = 'pending' THEN 'pending'
                WHEN state IN ('stopping', 'stopped', 'shutting-down', 'terminated')
                THEN stored END
$$;
COMMENT ON FUNCTION cloudsim.instance_state_reason(text, text) IS
    'StateReason.Code or .Message of an instance in the (effective) state, given the stored reason code or message';

CREATE FUNCTION cloudsim.instance_state_transition_reason(state text, reason text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN state IN ('pending', 'running') THEN '' ELSE reason END
$$;
COMMENT ON FUNCTION cloudsim.instance_state_transition_reason(text, text) IS
    'StateTransitionReason: empty while pending or running, the stored reason after a stop or termination';

REVOKE ALL ON FUNCTION cloudsim.instance_arn(text, text, text),
    cloudsim.instance_private_dns_name(inet, text),
    cloudsim.instance_public_dns_name(inet, text),
    cloudsim.instance_state_reason(text, text),
    cloudsim.instance_state_transition_reason(text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cloudsim.instance_arn(text, text, text),
    cloudsim.instance_private_dns_name(inet, text),
    cloudsim.instance_public_dns_name(inet, text),
    cloudsim.instance_state_reason(text, text),
    cloudsim.instance_state_transition_reason(text, text)
    TO cloudsim_app, cloudsim_readonly;

-- The view: the same columns, in the same order (CREATE OR REPLACE
-- keeps its comments, its grants and the views built on it).
CREATE OR REPLACE VIEW cloudsim.v_instances AS
SELECT i.id,
       cloudsim.instance_arn(i.region, i.account_id, i.id) AS arn,
       i.account_id, i.region, i.reservation_id, i.ami_launch_index,
       i.image_id, i.instance_type, img.architecture, img.platform,
       e.state, cloudsim.instance_state_code(e.state) AS state_code,
       cloudsim.instance_state_reason(e.state, i.state_reason_code)
           AS state_reason_code,
       cloudsim.instance_state_reason(e.state, i.state_reason_message)
           AS state_reason_message,
       cloudsim.instance_state_transition_reason(e.state,
           i.state_transition_reason) AS state_transition_reason,
       i.availability_zone, i.vpc_id, i.subnet_id, i.private_ip, i.public_ip,
       cloudsim.instance_private_dns_name(i.private_ip, i.region)
           AS private_dns_name,
       cloudsim.instance_public_dns_name(i.public_ip, i.region)
           AS public_dns_name,
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

-- The document: 025's, the same fields through the same functions.
-- CREATE OR REPLACE keeps the owner, comment and grants; its SET
-- clauses are given again (025 explains them).
CREATE OR REPLACE FUNCTION cloudsim.instance_document(instance_id text, at timestamptz)
RETURNS json
LANGUAGE plpgsql STABLE
SET search_path = cloudsim, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN (
    SELECT json_build_object(
           'id', i.id,
           'arn', cloudsim.instance_arn(i.region, i.account_id, i.id),
           'account_id', i.account_id,
           'region', i.region, 'reservation_id', i.reservation_id,
           'ami_launch_index', i.ami_launch_index, 'image_id', i.image_id,
           'instance_type', i.instance_type, 'architecture', img.architecture,
           'platform', img.platform,
           'state', json_build_object('code', cloudsim.instance_state_code(e.state),
                                      'name', e.state),
           'state_reason', CASE WHEN e.reason_code IS NOT NULL THEN
               json_build_object('code', e.reason_code, 'message',
                   cloudsim.instance_state_reason(e.state,
                       i.state_reason_message)) END,
           'state_transition_reason', cloudsim.instance_state_transition_reason(
               e.state, i.state_transition_reason),
           'availability_zone', i.availability_zone, 'vpc_id', i.vpc_id,
           'subnet_id', i.subnet_id, 'private_ip', host(i.private_ip),
           'public_ip', host(i.public_ip),
           'private_dns_name', cloudsim.instance_private_dns_name(i.private_ip, i.region),
           'public_dns_name', cloudsim.instance_public_dns_name(i.public_ip, i.region),
           'security_group_ids', coalesce(sg.ids, '[]'),
           'security_groups', coalesce(sg.groups, '[]'),
           'key_name', i.key_name,
           'launch_time', to_char(i.launch_time AT TIME ZONE 'UTC',
                                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'root_device_name', i.root_device_name,
           'root_device_type', 'ebs',
           'root_volume_id', bd.root_volume_id,
           'block_device_mappings', coalesce(bd.mappings, '[]'),
           'client_token', r.client_token, 'tags', i.tags,
           'created_at', to_char(i.created_at AT TIME ZONE 'UTC',
                                 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM cloudsim.instances AS i
    CROSS JOIN LATERAL (SELECT s.state, cloudsim.instance_state_reason(
                                   s.state, i.state_reason_code) AS reason_code
                        FROM (SELECT cloudsim.instance_state_at(i.state,
                                  i.next_state, i.next_state_at, at) AS state) AS s) AS e
    JOIN cloudsim.images AS img ON img.id = i.image_id
    JOIN cloudsim.reservations AS r ON r.id = i.reservation_id
    LEFT JOIN LATERAL (
        SELECT json_agg(l.group_id ORDER BY l.position) AS ids,
               json_agg(json_build_object('id', l.group_id, 'name',
                            (SELECT g.name FROM cloudsim.security_groups AS g
                             WHERE g.id = l.group_id))
                        ORDER BY l.position) AS groups
        FROM cloudsim.instance_security_groups AS l
        WHERE l.instance_id = i.id) AS sg ON true
    LEFT JOIN LATERAL (
        SELECT min(a.volume_id) FILTER (WHERE a.device = i.root_device_name)
                   AS root_volume_id,
               json_agg(json_build_object(
                   'device_name', a.device, 'volume_id', a.volume_id,
                   'status', a.state,
                   'attach_time', to_char(a.attached_at AT TIME ZONE 'UTC',
                                          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'delete_on_termination', a.delete_on_termination)
                   ORDER BY a.device <> i.root_device_name, a.device) AS mappings
        FROM (SELECT va.volume_id, va.device, va.delete_on_termination,
                     va.attached_at,
                     cloudsim.ebs_state_at(va.state, va.next_state,
                                           va.next_state_at, at) AS state
              FROM cloudsim.volume_attachments AS va
              WHERE va.instance_id = i.id) AS a
        WHERE a.state <> 'detached') AS bd ON true
    WHERE i.id = instance_document.instance_id);
END
$$;
