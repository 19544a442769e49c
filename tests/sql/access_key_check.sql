-- cloudsim.access_key_check (sql/014), the guard of a SigV4 request
-- signed with a cached access key: silent for an Active key of the user
-- in the account, cached with a role the user still has or as a user's;
-- otherwise the refusal an
-- unknown key gets (P0001, HINT AuthenticationFailure, DETAIL 401, the
-- message of sigv4.c), which db.c turns into 401 AuthenticationFailure.
BEGIN;
SELECT plan(13);

INSERT INTO cloudsim.accounts (id, name) VALUES
    ('999000000011', 'pgtap-keys'), ('999000000012', 'pgtap-other');
INSERT INTO cloudsim.users (id, account_id, email, name, password_hash) VALUES
    ('00000000-0000-4000-8000-000000000011', '999000000011',
     'keys1@pgtap.example.com', 'keys1', '$argon2id$v=19$m=8,t=1,p=1$x$y'),
    ('00000000-0000-4000-8000-000000000012', '999000000011',
     'keys2@pgtap.example.com', 'keys2', '$argon2id$v=19$m=8,t=1,p=1$x$y');
INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed, status) VALUES
    ('AKIAAAAAAAAAAAAAAAKA', '00000000-0000-4000-8000-000000000011', 'v1:x', 'Active'),
    ('AKIAAAAAAAAAAAAAAAKB', '00000000-0000-4000-8000-000000000011', 'v1:x', 'Inactive');

-- The error's fields as db.c reads them (lib/refusal.sql).
\ir lib/refusal.sql
CREATE FUNCTION pg_temp.refusal(key_id text, user_id uuid, account_id text,
    role text DEFAULT 'user')
RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.refusal(format('SELECT ''passed'' FROM '
        'cloudsim.access_key_check(%L, %L::uuid, %L, %L)',
        key_id, user_id, account_id, role))
$$;

SELECT is(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000011', '999000000011'), 'passed',
    'an Active key of the user in the account passes');
SELECT is(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKB',
    '00000000-0000-4000-8000-000000000011', '999000000011'),
    'P0001 AuthenticationFailure 401 the request signature does not match '
    'the one computed with the access key''s secret; check the secret and '
    'the signing method',
    'an Inactive key is refused as an unknown key is (sigv4.c''s message)');
SELECT is(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKC',
    '00000000-0000-4000-8000-000000000011', '999000000011'),
    pg_temp.refusal('AKIAAAAAAAAAAAAAAAKB',
    '00000000-0000-4000-8000-000000000011', '999000000011'),
    'a key that does not exist is refused the same way');
SELECT is(left(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000012', '999000000011'), 31),
    'P0001 AuthenticationFailure 401', 'another user''s key is refused');
SELECT is(left(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000011', '999000000012'), 31),
    'P0001 AuthenticationFailure 401',
    'a key whose user is not in the account is refused');

UPDATE cloudsim.users SET role = 'admin'
WHERE id = '00000000-0000-4000-8000-000000000011';
SELECT is(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000011', '999000000011'), 'passed',
    'an entry cached as a user''s passes for a user since promoted (it acts as a user until looked up again)');
SELECT is(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000011', '999000000011', 'admin'), 'passed',
    'an entry cached as an admin''s passes while the user is an admin');
UPDATE cloudsim.users SET role = 'user'
WHERE id = '00000000-0000-4000-8000-000000000011';
SELECT is(left(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000011', '999000000011', 'admin'), 31),
    'P0001 AuthenticationFailure 401',
    'an entry cached as an admin''s is refused once the user is demoted');

UPDATE cloudsim.access_keys SET status = 'Inactive' WHERE id = 'AKIAAAAAAAAAAAAAAAKA';
SELECT is(left(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKA',
    '00000000-0000-4000-8000-000000000011', '999000000011'), 31),
    'P0001 AuthenticationFailure 401', 'a key deactivated is refused at once');
DELETE FROM cloudsim.access_keys WHERE id = 'AKIAAAAAAAAAAAAAAAKB';
SELECT is(left(pg_temp.refusal('AKIAAAAAAAAAAAAAAAKB',
    '00000000-0000-4000-8000-000000000011', '999000000011'), 31),
    'P0001 AuthenticationFailure 401', 'a key deleted is refused at once');

SELECT ok(has_function_privilege('cloudsim_app',
    'cloudsim.access_key_check(text, uuid, text, text)', 'EXECUTE'),
    'the app may run the check');
SELECT ok(NOT has_function_privilege('cloudsim_readonly',
    'cloudsim.access_key_check(text, uuid, text, text)', 'EXECUTE'),
    'the read-only role may not (nothing is granted to PUBLIC)');
SELECT isnt(obj_description('cloudsim.access_key_check(text, uuid, text, text)'::regprocedure,
    'pg_proc'), NULL, 'the function has a comment');

SELECT * FROM finish();
ROLLBACK;
