-- The pull from Partner Center (`twotier sync`). Partner Center is the source of truth and the
-- book its mirror, so what it sends is kept even when it breaks one of twotier's rules:
-- `pc_problem` says which rule (NULL: none), and a row that can't fit the schema at all (no
-- tenant ID, a PartnerID that isn't one, a domain another tenant holds) waits in `sync_held`,
-- as received. A customer gone from Partner Center is marked `removed_at`, never deleted.
ALTER TABLE resellers ADD COLUMN pc_problem TEXT;
ALTER TABLE customers ADD COLUMN pc_problem TEXT;
ALTER TABLE customers ADD COLUMN removed_at TEXT;

-- One row: where the pull stands. `phase` 'idle' between passes; 'customers' while the customer
-- list is being paged, with the next page's link and continuation token (a killed sync resumes
-- there: every page before it is committed). `last_sync_at`: the last complete pass.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    pass            INTEGER NOT NULL DEFAULT 0,
    phase           TEXT NOT NULL DEFAULT 'idle' CHECK (phase IN ('idle', 'customers')),
    next_path       TEXT,
    continuation    TEXT,
    pass_started_at TEXT,
    last_sync_at    TEXT
);
INSERT INTO sync_state (id) VALUES (1);

-- The customers (tenant IDs) the pass in progress has seen, so that after its last page the
-- ones Partner Center no longer lists can be marked removed, even across a resumed sync.
CREATE TABLE sync_seen (
    tenant_id TEXT PRIMARY KEY COLLATE NOCASE
) WITHOUT ROWID;

-- Rows Partner Center sent that twotier could not place: kept with the reason, listed by sync.
CREATE TABLE sync_held (
    kind      TEXT NOT NULL CHECK (kind IN ('reseller', 'customer')),
    remote_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    problem   TEXT NOT NULL,
    payload   TEXT NOT NULL,
    held_at   TEXT NOT NULL,
    -- The pass that last saw it: a held customer no pass lists any more is forgotten after a
    -- complete one (a held reseller with each complete list of resellers).
    pass      INTEGER NOT NULL,
    PRIMARY KEY (kind, remote_id)
) WITHOUT ROWID;
