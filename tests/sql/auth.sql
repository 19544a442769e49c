-- The auth schema's guarantees, at the SQL level: secrets unreadable by
-- cloudsim_readonly, the audit trail append-only for cloudsim_app, the
-- two-active-keys limit, case-insensitive unique emails.
BEGIN;
SELECT plan(14);

INSERT INTO cloudsim.accounts (id, name) VALUES ('999000000001', 'pgtap');
INSERT INTO cloudsim.users (id, account_id, email, name, password_hash)
VALUES ('00000000-0000-4000-8000-000000000001', '999000000001',
        'PgTap@Example.com', 'pgtap', '$argon2id$v=19$m=8,t=1,p=1$x$y');

SELECT throws_ok(
    $$INSERT INTO cloudsim.users (id, account_id, email, name, password_hash)
      VALUES ('00000000-0000-4000-8000-000000000002', '999000000001',
              'pgtap@example.COM', 'x', 'h')$$,
    '23505', NULL, 'emails are unique case-insensitively');

INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed) VALUES
    ('AKIAAAAAAAAAAAAAAAA2', '00000000-0000-4000-8000-000000000001', 'v1:x'),
    ('AKIAAAAAAAAAAAAAAAA3', '00000000-0000-4000-8000-000000000001', 'v1:x');
SELECT throws_ok(
    $$INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed)
      VALUES ('AKIAAAAAAAAAAAAAAAA4', '00000000-0000-4000-8000-000000000001', 'v1:x')$$,
    'P0001', 'a user may have at most 2 active access keys',
    'a third active key is refused by the schema');
SELECT lives_ok(
    $$INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed, status)
      VALUES ('AKIAAAAAAAAAAAAAAAA5', '00000000-0000-4000-8000-000000000001', 'v1:x', 'Inactive')$$,
    'an inactive third key is allowed');
SELECT throws_ok(
    $$UPDATE cloudsim.access_keys SET status = 'Active' WHERE id = 'AKIAAAAAAAAAAAAAAAA5'$$,
    'P0001', NULL, 'reactivating it past the limit is refused');
SELECT throws_ok(
    $$INSERT INTO cloudsim.access_keys (id, user_id, secret_sealed, status)
      VALUES ('akia-not-a-key', '00000000-0000-4000-8000-000000000001', 'v1:x', 'Inactive')$$,
    '23514', NULL, 'access key ids are checked');

-- Privileges, asked of the catalog (pgTAP's own temp tables belong to
-- the session user, so switching roles mid-test is not an option).
SELECT ok(NOT has_column_privilege('cloudsim_readonly', 'cloudsim.users', 'password_hash', 'SELECT'),
    'readonly cannot read password hashes');
SELECT ok(NOT has_column_privilege('cloudsim_readonly', 'cloudsim.access_keys', 'secret_sealed', 'SELECT'),
    'readonly cannot read sealed key secrets');
SELECT ok(NOT has_column_privilege('cloudsim_readonly', 'cloudsim.sessions', 'sid_hash', 'SELECT'),
    'readonly cannot read session hashes');
SELECT ok(NOT has_column_privilege('cloudsim_readonly', 'cloudsim.refresh_tokens', 'token_hash', 'SELECT'),
    'readonly cannot read refresh-token hashes');
SELECT ok(has_column_privilege('cloudsim_readonly', 'cloudsim.users', 'email', 'SELECT'),
    'readonly can read who the users are');
SELECT ok(has_column_privilege('cloudsim_readonly', 'cloudsim.access_keys', 'status', 'SELECT'),
    'readonly can read key ids and status');
SELECT ok(NOT has_table_privilege('cloudsim_app', 'cloudsim.audit_log', 'UPDATE'),
    'the app cannot rewrite the audit trail');
SELECT ok(NOT has_table_privilege('cloudsim_app', 'cloudsim.audit_log', 'DELETE'),
    'the app cannot delete from the audit trail');

SELECT is((SELECT count(*)::int FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'cloudsim' AND c.relkind = 'r' AND a.attnum > 0
             AND NOT a.attisdropped
             AND c.relname IN ('accounts', 'users', 'sessions', 'refresh_tokens',
                               'revoked_tokens', 'access_keys', 'login_failures', 'audit_log')
             AND col_description(c.oid, a.attnum) IS NULL), 0,
    'every auth and audit column has a comment');

SELECT * FROM finish();
ROLLBACK;
