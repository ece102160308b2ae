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
        self.require(Permission::ViewResellers)?;
        let mut stmt = self.conn.prepare(
            "SELECT r.name, r.partner_id, r.location, r.tenant_id, r.state, r.mpa_signed, r.por_valid,
                    (SELECT count(*) FROM customers c WHERE c.reseller_id = r.id), r.established_at, r.removed_at
             FROM resellers r WHERE ?1 OR r.state = 'active' ORDER BY r.name, r.id",
        )?;
        let rows = stmt
            .query_map([all], |r| {
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
