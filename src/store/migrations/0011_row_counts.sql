-- The number of rows a whole list holds, kept by the transaction that changes it. Counting a
-- million present customers along their partial index took ~30 ms on every load of the Customers
-- list (its title says "Customers (1,000,000)", End counts again); reading one row takes
-- microseconds. Triggers keep the counts, so every writer (console, CLI, import, sync, the demo's
-- bulk insert, a restore's migration) keeps them right without knowing of them.
CREATE TABLE row_counts (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO row_counts (name, value) VALUES
    -- Customers a sync has not marked removed: the Customers list.
    ('customers', (SELECT count(*) FROM customers WHERE removed_at IS NULL)),
    -- Active partnerships: the Indirect resellers list.
    ('resellers', (SELECT count(*) FROM resellers WHERE state = 'active')),
    -- Every reseller: the Indirect resellers list with removed partnerships shown.
    ('resellers_all', (SELECT count(*) FROM resellers)),
    -- The Activity log (append-only: its rows are never updated or deleted).
    ('audit_log', (SELECT count(*) FROM audit_log));

CREATE TRIGGER row_counts_customer_added AFTER INSERT ON customers
WHEN NEW.removed_at IS NULL
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'customers';
END;

CREATE TRIGGER row_counts_customer_deleted AFTER DELETE ON customers
WHEN OLD.removed_at IS NULL
BEGIN
    UPDATE row_counts SET value = value - 1 WHERE name = 'customers';
END;

CREATE TRIGGER row_counts_customer_removed_or_back AFTER UPDATE OF removed_at ON customers
WHEN (OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL)
BEGIN
    UPDATE row_counts SET value = value + (NEW.removed_at IS NULL) - (OLD.removed_at IS NULL)
     WHERE name = 'customers';
END;

CREATE TRIGGER row_counts_reseller_added AFTER INSERT ON resellers
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'resellers_all';
    UPDATE row_counts SET value = value + (NEW.state = 'active') WHERE name = 'resellers';
END;

CREATE TRIGGER row_counts_reseller_deleted AFTER DELETE ON resellers
BEGIN
    UPDATE row_counts SET value = value - 1 WHERE name = 'resellers_all';
    UPDATE row_counts SET value = value - (OLD.state = 'active') WHERE name = 'resellers';
END;

CREATE TRIGGER row_counts_reseller_state AFTER UPDATE OF state ON resellers
WHEN (OLD.state = 'active') <> (NEW.state = 'active')
BEGIN
    UPDATE row_counts SET value = value + (NEW.state = 'active') - (OLD.state = 'active')
     WHERE name = 'resellers';
END;

CREATE TRIGGER row_counts_audit_added AFTER INSERT ON audit_log
BEGIN
    UPDATE row_counts SET value = value + 1 WHERE name = 'audit_log';
END;

-- Each Indirect resellers row counts its present customers: along this index the count reads
-- only index entries (next to each other), not each customer's row for its `removed_at`
-- (a reseller's customers lie all over a table of a million).
CREATE INDEX customers_present_by_reseller ON customers (reseller_id) WHERE removed_at IS NULL;
