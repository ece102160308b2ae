-- The pull, complete: each customer's subscriptions, incremental passes from the audit records,
-- acceptance of partnership requests detected from the relationships list.
--
-- A subscription Partner Center sends that breaks a rule (a quantity outside its offer's limits,
-- a term or billing cycle the offer doesn't have, a partner of record the book doesn't know) is
-- kept and flagged (`pc_problem`); one gone from Partner Center is marked `removed_at`, never
-- deleted (orders and follow-ups reference it).
ALTER TABLE subscriptions ADD COLUMN pc_problem TEXT;
ALTER TABLE subscriptions ADD COLUMN removed_at TEXT;
-- Every sync lists the flagged rows: found without reading a million subscriptions.
CREATE INDEX subscriptions_flagged ON subscriptions (id) WHERE pc_problem IS NOT NULL;

-- A request sent to a partner whose PartnerID or tenant ID the provider knew: when a reseller
-- with either appears in the relationships list, the pull marks the request Accepted.
ALTER TABLE invitations ADD COLUMN partner_id TEXT;
ALTER TABLE invitations ADD COLUMN tenant_id TEXT COLLATE NOCASE;

-- sync_state with the new phases. SQLite can't alter a CHECK, so the one row is copied into a
-- rebuilt table (nothing references it). A pass is 'full' (resellers, customer pages, then each
-- customer's subscriptions from `after_customer` on, in customers.id order) or 'incremental'
-- (resellers, the audit records' pages into `sync_changed`, then those customers). A pass
-- under way from before this step continues as a full one.
CREATE TABLE sync_state_rebuilt (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    pass            INTEGER NOT NULL DEFAULT 0,
    phase           TEXT NOT NULL DEFAULT 'idle'
                    CHECK (phase IN ('idle', 'customers', 'subscriptions', 'audit', 'changed')),
    kind            TEXT NOT NULL DEFAULT 'full' CHECK (kind IN ('full', 'incremental')),
    next_path       TEXT,
    continuation    TEXT,
    after_customer  INTEGER NOT NULL DEFAULT 0,
    pass_started_at TEXT,
    last_sync_at    TEXT,
    last_kind       TEXT CHECK (last_kind IN ('full', 'incremental')),
    -- The start of the last complete pass: the next incremental pass asks the audit records
    -- from then. NULL: no complete pass with subscriptions yet, so the next one is full.
    changes_since   TEXT
);
INSERT INTO sync_state_rebuilt (id, pass, phase, next_path, continuation, pass_started_at, last_sync_at)
SELECT id, pass, phase, next_path, continuation, pass_started_at, last_sync_at FROM sync_state;
DROP TABLE sync_state;
ALTER TABLE sync_state_rebuilt RENAME TO sync_state;

-- Held rows may now be subscriptions (remote_id 'customer-tenant-id/subscription-id', so a
-- customer's held subscriptions are found by prefix). Rebuilt for the CHECK, rows kept.
CREATE TABLE sync_held_rebuilt (
    kind      TEXT NOT NULL CHECK (kind IN ('reseller', 'customer', 'subscription')),
    remote_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    problem   TEXT NOT NULL,
    payload   TEXT NOT NULL,
    held_at   TEXT NOT NULL,
    pass      INTEGER NOT NULL,
    PRIMARY KEY (kind, remote_id)
) WITHOUT ROWID;
INSERT INTO sync_held_rebuilt SELECT kind, remote_id, name, problem, payload, held_at, pass FROM sync_held;
DROP TABLE sync_held;
ALTER TABLE sync_held_rebuilt RENAME TO sync_held;

-- The customers (tenant IDs) the audit records of an incremental pass named, still to fetch:
-- each leaves the queue in the transaction that applies it, so a kill loses none.
CREATE TABLE sync_changed (
    tenant_id TEXT PRIMARY KEY COLLATE NOCASE
) WITHOUT ROWID;
