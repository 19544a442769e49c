/*
 * blockchains.sql — pgTAP checks of sql/007_blockchains.sql: the tables,
 * the constraints that keep a chain whole (one block per index, every
 * block linked to an existing predecessor, hash and dloid_params
 * formats, difficulty 1..6 met by the genesis hash), comments on every
 * column, the view, and who may do what.  Runs under pg_prove as the
 * cluster owner; everything is rolled back.
 */
BEGIN;
SELECT plan(52);

/* Objects. */
SELECT has_table('cloudsim', 'blockchains', 'table blockchains exists');
SELECT has_table('cloudsim', 'blocks', 'table blocks exists');
SELECT has_table('cloudsim', 'pending_transactions',
    'table pending_transactions exists');
SELECT has_view('cloudsim', 'v_blockchains', 'view v_blockchains exists');
SELECT col_is_pk('cloudsim', 'blockchains', 'id', 'blockchains.id is the key');
SELECT col_is_pk('cloudsim', 'blocks', ARRAY['blockchain_id', 'idx'],
    'blocks are keyed by (blockchain_id, idx)');
SELECT col_type_is('cloudsim', 'blocks', 'data', 'text',
    'block data is text, not jsonb (hashes must survive storage)');
SELECT col_type_is('cloudsim', 'blocks', 'nonce', 'numeric(20,0)',
    'nonce holds any unsigned 64-bit value');
SELECT col_type_is('cloudsim', 'blockchains', 'dloid_params', 'character(25)',
    'dloid_params is char(25)');
SELECT has_index('cloudsim', 'blockchains', 'blockchains_created_idx',
    ARRAY['created_at', 'id'], 'the list order has an index');
SELECT has_index('cloudsim', 'blockchains', 'blockchains_user_uuid_idx',
    ARRAY['user_uuid', 'created_at', 'id'], 'the user_uuid filter has an index');
SELECT fk_ok('cloudsim', 'blocks', 'blockchain_id',
    'cloudsim', 'blockchains', 'id', 'blocks belong to a chain');
SELECT fk_ok('cloudsim', 'pending_transactions', 'blockchain_id',
    'cloudsim', 'blockchains', 'id', 'pending transactions belong to a chain');

/* Comments: every table, view and column. */
SELECT is_empty($$
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'cloudsim'
      AND c.relname IN ('blockchains', 'blocks', 'pending_transactions', 'v_blockchains')
      AND obj_description(c.oid, 'pg_class') IS NULL$$,
    'every table and the view have a comment');
SELECT is_empty($$
    SELECT c.relname || '.' || a.attname
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'cloudsim'
      AND c.relname IN ('blockchains', 'blocks', 'pending_transactions', 'v_blockchains')
      AND a.attnum > 0 AND NOT a.attisdropped
      AND col_description(c.oid, a.attnum) IS NULL$$,
    'every column has a comment');

/* A chain to work with: difficulty 2, a genesis hash that meets it. */
INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
    controller_name, difficulty, dloid_params, genesis_hash, created_at)
VALUES ('00000000-0000-4000-8000-00000000000a', 'pgTAP chain', 'Ada', 'Lovelace',
    'alovelace-001', 2, '0000100000LNY2000025000NP', '00' || repeat('a', 62),
    '2026-01-31T12:00:00.000Z');
INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
    nonce, data, hash)
VALUES ('00000000-0000-4000-8000-00000000000a', 0, '2026-01-31T12:00:00.000Z',
    repeat('0', 64), 42, '{"type":"genesis"}', '00' || repeat('a', 62));

SELECT is((SELECT controller_role || ' ' || existing_licenses
           FROM cloudsim.blockchains WHERE name = 'pgTAP chain'),
    'manager 0', 'role and licences default to manager and 0');
SELECT is((SELECT previous_idx FROM cloudsim.blocks
           WHERE blockchain_id = '00000000-0000-4000-8000-00000000000a'),
    NULL::bigint, 'the genesis block has no previous_idx');

/* One block per index: the race guard. */
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 0, '2026-01-31T12:00:01.000Z',
        repeat('0', 64), 7, 'null', '00' || repeat('b', 62))$$,
    '23505', NULL, 'a second block at one index is refused');

/* Links: block 1 must name block 0 by its hash. */
SELECT lives_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 1, '2026-01-31T12:00:02.000Z',
        '00' || repeat('a', 62), 18446744073709551615, '{}', '00' || repeat('c', 62))$$,
    'a block linked to its predecessor, with the largest nonce, is accepted');
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 2, '2026-01-31T12:00:03.000Z',
        '00' || repeat('f', 62), 1, '{}', '00' || repeat('d', 62))$$,
    '23503', NULL, 'a block naming a hash its predecessor lacks is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 5, '2026-01-31T12:00:03.000Z',
        '00' || repeat('c', 62), 1, '{}', '00' || repeat('d', 62))$$,
    '23503', NULL, 'a block after a gap is refused');
SELECT throws_ok($$
    UPDATE cloudsim.blocks SET hash = '00' || repeat('e', 62)
    WHERE blockchain_id = '00000000-0000-4000-8000-00000000000a' AND idx = 0$$,
    '23503', NULL, 'a linked block''s hash cannot be changed');

/* Formats of a block. */
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 2, '2026-01-31T12:00:03.000Z',
        '00' || repeat('c', 62), 1, '{}', 'f' || repeat('d', 63))$$,
    '23514', NULL, 'a hash without a leading zero is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 2, '2026-01-31 12:00:03',
        '00' || repeat('c', 62), 1, '{}', '00' || repeat('d', 62))$$,
    '23514', NULL, 'a timestamp not in RFC 3339 millisecond form is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 2, '2026-01-31T12:00:03.000Z',
        '00' || repeat('c', 62), 18446744073709551616, '{}', '00' || repeat('d', 62))$$,
    '23514', NULL, 'a nonce past 2^64 - 1 is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blocks (blockchain_id, idx, "timestamp", previous_hash,
        nonce, data, hash)
    VALUES ('00000000-0000-4000-8000-00000000000a', 0, '2026-01-31T12:00:03.000Z',
        '00' || repeat('c', 62), 1, '{}', '00' || repeat('d', 62))$$,
    '23514', NULL, 'a genesis block must have 64 zeros as previous_hash');

/* Formats of a chain. */
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 7,
        '0000100000LNY2000025000NP', repeat('0', 64))$$,
    '23514', NULL, 'difficulty 7 is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 0,
        '0000100000LNY2000025000NP', repeat('0', 64))$$,
    '23514', NULL, 'difficulty 0 is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 1,
        '000010000XLNY2000025000NP', repeat('0', 64))$$,
    '23514', NULL, 'a letter among the quantity digits is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 1,
        '0000100000L-Y2000025000NP', repeat('0', 64))$$,
    '23514', NULL, 'a code that is no letter or digit is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 1,
        '0000100000LNY200002500NP', repeat('0', 64))$$,
    '23514', NULL, 'a 24-character dloid_params is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 3,
        '0000100000LNY2000025000NP', '00' || repeat('a', 62))$$,
    '23514', NULL, 'a genesis hash short of the difficulty is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.blockchains (id, name, first_name, last_name,
        controller_name, controller_role, difficulty, dloid_params, genesis_hash)
    VALUES (gen_random_uuid(), 'x', 'A', 'B', 'ab-001', 'emperor', 1,
        '0000100000LNY2000025000NP', repeat('0', 64))$$,
    '23514', NULL, 'an unknown controller_role is refused');
SELECT throws_ok($$
    INSERT INTO cloudsim.pending_transactions (id, blockchain_id, sender,
        recipient, amount)
    VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000000a', 'a', 'b', -1)$$,
    '23514', NULL, 'a negative amount is refused');

/* The view. */
INSERT INTO cloudsim.pending_transactions (id, blockchain_id, sender, recipient, amount)
VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000000a', 'a', 'b', 1),
       (gen_random_uuid(), '00000000-0000-4000-8000-00000000000a', 'b', 'c', 2);
SELECT results_eq($$
    SELECT length, pending, last_block_at, controller
    FROM cloudsim.v_blockchains WHERE id = '00000000-0000-4000-8000-00000000000a'$$,
    $$VALUES (2::bigint, 2::bigint, '2026-01-31T12:00:02.000Z'::timestamptz,
        'alovelace-001'::text)$$,
    'v_blockchains shows length, pending, last block time and controller');

/* Privileges: least for the executables, reading for administrators. */
SELECT table_privs_are('cloudsim', 'blocks', 'cloudsim_app',
    ARRAY['SELECT', 'INSERT'], 'cloudsim_app may only read and append blocks');
SELECT table_privs_are('cloudsim', 'blockchains', 'cloudsim_app',
    ARRAY['SELECT', 'INSERT'], 'cloudsim_app may read and create chains');
SELECT ok(has_column_privilege('cloudsim_app', 'cloudsim.blockchains',
        'last_mined_at', 'UPDATE')
    AND NOT has_column_privilege('cloudsim_app', 'cloudsim.blockchains',
        'difficulty', 'UPDATE'),
    'cloudsim_app may update last_mined_at and nothing else of a chain');
SELECT table_privs_are('cloudsim', 'pending_transactions', 'cloudsim_app',
    ARRAY['SELECT', 'INSERT', 'DELETE'],
    'cloudsim_app may add and consume pending transactions');
SELECT table_privs_are('cloudsim', 'v_blockchains', 'cloudsim_readonly',
    ARRAY['SELECT'], 'cloudsim_readonly may read the view');
SELECT table_privs_are('cloudsim', 'blocks', 'cloudsim_readonly',
    ARRAY['SELECT'], 'cloudsim_readonly may read blocks');

SET LOCAL ROLE cloudsim_app;
SELECT throws_ok($$DELETE FROM cloudsim.blocks$$, '42501', NULL,
    'cloudsim_app cannot delete blocks');
SELECT throws_ok($$UPDATE cloudsim.blocks SET data = '{}'$$, '42501', NULL,
    'cloudsim_app cannot rewrite blocks');
SELECT throws_ok($$UPDATE cloudsim.blockchains SET difficulty = 1$$, '42501',
    NULL, 'cloudsim_app cannot change a chain''s difficulty');
SELECT lives_ok($$
    SELECT id FROM cloudsim.blockchains
    WHERE id = '00000000-0000-4000-8000-00000000000a' FOR NO KEY UPDATE$$,
    'cloudsim_app may take the mining row lock');
SELECT lives_ok($$
    DELETE FROM cloudsim.pending_transactions
    WHERE blockchain_id = '00000000-0000-4000-8000-00000000000a' AND amount = 2$$,
    'cloudsim_app may consume pending transactions');
RESET ROLE;

SET LOCAL ROLE cloudsim_readonly;
SELECT is((SELECT length FROM cloudsim.v_blockchains
           WHERE id = '00000000-0000-4000-8000-00000000000a'), 2::bigint,
    'cloudsim_readonly can read the view');
SELECT is((SELECT count(*) FROM cloudsim.pending_transactions
           WHERE blockchain_id = '00000000-0000-4000-8000-00000000000a'), 1::bigint,
    'cloudsim_readonly can read pending transactions');
SELECT throws_ok($$
    INSERT INTO cloudsim.pending_transactions (id, blockchain_id, sender,
        recipient, amount)
    VALUES (gen_random_uuid(), '00000000-0000-4000-8000-00000000000a', 'a', 'b', 1)$$,
    '42501', NULL, 'cloudsim_readonly cannot write');
RESET ROLE;

/* Deleting a chain (an administrator's act) takes its ledger with it. */
SELECT lives_ok($$DELETE FROM cloudsim.blockchains
    WHERE id = '00000000-0000-4000-8000-00000000000a'$$,
    'a chain with linked blocks can be deleted');
SELECT is((SELECT count(*) FROM cloudsim.blocks
           WHERE blockchain_id = '00000000-0000-4000-8000-00000000000a'), 0::bigint,
    'its blocks went with it');
SELECT is((SELECT count(*) FROM cloudsim.pending_transactions
           WHERE blockchain_id = '00000000-0000-4000-8000-00000000000a'), 0::bigint,
    'its pending transactions went with it');

SELECT * FROM finish();
ROLLBACK;
