/*
 * instance_fields.sql — pgTAP checks of sql/026_instance_fields_once.sql:
 * the functions that spell an instance's ARN, DNS names and state
 * reasons for both cloudsim.v_instances and cloudsim.instance_document
 * answer as EC2 does for every state and region, are inlined into the
 * view's plan (no call left in it), and may be called by the roles that
 * read the view.  The view and the document are compared field by field
 * in instance_documents_stored.sql.  Runs under pg_prove as the cluster
 * owner; everything is rolled back.
 */
BEGIN;
SELECT plan(14);

SELECT is(cloudsim.instance_arn('eu-west-1', '123456789012', 'i-0123456789abcdef0'),
    'arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0',
    'the ARN names region, account and id');

SELECT is(cloudsim.instance_private_dns_name('10.0.1.5', 'us-east-1'),
    'ip-10-0-1-5.ec2.internal', 'us-east-1: the private name is under ec2.internal');
SELECT is(cloudsim.instance_private_dns_name('172.31.16.9', 'eu-west-1'),
    'ip-172-31-16-9.eu-west-1.compute.internal',
    'elsewhere: under <region>.compute.internal');
SELECT is(cloudsim.instance_private_dns_name(NULL, 'us-east-1'), NULL,
    'no private address, no private name');

SELECT is(cloudsim.instance_public_dns_name('3.80.1.2', 'us-east-1'),
    'ec2-3-80-1-2.compute-1.amazonaws.com',
    'us-east-1: the public name is under compute-1.amazonaws.com');
SELECT is(cloudsim.instance_public_dns_name('18.200.3.4', 'eu-west-1'),
    'ec2-18-200-3-4.eu-west-1.compute.amazonaws.com',
    'elsewhere: under <region>.compute.amazonaws.com');
SELECT is(cloudsim.instance_public_dns_name(NULL, 'eu-west-1'), NULL,
    'no public address, no public name');

SELECT is(cloudsim.instance_state_reason('pending', 'Client.UserInitiatedShutdown'),
    'pending', 'pending: the reason is pending, whatever is stored');
SELECT is(cloudsim.instance_state_reason('pending', 'stored message'),
    'pending', 'pending: so is its message');
SELECT is(cloudsim.instance_state_reason('running', 'Client.UserInitiatedShutdown'),
    NULL, 'running: no reason');
SELECT ok((SELECT bool_and(
        cloudsim.instance_state_reason(s, 'Client.UserInitiatedShutdown')
            = 'Client.UserInitiatedShutdown'
        AND cloudsim.instance_state_reason(s, 'm') = 'm')
    FROM unnest(ARRAY['stopping', 'stopped', 'shutting-down', 'terminated']) AS s),
    'after a stop or a termination: the stored reason and message');

SELECT ok(cloudsim.instance_state_transition_reason('pending', 'User initiated') = ''
    AND cloudsim.instance_state_transition_reason('running', 'User initiated') = ''
    AND cloudsim.instance_state_transition_reason('stopped', 'User initiated (x)')
        = 'User initiated (x)',
    'the transition reason: empty while pending or running, stored after');

/* The planner inlines them: the view's plan calls none of them. */
CREATE FUNCTION pg_temp.view_plan() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) SELECT arn, state_reason_code,'
        ' state_reason_message, state_transition_reason, private_dns_name,'
        ' public_dns_name FROM cloudsim.v_instances WHERE id = ''i-x'''
    LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;
SELECT ok(pg_temp.view_plan() !~ 'instance_(arn|private_dns_name|public_dns_name|state_reason|state_transition_reason)'
    AND pg_temp.view_plan() ~ 'compute\.internal',
    'the view''s plan has the expressions inlined, no function call');

SELECT ok(bool_and(has_function_privilege(r, f, 'EXECUTE')),
    'cloudsim_app and cloudsim_readonly may call each, as the view needs')
FROM unnest(ARRAY['cloudsim_app', 'cloudsim_readonly']) AS r
CROSS JOIN unnest(ARRAY[
    'cloudsim.instance_arn(text, text, text)',
    'cloudsim.instance_private_dns_name(inet, text)',
    'cloudsim.instance_public_dns_name(inet, text)',
    'cloudsim.instance_state_reason(text, text)',
    'cloudsim.instance_state_reason(text, text)',
    'cloudsim.instance_state_transition_reason(text, text)']) AS f;

SELECT * FROM finish();
ROLLBACK;
