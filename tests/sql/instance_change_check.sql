-- cloudsim.instance_change_check (sql/023), the refusals of a state
-- change, raised by its statement: true when every id was found and may
-- move; otherwise 404 InvalidInstanceID.NotFound naming every unknown id
-- in the caller's order (singular or plural, the list cut at 400
-- characters), else 409 IncorrectInstanceState for the first instance
-- in the caller's order that may not move, worded as lifecycle.c did.
BEGIN;
SELECT plan(10);

-- The error's fields as db.c reads them (lib/refusal.sql).
\ir lib/refusal.sql
CREATE FUNCTION pg_temp.check(ids text[], action text, verb text,
    found_ids text[], prevs text[], allowed boolean[])
RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.refusal(format('SELECT cloudsim.instance_change_check('
        '%L::text[], %L, %L, %L::text[], %L::text[], %L::boolean[])::text',
        ids, action, verb, found_ids, prevs, allowed))
$$;

SELECT is(pg_temp.check('{i-0000000000000000a,i-0000000000000000b}',
    'terminate', 'terminated', '{i-0000000000000000b,i-0000000000000000a}',
    '{running,stopped}', '{t,t}'), 'true',
    'every id found and allowed, in any order: true');
SELECT is(pg_temp.check('{i-0000000000000000a}', 'terminate', 'terminated',
    NULL, NULL, NULL),
    'P0001 InvalidInstanceID.NotFound 404 the instance id ''i-0000000000000000a'' does not exist',
    'nothing found (the aggregates of no rows are NULL): 404, singular');
SELECT is(pg_temp.check(
    '{i-0000000000000000c,i-0000000000000000a,i-0000000000000000b}',
    'start', 'started', '{i-0000000000000000a}', '{stopped}', '{t}'),
    'P0001 InvalidInstanceID.NotFound 404 the instance ids ''i-0000000000000000c'', ''i-0000000000000000b'' do not exist',
    'two unknown ids: 404, plural, in the caller''s order');
SELECT is(pg_temp.check('{i-0000000000000000c,i-0000000000000000a}',
    'stop', 'stopped', '{i-0000000000000000a}', '{terminated}', '{f}'),
    'P0001 InvalidInstanceID.NotFound 404 the instance id ''i-0000000000000000c'' does not exist',
    'an unknown id is refused before an instance that may not move');
SELECT is(length(substring(pg_temp.check(
    ARRAY(SELECT format('i-%s', lpad(to_hex(g), 17, '0'))
          FROM generate_series(1, 40) AS g),
    'reboot', 'rebooted', '{}', '{}', '{}')
    FROM 'the instance ids (.*) do not exist')), 400,
    'forty unknown ids: the list is cut at 400 characters');
SELECT is(pg_temp.check(
    '{i-0000000000000000a,i-0000000000000000b,i-0000000000000000c}',
    'start', 'started',
    '{i-0000000000000000a,i-0000000000000000b,i-0000000000000000c}',
    '{stopped,terminated,shutting-down}', '{t,f,f}'),
    'P0001 IncorrectInstanceState 409 the instance ''i-0000000000000000b'' is ''terminated'' and cannot be started',
    'the first instance in the caller''s order that may not move: 409');
SELECT is(pg_temp.check('{i-0000000000000000a}', 'stop', 'stopped',
    '{i-0000000000000000a}', '{pending}', '{f}'),
    'P0001 IncorrectInstanceState 409 the instance ''i-0000000000000000a'' is ''pending'' and cannot be stopped before it has reached the ''running'' state',
    'stopping a pending instance: EC2''s own words');
SELECT is(pg_temp.check('{i-0000000000000000a}', 'reboot', 'rebooted',
    '{i-0000000000000000a}', '{stopped}', '{f}'),
    'P0001 IncorrectInstanceState 409 the instance ''i-0000000000000000a'' is ''stopped'' and cannot be rebooted',
    'rebooting a stopped instance: 409');
SELECT is(pg_temp.check('{}', 'start', 'started', NULL, NULL, NULL),
    'true', 'no ids: true (the caller refuses an empty list first)');
SELECT function_privs_are('cloudsim', 'instance_change_check',
    ARRAY['text[]', 'text', 'text', 'text[]', 'text[]', 'boolean[]'],
    'cloudsim_app', ARRAY['EXECUTE'], 'the application may call it');

SELECT * FROM finish();
ROLLBACK;
