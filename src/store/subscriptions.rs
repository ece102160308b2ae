//! Subscriptions: one customer's list, and Subscription details — quantity, status, auto-renew,
//! reseller of record, designated support contact and upgrade — saved in one transaction.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::customers::{OFFER_COLUMNS, Offer, crediting_refusal, offer_from_row};
use super::list::{Filter, Key, ListSpec, Listed, SortValue};
use super::{CommandResult, Store, audit, parse_db_time, refuse};
use crate::domain::permission::Permission;
use crate::domain::text::cleaned;

/// Days after purchase or renewal during which licenses can be removed and a subscription
/// cancelled (new commerce).
pub const CHANGE_WINDOW_DAYS: i64 = 7;

/// A row of a customer's subscriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    pub id: i64,
    pub offer: String,
    pub quantity: i64,
    pub status: String,
    pub reseller: Option<String>,
    pub support_contact: Option<String>,
    pub term: String,
    /// The partner of record is a reseller whose partnership was removed.
    pub reseller_removed: bool,
    /// The designated support contact is a reseller whose partnership was removed.
    pub support_removed: bool,
    pub key: Key,
}

impl Listed for SubscriptionRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: "s.id, o.name, s.quantity, s.status, r.name, sr.name, s.term, \
                      coalesce(r.state = 'removed', 0), coalesce(sr.state = 'removed', 0)",
            from: "subscriptions s JOIN offers o ON o.id = s.offer_id LEFT JOIN resellers r ON r.id = s.reseller_id \
                   LEFT JOIN resellers sr ON sr.id = s.support_reseller_id",
            // One a sync marked removed (Partner Center no longer lists it) stays in the book.
            scope: "s.removed_at IS NULL",
            sort: "s.id",
            id: "s.id",
            search: &[],
            reseller: Some("s.reseller_id"),
            customer: Some("s.customer_id"),
            descending: false,
            ends_by: None,
        }
    }

    fn from_row(r: &Row<'_>, _: Key) -> rusqlite::Result<Self> {
        let id: i64 = r.get(0)?;
        Ok(SubscriptionRow {
            id,
            offer: cleaned(crate::store::text(r, 1)?),
            quantity: r.get(2)?,
            status: r.get(3)?,
            reseller: crate::store::opt_text(r, 4)?.map(cleaned),
            support_contact: crate::store::opt_text(r, 5)?.map(cleaned),
            term: r.get(6)?,
            reseller_removed: r.get(7)?,
            support_removed: r.get(8)?,
            key: Key {
                sort: SortValue::Integer(id),
                id,
            },
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// A reseller as a subscription names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerRef {
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    /// Its partnership was removed: the subscription still names it until someone picks a
    /// current reseller (or none).
    pub removed: bool,
}

/// Everything Subscription details shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionDetail {
    pub id: i64,
    pub subscription_id: String,
    pub customer: String,
    pub offer: Offer,
    pub quantity: i64,
    pub status: String,
    pub auto_renew: bool,
    pub term: String,
    pub billing_cycle: String,
    pub created_at: DateTime<Utc>,
    pub term_started_at: DateTime<Utc>,
    pub commitment_end_date: String,
    pub reseller: Option<ResellerRef>,
    pub support_contact: Option<ResellerRef>,
    /// The offers this one can be upgraded to (`upgrades_to` of the catalog), cheapest first.
    pub upgrades: Vec<Offer>,
}

impl SubscriptionDetail {
    /// Licenses can be removed, and the subscription cancelled, only this soon after purchase or
    /// renewal.
    pub fn in_change_window(&self, now: DateTime<Utc>) -> bool {
        now - self.term_started_at <= Duration::days(CHANGE_WINDOW_DAYS)
    }

    pub fn window_closes(&self) -> DateTime<Utc> {
        self.term_started_at + Duration::days(CHANGE_WINDOW_DAYS)
    }
}

/// What the operator set on Subscription details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionChanges {
    pub quantity: i64,
    /// `active`, `suspended`, or `deleted` (cancelled).
    pub status: String,
    pub auto_renew: bool,
    pub reseller_id: Option<i64>,
    pub support_reseller_id: Option<i64>,
    pub offer_id: String,
}

fn reseller_ref(
    id: Option<i64>,
    name: Option<String>,
    partner_id: Option<String>,
    state: Option<String>,
) -> Option<ResellerRef> {
    Some(ResellerRef {
        id: id?,
        name: cleaned(name?),
        partner_id: cleaned(partner_id?),
        removed: state.as_deref() == Some("removed"),
    })
}

/// How every list marks a subscription whose partner of record or support contact is a reseller
/// whose partnership was removed.
pub const REMOVED_MARK: &str = "⚠ reseller removed";

/// Why a subscription that still names a removed reseller can't be saved as it stands.
pub fn removed_reseller_refusal(role: &str, name: &str, partner_id: &str) -> String {
    format!(
        "{name} ({partner_id}) on {role} is a removed reseller: pick a current reseller or none there before saving any change."
    )
}

impl Store {
    pub fn subscription_detail(&self, id: i64) -> CommandResult<SubscriptionDetail> {
        let row = self
            .conn
            .query_row(
                "SELECT s.id, s.subscription_id, c.company_name, s.offer_id, s.quantity, s.status, s.auto_renew, s.term,
                        s.billing_cycle, s.created_at, s.term_started_at, s.commitment_end_date,
                        r.id, r.name, r.partner_id, sr.id, sr.name, sr.partner_id, r.state, sr.state
                 FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                 LEFT JOIN resellers r ON r.id = s.reseller_id
                 LEFT JOIN resellers sr ON sr.id = s.support_reseller_id
                 WHERE s.id = ?1",
                [id],
                |r| {
                    Ok((
                        (r.get::<_, i64>(0)?, crate::store::text(r, 1)?, cleaned(crate::store::text(r, 2)?), crate::store::text(r, 3)?),
                        (r.get::<_, i64>(4)?, crate::store::text(r, 5)?, r.get::<_, bool>(6)?, crate::store::text(r, 7)?),
                        (crate::store::text(r, 8)?, crate::store::text(r, 9)?, crate::store::text(r, 10)?, crate::store::text(r, 11)?),
                        reseller_ref(r.get(12)?, r.get(13)?, r.get(14)?, r.get(18)?),
                        reseller_ref(r.get(15)?, r.get(16)?, r.get(17)?, r.get(19)?),
                    ))
                },
            )
            .optional()?;
        let Some((
            (id, subscription_id, customer, offer_id),
            (quantity, status, auto_renew, term),
            dates,
            reseller,
            support,
        )) = row
        else {
            return refuse("That subscription no longer exists.");
        };
        let offer = self.conn.query_row(
            &format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = ?1"),
            [&offer_id],
            offer_from_row,
        )?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {OFFER_COLUMNS} FROM offers WHERE id IN (SELECT to_offer FROM offer_upgrades WHERE from_offer = ?1)
             ORDER BY unit_price_cents, name"
        ))?;
        let upgrades = stmt
            .query_map([&offer_id], offer_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(SubscriptionDetail {
            id,
            subscription_id,
            customer,
            offer,
            quantity,
            status,
            auto_renew,
            term,
            billing_cycle: dates.0,
            created_at: parse_db_time(&dates.1)?,
            term_started_at: parse_db_time(&dates.2)?,
            commitment_end_date: dates.3,
            reseller,
            support_contact: support,
            upgrades,
        })
    }

    /// Submit on Subscription details: every change, checked against the rules, in one
    /// transaction with one audit entry. Returns the changes in words (empty: nothing changed).
    pub fn update_subscription(
        &mut self,
        id: i64,
        changes: &SubscriptionChanges,
        at: DateTime<Utc>,
    ) -> CommandResult<Vec<String>> {
        self.update_subscription_tx(id, changes, at)
    }

    /// [`Store::update_subscription`] through a shared store (a rehearsal).
    pub fn update_subscription_tx(
        &self,
        id: i64,
        changes: &SubscriptionChanges,
        at: DateTime<Utc>,
    ) -> CommandResult<Vec<String>> {
        // The subscription as it is under the write lock: every rule below is checked against
        // the state the write replaces.
        self.transact(|s| s.update_subscription_now(id, changes, at))
    }

    fn update_subscription_now(
        &self,
        id: i64,
        changes: &SubscriptionChanges,
        at: DateTime<Utc>,
    ) -> CommandResult<Vec<String>> {
        let before = self.subscription_detail(id)?;
        // Each kind of change needs its own permission, checked before any other rule.
        let order_changed = changes.quantity != before.quantity
            || changes.status != before.status
            || changes.auto_renew != before.auto_renew
            || changes.offer_id != before.offer.id;
        if order_changed {
            self.require(Permission::PlaceOrders)?;
        }
        if changes.reseller_id != before.reseller.as_ref().map(|r| r.id) {
            self.require(Permission::ChangeReseller)?;
        }
        if changes.support_reseller_id != before.support_contact.as_ref().map(|r| r.id) {
            self.require(Permission::SetSupportContact)?;
        }
        let mut said = Vec::new();
        let window = before.in_change_window(at);
        let closes = before.window_closes().format("%Y-%m-%d %H:%M UTC");
        // The offer first: the quantity is checked against the offer it will have.
        let offer = if changes.offer_id == before.offer.id {
            before.offer.clone()
        } else {
            if before.status != "active" {
                return refuse(format!(
                    "Only an active subscription can be upgraded; this one is {}.",
                    before.status
                ));
            }
            match before.upgrades.iter().find(|o| o.id == changes.offer_id) {
                Some(o) => {
                    said.push(format!("offer {} → {}", before.offer.name, o.name));
                    o.clone()
                }
                None => {
                    return refuse(format!(
                        "{} can't be upgraded to that offer.",
                        before.offer.name
                    ));
                }
            }
        };
        if changes.quantity != before.quantity {
            if !(offer.min_quantity..=offer.max_quantity).contains(&changes.quantity) {
                return refuse(format!(
                    "{} licenses is outside {}'s {}–{} (error 900275).",
                    changes.quantity, offer.name, offer.min_quantity, offer.max_quantity
                ));
            }
            if changes.quantity < before.quantity && !window {
                return refuse(format!(
                    "Licenses can only be removed within {CHANGE_WINDOW_DAYS} days of purchase or renewal; that window closed on \
                     {closes} (error 800090). Add licenses at any time; remove them at the next renewal."
                ));
            }
            said.push(format!(
                "quantity {} → {}",
                before.quantity, changes.quantity
            ));
        }
        if changes.status != before.status {
            let allowed = match (before.status.as_str(), changes.status.as_str()) {
                ("active", "suspended") | ("suspended", "active") => true,
                ("active" | "suspended", "deleted") => {
                    if !window {
                        return refuse(format!(
                            "A subscription can only be cancelled within {CHANGE_WINDOW_DAYS} days of purchase or renewal; that \
                             window closed on {closes}. Turn auto-renew off instead."
                        ));
                    }
                    true
                }
                _ => false,
            };
            if !allowed {
                return refuse(format!(
                    "A {} subscription can't become {}.",
                    before.status, changes.status
                ));
            }
            said.push(format!("status {} → {}", before.status, changes.status));
        }
        // Suspending a new-commerce subscription turns auto-renew off.
        let auto_renew = changes.auto_renew && changes.status == "active";
        if auto_renew != before.auto_renew {
            said.push(format!(
                "auto-renew {} → {}",
                on_off(before.auto_renew),
                on_off(auto_renew)
            ));
        }
        let reseller_changed = changes.reseller_id != before.reseller.as_ref().map(|r| r.id);
        let support_changed =
            changes.support_reseller_id != before.support_contact.as_ref().map(|r| r.id);
        self.mutate(|tx, by| {
            let describe = |id: Option<i64>, none: &str| -> rusqlite::Result<String> {
                match id {
                    None => Ok(none.to_owned()),
                    Some(id) => tx.query_row("SELECT name || ' (' || partner_id || ')' FROM resellers WHERE id = ?1", [id], |r| {
                        r.get::<_, String>(0).map(cleaned)
                    }),
                }
            };
            if reseller_changed {
                if let Some(rid) = changes.reseller_id {
                    let found: Option<(String, String, crate::domain::compliance::Compliance)> = tx
                        .query_row("SELECT name, state, mpa_signed, por_valid FROM resellers WHERE id = ?1", [rid], |r| {
                            Ok((r.get(0)?, r.get(1)?, crate::domain::compliance::Compliance::new(r.get(2)?, r.get(3)?)))
                        })
                        .optional()?;
                    let Some((name, state, compliance)) = found else { return refuse("That reseller no longer exists.") };
                    if let Some(why) = crediting_refusal(&cleaned(name), &state, compliance) {
                        return refuse(why);
                    }
                }
                said.push(format!(
                    "reseller {} → {}",
                    describe(before.reseller.as_ref().map(|r| r.id), "none")?,
                    describe(changes.reseller_id, "none")?
                ));
            }
            if support_changed {
                if let Some(rid) = changes.support_reseller_id {
                    let state: Option<String> =
                        tx.query_row("SELECT state FROM resellers WHERE id = ?1", [rid], |r| r.get(0)).optional()?;
                    if state.as_deref() != Some("active") {
                        return refuse("The designated support contact must be an active indirect reseller, or you.");
                    }
                }
                said.push(format!(
                    "support contact {} → {}",
                    describe(before.support_contact.as_ref().map(|r| r.id), "the provider")?,
                    describe(changes.support_reseller_id, "the provider")?
                ));
            }
            if said.is_empty() {
                return Ok(());
            }
            // A change is saved only once neither role names a removed reseller any more.
            for (role, rid) in [("Reseller (MPN ID)", changes.reseller_id), ("Designated support contact", changes.support_reseller_id)] {
                let Some(rid) = rid else { continue };
                let removed: Option<(String, String)> = tx
                    .query_row("SELECT name, partner_id FROM resellers WHERE id = ?1 AND state = 'removed'", [rid], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?;
                if let Some((name, partner_id)) = removed {
                    return refuse(removed_reseller_refusal(role, &cleaned(name), &cleaned(partner_id)));
                }
            }
            tx.execute(
                "UPDATE subscriptions SET quantity = ?1, status = ?2, auto_renew = ?3, reseller_id = ?4,
                                          support_reseller_id = ?5, offer_id = ?6
                 WHERE id = ?7",
                params![
                    changes.quantity,
                    changes.status,
                    auto_renew,
                    changes.reseller_id,
                    changes.support_reseller_id,
                    changes.offer_id,
                    id
                ],
            )?;
            audit(
                tx,
                at,
                by,
                "Subscription changed",
                &format!("{} of {} ({})", before.offer.name, before.customer, before.subscription_id),
                None,
                Some(&said.join("; ")),
            )?;
            Ok(())
        })?;
        Ok(said)
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}
