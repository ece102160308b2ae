-- The Dashboard's figures, kept as counters: summing seats over ten million subscriptions on
-- every visit would take seconds, reading these takes microseconds. Triggers keep them in the
-- transaction of every write to subscriptions and customers (console, CLI, import, sync, demo),
-- so no writer can forget them; this step creates and fills them for existing books.
--
-- What counts is what the lists count: present rows (removed_at IS NULL). Seats are the
-- licenses of active subscriptions (pending, suspended, expired, disabled and deleted ones
-- hold none); a renewal is an active subscription's commitment end date.

-- One row: the book's totals.
CREATE TABLE dashboard_book (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    customers     INTEGER NOT NULL,
    subscriptions INTEGER NOT NULL,
    seats         INTEGER NOT NULL
);

CREATE TABLE dashboard_offer_seats (
    offer_id      TEXT PRIMARY KEY,
    subscriptions INTEGER NOT NULL,
    seats         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX dashboard_offers_by_seats ON dashboard_offer_seats (seats DESC, offer_id);

-- Seats credited to each partner of record (subscriptions.reseller_id).
CREATE TABLE dashboard_reseller_seats (
    reseller_id   INTEGER PRIMARY KEY,
    subscriptions INTEGER NOT NULL,
    seats         INTEGER NOT NULL
);
CREATE INDEX dashboard_resellers_by_seats ON dashboard_reseller_seats (seats DESC, reseller_id);

-- Active subscriptions by commitment end date ('YYYY-MM-DD') and auto-renew.
CREATE TABLE dashboard_renewals (
    day           TEXT NOT NULL,
    auto_renew    INTEGER NOT NULL,
    subscriptions INTEGER NOT NULL,
    seats         INTEGER NOT NULL,
    PRIMARY KEY (day, auto_renew)
) WITHOUT ROWID;

-- Present customers by the UTC day they were created.
CREATE TABLE dashboard_new_customers (
    day       TEXT PRIMARY KEY,
    customers INTEGER NOT NULL
) WITHOUT ROWID;

-- The reseller panels read partial indexes of the few rows they show.
CREATE INDEX resellers_blocked ON resellers (name, id)
    WHERE state = 'active' AND (mpa_signed = 0 OR por_valid = 0);
CREATE INDEX resellers_unchecked ON resellers (name, id)
    WHERE state = 'active' AND (mpa_signed IS NULL OR por_valid IS NULL);
CREATE INDEX invitations_pending ON invitations (sent_at) WHERE status = 'sent';

-- Filled from the book as it is.
INSERT INTO dashboard_book (id, customers, subscriptions, seats)
SELECT 1,
       (SELECT count(*) FROM customers WHERE removed_at IS NULL),
       (SELECT count(*) FROM subscriptions WHERE removed_at IS NULL AND status = 'active'),
       (SELECT coalesce(sum(quantity), 0) FROM subscriptions WHERE removed_at IS NULL AND status = 'active');
INSERT INTO dashboard_offer_seats (offer_id, subscriptions, seats)
SELECT offer_id, count(*), sum(quantity) FROM subscriptions
 WHERE removed_at IS NULL AND status = 'active' GROUP BY offer_id;
INSERT INTO dashboard_reseller_seats (reseller_id, subscriptions, seats)
SELECT reseller_id, count(*), sum(quantity) FROM subscriptions
 WHERE removed_at IS NULL AND status = 'active' AND reseller_id IS NOT NULL GROUP BY reseller_id;
INSERT INTO dashboard_renewals (day, auto_renew, subscriptions, seats)
SELECT commitment_end_date, auto_renew, count(*), sum(quantity) FROM subscriptions
 WHERE removed_at IS NULL AND status = 'active' GROUP BY commitment_end_date, auto_renew;
INSERT INTO dashboard_new_customers (day, customers)
SELECT substr(created_at, 1, 10), count(*) FROM customers
 WHERE removed_at IS NULL GROUP BY substr(created_at, 1, 10);

-- A subscription counts while it is present and active: each write takes out what the old row
-- counted and adds what the new one counts. (An UPSERT after INSERT … SELECT needs its WHERE.)
CREATE TRIGGER dashboard_subscription_in AFTER INSERT ON subscriptions
WHEN NEW.removed_at IS NULL AND NEW.status = 'active'
BEGIN
    UPDATE dashboard_book SET subscriptions = subscriptions + 1, seats = seats + NEW.quantity WHERE id = 1;
    INSERT INTO dashboard_offer_seats (offer_id, subscriptions, seats) VALUES (NEW.offer_id, 1, NEW.quantity)
        ON CONFLICT (offer_id) DO UPDATE SET subscriptions = subscriptions + 1, seats = seats + excluded.seats;
    INSERT INTO dashboard_reseller_seats (reseller_id, subscriptions, seats)
        SELECT NEW.reseller_id, 1, NEW.quantity WHERE NEW.reseller_id IS NOT NULL
        ON CONFLICT (reseller_id) DO UPDATE SET subscriptions = subscriptions + 1, seats = seats + excluded.seats;
    INSERT INTO dashboard_renewals (day, auto_renew, subscriptions, seats)
        VALUES (NEW.commitment_end_date, NEW.auto_renew, 1, NEW.quantity)
        ON CONFLICT (day, auto_renew) DO UPDATE SET subscriptions = subscriptions + 1, seats = seats + excluded.seats;
END;

CREATE TRIGGER dashboard_subscription_out AFTER DELETE ON subscriptions
WHEN OLD.removed_at IS NULL AND OLD.status = 'active'
BEGIN
    UPDATE dashboard_book SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity WHERE id = 1;
    UPDATE dashboard_offer_seats SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity
     WHERE offer_id = OLD.offer_id;
    UPDATE dashboard_reseller_seats SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity
     WHERE reseller_id = OLD.reseller_id;
    UPDATE dashboard_renewals SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity
     WHERE day = OLD.commitment_end_date AND auto_renew = OLD.auto_renew;
END;

CREATE TRIGGER dashboard_subscription_changed_from
AFTER UPDATE OF quantity, status, offer_id, reseller_id, removed_at, commitment_end_date, auto_renew ON subscriptions
WHEN OLD.removed_at IS NULL AND OLD.status = 'active'
BEGIN
    UPDATE dashboard_book SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity WHERE id = 1;
    UPDATE dashboard_offer_seats SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity
     WHERE offer_id = OLD.offer_id;
    UPDATE dashboard_reseller_seats SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity
     WHERE reseller_id = OLD.reseller_id;
    UPDATE dashboard_renewals SET subscriptions = subscriptions - 1, seats = seats - OLD.quantity
     WHERE day = OLD.commitment_end_date AND auto_renew = OLD.auto_renew;
END;

CREATE TRIGGER dashboard_subscription_changed_to
AFTER UPDATE OF quantity, status, offer_id, reseller_id, removed_at, commitment_end_date, auto_renew ON subscriptions
WHEN NEW.removed_at IS NULL AND NEW.status = 'active'
BEGIN
    UPDATE dashboard_book SET subscriptions = subscriptions + 1, seats = seats + NEW.quantity WHERE id = 1;
    INSERT INTO dashboard_offer_seats (offer_id, subscriptions, seats) VALUES (NEW.offer_id, 1, NEW.quantity)
        ON CONFLICT (offer_id) DO UPDATE SET subscriptions = subscriptions + 1, seats = seats + excluded.seats;
    INSERT INTO dashboard_reseller_seats (reseller_id, subscriptions, seats)
        SELECT NEW.reseller_id, 1, NEW.quantity WHERE NEW.reseller_id IS NOT NULL
        ON CONFLICT (reseller_id) DO UPDATE SET subscriptions = subscriptions + 1, seats = seats + excluded.seats;
    INSERT INTO dashboard_renewals (day, auto_renew, subscriptions, seats)
        VALUES (NEW.commitment_end_date, NEW.auto_renew, 1, NEW.quantity)
        ON CONFLICT (day, auto_renew) DO UPDATE SET subscriptions = subscriptions + 1, seats = seats + excluded.seats;
END;

CREATE TRIGGER dashboard_customer_in AFTER INSERT ON customers
WHEN NEW.removed_at IS NULL
BEGIN
    UPDATE dashboard_book SET customers = customers + 1 WHERE id = 1;
    INSERT INTO dashboard_new_customers (day, customers) VALUES (substr(NEW.created_at, 1, 10), 1)
        ON CONFLICT (day) DO UPDATE SET customers = customers + 1;
END;

CREATE TRIGGER dashboard_customer_out AFTER DELETE ON customers
WHEN OLD.removed_at IS NULL
BEGIN
    UPDATE dashboard_book SET customers = customers - 1 WHERE id = 1;
    UPDATE dashboard_new_customers SET customers = customers - 1 WHERE day = substr(OLD.created_at, 1, 10);
END;

CREATE TRIGGER dashboard_customer_changed_from AFTER UPDATE OF removed_at, created_at ON customers
WHEN OLD.removed_at IS NULL
BEGIN
    UPDATE dashboard_book SET customers = customers - 1 WHERE id = 1;
    UPDATE dashboard_new_customers SET customers = customers - 1 WHERE day = substr(OLD.created_at, 1, 10);
END;

CREATE TRIGGER dashboard_customer_changed_to AFTER UPDATE OF removed_at, created_at ON customers
WHEN NEW.removed_at IS NULL
BEGIN
    UPDATE dashboard_book SET customers = customers + 1 WHERE id = 1;
    INSERT INTO dashboard_new_customers (day, customers) VALUES (substr(NEW.created_at, 1, 10), 1)
        ON CONFLICT (day) DO UPDATE SET customers = customers + 1;
END;
