-- cloudsim.volume_delete_check (sql/024), DeleteVolume's refusals,
-- raised by its statement: true for an available volume; otherwise 404
-- InvalidVolume.NotFound (no such volume in the caller's account and
-- region), 409 VolumeInUse (attached), 400 IncorrectState (any other
-- state), worded as src/volumes/volumes.c worded them.
BEGIN;
SELECT plan(6);

-- The error's fields as db.c reads them (lib/refusal.sql).
\ir lib/refusal.sql
CREATE FUNCTION pg_temp.check(volume_id text, state text, instance_id text)
RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.refusal(format('SELECT cloudsim.volume_delete_check(%L, %L, %L)::text',
        volume_id, state, instance_id))
$$;

SELECT is(pg_temp.check('vol-0000000000000000a', 'available', NULL), 'true',
    'an available volume may be deleted');
SELECT is(pg_temp.check('vol-0000000000000000a', NULL, NULL),
    'P0001 InvalidVolume.NotFound 404 the volume ''vol-0000000000000000a'' does not exist',
    'no state (not the caller''s, or gone): 404');
SELECT is(pg_temp.check('vol-0000000000000000a', 'in-use',
    'i-0000000000000000b'),
    'P0001 VolumeInUse 409 the volume ''vol-0000000000000000a'' is attached to instance ''i-0000000000000000b''; detach it first',
    'attached: 409, naming the instance');
SELECT is(pg_temp.check('vol-0000000000000000a', 'creating', NULL),
    'P0001 IncorrectState 400 the volume ''vol-0000000000000000a'' is ''creating''; only an available volume can be deleted',
    'creating: 400');
SELECT is(pg_temp.check('vol-0000000000000000a', 'in-use', NULL),
    'P0001 IncorrectState 400 the volume ''vol-0000000000000000a'' is ''in-use''; only an available volume can be deleted',
    'in use with no attachment left to name: 400');
SELECT function_privs_are('cloudsim', 'volume_delete_check',
    ARRAY['text', 'text', 'text'], 'cloudsim_app', ARRAY['EXECUTE'],
    'the application may call it');

SELECT * FROM finish();
ROLLBACK;
