/*
 * 007_blockchains.sql — the CloudManager v1 blockchains of blockchains.fcgi:
 * each chain, its blocks and its pending transactions, and a view for
 * administrators.
 *
 * What must always hold is written here, not in C: a block index is used
 * once per chain (two racing miners cannot fork a chain), every block but
 * the genesis block names an existing predecessor by index and hash, every
 * hash has the shape of a mined hash, the genesis hash meets its chain's
 * difficulty, and dloid_params has the 25-character v1 format. Whether
 * every hash is really the SHA-256 of its block is checked by
 * GET /api/blockchains/{id}/validate, which recomputes them.
 *
 * cloudsim_app may append blocks but never change or delete one: the
 * ledger is append-only for the executables. Deleting a chain (an
 * administrator's act; there is no API for it) cascades to its blocks and
 * pending transactions.
 */

CREATE TABLE cloudsim.blockchains (
    id                uuid PRIMARY KEY,
    user_uuid         uuid,
    name              text NOT NULL
                      CHECK (char_length(name) BETWEEN 1 AND 160),
    first_name        text NOT NULL
                      CHECK (char_length(first_name) BETWEEN 1 AND 64),
    last_name         text NOT NULL
                      CHECK (char_length(last_name) BETWEEN 1 AND 64),
    existing_licenses integer NOT NULL DEFAULT 0
                      CHECK (existing_licenses BETWEEN 0 AND 999999),
    controller_name   text NOT NULL
                      CHECK (controller_name ~ '^[a-z0-9]{1,41}-[0-9]{3,7}$'),
    controller_role   text NOT NULL DEFAULT 'manager'
                      CHECK (controller_role IN
                          ('manager', 'owner', 'operator', 'auditor', 'viewer')),
    difficulty        smallint NOT NULL DEFAULT 4
                      CONSTRAINT blockchains_difficulty_check
                      CHECK (difficulty BETWEEN 1 AND 6),
    dloid_params      char(25) NOT NULL
                      CONSTRAINT blockchains_dloid_params_check
                      CHECK (dloid_params ~ '^[0-9]{10}[A-Za-z0-9]{4}[0-9]{9}[A-Za-z0-9]{2}$'),
    genesis_hash      text NOT NULL
                      CHECK (genesis_hash ~ '^[0-9a-f]{64}$'),
    account_id        text CHECK (account_id ~ '^[0-9]{12}$'),
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_mined_at     timestamptz,
    CONSTRAINT blockchains_genesis_difficulty_check
        CHECK (left(genesis_hash, difficulty) = repeat('0', difficulty))
);
-- The list's order, and its two filters in that order.
CREATE INDEX blockchains_created_idx ON cloudsim.blockchains (created_at, id);
CREATE INDEX blockchains_user_uuid_idx
    ON cloudsim.blockchains (user_uuid, created_at, id);
CREATE INDEX blockchains_account_idx
    ON cloudsim.blockchains (account_id, created_at, id);

COMMENT ON TABLE cloudsim.blockchains IS
    'CloudManager v1 blockchains (blockchains.fcgi): one row per chain; its blocks are in cloudsim.blocks';
COMMENT ON COLUMN cloudsim.blockchains.id IS
    'The blockchain_id of the API: a random (v4) UUID';
COMMENT ON COLUMN cloudsim.blockchains.user_uuid IS
    'The web app user the chain was created for (any UUID version), or NULL; the list filters on it';
COMMENT ON COLUMN cloudsim.blockchains.name IS
    'Display name; defaults to "<first_name> <last_name>''s chain"';
COMMENT ON COLUMN cloudsim.blockchains.first_name IS
    'Owner''s first name as given, trimmed';
COMMENT ON COLUMN cloudsim.blockchains.last_name IS
    'Owner''s last name as given, trimmed';
COMMENT ON COLUMN cloudsim.blockchains.existing_licenses IS
    'Licences the owner held before this one; the number in controller_name is this plus one';
COMMENT ON COLUMN cloudsim.blockchains.controller_name IS
    'Derived from the names and existing_licenses, e.g. alovelace-001 (see docs/blockchains.md)';
COMMENT ON COLUMN cloudsim.blockchains.controller_role IS
    'manager (default), owner, operator, auditor or viewer';
COMMENT ON COLUMN cloudsim.blockchains.difficulty IS
    'Proof of work: leading zero hex digits every block hash of the chain must have (1..6)';
COMMENT ON COLUMN cloudsim.blockchains.dloid_params IS
    'The 25-character DLOID parameter string: quantity (10 digits), 4 codes, rating (9 digits), 2 codes';
COMMENT ON COLUMN cloudsim.blockchains.genesis_hash IS
    'Hash of block 0; the API shows it as genesis_dloid = 0x || genesis_hash';
COMMENT ON COLUMN cloudsim.blockchains.account_id IS
    'Owning account when the chain was created with blockchains_auth = jwt, else NULL';
COMMENT ON COLUMN cloudsim.blockchains.created_at IS
    'Creation time, equal to the genesis block''s timestamp';
COMMENT ON COLUMN cloudsim.blockchains.last_mined_at IS
    'When the last block after the genesis block was added, or NULL; the mine transaction sets it under the row lock';

CREATE TABLE cloudsim.blocks (
    blockchain_id uuid NOT NULL
                  REFERENCES cloudsim.blockchains (id) ON DELETE CASCADE,
    idx           bigint NOT NULL CHECK (idx >= 0),
    "timestamp"   text NOT NULL
                  CHECK ("timestamp" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$'),
    previous_hash text NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
    nonce         numeric(20, 0) NOT NULL
                  CHECK (nonce BETWEEN 0 AND 18446744073709551615),
    data          text NOT NULL,
    hash          text NOT NULL
                  CONSTRAINT blocks_hash_check CHECK (hash ~ '^0[0-9a-f]{63}$'),
    -- The predecessor's index, NULL for the genesis block, so that the
    -- foreign key below skips it (MATCH SIMPLE ignores rows with a NULL).
    previous_idx  bigint GENERATED ALWAYS AS
                  (CASE WHEN idx = 0 THEN NULL ELSE idx - 1 END) STORED,
    CONSTRAINT blocks_pkey PRIMARY KEY (blockchain_id, idx),
    CONSTRAINT blocks_link_key UNIQUE (blockchain_id, idx, hash),
    CONSTRAINT blocks_previous_fkey FOREIGN KEY (blockchain_id, previous_idx, previous_hash)
        REFERENCES cloudsim.blocks (blockchain_id, idx, hash),
    CONSTRAINT blocks_genesis_check
        CHECK (idx > 0 OR previous_hash = repeat('0', 64))
);

COMMENT ON TABLE cloudsim.blocks IS
    'Blocks of every chain, append-only for cloudsim_app; hash = SHA-256 of index|timestamp|previous_hash|data|nonce';
COMMENT ON COLUMN cloudsim.blocks.blockchain_id IS 'The chain the block belongs to';
COMMENT ON COLUMN cloudsim.blocks.idx IS
    'Position in the chain, 0 for the genesis block; unique per chain (the primary key), so a chain cannot fork';
COMMENT ON COLUMN cloudsim.blocks."timestamp" IS
    'Mining time exactly as hashed: RFC 3339 UTC with milliseconds (text, so that it never changes form)';
COMMENT ON COLUMN cloudsim.blocks.previous_hash IS
    'Hash of block idx - 1, or 64 zeros for the genesis block';
COMMENT ON COLUMN cloudsim.blocks.nonce IS
    'The proof-of-work nonce, an unsigned 64-bit integer (numeric(20): it may exceed bigint)';
COMMENT ON COLUMN cloudsim.blocks.data IS
    'The block''s data as hashed: compact JSON with sorted keys, kept as text (jsonb would rewrite numbers and break the hash)';
COMMENT ON COLUMN cloudsim.blocks.hash IS
    'Lower-case hex SHA-256 of the block, with the chain''s difficulty in leading zeros';
COMMENT ON COLUMN cloudsim.blocks.previous_idx IS
    'Generated: idx - 1, NULL for the genesis block; with previous_hash it references the predecessor';

CREATE TABLE cloudsim.pending_transactions (
    id            uuid PRIMARY KEY,
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    blockchain_id uuid NOT NULL
                  REFERENCES cloudsim.blockchains (id) ON DELETE CASCADE,
    sender        text NOT NULL CHECK (char_length(sender) BETWEEN 1 AND 256),
    recipient     text NOT NULL CHECK (char_length(recipient) BETWEEN 1 AND 256),
    amount        bigint NOT NULL CHECK (amount BETWEEN 0 AND 9007199254740991),
    data          text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Mining reads a chain's pending transactions in arrival order.
CREATE INDEX pending_transactions_chain_idx
    ON cloudsim.pending_transactions (blockchain_id, seq);

COMMENT ON TABLE cloudsim.pending_transactions IS
    'Transactions added to a chain and not yet mined; mining moves them all into one block and deletes them here';
COMMENT ON COLUMN cloudsim.pending_transactions.id IS 'Transaction id, a random (v4) UUID';
COMMENT ON COLUMN cloudsim.pending_transactions.seq IS 'Arrival order; a block lists its transactions in it';
COMMENT ON COLUMN cloudsim.pending_transactions.blockchain_id IS 'The chain the transaction waits on';
COMMENT ON COLUMN cloudsim.pending_transactions.sender IS 'Sender as the client named it (1..256 characters)';
COMMENT ON COLUMN cloudsim.pending_transactions.recipient IS 'Recipient as the client named it (1..256 characters)';
COMMENT ON COLUMN cloudsim.pending_transactions.amount IS
    'Amount in whole units, 0 .. 2^53 - 1 (what a browser''s JSON number holds exactly)';
COMMENT ON COLUMN cloudsim.pending_transactions.data IS
    'Optional client data as compact JSON text with sorted keys, or NULL';
COMMENT ON COLUMN cloudsim.pending_transactions.created_at IS
    'When the transaction was added; a block records it as the transaction''s timestamp';

CREATE VIEW cloudsim.v_blockchains AS
SELECT c.id,
       c.name,
       c.account_id AS owner,
       c.user_uuid,
       c.controller_name AS controller,
       c.controller_role,
       c.difficulty,
       tip.length,
       (SELECT count(*) FROM cloudsim.pending_transactions p
         WHERE p.blockchain_id = c.id) AS pending,
       tip.last_block_at,
       c.created_at
FROM cloudsim.blockchains c
CROSS JOIN LATERAL (
    SELECT coalesce(max(b.idx) + 1, 0) AS length,
           (SELECT b2."timestamp"::timestamptz FROM cloudsim.blocks b2
             WHERE b2.blockchain_id = c.id ORDER BY b2.idx DESC LIMIT 1)
               AS last_block_at
    FROM cloudsim.blocks b WHERE b.blockchain_id = c.id
) tip;

COMMENT ON VIEW cloudsim.v_blockchains IS
    'Every blockchain with its length, pending transactions and last block time, for administrators';
COMMENT ON COLUMN cloudsim.v_blockchains.id IS 'The blockchain_id';
COMMENT ON COLUMN cloudsim.v_blockchains.name IS 'Display name';
COMMENT ON COLUMN cloudsim.v_blockchains.owner IS 'Owning account, NULL when created without authentication';
COMMENT ON COLUMN cloudsim.v_blockchains.user_uuid IS 'The web app user, or NULL';
COMMENT ON COLUMN cloudsim.v_blockchains.controller IS 'controller_name';
COMMENT ON COLUMN cloudsim.v_blockchains.controller_role IS 'controller_role';
COMMENT ON COLUMN cloudsim.v_blockchains.difficulty IS 'Proof-of-work difficulty';
COMMENT ON COLUMN cloudsim.v_blockchains.length IS
    'Blocks in the chain, genesis included (last index + 1: indexes are contiguous by the foreign key)';
COMMENT ON COLUMN cloudsim.v_blockchains.pending IS 'Transactions waiting to be mined';
COMMENT ON COLUMN cloudsim.v_blockchains.last_block_at IS 'Timestamp of the newest block';
COMMENT ON COLUMN cloudsim.v_blockchains.created_at IS 'Creation time';

-- Least privilege: chains are created, never changed but for the mining
-- mark (that column privilege is also what lets the mine transaction
-- take the row lock, SELECT ... FOR NO KEY UPDATE); blocks are appended;
-- pending transactions are added and consumed.
GRANT SELECT, INSERT ON cloudsim.blockchains TO cloudsim_app;
GRANT UPDATE (last_mined_at) ON cloudsim.blockchains TO cloudsim_app;
GRANT SELECT, INSERT ON cloudsim.blocks TO cloudsim_app;
GRANT SELECT, INSERT, DELETE ON cloudsim.pending_transactions TO cloudsim_app;
GRANT SELECT ON cloudsim.blockchains, cloudsim.blocks,
    cloudsim.pending_transactions, cloudsim.v_blockchains TO cloudsim_readonly;
