//! The pull's subscriptions, on the store's side: each customer's complete list applied in the
//! transaction of its batch, with the pass's cursor (the last customer done, or the audit queue
//! entry it clears), so a kill loses no committed batch and the next sync continues after it.
//!
//! Partner Center's offer IDs are not the catalog's: a new-commerce `offerId` is
//! `PRODUCT:SKU:AVAILABILITY` and the catalog (`assets/offers.toml`) is keyed by product ID, so
//! an offer is the catalog's product of the offerId's first part, else the catalog's one offer of
//! that exact name (legacy offers have GUID IDs). An offer the catalog knows neither way holds the
//! subscription aside, as received: inventing an offer's limits, terms and price to place it
//! would put numbers in the book nobody gave, and the held row is listed by every sync.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::sync_rows::{hold, mark_customer_gone, upsert_customer};
use super::sync_types::{
    ACTION_CHANGED, ACTION_GONE, ACTION_PULLED, Applied, Held, Pulled, PulledCustomer,
};
use super::{CommandResult, Store, audit, db_time};
use crate::domain::operator::Operator;

/// A subscription as Partner Center sends it, checked for what needs no catalog (the caller
/// maps the JSON; the offer and the partner of record are looked up here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulledSubscription {
    pub subscription_id: String,
    pub offer_id: String,
    pub offer_name: String,
    pub friendly_name: Option<String>,
    pub quantity: i64,
    /// One of the schema's: pending, active, suspended, expired, disabled, deleted.
    pub status: String,
    pub auto_renew: bool,
    /// P1M, P1Y or P3Y; `None` when Partner Center sent none (legacy offers).
    pub term: Option<String>,
    /// Lowercase (`monthly`, `annual`…); `None` when none was sent.
    pub billing_cycle: Option<String>,
    pub created_at: DateTime<Utc>,
    pub term_started_at: DateTime<Utc>,
    /// YYYY-MM-DD.
    pub commitment_end_date: String,
    /// The PartnerID of the reseller of record; `None`: the provider sold it directly.
    pub partner_id: Option<String>,
    /// Rules already found broken by the mapping.
    pub problem: Option<String>,
    /// The JSON as received, for a row that has to be held.
    pub payload: String,
}

/// One customer's complete list of subscriptions.
#[derive(Debug, Clone)]
pub struct CustomerSubscriptions {
    pub customer_id: i64,
    pub tenant_id: String,
    pub items: Vec<Pulled<PulledSubscription>>,
}

/// A customer the audit records named, as fetched again: its resource (`None`: Partner Center
/// answered 404, it is gone) and its subscriptions.
#[derive(Debug, Clone)]
pub struct ChangedCustomer {
    pub tenant_id: String,
    pub customer: Option<Pulled<PulledCustomer>>,
    pub subscriptions: Vec<Pulled<PulledSubscription>>,
}

/// The catalog, small enough to read once per batch.
struct Catalog {
    by_id: HashMap<String, CatalogOffer>,
    by_name: HashMap<String, Vec<String>>,
}

#[derive(Clone)]
struct CatalogOffer {
    id: String,
    name: String,
    min: i64,
    max: i64,
    terms: Vec<String>,
    cycles: Vec<String>,
}

impl Catalog {
    fn load(tx: &Connection) -> rusqlite::Result<Catalog> {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = tx.prepare_cached(
            "SELECT id, name, min_quantity, max_quantity, terms, billing_cycles FROM offers",
        )?;
        let rows = stmt.query_map([], |r| {
            let list = |i| -> rusqlite::Result<Vec<String>> {
                Ok(r.get::<_, String>(i)?
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .collect())
            };
            Ok(CatalogOffer {
                id: r.get(0)?,
                name: r.get(1)?,
                min: r.get(2)?,
                max: r.get(3)?,
                terms: list(4)?,
                cycles: list(5)?,
            })
        })?;
        for offer in rows {
            let offer = offer?;
            by_name
                .entry(offer.name.to_lowercase())
                .or_default()
                .push(offer.id.clone());
            by_id.insert(offer.id.to_ascii_uppercase(), offer);
        }
        Ok(Catalog { by_id, by_name })
    }

    /// By the product part of the offer ID, else by the one offer of that name.
    fn find(&self, offer_id: &str, offer_name: &str) -> Option<&CatalogOffer> {
        let product = offer_id.split(':').next().unwrap_or("").trim();
        self.by_id.get(&product.to_ascii_uppercase()).or_else(|| {
            match self.by_name.get(&offer_name.trim().to_lowercase()) {
                Some(ids) if ids.len() == 1 => self.by_id.get(&ids[0].to_ascii_uppercase()),
                _ => None,
            }
        })
    }
}

impl Store {
    /// The book's customers (id, tenant ID) after `after`, in id order, not removed: the next
    /// batch of a full pass's subscriptions phase.
    pub fn sync_customers_after(
        &self,
        after: i64,
        limit: usize,
    ) -> CommandResult<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, tenant_id FROM customers WHERE id > ?1 AND removed_at IS NULL
              ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![after, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A batch of customers' subscriptions, in one transaction, with the cursor after the batch
    /// (`last_customer`: customers Partner Center no longer had are passed over too).
    pub fn sync_subscriptions_batch(
        &self,
        batch: &[CustomerSubscriptions],
        last_customer: i64,
        at: DateTime<Utc>,
    ) -> CommandResult<Applied> {
        self.mutate(|tx, by| {
            let catalog = Catalog::load(tx)?;
            let mut applied = Applied::default();
            for c in batch {
                apply_customer_subscriptions(
                    tx,
                    &catalog,
                    c.customer_id,
                    &c.tenant_id,
                    &c.items,
                    at,
                    by,
                    &mut applied,
                )?;
            }
            tx.execute(
                "UPDATE sync_state SET after_customer = ?1 WHERE id = 1",
                [last_customer],
            )?;
            Ok(applied)
        })
    }

    /// One page of the audit records of an incremental pass: the customers they name join the
    /// queue, with the cursor of the page after; after the last page the queue is fetched.
    pub fn sync_audit_page(
        &self,
        tenants: &[String],
        next: Option<&super::sync_types::Cursor>,
    ) -> CommandResult<()> {
        self.mutate(|tx, _| {
            let mut queue = tx.prepare_cached("INSERT OR IGNORE INTO sync_changed (tenant_id) VALUES (?1)")?;
            for t in tenants {
                queue.execute([t.to_ascii_lowercase()])?;
            }
            match next {
                Some(cursor) => tx.execute(
                    "UPDATE sync_state SET next_path = ?1, continuation = ?2 WHERE id = 1",
                    params![cursor.path, cursor.continuation],
                )?,
                None => tx.execute(
                    "UPDATE sync_state SET phase = 'changed', next_path = NULL, continuation = NULL WHERE id = 1",
                    [],
                )?,
            };
            Ok(())
        })
    }

    /// The next customers of the audit queue.
    pub fn sync_changed_queue(&self, limit: usize) -> CommandResult<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tenant_id FROM sync_changed ORDER BY tenant_id LIMIT ?1")?;
        let rows = stmt
            .query_map([limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Customers fetched again, each with its subscriptions, in one transaction that also
    /// takes them off the queue. Returns what changed among customers and among subscriptions.
    pub fn sync_changed_batch(
        &self,
        batch: &[ChangedCustomer],
        at: DateTime<Utc>,
    ) -> CommandResult<(Applied, Applied)> {
        self.mutate(|tx, by| {
            let catalog = Catalog::load(tx)?;
            let (mut customers, mut subscriptions) = (Applied::default(), Applied::default());
            for c in batch {
                let placed = match &c.customer {
                    Some(Pulled::Row(row)) => upsert_customer(tx, row, at, by, &mut customers)?,
                    Some(Pulled::Held(h)) => {
                        hold(tx, h, at, &mut customers)?;
                        None
                    }
                    None => {
                        let found: Option<(i64, String, String)> = tx
                            .query_row(
                                "SELECT id, company_name, domain FROM customers
                                  WHERE tenant_id = ?1 AND removed_at IS NULL",
                                [&c.tenant_id],
                                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                            )
                            .optional()?;
                        if let Some((id, name, domain)) = found {
                            mark_customer_gone(tx, id, &name, &domain, at, by)?;
                            customers.removed += 1;
                        }
                        None
                    }
                };
                if let Some(id) = placed {
                    apply_customer_subscriptions(
                        tx,
                        &catalog,
                        id,
                        &c.tenant_id,
                        &c.subscriptions,
                        at,
                        by,
                        &mut subscriptions,
                    )?;
                }
                tx.execute(
                    "DELETE FROM sync_changed WHERE tenant_id = ?1",
                    [&c.tenant_id],
                )?;
            }
            Ok((customers, subscriptions))
        })
    }
}

/// The stored fields a pull compares, in the order of the UPDATE below.
type Stored = (
    i64,
    i64,
    String,
    Option<String>,
    i64,
    String,
    bool,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// A customer's complete list: each placed (or held), those of the customer no longer listed
/// marked removed, its held ones no longer listed forgotten.
#[allow(clippy::too_many_arguments)]
fn apply_customer_subscriptions(
    tx: &Connection,
    catalog: &Catalog,
    customer_id: i64,
    tenant_id: &str,
    items: &[Pulled<PulledSubscription>],
    at: DateTime<Utc>,
    by: Option<&Operator>,
    applied: &mut Applied,
) -> CommandResult<()> {
    let tenant = tenant_id.to_ascii_lowercase();
    let mut listed: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Pulled::Held(h) => {
                listed.push(h.remote_id.clone());
                hold(tx, h, at, applied)?;
            }
            Pulled::Row(s) => {
                listed.push(s.subscription_id.to_ascii_lowercase());
                place(tx, catalog, customer_id, &tenant, s, at, by, applied)?;
            }
        }
    }
    // Gone from the customer's list: marked, not deleted.
    let active: Vec<(i64, String, String)> = tx
        .prepare_cached(
            "SELECT s.id, s.subscription_id, o.name FROM subscriptions s JOIN offers o ON o.id = s.offer_id
              WHERE s.customer_id = ?1 AND s.removed_at IS NULL",
        )?
        .query_map([customer_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (id, subscription_id, offer) in active {
        if listed.contains(&subscription_id.to_ascii_lowercase()) {
            continue;
        }
        tx.execute(
            "UPDATE subscriptions SET removed_at = ?1 WHERE id = ?2",
            params![db_time(at), id],
        )?;
        audit(
            tx,
            at,
            by,
            ACTION_GONE,
            &format!("{offer} ({subscription_id})"),
            Some("Listed"),
            Some("Removed"),
        )?;
        applied.removed += 1;
    }
    // Held ones of this customer ('tenant/...', a range on the key) no longer listed.
    let held: Vec<String> = tx
        .prepare_cached(
            "SELECT remote_id FROM sync_held WHERE kind = 'subscription' AND remote_id >= ?1 AND remote_id < ?2",
        )?
        .query_map(params![format!("{tenant}/"), format!("{tenant}0")], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for remote_id in held {
        let subscription = remote_id.split_once('/').map_or("", |(_, s)| s);
        if !listed.iter().any(|l| l == &remote_id || l == subscription) {
            tx.execute(
                "DELETE FROM sync_held WHERE kind = 'subscription' AND remote_id = ?1",
                [&remote_id],
            )?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn place(
    tx: &Connection,
    catalog: &Catalog,
    customer_id: i64,
    tenant: &str,
    s: &PulledSubscription,
    at: DateTime<Utc>,
    by: Option<&Operator>,
    applied: &mut Applied,
) -> CommandResult<()> {
    let held = |problem: String| Held {
        kind: "subscription".into(),
        remote_id: format!("{tenant}/{}", s.subscription_id.to_ascii_lowercase()),
        name: if s.offer_name.trim().is_empty() {
            s.subscription_id.clone()
        } else {
            s.offer_name.clone()
        },
        problem,
        payload: s.payload.clone(),
    };
    let Some(offer) = catalog.find(&s.offer_id, &s.offer_name) else {
        let why = format!(
            "its offer {:?} ({}) is not in twotier's catalog, by ID or by name",
            s.offer_name, s.offer_id
        );
        hold(tx, &held(why), at, applied)?;
        return Ok(());
    };
    let found: Option<Stored> = tx
        .prepare_cached(
            "SELECT id, customer_id, offer_id, friendly_name, quantity, status, auto_renew, term,
                    billing_cycle, created_at, term_started_at, commitment_end_date, reseller_id,
                    pc_problem, removed_at
               FROM subscriptions WHERE subscription_id = ?1",
        )?
        .query_row([&s.subscription_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
                r.get(14)?,
            ))
        })
        .optional()?;
    if let Some(f) = &found
        && f.1 != customer_id
    {
        let why = "its subscription ID belongs to another customer in the book: a subscription never moves".to_owned();
        hold(tx, &held(why), at, applied)?;
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM sync_held WHERE kind = 'subscription' AND remote_id = ?1")?
        .execute([held(String::new()).remote_id])?;
    let mut problems: Vec<String> = s.problem.iter().cloned().collect();
    if !(offer.min..=offer.max).contains(&s.quantity) {
        problems.push(format!(
            "{} licenses is outside {}'s allowed {}–{}",
            s.quantity, offer.name, offer.min, offer.max
        ));
    }
    let term = match &s.term {
        Some(t) => {
            if !offer.terms.contains(t) {
                problems.push(format!("{} is not offered for the term {t}", offer.name));
            }
            t.clone()
        }
        None => {
            problems.push("Partner Center sent no term (termDuration)".into());
            offer.terms.first().cloned().unwrap_or_else(|| "P1M".into())
        }
    };
    let cycle = match &s.billing_cycle {
        Some(c) => {
            if !offer.cycles.contains(c) {
                problems.push(format!("{} is not billed {c}", offer.name));
            }
            c.clone()
        }
        None => offer
            .cycles
            .first()
            .cloned()
            .unwrap_or_else(|| "monthly".into()),
    };
    let reseller_id: Option<i64> = match s.partner_id.as_deref() {
        None => None,
        Some(partner_id) => {
            let id: Option<i64> = tx
                .prepare_cached(
                    "SELECT id FROM resellers WHERE partner_id = ?1
                      ORDER BY CASE state WHEN 'active' THEN 0 ELSE 1 END, id DESC LIMIT 1",
                )?
                .query_row([partner_id], |r| r.get(0))
                .optional()?;
            if id.is_none() {
                problems.push(format!(
                    "its partner of record (PartnerID {partner_id}) is not among the provider's indirect resellers"
                ));
            }
            id
        }
    };
    let problem = (!problems.is_empty()).then(|| problems.join("; "));
    let fields = (
        offer.id.clone(),
        s.friendly_name.clone(),
        s.quantity,
        s.status.clone(),
        s.auto_renew,
        term,
        cycle,
        db_time(s.created_at),
        db_time(s.term_started_at),
        s.commitment_end_date.clone(),
        reseller_id,
        problem,
    );
    let label = format!("{} ({})", offer.name, s.subscription_id);
    let shown = format!(
        "{} × {}, {}, {}",
        fields.2,
        offer.name,
        fields.3,
        if fields.4 {
            "auto-renew"
        } else {
            "no auto-renew"
        }
    );
    match found {
        None => {
            tx.prepare_cached(
                "INSERT INTO subscriptions (subscription_id, customer_id, offer_id, friendly_name, quantity,
                        status, auto_renew, term, billing_cycle, created_at, term_started_at,
                        commitment_end_date, reseller_id, pc_problem)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                s.subscription_id, customer_id, fields.0, fields.1, fields.2, fields.3, fields.4,
                fields.5, fields.6, fields.7, fields.8, fields.9, fields.10, fields.11
            ])?;
            audit(tx, at, by, ACTION_PULLED, &label, None, Some(&shown))?;
            applied.added += 1;
        }
        Some(f) => {
            let same = f.2 == fields.0
                && f.3 == fields.1
                && f.4 == fields.2
                && f.5 == fields.3
                && f.6 == fields.4
                && f.7 == fields.5
                && f.8 == fields.6
                && f.9 == fields.7
                && f.10 == fields.8
                && f.11 == fields.9
                && f.12 == fields.10
                && f.13 == fields.11
                && f.14.is_none();
            if same {
                applied.unchanged += 1;
                return Ok(());
            }
            let before = format!(
                "{} × {}, {}, {}",
                f.4,
                f.2,
                f.5,
                if f.6 { "auto-renew" } else { "no auto-renew" }
            );
            tx.prepare_cached(
                "UPDATE subscriptions SET offer_id = ?1, friendly_name = ?2, quantity = ?3, status = ?4,
                        auto_renew = ?5, term = ?6, billing_cycle = ?7, created_at = ?8,
                        term_started_at = ?9, commitment_end_date = ?10, reseller_id = ?11,
                        pc_problem = ?12, removed_at = NULL
                  WHERE id = ?13",
            )?
            .execute(params![
                fields.0, fields.1, fields.2, fields.3, fields.4, fields.5, fields.6, fields.7,
                fields.8, fields.9, fields.10, fields.11, f.0
            ])?;
            audit(
                tx,
                at,
                by,
                ACTION_CHANGED,
                &label,
                Some(&before),
                Some(&shown),
            )?;
            applied.changed += 1;
        }
    }
    Ok(())
}
