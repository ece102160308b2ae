-- Compliance may be unknown: a partnership just accepted has been checked by nobody, so its MPA
-- and partner-of-record checks start as NULL (Unknown) until the operator, or Partner Center,
-- says yes or no. Known values of existing books stay as they were.
--
-- SQLite can't alter a CHECK, so the table is rebuilt with the same rows and ids. Migrations run
-- inside one transaction with foreign_keys on (a PRAGMA that can't change inside one), and
-- customers, subscriptions and invitations reference resellers: the foreign keys are deferred
-- to the commit, the rows are kept aside, the old table dropped and the new one filled again
-- under the same name and ids, which satisfies every reference again before the commit checks.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE resellers_before_0004 AS SELECT * FROM main.resellers;

DROP TABLE main.resellers;

CREATE TABLE main.resellers (
    id             INTEGER PRIMARY KEY,
    tenant_id      TEXT UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL COLLATE NOCASE,
    partner_id     TEXT NOT NULL CHECK (partner_id GLOB '[0-9]*' AND length(partner_id) BETWEEN 1 AND 10),
    location       TEXT NOT NULL CHECK (length(location) = 2),
    email          TEXT,
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'removed')),
    -- Compliance: Microsoft Partner Agreement signed for the region; PartnerID valid as partner of
    -- record. NULL: Unknown, not checked yet.
    mpa_signed     INTEGER CHECK (mpa_signed IN (0, 1)),
    por_valid      INTEGER CHECK (por_valid IN (0, 1)),
    established_at TEXT NOT NULL,
    removed_at     TEXT,
    removed_by     INTEGER REFERENCES operators (id)
);

INSERT INTO main.resellers (id, tenant_id, name, partner_id, location, email, state, mpa_signed, por_valid,
                            established_at, removed_at, removed_by)
SELECT id, tenant_id, name, partner_id, location, email, state, mpa_signed, por_valid,
       established_at, removed_at, removed_by
  FROM temp.resellers_before_0004 ORDER BY id;

DROP TABLE temp.resellers_before_0004;

-- The indexes of 0001, as they were.
CREATE INDEX resellers_by_state_name ON resellers (state, name, id);
CREATE INDEX resellers_by_state_partner_id ON resellers (state, partner_id, id);
CREATE INDEX resellers_by_state_since ON resellers (state, established_at, id);
CREATE INDEX resellers_by_name ON resellers (name, id);
CREATE INDEX resellers_by_partner_id ON resellers (partner_id, id);
CREATE INDEX resellers_by_state_partner_number ON resellers (state, CAST(partner_id AS INTEGER), id);
CREATE INDEX resellers_by_partner_number ON resellers (CAST(partner_id AS INTEGER), id);
CREATE INDEX resellers_by_since ON resellers (established_at, id);
CREATE UNIQUE INDEX resellers_active_partner_id ON resellers (partner_id) WHERE state = 'active';
