//! Partnerships with indirect resellers: compliance, removal and its impact.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{CommandResult, Store, audit, db_time, parse_db_time, refuse};
use crate::domain::compliance::Compliance;
use crate::domain::permission::Permission;
use crate::domain::text::cleaned;

/// What stays pointing at a reseller after its partnership is removed: Partner Center removes
/// none of it, so the operator sees it before saying Yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RemovalImpact {
    /// Customers associated with the reseller.
    pub customers: i64,
    /// Subscriptions with the reseller as partner of record ("Reseller (MPN ID)").
    pub partner_of_record: i64,
    /// Subscriptions with the reseller as designated support contact.
    pub support_contact: i64,
}

/// How many of each the removal preview lists; the rest are counted ("and 1 234 more").
pub const PREVIEW_ROWS: usize = 200;

/// The first customers associated with the reseller (`?1`), by name, along
/// `customers_by_reseller_name`; `?2` is the limit.
pub const PREVIEW_CUSTOMERS_SQL: &str =
    "SELECT id, company_name FROM customers WHERE reseller_id = ?1
     ORDER BY company_name, id LIMIT ?2";

/// The first subscriptions naming the reseller (`?1`) in either role, oldest first: each role's
/// index walked and stopped at the limit (`?2`).
pub const PREVIEW_SUBSCRIPTIONS_SQL: &str = "SELECT s.id, c.company_name, o.name, s.reseller_id IS ?1, s.support_reseller_id IS ?1
     FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id
     WHERE s.id IN (
       SELECT id FROM (SELECT id FROM subscriptions WHERE reseller_id = ?1 ORDER BY id LIMIT ?2)
       UNION
       SELECT id FROM (SELECT id FROM subscriptions WHERE support_reseller_id = ?1 ORDER BY id LIMIT ?2)
       ORDER BY id LIMIT ?2)
     ORDER BY s.id";

/// A customer the removal leaves associated with the reseller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedCustomer {
    pub id: i64,
    pub company_name: String,
}

/// A subscription the removal leaves naming the reseller, and in which role(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedSubscription {
    pub id: i64,
    pub customer: String,
    pub offer: String,
    pub partner_of_record: bool,
    pub support_contact: bool,
}

/// What Remove partnership shows before Yes: the counts, and the first [`PREVIEW_ROWS`]
/// customers (by name) and subscriptions (oldest first) by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemovalPreview {
    pub impact: RemovalImpact,
    pub customers: Vec<AffectedCustomer>,
    pub subscriptions: Vec<AffectedSubscription>,
    /// Subscriptions naming the reseller in either role, each counted once.
    pub subscriptions_total: i64,
}

/// A reseller as the CLI lists it (active or removed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResellerRecord {
    pub name: String,
    pub partner_id: String,
    pub location: String,
    pub tenant_id: Option<String>,
    pub state: String,
    /// `null` in `--json`: nobody has checked it yet (Unknown).
    pub mpa_signed: Option<bool>,
    /// `null` in `--json`: nobody has checked it yet (Unknown).
    pub por_valid: Option<bool>,
    pub customers: i64,
    pub since: DateTime<Utc>,
    pub removed_at: Option<DateTime<Utc>>,
}

impl Store {
    pub fn removal_impact(&self, reseller_id: i64) -> CommandResult<RemovalImpact> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM customers WHERE reseller_id = ?1),
                    (SELECT count(*) FROM subscriptions WHERE reseller_id = ?1),
                    (SELECT count(*) FROM subscriptions WHERE support_reseller_id = ?1)",
            [reseller_id],
            |r| {
                Ok(RemovalImpact {
                    customers: r.get(0)?,
                    partner_of_record: r.get(1)?,
                    support_contact: r.get(2)?,
                })
            },
        )?)
    }

    /// The counts and the first rows of what stays with the reseller: bounded queries along
    /// `customers_by_reseller_name`, `subscriptions_by_reseller` and `subscriptions_by_support`.
    pub fn removal_preview(&self, reseller_id: i64) -> CommandResult<RemovalPreview> {
        let impact = self.removal_impact(reseller_id)?;
        let limit = PREVIEW_ROWS as i64;
        let customers = self
            .conn
            .prepare_cached(PREVIEW_CUSTOMERS_SQL)?
            .query_map(params![reseller_id, limit], |r| {
                Ok(AffectedCustomer {
                    id: r.get(0)?,
                    company_name: cleaned(crate::store::text(r, 1)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        let subscriptions = self
            .conn
            .prepare_cached(PREVIEW_SUBSCRIPTIONS_SQL)?
            .query_map(params![reseller_id, limit], |r| {
                Ok(AffectedSubscription {
                    id: r.get(0)?,
                    customer: cleaned(crate::store::text(r, 1)?),
                    offer: cleaned(crate::store::text(r, 2)?),
                    partner_of_record: r.get(3)?,
                    support_contact: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let subscriptions_total = self.conn.prepare_cached(
            "SELECT (SELECT count(*) FROM subscriptions WHERE reseller_id = ?1)
                  + (SELECT count(*) FROM subscriptions WHERE support_reseller_id = ?1 AND reseller_id IS NOT ?1)",
        )?
        .query_row([reseller_id], |r| r.get(0))?;
        Ok(RemovalPreview {
            impact,
            customers,
            subscriptions,
            subscriptions_total,
        })
    }

    /// The name of the active reseller with this PartnerID, if any.
    pub fn active_reseller_name(&self, partner_id: &str) -> CommandResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name FROM resellers WHERE partner_id = ?1 AND state = 'active'",
                [partner_id],
                |r| r.get(0),
            )
            .optional()?
            .map(cleaned))
    }

    /// The active reseller with this PartnerID.
    pub fn active_reseller_id(&self, partner_id: &str) -> CommandResult<i64> {
        let id = self
            .conn
            .query_row(
                "SELECT id FROM resellers WHERE partner_id = ?1 AND state = 'active'",
                [partner_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map_or_else(
            || {
                refuse(format!(
                    "No active indirect reseller has PartnerID {}.",
                    crate::domain::text::escaped(partner_id)
                ))
            },
            Ok,
        )
    }

    /// Removes the partnership: the reseller leaves the list. Its customers keep their
    /// association, subscriptions keep their partner of record and support contact, delegated
    /// admin privileges are unchanged: nothing else is touched.
    pub fn remove_partnership(
        &mut self,
        reseller_id: i64,
        at: DateTime<Utc>,
    ) -> CommandResult<RemovalImpact> {
        self.transact(|s| {
            s.require(Permission::RemovePartnership)?;
            // Counted under the write lock, so the audit entry says what the removal really kept.
            let impact = s.removal_impact(reseller_id)?;
            s.mutate(|tx, by| {
            let found: Option<(String, String, String)> = tx
                .query_row("SELECT name, partner_id, state FROM resellers WHERE id = ?1", [reseller_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let Some((name, partner_id, state)) = found else { return refuse("That reseller no longer exists.") };
            if state != "active" {
                return refuse(format!("The partnership with {} was already removed.", cleaned(name)));
            }
            tx.execute(
                "UPDATE resellers SET state = 'removed', removed_at = ?1, removed_by = ?2 WHERE id = ?3",
                params![db_time(at), by.map(|o| o.id), reseller_id],
            )?;
            audit(
                tx,
                at,
                by,
                "Partnership removed",
                &format!("{name} ({partner_id})"),
                Some("Active"),
                Some(&format!(
                    "Removed; kept {} customers, {} subscriptions as partner of record, {} as support contact",
                    impact.customers, impact.partner_of_record, impact.support_contact
                )),
            )?;
            Ok(impact)
            })
        })
    }

    /// Records the reseller's compliance: MPA signed for its region, PartnerID valid as partner
    /// of record, each possibly Unknown again. Orders refuse to credit a reseller that fails
    /// either, and ask first when one is unknown.
    pub fn set_compliance(
        &mut self,
        reseller_id: i64,
        compliance: Compliance,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        self.transact(|s| {
            s.require(Permission::EditCompliance)?;
            s.mutate(|tx, by| {
            let found: Option<(String, Compliance)> = tx
                .query_row("SELECT name, mpa_signed, por_valid FROM resellers WHERE id = ?1 AND state = 'active'", [reseller_id], |r| {
                    Ok((r.get(0)?, Compliance::new(r.get(1)?, r.get(2)?)))
                })
                .optional()?;
            let Some((name, before)) = found else {
                return refuse("That reseller is no longer an active partner.");
            };
            if before == compliance {
                return Ok(());
            }
            tx.execute(
                "UPDATE resellers SET mpa_signed = ?1, por_valid = ?2 WHERE id = ?3",
                params![compliance.mpa.known(), compliance.por.known(), reseller_id],
            )?;
            audit(tx, at, by, "Compliance changed", &name, Some(&before.describe()), Some(&compliance.describe()))?;
            Ok(())
            })
        })
    }

    /// Every reseller by name, for the CLI; removed ones only with `all`.
    pub fn all_resellers(&self, all: bool) -> CommandResult<Vec<ResellerRecord>> {
        self.resellers_matching(all, "")
    }

    /// Like [`Store::all_resellers`], only those whose name, PartnerID, Microsoft ID or email
    /// contains `search` (the lists' rule; empty: all).
    pub fn resellers_matching(
        &self,
        all: bool,
        search: &str,
    ) -> CommandResult<Vec<ResellerRecord>> {
        self.require(Permission::ViewResellers)?;
        let query = crate::domain::fold::fold_query(search);
        let matching = if query.is_empty() {
            "?2 = ''".to_owned()
        } else {
            super::search::contains_clause(super::search::RESELLERS, "r.id", &query, "?2")
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.name, r.partner_id, r.location, r.tenant_id, r.state, r.mpa_signed, r.por_valid,
                    (SELECT count(*) FROM customers c WHERE c.reseller_id = r.id AND c.removed_at IS NULL), r.established_at, r.removed_at
             FROM resellers r WHERE (?1 OR r.state = 'active') AND {matching} ORDER BY r.name, r.id",
        ))?;
        let value = match query.is_empty() {
            true => String::new(),
            false => super::search::contains_value(&query),
        };
        let rows = stmt
            .query_map(rusqlite::params![all, value], |r| {
                Ok(ResellerRecord {
                    name: cleaned(crate::store::text(r, 0)?),
                    partner_id: cleaned(crate::store::text(r, 1)?),
                    location: cleaned(crate::store::text(r, 2)?),
                    tenant_id: crate::store::opt_text(r, 3)?.map(cleaned),
                    state: r.get(4)?,
                    mpa_signed: r.get(5)?,
                    por_valid: r.get(6)?,
                    customers: r.get(7)?,
                    since: parse_db_time(&crate::store::text(r, 8)?)?,
                    removed_at: r
                        .get::<_, Option<String>>(9)?
                        .map(|t| parse_db_time(&t))
                        .transpose()?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

impl Store {
    /// "Indirect reseller not in the list? Enter MPN ID" → Verify: the active reseller of the
    /// book with this PartnerID, or why it can't be one, in words. Its compliance (MPA, POR) is
    /// in the row; whether it can be credited is the caller's to say.
    pub fn verify_partner_id(
        &self,
        partner_id: &str,
    ) -> CommandResult<Result<super::list::ResellerRow, String>> {
        use super::list::{Key, Listed, RESELLER_COLUMNS, ResellerRow, SortValue};
        let id = match crate::domain::ids::PartnerId::parse(partner_id) {
            Ok(id) => id,
            Err(problem) => return Ok(Err(problem)),
        };
        let own: Option<String> = self
            .conn
            .query_row("SELECT partner_id FROM provider WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        if own.as_deref().map(str::trim) == Some(id.as_str()) {
            return Ok(Err(format!(
                "{id} is your own PartnerID (the indirect provider's): a subscription credits an indirect reseller, or none."
            )));
        }
        // The active partnership first; a removed one only to say so.
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {RESELLER_COLUMNS} FROM resellers r WHERE r.partner_id = ?1
                     ORDER BY r.state = 'active' DESC, r.id DESC LIMIT 1"
                ),
                [id.as_str()],
                |r| {
                    let key = Key {
                        sort: SortValue::Integer(0),
                        id: r.get(0)?,
                    };
                    ResellerRow::from_row(r, key)
                },
            )
            .optional()?;
        Ok(match row {
            None => Err(format!(
                "No active indirect reseller has PartnerID {id}; ask them to accept a partnership request first."
            )),
            Some(r) if !r.is_active() => Err(format!(
                "{} ({id}): the partnership was removed{}; ask them to accept a new partnership request first.",
                r.name,
                r.removed_at
                    .map(|t| format!(" on {}", t.format("%Y-%m-%d")))
                    .unwrap_or_default()
            )),
            Some(r) => Ok(r),
        })
    }
}
