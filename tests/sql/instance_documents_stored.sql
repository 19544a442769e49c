/*
 * instance_documents_stored.sql — pgTAP checks of
 * sql/025_instance_documents_stored.sql: an instance's stored document
 * is rebuilt at commit by every change to what it shows (the instance,
 * its group links, its attachments, a group's name) and holds only once
 * the instance's pending transitions have settled; cloudsim.v_instance_
 * documents answers it then, in a transaction that has changed none of
 * its inputs, and builds the document otherwise; the
 * document matches cloudsim.v_instances field by field; the executables
 * may read the stored documents but not write them.
 *
 * Runs under pg_prove as the cluster owner; everything is rolled back.
 * The rebuilds are deferred to commit: SET CONSTRAINTS ALL IMMEDIATE
 * runs the pending ones where this test needs them.
 */
BEGIN;
SELECT plan(24);

SELECT has_table('cloudsim', 'instance_documents_stored', 'the table exists');
SELECT ok(has_table_privilege('cloudsim_app', 'cloudsim.instance_documents_stored', 'SELECT')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_documents_stored', 'INSERT')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_documents_stored', 'UPDATE')
    AND NOT has_table_privilege('cloudsim_app', 'cloudsim.instance_documents_stored', 'DELETE'),
    'cloudsim_app reads the stored documents and cannot write them');

/* ---- a world: two instances with a group, a root and a data volume -- */
INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000251', 'pgtap documents');
SELECT cloudsim.create_default_vpcs('999000000251', ARRAY['us-east-1', 'eu-west-1']);
CREATE TEMP TABLE w AS
SELECT s.id AS subnet, s.vpc_id AS vpc, s.region, s.availability_zone AS az,
       (SELECT g.id FROM cloudsim.security_groups g
        WHERE g.vpc_id = s.vpc_id AND g.is_default) AS sg
FROM cloudsim.subnets s
WHERE s.account_id = '999000000251' AND s.availability_zone IN ('us-east-1a', 'eu-west-1a');
INSERT INTO cloudsim.reservations (id, account_id, region, client_token, params_hash)
VALUES ('r-00000000000000251', '999000000251', 'us-east-1', 'tap-token', repeat('a', 64)),
       ('r-00000000000000252', '999000000251', 'eu-west-1', NULL, NULL);
INSERT INTO cloudsim.instances (id, reservation_id, ami_launch_index, account_id, region,
    availability_zone, vpc_id, subnet_id, image_id, instance_type, state, next_state,
    next_state_at, associate_public_ip, root_device_name, key_name, tags)
SELECT 'i-0000000000000025' || n, 'r-0000000000000025' || n, 0, '999000000251', w.region,
       w.az, w.vpc, w.subnet, 'ami-008df4d2c9cb4c1db', 't3.micro', 'running', NULL, NULL,
       n = 1, '/dev/xvda', 'tap-key', '{"Name": "tap"}'
FROM w CROSS JOIN (VALUES (1, 'us-east-1'), (2, 'eu-west-1')) AS v(n, region)
WHERE w.region = v.region;
INSERT INTO cloudsim.instance_security_groups (instance_id, vpc_id, group_id, position)
SELECT i.id, i.vpc_id, w.sg, 0 FROM cloudsim.instances i JOIN w ON w.vpc = i.vpc_id
WHERE i.account_id = '999000000251';
INSERT INTO cloudsim.volumes (id, account_id, region, availability_zone, size_gib,
    volume_type, state)
VALUES ('vol-00000000000000251', '999000000251', 'us-east-1', 'us-east-1a', 8, 'gp3', 'in-use'),
       ('vol-00000000000000252', '999000000251', 'us-east-1', 'us-east-1a', 10, 'gp2', 'in-use'),
       ('vol-00000000000000253', '999000000251', 'eu-west-1', 'eu-west-1a', 8, 'gp3', 'in-use');
INSERT INTO cloudsim.volume_attachments (volume_id, instance_id, device, delete_on_termination)
VALUES ('vol-00000000000000251', 'i-00000000000000251', '/dev/xvda', true),
       ('vol-00000000000000252', 'i-00000000000000251', '/dev/sdf', false),
       ('vol-00000000000000253', 'i-00000000000000252', '/dev/xvda', true);

-- The stored documents, and what they hold.
CREATE TEMP VIEW stored AS
    SELECT s.instance_id, s.document, s.settled_after, s.rebuilt_in
    FROM cloudsim.instance_documents_stored s
    WHERE s.instance_id LIKE 'i-0000000000000025_';
-- Each instance's document field by field against v_instances (the
-- definition the readers used before 025).
CREATE TEMP VIEW mismatches AS
    SELECT v.id FROM cloudsim.v_instances v
    JOIN cloudsim.v_instance_documents d ON d.id = v.id
    WHERE v.account_id = '999000000251'
      AND (d.document->>'arn' IS DISTINCT FROM v.arn
           OR (d.document->'state'->>'name') IS DISTINCT FROM v.state
           OR (d.document->'state'->>'code')::int IS DISTINCT FROM v.state_code
           OR (d.document->'state_reason'->>'code') IS DISTINCT FROM v.state_reason_code
           OR d.document->>'state_transition_reason' IS DISTINCT FROM v.state_transition_reason
           OR d.document->>'private_ip' IS DISTINCT FROM host(v.private_ip)
           OR d.document->>'public_ip' IS DISTINCT FROM host(v.public_ip)
           OR d.document->>'private_dns_name' IS DISTINCT FROM v.private_dns_name
           OR d.document->>'public_dns_name' IS DISTINCT FROM v.public_dns_name
           OR (d.document->'security_groups')::jsonb IS DISTINCT FROM v.security_groups::jsonb
           OR d.document->>'root_volume_id' IS DISTINCT FROM v.root_volume_id
           OR (d.document->'block_device_mappings')::jsonb
              IS DISTINCT FROM v.block_device_mappings::jsonb
           OR d.document->>'architecture' IS DISTINCT FROM v.architecture
           OR d.document->>'client_token' IS DISTINCT FROM v.client_token
           OR (d.document->'tags')::jsonb IS DISTINCT FROM to_jsonb(v.tags)
           OR d.document->>'launch_time' IS DISTINCT FROM
              to_char(v.launch_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));

SELECT is_empty('SELECT * FROM stored',
    'before commit: nothing stored yet (the rebuild is deferred)');
SELECT is_empty('SELECT * FROM mismatches',
    'the document built on read matches v_instances');

SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT count(*)::int FROM stored), 2, 'at commit: both documents stored');
SELECT ok((SELECT bool_and(rebuilt_in = pg_current_xact_id()) FROM stored),
    'by this transaction');
SELECT set_eq($$SELECT instance_id, document::text FROM stored$$,
    $$SELECT i.id, cloudsim.instance_document(i.id, now())::text FROM cloudsim.instances i
      WHERE i.account_id = '999000000251'$$,
    'the stored documents are the documents built now');
SELECT is_empty('SELECT * FROM mismatches',
    'and match v_instances');
SELECT is((SELECT json_array_length(document->'block_device_mappings') FROM stored
           WHERE instance_id = 'i-00000000000000251'), 2,
    'with both attachments, root first');

/* ---- which one the view reads ----------------------------------------- */
-- A marker in place of the stored document (as the owner may write it)
-- shows which document the view answers.
SELECT ok(cloudsim.document_changes() > 0,
    'this transaction is marked as one that changed inputs');
-- For two tests, as a transaction that has changed nothing (the count
-- only grows, so it is put back after).
SELECT current_setting('cloudsim.document_changes') AS saved_changes \gset
SET LOCAL cloudsim.document_changes = 0;
UPDATE cloudsim.instance_documents_stored SET document = '{"marker": true}'
WHERE instance_id = 'i-00000000000000251';
SELECT is((SELECT document->>'marker' FROM cloudsim.v_instance_documents
           WHERE id = 'i-00000000000000251'), 'true',
    'a settled instance: the view reads the stored document');
SET LOCAL cloudsim.document_changes = :'saved_changes';
UPDATE cloudsim.instances SET tags = '{"Name": "renamed"}' WHERE id = 'i-00000000000000251';
SELECT ok(cloudsim.document_changes() > :saved_changes, 'a change after a rebuild counts');
SELECT is((SELECT document->'tags'->>'Name' FROM cloudsim.v_instance_documents
           WHERE id = 'i-00000000000000251'), 'renamed',
    'then the transaction builds its documents: it sees its change');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT document->'tags'->>'Name' FROM stored
           WHERE instance_id = 'i-00000000000000251'), 'renamed',
    'rebuilt at commit');

DELETE FROM cloudsim.volume_attachments WHERE volume_id = 'vol-00000000000000252';
UPDATE cloudsim.security_groups SET name = 'tap-renamed'
WHERE id = (SELECT sg FROM w WHERE region = 'us-east-1');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT json_array_length(document->'block_device_mappings') FROM stored
           WHERE instance_id = 'i-00000000000000251'), 1,
    'a detached volume leaves the stored document');
SELECT is((SELECT document->'security_groups'->0->>'name' FROM stored
           WHERE instance_id = 'i-00000000000000251'), 'tap-renamed',
    'a group''s new name reaches the documents of its instances');
SELECT is_empty('SELECT * FROM mismatches', 'still matching v_instances');

/* ---- a pending transition: stored as settled, read as now ------------ */
UPDATE cloudsim.instances SET state = 'stopping', next_state = 'stopped',
    next_state_at = now() + interval '1 hour', state_reason_code = 'Client.UserInitiatedShutdown',
    state_reason_message = 'Client.UserInitiatedShutdown: User initiated shutdown',
    state_transition_reason = 'User initiated', public_ip = NULL
WHERE id = 'i-00000000000000252';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT document->'state'->>'name' FROM stored
           WHERE instance_id = 'i-00000000000000252'), 'stopped',
    'the stored document is the settled one');
SELECT is((SELECT settled_after FROM stored WHERE instance_id = 'i-00000000000000252'),
    now() + interval '1 hour', 'holding from the transition''s end');
SELECT current_setting('cloudsim.document_changes') AS saved_changes \gset
SET LOCAL cloudsim.document_changes = 0;
SELECT is((SELECT document->'state'->>'name' FROM cloudsim.v_instance_documents
           WHERE id = 'i-00000000000000252'), 'stopping',
    'until then even a transaction that changed nothing builds it: stopping');
SET LOCAL cloudsim.document_changes = :'saved_changes';
SELECT is_empty('SELECT * FROM mismatches', 'matching v_instances');
SELECT is((SELECT document::text FROM stored WHERE instance_id = 'i-00000000000000252'),
    cloudsim.instance_document('i-00000000000000252', now() + interval '2 hours')::text,
    'and it is what the view will build once settled');

/* ---- the app's own writes rebuild (the triggers run as their owner) -- */
SET LOCAL ROLE cloudsim_app;
UPDATE cloudsim.instances SET tags = '{"Name": "by the app"}' WHERE id = 'i-00000000000000251';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
RESET ROLE;
SELECT is((SELECT document->'tags'->>'Name' FROM stored
           WHERE instance_id = 'i-00000000000000251'), 'by the app',
    'a change made as cloudsim_app is rebuilt at its commit');

/* ---- gone with the instance ----------------------------------------- */
DELETE FROM cloudsim.instances WHERE id = 'i-00000000000000252';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT array_agg(instance_id) FROM stored), ARRAY['i-00000000000000251'],
    'a deleted instance''s document goes with it');

SELECT * FROM finish();
ROLLBACK;
