//! Whole-book reads for the scripting commands and exports: every customer or subscription that
//! matches a filter, streamed row by row to a callback (a real book has 100 000 customers and a
//! million subscriptions, so nothing here collects the rows). Each read is one statement, so it
//! sees one consistent snapshot of the database. Every text is sanitised before it leaves.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, ToSql};
use serde::Serialize;

use super::{CommandResult, Store, parse_db_time, refuse, search};
use crate::domain::text::cleaned;

/// One customer as `customers list --json` and `export customers --format json` write it. The
/// field names are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerRecord {
    /// The customer's Microsoft Entra tenant ID (Partner Center's "Microsoft ID").
    pub microsoft_id: String,
    pub company_name: String,
    pub primary_domain: String,
    /// `reseller`, `none` or `advisor`.
    pub relationship: String,
    /// The indirect reseller's name; `None` for a direct customer.
    pub reseller: Option<String>,
    pub reseller_partner_id: Option<String>,
    /// How many subscriptions the customer has.
    pub subscriptions: i64,
    pub created_at: DateTime<Utc>,
}

/// One subscription as `subscriptions list --json` and `export subscriptions --format json`
/// write it. The field names are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriptionRecord {
    pub subscription_id: String,
    pub offer_id: String,
    /// The offer's name.
    pub subscription: String,
    pub customer_microsoft_id: String,
    /// The customer's company name.
    pub customer: String,
    pub quantity: i64,
    /// `pending`, `active`, `suspended`, `expired`, `disabled` or `deleted`.
    pub status: String,
    pub auto_renew: bool,
    /// `P1M`, `P1Y` or `P3Y`.
    pub term: String,
    pub billing_cycle: String,
    /// The partner of record ("Reseller (MPN ID)"); `None` when no reseller is credited.
    pub reseller: Option<String>,
    pub reseller_partner_id: Option<String>,
    /// The designated support contact: a reseller's name, or the provider's company name.
    pub support_contact: String,
    pub created_at: DateTime<Utc>,
    /// The last day of the current term (`YYYY-MM-DD`).
    pub commitment_end_date: String,
    /// The partner of record is a reseller whose partnership was removed ("⚠ reseller removed").
    pub reseller_removed: bool,
    /// The designated support contact is a reseller whose partnership was removed.
    pub support_contact_removed: bool,
}

/// What a customer's CSV row holds beyond its listing: everything a re-import needs to give
/// back the same customer (texts sanitised; times as the book holds them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDetails {
    pub registration_number: Option<String>,
    pub allow_delegated_access: bool,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
    pub culture: String,
    pub language: String,
    pub mca_signer_name: Option<String>,
    pub mca_signer_email: Option<String>,
    pub mca_date_agreed: Option<String>,
    pub admin_user_name: String,
}

/// What a subscription's CSV row holds beyond its listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionDetails {
    pub friendly_name: Option<String>,
    pub term_started_at: DateTime<Utc>,
    /// The support contact's PartnerID; `None`: the provider itself.
    pub support_contact_partner_id: Option<String>,
}

/// What narrows the customers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    /// Only customers of the reseller (active or removed) with this PartnerID.
    pub reseller_partner_id: Option<String>,
    /// Company name, primary domain or Microsoft ID contains this (any case, any accent).
    pub search: Option<String>,
    /// Only the customers a sync marked removed (Partner Center no longer lists them); without
    /// it they are left out, as the lists leave them out.
    pub removed: bool,
}

/// What narrows the subscriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionFilter {
    /// Only this customer's subscriptions (the row id, from [`Store::customer_id_by_key`]).
    pub customer_id: Option<i64>,
    /// Only subscriptions whose partner of record is the reseller (active or removed) with this
    /// PartnerID.
    pub reseller_partner_id: Option<String>,
    /// Only subscriptions whose customer (company name, domain, Microsoft ID), partner of record
    /// (name, PartnerID), offer or subscription ID contains this (any case, any accent).
    pub search: Option<String>,
}

/// The SQL conditions and their parameters, built from constants of this module only.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    params: Vec<Box<dyn ToSql>>,
}

impl Conditions {
    fn param(&mut self, value: impl ToSql + 'static) -> String {
        self.params.push(Box::new(value));
        format!("?{}", self.params.len())
    }

    /// The lists' search rule (anywhere, any case, any accent) on the row `id` of `index`.
    fn contains(&mut self, index: search::SearchIndex, id: &str, search: &str) {
        let query = crate::domain::fold::fold_query(search);
        if query.is_empty() {
            return;
        }
        let p = self.param(search::contains_value(&query));
        self.clauses
            .push(search::contains_clause(index, id, &query, &p));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1".to_owned()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

const CUSTOMER_SQL: &str =
    "SELECT c.tenant_id, c.company_name, c.domain, c.relationship, r.name, r.partner_id,
        (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.removed_at IS NULL), c.created_at
 FROM customers c LEFT JOIN resellers r ON r.id = c.reseller_id";

const CUSTOMER_DETAILS_SQL: &str = "SELECT c.tenant_id, c.company_name, c.domain, c.relationship, r.name, r.partner_id,
        (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.removed_at IS NULL), c.created_at,
        c.registration_number, c.allow_delegated_access, c.first_name, c.last_name, c.email, c.phone,
        c.address_line1, c.address_line2, c.city, c.state, c.postal_code, c.country, c.culture,
        c.language, c.mca_signer_name, c.mca_signer_email, c.mca_date_agreed, c.admin_user_name
 FROM customers c LEFT JOIN resellers r ON r.id = c.reseller_id";

const SUBSCRIPTION_DETAILS_SQL: &str =
    "SELECT s.subscription_id, s.offer_id, coalesce(o.name, s.offer_id), c.tenant_id,
        c.company_name, s.quantity, s.status, s.auto_renew, s.term, s.billing_cycle, r.name,
        r.partner_id, coalesce(sr.name, (SELECT p.company_name FROM provider p WHERE p.id = 1), ''),
        s.created_at, s.commitment_end_date,
        coalesce(r.state = 'removed', 0), coalesce(sr.state = 'removed', 0),
        s.friendly_name, s.term_started_at, sr.partner_id
 FROM subscriptions s
 JOIN customers c ON c.id = s.customer_id
 LEFT JOIN offers o ON o.id = s.offer_id
 LEFT JOIN resellers r ON r.id = s.reseller_id
 LEFT JOIN resellers sr ON sr.id = s.support_reseller_id";

const SUBSCRIPTION_SQL: &str =
    "SELECT s.subscription_id, s.offer_id, coalesce(o.name, s.offer_id), c.tenant_id,
        c.company_name, s.quantity, s.status, s.auto_renew, s.term, s.billing_cycle, r.name,
        r.partner_id, coalesce(sr.name, (SELECT p.company_name FROM provider p WHERE p.id = 1), ''),
        s.created_at, s.commitment_end_date,
        coalesce(r.state = 'removed', 0), coalesce(sr.state = 'removed', 0)
 FROM subscriptions s
 JOIN customers c ON c.id = s.customer_id
 LEFT JOIN offers o ON o.id = s.offer_id
 LEFT JOIN resellers r ON r.id = s.reseller_id
 LEFT JOIN resellers sr ON sr.id = s.support_reseller_id";

/// The customers query for a filter, with its parameters (exposed for query-plan tests).
pub fn customers_sql(filter: &CustomerFilter) -> (String, Vec<Box<dyn ToSql>>) {
    customers_sql_from(CUSTOMER_SQL, filter)
}

fn customers_sql_from(select: &str, filter: &CustomerFilter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut w = Conditions::default();
    // `+`: checked on each row, never walked along the partial index of present customers
    // (which would then need sorting by name).
    w.clauses.push(if filter.removed {
        "+c.removed_at IS NOT NULL".to_owned()
    } else {
        "+c.removed_at IS NULL".to_owned()
    });
    if let Some(partner_id) = &filter.reseller_partner_id {
        let p = w.param(partner_id.trim().to_owned());
        w.clauses.push(format!(
            "c.reseller_id IN (SELECT id FROM resellers WHERE partner_id = {p})"
        ));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim)
        && !search.is_empty()
    {
        w.contains(search::CUSTOMERS, "c.id", search);
    }
    let sql = format!("{select} WHERE {} ORDER BY c.company_name, c.id", w.sql());
    (sql, w.params)
}

/// The subscriptions query for a filter, with its parameters (exposed for query-plan tests).
/// Ordered like the customers (company name, then customer), then by subscription.
pub fn subscriptions_sql(filter: &SubscriptionFilter) -> (String, Vec<Box<dyn ToSql>>) {
    subscriptions_sql_from(SUBSCRIPTION_SQL, filter)
}

fn subscriptions_sql_from(
    select: &str,
    filter: &SubscriptionFilter,
) -> (String, Vec<Box<dyn ToSql>>) {
    let mut w = Conditions::default();
    // A subscription a sync marked removed, or one of a customer it marked removed, is kept in
    // the book, out of sight (`+`: checked on each row, see `customers_sql_from`).
    w.clauses
        .push("+c.removed_at IS NULL AND +s.removed_at IS NULL".to_owned());
    if let Some(id) = filter.customer_id {
        let p = w.param(id);
        w.clauses.push(format!("s.customer_id = {p}"));
    }
    if let Some(partner_id) = &filter.reseller_partner_id {
        let p = w.param(partner_id.trim().to_owned());
        w.clauses.push(format!(
            "s.reseller_id IN (SELECT id FROM resellers WHERE partner_id = {p})"
        ));
    }
    let query = crate::domain::fold::fold_query(filter.search.as_deref().unwrap_or(""));
    if !query.is_empty() {
        // Offer names and subscription IDs are ASCII (Microsoft's catalog, GUIDs): `lower`
        // folds them; the customer and the reseller are matched through their indexes.
        let p = w.param(search::contains_value(&query));
        let q = w.param(query.clone());
        let customer = search::contains_clause(search::CUSTOMERS, "s.customer_id", &query, &p);
        let reseller = search::contains_clause(search::RESELLERS, "s.reseller_id", &query, &p);
        w.clauses.push(format!(
            "({customer} OR {reseller} OR instr(lower(o.name), {q}) > 0 \
              OR instr(lower(s.subscription_id), {q}) > 0)"
        ));
    }
    let sql = format!(
        "{select} WHERE {} ORDER BY c.company_name, c.id, s.id",
        w.sql()
    );
    (sql, w.params)
}

fn customer_from_row(r: &Row<'_>) -> rusqlite::Result<CustomerRecord> {
    Ok(CustomerRecord {
        microsoft_id: cleaned(crate::store::text(r, 0)?),
        company_name: cleaned(crate::store::text(r, 1)?),
        primary_domain: cleaned(crate::store::text(r, 2)?),
        relationship: cleaned(crate::store::text(r, 3)?),
        reseller: crate::store::opt_text(r, 4)?.map(cleaned),
        reseller_partner_id: crate::store::opt_text(r, 5)?.map(cleaned),
        subscriptions: r.get(6)?,
        created_at: parse_db_time(&crate::store::text(r, 7)?)?,
    })
}

fn customer_details_from_row(r: &Row<'_>) -> rusqlite::Result<CustomerDetails> {
    let t = |i| crate::store::text(r, i).map(cleaned);
    let o = |i| crate::store::opt_text(r, i).map(|v| v.map(cleaned));
    Ok(CustomerDetails {
        registration_number: o(8)?,
        allow_delegated_access: r.get(9)?,
        first_name: t(10)?,
        last_name: t(11)?,
        email: t(12)?,
        phone: o(13)?,
        address_line1: t(14)?,
        address_line2: o(15)?,
        city: t(16)?,
        state: o(17)?,
        postal_code: o(18)?,
        country: t(19)?,
        culture: t(20)?,
        language: t(21)?,
        mca_signer_name: o(22)?,
        mca_signer_email: o(23)?,
        mca_date_agreed: o(24)?,
        admin_user_name: t(25)?,
    })
}

fn subscription_details_from_row(r: &Row<'_>) -> rusqlite::Result<SubscriptionDetails> {
    Ok(SubscriptionDetails {
        friendly_name: crate::store::opt_text(r, 17)?.map(cleaned),
        term_started_at: parse_db_time(&crate::store::text(r, 18)?)?,
        support_contact_partner_id: crate::store::opt_text(r, 19)?.map(cleaned),
    })
}

fn subscription_from_row(r: &Row<'_>) -> rusqlite::Result<SubscriptionRecord> {
    Ok(SubscriptionRecord {
        subscription_id: cleaned(crate::store::text(r, 0)?),
        offer_id: cleaned(crate::store::text(r, 1)?),
        subscription: cleaned(crate::store::text(r, 2)?),
        customer_microsoft_id: cleaned(crate::store::text(r, 3)?),
        customer: cleaned(crate::store::text(r, 4)?),
        quantity: r.get(5)?,
        status: cleaned(crate::store::text(r, 6)?),
        auto_renew: r.get(7)?,
        term: cleaned(crate::store::text(r, 8)?),
        billing_cycle: cleaned(crate::store::text(r, 9)?),
        reseller: crate::store::opt_text(r, 10)?.map(cleaned),
        reseller_partner_id: crate::store::opt_text(r, 11)?.map(cleaned),
        support_contact: cleaned(crate::store::text(r, 12)?),
        created_at: parse_db_time(&crate::store::text(r, 13)?)?,
        commitment_end_date: cleaned(crate::store::text(r, 14)?),
        reseller_removed: r.get(15)?,
        support_contact_removed: r.get(16)?,
    })
}

impl Store {
    /// Calls `f` with every customer matching `filter`, by company name (case-insensitive) then
    /// id, one row at a time; returns how many there were. The first error from `f` stops the
    /// walk and is returned. A PartnerID no reseller has is refused.
    pub fn for_each_customer(
        &self,
        filter: &CustomerFilter,
        mut f: impl FnMut(&CustomerRecord) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        if let Some(partner_id) = &filter.reseller_partner_id {
            self.require_reseller(partner_id)?;
        }
        let (sql, params) = customers_sql(filter);
        let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut n = 0;
        for record in stmt.query_map(refs.as_slice(), customer_from_row)? {
            f(&record?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Calls `f` with every subscription matching `filter`, by customer (as the customers are
    /// ordered) then subscription, one row at a time; returns how many there were. The first
    /// error from `f` stops the walk and is returned. A PartnerID no reseller has is refused.
    pub fn for_each_subscription(
        &self,
        filter: &SubscriptionFilter,
        mut f: impl FnMut(&SubscriptionRecord) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        if let Some(partner_id) = &filter.reseller_partner_id {
            self.require_reseller(partner_id)?;
        }
        let (sql, params) = subscriptions_sql(filter);
        let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut n = 0;
        for record in stmt.query_map(refs.as_slice(), subscription_from_row)? {
            f(&record?)?;
            n += 1;
        }
        Ok(n)
    }

    /// [`Store::for_each_customer`] with each customer's details, for the CSV export.
    pub fn for_each_customer_in_detail(
        &self,
        filter: &CustomerFilter,
        mut f: impl FnMut(&CustomerRecord, &CustomerDetails) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        if let Some(partner_id) = &filter.reseller_partner_id {
            self.require_reseller(partner_id)?;
        }
        let (sql, params) = customers_sql_from(CUSTOMER_DETAILS_SQL, filter);
        let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(refs.as_slice())?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            f(&customer_from_row(row)?, &customer_details_from_row(row)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// [`Store::for_each_subscription`] with each subscription's details, for the CSV export.
    pub fn for_each_subscription_in_detail(
        &self,
        filter: &SubscriptionFilter,
        mut f: impl FnMut(&SubscriptionRecord, &SubscriptionDetails) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        if let Some(partner_id) = &filter.reseller_partner_id {
            self.require_reseller(partner_id)?;
        }
        let (sql, params) = subscriptions_sql_from(SUBSCRIPTION_DETAILS_SQL, filter);
        let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(refs.as_slice())?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            f(
                &subscription_from_row(row)?,
                &subscription_details_from_row(row)?,
            )?;
            n += 1;
        }
        Ok(n)
    }

    /// Every reseller (active and removed) by name, with its contact email, for the export.
    pub fn for_each_reseller(
        &self,
        mut f: impl FnMut(&super::resellers::ResellerRecord, Option<&str>) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        let rows = self.all_resellers(true)?;
        let mut email = self
            .conn
            .prepare("SELECT email FROM resellers WHERE partner_id = ?1 ORDER BY state = 'active' DESC, id DESC LIMIT 1")?;
        for r in &rows {
            let e: Option<String> = email
                .query_row([&r.partner_id], |row| crate::store::opt_text(row, 0))
                .optional()?
                .flatten()
                .map(cleaned);
            f(r, e.as_deref())?;
        }
        Ok(rows.len() as u64)
    }

    /// The customer whose Microsoft ID (tenant ID) or primary domain is `key` (case-insensitive).
    pub fn customer_id_by_key(&self, key: &str) -> CommandResult<i64> {
        let key = key.trim();
        let id = self
            .conn
            .query_row(
                "SELECT id FROM customers WHERE tenant_id = ?1
                 UNION ALL
                 SELECT id FROM customers WHERE domain = ?1
                 LIMIT 1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => Ok(id),
            None => refuse(format!(
                "No customer has the Microsoft ID or primary domain {}.",
                describe_input(key)
            )),
        }
    }

    /// Refuses a PartnerID that no reseller, active or removed, has.
    fn require_reseller(&self, partner_id: &str) -> anyhow::Result<()> {
        let partner_id = partner_id.trim();
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM resellers WHERE partner_id = ?1)",
            [partner_id],
            |r| r.get(0),
        )?;
        if !known {
            anyhow::bail!(
                "No indirect reseller (active or removed) has PartnerID {}.",
                describe_input(partner_id)
            );
        }
        Ok(())
    }
}

/// What the user typed, safe to echo in a message (sanitised, quoted when empty).
fn describe_input(text: &str) -> String {
    if text.is_empty() {
        "\"\"".to_owned()
    } else {
        crate::domain::text::escaped(text).into_owned()
    }
}
