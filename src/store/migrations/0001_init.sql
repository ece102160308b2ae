-- twotier schema, version 1: the whole mission's entities. Never edit once landed; add a new step.
-- Times are UTC, ISO 8601 text ('YYYY-MM-DDTHH:MM:SSZ'). Names sort case-insensitively (NOCASE),
-- so every list can walk an index in display order with keyset paging.

-- The indirect provider (distributor) this database belongs to: exactly one row.
CREATE TABLE provider (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    tenant_id           TEXT NOT NULL,
    company_name        TEXT NOT NULL,
    partner_id          TEXT NOT NULL CHECK (partner_id GLOB '[0-9]*' AND length(partner_id) BETWEEN 1 AND 10),
    country             TEXT NOT NULL CHECK (length(country) = 2),
    csp_region          TEXT NOT NULL,
    website             TEXT NOT NULL,
    support_email       TEXT NOT NULL,
    support_phone       TEXT NOT NULL,
    -- The entry on Microsoft's official indirect providers list: read-only in the app.
    listing_profile     TEXT NOT NULL,
    regions_served      TEXT NOT NULL,
    invitation_base_url TEXT NOT NULL,
    domain_suffix       TEXT NOT NULL DEFAULT '.onmicrosoft.com'
);

-- The provider's own staff who use twotier.
CREATE TABLE operators (
    id           INTEGER PRIMARY KEY,
    upn          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('global-admin', 'user-admin', 'admin-agent',
                                               'sales-agent', 'billing-admin', 'helpdesk-agent')),
    disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at   TEXT NOT NULL
);
CREATE INDEX operators_by_upn ON operators (upn, id);

-- Indirect resellers the provider has (or had) a partnership with.
CREATE TABLE resellers (
    id             INTEGER PRIMARY KEY,
    tenant_id      TEXT UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL COLLATE NOCASE,
    partner_id     TEXT NOT NULL CHECK (partner_id GLOB '[0-9]*' AND length(partner_id) BETWEEN 1 AND 10),
    location       TEXT NOT NULL CHECK (length(location) = 2),
    email          TEXT,
    state          TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'removed')),
    -- Compliance: Microsoft Partner Agreement signed for the region; PartnerID valid as partner of record.
    mpa_signed     INTEGER NOT NULL DEFAULT 1 CHECK (mpa_signed IN (0, 1)),
    por_valid      INTEGER NOT NULL DEFAULT 1 CHECK (por_valid IN (0, 1)),
    established_at TEXT NOT NULL,
    removed_at     TEXT,
    removed_by     INTEGER REFERENCES operators (id)
);
-- One index per sort order of the list, with and without removed partnerships.
CREATE INDEX resellers_by_state_name ON resellers (state, name, id);
CREATE INDEX resellers_by_state_partner_id ON resellers (state, partner_id, id);
CREATE INDEX resellers_by_state_since ON resellers (state, established_at, id);
CREATE INDEX resellers_by_name ON resellers (name, id);
CREATE INDEX resellers_by_partner_id ON resellers (partner_id, id);
CREATE INDEX resellers_by_state_partner_number ON resellers (state, CAST(partner_id AS INTEGER), id);
CREATE INDEX resellers_by_partner_number ON resellers (CAST(partner_id AS INTEGER), id);
CREATE INDEX resellers_by_since ON resellers (established_at, id);
CREATE UNIQUE INDEX resellers_active_partner_id ON resellers (partner_id) WHERE state = 'active';

-- Partnership requests ("Request a partnership"): the ledger Partner Center does not keep.
-- Expired is derived from sent_at and the configured period, so it is not stored.
CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    token           TEXT NOT NULL UNIQUE,
    recipient_email TEXT NOT NULL COLLATE NOCASE,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT NOT NULL,
    delivery        TEXT NOT NULL CHECK (delivery IN ('opened-in-email', 'copied-to-clipboard', 'eml-draft', 'none')),
    status          TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'revoked')),
    sent_by         INTEGER NOT NULL REFERENCES operators (id),
    sent_at         TEXT NOT NULL,
    resent_count    INTEGER NOT NULL DEFAULT 0,
    accepted_at     TEXT,
    reseller_id     INTEGER REFERENCES resellers (id),
    revoked_at      TEXT,
    revoked_by      INTEGER REFERENCES operators (id)
);
CREATE INDEX invitations_by_sent_at ON invitations (sent_at, id);
CREATE INDEX invitations_by_recipient ON invitations (recipient_email);

-- Customers, with their company and billing profile. The temporary admin password is never stored.
CREATE TABLE customers (
    id                     INTEGER PRIMARY KEY,
    tenant_id              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    company_name           TEXT NOT NULL COLLATE NOCASE,
    domain                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    registration_number    TEXT,
    relationship           TEXT NOT NULL DEFAULT 'reseller' CHECK (relationship IN ('none', 'reseller', 'advisor')),
    reseller_id            INTEGER REFERENCES resellers (id),
    allow_delegated_access INTEGER NOT NULL DEFAULT 1 CHECK (allow_delegated_access IN (0, 1)),
    first_name             TEXT NOT NULL,
    last_name              TEXT NOT NULL,
    email                  TEXT NOT NULL,
    phone                  TEXT,
    address_line1          TEXT NOT NULL,
    address_line2          TEXT,
    city                   TEXT NOT NULL,
    state                  TEXT,
    postal_code            TEXT,
    country                TEXT NOT NULL CHECK (length(country) = 2),
    culture                TEXT NOT NULL,
    language               TEXT NOT NULL,
    mca_signer_name        TEXT,
    mca_signer_email       TEXT,
    mca_date_agreed        TEXT,
    admin_user_name        TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    created_by             INTEGER REFERENCES operators (id)
);
CREATE INDEX customers_by_name ON customers (company_name, id);
CREATE INDEX customers_by_reseller_name ON customers (reseller_id, company_name, id);
-- A search by domain or Microsoft ID prefix sorts its matches by name without reading the rows.
CREATE INDEX customers_by_domain_name ON customers (domain, company_name, id);
CREATE INDEX customers_by_tenant_name ON customers (tenant_id, company_name, id);

-- The offer catalog (CSP products), loaded from assets/offers.toml.
CREATE TABLE offers (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    family           TEXT NOT NULL,
    tier             INTEGER NOT NULL,
    category         TEXT NOT NULL,
    billing_type     TEXT NOT NULL CHECK (billing_type IN ('license', 'usage')),
    min_quantity     INTEGER NOT NULL CHECK (min_quantity >= 1),
    max_quantity     INTEGER NOT NULL CHECK (max_quantity >= min_quantity),
    -- Comma-separated lists: 'P1M,P1Y,P3Y' and 'monthly,annual,triennial'.
    terms            TEXT NOT NULL,
    billing_cycles   TEXT NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    is_trial         INTEGER NOT NULL DEFAULT 0 CHECK (is_trial IN (0, 1))
);
CREATE INDEX offers_by_name ON offers (name, id);

-- Upgrade paths: from a lower offer to a higher one of the same family.
CREATE TABLE offer_upgrades (
    from_offer TEXT NOT NULL REFERENCES offers (id),
    to_offer   TEXT NOT NULL REFERENCES offers (id),
    PRIMARY KEY (from_offer, to_offer)
) WITHOUT ROWID;

CREATE TABLE orders (
    id                         INTEGER PRIMARY KEY,
    order_id                   TEXT NOT NULL UNIQUE,
    customer_id                INTEGER NOT NULL REFERENCES customers (id),
    status                     TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'cancelled', 'error')),
    por_attestation_accepted   INTEGER NOT NULL DEFAULT 0 CHECK (por_attestation_accepted IN (0, 1)),
    created_at                 TEXT NOT NULL,
    created_by                 INTEGER REFERENCES operators (id)
);
CREATE INDEX orders_by_customer ON orders (customer_id, id);

CREATE TABLE order_line_items (
    order_id               INTEGER NOT NULL REFERENCES orders (id),
    line_item_number       INTEGER NOT NULL CHECK (line_item_number >= 0),
    offer_id               TEXT NOT NULL REFERENCES offers (id),
    quantity               INTEGER NOT NULL CHECK (quantity >= 1),
    term                   TEXT NOT NULL CHECK (term IN ('P1M', 'P1Y', 'P3Y')),
    billing_cycle          TEXT NOT NULL,
    partner_id_on_record   TEXT,
    subscription_id        INTEGER REFERENCES subscriptions (id),
    PRIMARY KEY (order_id, line_item_number)
) WITHOUT ROWID;

-- Subscriptions, each with its partner of record ("Reseller (MPN ID)") and designated support
-- contact (NULL = the provider itself).
CREATE TABLE subscriptions (
    id                  INTEGER PRIMARY KEY,
    subscription_id     TEXT NOT NULL UNIQUE,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    offer_id            TEXT NOT NULL REFERENCES offers (id),
    order_id            INTEGER REFERENCES orders (id),
    friendly_name       TEXT,
    quantity            INTEGER NOT NULL CHECK (quantity >= 1),
    status              TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'expired', 'disabled', 'deleted')),
    auto_renew          INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1)),
    term                TEXT NOT NULL CHECK (term IN ('P1M', 'P1Y', 'P3Y')),
    billing_cycle       TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    -- Start of the current term (purchase or last renewal): the 7-day window counts from here.
    term_started_at     TEXT NOT NULL,
    commitment_end_date TEXT NOT NULL,
    reseller_id         INTEGER REFERENCES resellers (id),
    support_reseller_id INTEGER REFERENCES resellers (id)
);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id, id);
CREATE INDEX subscriptions_by_reseller ON subscriptions (reseller_id, id);
CREATE INDEX subscriptions_by_support ON subscriptions (support_reseller_id, id);

-- The activity log: who did what, when, to what. Append-only.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    operator_id INTEGER REFERENCES operators (id),
    operator    TEXT NOT NULL COLLATE NOCASE,
    action      TEXT NOT NULL COLLATE NOCASE,
    target      TEXT NOT NULL COLLATE NOCASE,
    before      TEXT,
    after       TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE INDEX audit_log_by_at ON audit_log (at, id);
CREATE INDEX audit_log_by_operator ON audit_log (operator);
CREATE INDEX audit_log_by_action ON audit_log (action);
CREATE INDEX audit_log_by_target ON audit_log (target);
