-- Search anywhere in a name ("toso" finds Contoso, "zurich" Zürich). Each searchable list has a
-- table of its rows' folded text (the searched fields, sanitised, accents dropped, lowercase,
-- one per line: `twotier_fold`, registered by twotier on every connection it opens) and an FTS5
-- trigram index over that table, so a query of three letters or more is a lookup of its
-- trigrams, not a walk of every name. Triggers keep both in the writing transaction: no writer
-- can forget them. Other programs (the sqlite3 shell) can read these tables; writing a searched
-- column needs twotier.

CREATE TABLE customer_search (id INTEGER PRIMARY KEY, folded TEXT NOT NULL);
CREATE VIRTUAL TABLE customer_trigrams USING fts5(
    folded, content = 'customer_search', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO customer_search (id, folded)
SELECT id, twotier_fold(company_name, domain, tenant_id) FROM customers;
INSERT INTO customer_trigrams (customer_trigrams) VALUES ('rebuild');
CREATE TRIGGER customer_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_search (id, folded)
    VALUES (new.id, twotier_fold(new.company_name, new.domain, new.tenant_id));
    INSERT INTO customer_trigrams (rowid, folded) SELECT id, folded FROM customer_search WHERE id = new.id;
END;
CREATE TRIGGER customer_search_update AFTER UPDATE OF company_name, domain, tenant_id ON customers
WHEN old.company_name IS NOT new.company_name OR old.domain IS NOT new.domain
  OR old.tenant_id IS NOT new.tenant_id BEGIN
    INSERT INTO customer_trigrams (customer_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM customer_search WHERE id = old.id;
    DELETE FROM customer_search WHERE id = old.id;
    INSERT INTO customer_search (id, folded)
    VALUES (new.id, twotier_fold(new.company_name, new.domain, new.tenant_id));
    INSERT INTO customer_trigrams (rowid, folded) SELECT id, folded FROM customer_search WHERE id = new.id;
END;
CREATE TRIGGER customer_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_trigrams (customer_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM customer_search WHERE id = old.id;
    DELETE FROM customer_search WHERE id = old.id;
END;

-- Resellers: name, PartnerID, Microsoft ID (tenant ID) and email.
CREATE TABLE reseller_search (id INTEGER PRIMARY KEY, folded TEXT NOT NULL);
CREATE VIRTUAL TABLE reseller_trigrams USING fts5(
    folded, content = 'reseller_search', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO reseller_search (id, folded)
SELECT id, twotier_fold(name, partner_id, tenant_id, email) FROM resellers;
INSERT INTO reseller_trigrams (reseller_trigrams) VALUES ('rebuild');
CREATE TRIGGER reseller_search_insert AFTER INSERT ON resellers BEGIN
    INSERT INTO reseller_search (id, folded)
    VALUES (new.id, twotier_fold(new.name, new.partner_id, new.tenant_id, new.email));
    INSERT INTO reseller_trigrams (rowid, folded) SELECT id, folded FROM reseller_search WHERE id = new.id;
END;
CREATE TRIGGER reseller_search_update AFTER UPDATE OF name, partner_id, tenant_id, email ON resellers
WHEN old.name IS NOT new.name OR old.partner_id IS NOT new.partner_id
  OR old.tenant_id IS NOT new.tenant_id OR old.email IS NOT new.email BEGIN
    INSERT INTO reseller_trigrams (reseller_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM reseller_search WHERE id = old.id;
    DELETE FROM reseller_search WHERE id = old.id;
    INSERT INTO reseller_search (id, folded)
    VALUES (new.id, twotier_fold(new.name, new.partner_id, new.tenant_id, new.email));
    INSERT INTO reseller_trigrams (rowid, folded) SELECT id, folded FROM reseller_search WHERE id = new.id;
END;
CREATE TRIGGER reseller_search_delete AFTER DELETE ON resellers BEGIN
    INSERT INTO reseller_trigrams (reseller_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM reseller_search WHERE id = old.id;
    DELETE FROM reseller_search WHERE id = old.id;
END;

-- Users: UPN and display name.
CREATE TABLE operator_search (id INTEGER PRIMARY KEY, folded TEXT NOT NULL);
CREATE VIRTUAL TABLE operator_trigrams USING fts5(
    folded, content = 'operator_search', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO operator_search (id, folded) SELECT id, twotier_fold(upn, display_name) FROM operators;
INSERT INTO operator_trigrams (operator_trigrams) VALUES ('rebuild');
CREATE TRIGGER operator_search_insert AFTER INSERT ON operators BEGIN
    INSERT INTO operator_search (id, folded) VALUES (new.id, twotier_fold(new.upn, new.display_name));
    INSERT INTO operator_trigrams (rowid, folded) SELECT id, folded FROM operator_search WHERE id = new.id;
END;
CREATE TRIGGER operator_search_update AFTER UPDATE OF upn, display_name ON operators
WHEN old.upn IS NOT new.upn OR old.display_name IS NOT new.display_name BEGIN
    INSERT INTO operator_trigrams (operator_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM operator_search WHERE id = old.id;
    DELETE FROM operator_search WHERE id = old.id;
    INSERT INTO operator_search (id, folded) VALUES (new.id, twotier_fold(new.upn, new.display_name));
    INSERT INTO operator_trigrams (rowid, folded) SELECT id, folded FROM operator_search WHERE id = new.id;
END;
CREATE TRIGGER operator_search_delete AFTER DELETE ON operators BEGIN
    INSERT INTO operator_trigrams (operator_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM operator_search WHERE id = old.id;
    DELETE FROM operator_search WHERE id = old.id;
END;

-- Partnership requests: the recipient's email, and the PartnerID or tenant ID known for it.
CREATE TABLE invitation_search (id INTEGER PRIMARY KEY, folded TEXT NOT NULL);
CREATE VIRTUAL TABLE invitation_trigrams USING fts5(
    folded, content = 'invitation_search', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO invitation_search (id, folded)
SELECT id, twotier_fold(recipient_email, partner_id, tenant_id) FROM invitations;
INSERT INTO invitation_trigrams (invitation_trigrams) VALUES ('rebuild');
CREATE TRIGGER invitation_search_insert AFTER INSERT ON invitations BEGIN
    INSERT INTO invitation_search (id, folded)
    VALUES (new.id, twotier_fold(new.recipient_email, new.partner_id, new.tenant_id));
    INSERT INTO invitation_trigrams (rowid, folded) SELECT id, folded FROM invitation_search WHERE id = new.id;
END;
CREATE TRIGGER invitation_search_update AFTER UPDATE OF recipient_email, partner_id, tenant_id ON invitations
WHEN old.recipient_email IS NOT new.recipient_email OR old.partner_id IS NOT new.partner_id
  OR old.tenant_id IS NOT new.tenant_id BEGIN
    INSERT INTO invitation_trigrams (invitation_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM invitation_search WHERE id = old.id;
    DELETE FROM invitation_search WHERE id = old.id;
    INSERT INTO invitation_search (id, folded)
    VALUES (new.id, twotier_fold(new.recipient_email, new.partner_id, new.tenant_id));
    INSERT INTO invitation_trigrams (rowid, folded) SELECT id, folded FROM invitation_search WHERE id = new.id;
END;
CREATE TRIGGER invitation_search_delete AFTER DELETE ON invitations BEGIN
    INSERT INTO invitation_trigrams (invitation_trigrams, rowid, folded)
    SELECT 'delete', id, folded FROM invitation_search WHERE id = old.id;
    DELETE FROM invitation_search WHERE id = old.id;
END;

-- A search with many matches walks the customers by name, testing each one's folded text: this
-- index holds only the listed (present) customers, so the walk reads no customer row.
CREATE INDEX customers_present_by_name ON customers (company_name, id) WHERE removed_at IS NULL;
