-- A partnership request whose link left twotier (opened in email or copied) and whose draft was
-- then discarded is kept as Discarded, with how it had left: a link that left the app is never
-- forgotten. SQLite can't alter a CHECK, so the table is rebuilt with the same columns (plus
-- discarded_at), rows and indexes. This runs inside the migration's transaction with foreign keys
-- on: nothing references invitations, and every row keeps its operators and resellers, so the
-- drop and the rename break no reference.
CREATE TABLE invitations_rebuilt (
    id              INTEGER PRIMARY KEY,
    token           TEXT NOT NULL UNIQUE,
    recipient_email TEXT NOT NULL COLLATE NOCASE,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT NOT NULL,
    delivery        TEXT NOT NULL CHECK (delivery IN ('opened-in-email', 'copied-to-clipboard', 'eml-draft', 'none')),
    status          TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'revoked', 'discarded')),
    sent_by         INTEGER NOT NULL REFERENCES operators (id),
    sent_at         TEXT NOT NULL,
    resent_count    INTEGER NOT NULL DEFAULT 0,
    accepted_at     TEXT,
    reseller_id     INTEGER REFERENCES resellers (id),
    revoked_at      TEXT,
    revoked_by      INTEGER REFERENCES operators (id),
    discarded_at    TEXT
);
INSERT INTO invitations_rebuilt
       (id, token, recipient_email, subject, body, link, delivery, status, sent_by, sent_at,
        resent_count, accepted_at, reseller_id, revoked_at, revoked_by)
SELECT id, token, recipient_email, subject, body, link, delivery, status, sent_by, sent_at,
       resent_count, accepted_at, reseller_id, revoked_at, revoked_by
  FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_rebuilt RENAME TO invitations;
CREATE INDEX invitations_by_sent_at ON invitations (sent_at, id);
CREATE INDEX invitations_by_recipient ON invitations (recipient_email);
