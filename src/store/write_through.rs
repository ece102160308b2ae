//! A connected book's writes: every change goes to Partner Center first and lands here only from
//! its answer. Before the call, [`Store::rehearse`] runs the same command the offline book runs
//! (its permission and every rule) and rolls it back; after it, the `record_*` commands write
//! what Partner Center answered (its tenant, order and subscription ids) in one transaction,
//! with the calls' correlation ids in the activity log entry. What Partner Center did is the
//! truth: a record does not refuse it again by the book's rules.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::customers::{GivenIds, GivenOrder, NewCustomer, NewOrder};
use super::{CommandResult, OpenTransaction, Store, audit, refuse};
use crate::domain::text::cleaned;

/// A reseller as a Partner Center call names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteReseller {
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    /// Its tenant ID (`associatedPartnerId`, a support contact's `supportTenantId`); a reseller
    /// recorded without one can't be named to Partner Center until a sync brings it.
    pub tenant_id: Option<String>,
    pub active: bool,
    /// What the book last knew of its MPA and partner-of-record checks.
    pub compliance: crate::domain::compliance::Compliance,
}

/// Where a subscription is in Partner Center: its customer's tenant ID and its own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSubscription {
    pub customer_tenant_id: String,
    pub subscription_id: String,
}

/// A subscription as Partner Center answered a change: what the book records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSubscription {
    pub quantity: i64,
    pub status: String,
    pub auto_renew: bool,
    pub reseller_id: Option<i64>,
    pub support_reseller_id: Option<i64>,
    pub offer_id: String,
    /// After an upgrade, the subscription the licenses moved to.
    pub subscription_id: String,
}

impl Store {
    /// Runs `f` as the book would (permission, rules, writes) and rolls all of it back: the
    /// checks a connected book makes before it asks Partner Center. Returns what `f` returned.
    pub fn rehearse<T>(&self, f: impl FnOnce(&Store) -> CommandResult<T>) -> CommandResult<T> {
        if !self.conn.is_autocommit() {
            return refuse("a rehearsal can't run inside another transaction");
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        // Dropped at the end: rolled back, whatever `f` did.
        let _open = OpenTransaction(&self.conn);
        f(self)
    }

    pub fn remote_reseller(&self, id: i64) -> CommandResult<RemoteReseller> {
        let found = self
            .conn
            .query_row(
                "SELECT id, name, partner_id, tenant_id, state, mpa_signed, por_valid FROM resellers WHERE id = ?1",
                [id],
                |r| {
                    Ok(RemoteReseller {
                        id: r.get(0)?,
                        name: cleaned(super::text(r, 1)?),
                        partner_id: super::text(r, 2)?,
                        tenant_id: super::opt_text(r, 3)?.filter(|t| !t.trim().is_empty()),
                        active: super::text(r, 4)? == "active",
                        compliance: crate::domain::compliance::Compliance::new(r.get(5)?, r.get(6)?),
                    })
                },
            )
            .optional()?;
        match found {
            Some(r) => Ok(r),
            None => refuse("That reseller no longer exists."),
        }
    }

    /// The active reseller with this PartnerID, if the book has one.
    pub fn active_reseller_with_partner_id(&self, partner_id: &str) -> CommandResult<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM resellers WHERE partner_id = ?1 AND state = 'active'",
                [partner_id.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The provider's own tenant ID, PartnerID and name: the support contact "you".
    pub fn provider_remote(&self) -> CommandResult<(String, String, String)> {
        Ok(self.conn.query_row(
            "SELECT tenant_id, partner_id, company_name FROM provider WHERE id = 1",
            [],
            |r| {
                Ok((
                    super::text(r, 0)?,
                    super::text(r, 1)?,
                    cleaned(super::text(r, 2)?),
                ))
            },
        )?)
    }

    /// A customer's tenant ID (its id in Partner Center).
    pub fn customer_tenant_id(&self, customer_id: i64) -> CommandResult<String> {
        let found = self
            .conn
            .query_row(
                "SELECT tenant_id FROM customers WHERE id = ?1",
                [customer_id],
                |r| super::text(r, 0),
            )
            .optional()?;
        match found {
            Some(t) => Ok(t),
            None => refuse("That customer no longer exists."),
        }
    }

    pub fn remote_subscription(&self, id: i64) -> CommandResult<RemoteSubscription> {
        let found = self
            .conn
            .query_row(
                "SELECT c.tenant_id, s.subscription_id FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                 WHERE s.id = ?1",
                [id],
                |r| {
                    Ok(RemoteSubscription {
                        customer_tenant_id: super::text(r, 0)?,
                        subscription_id: super::text(r, 1)?,
                    })
                },
            )
            .optional()?;
        match found {
            Some(s) => Ok(s),
            None => refuse("That subscription no longer exists."),
        }
    }

    /// The customer Partner Center created, with its ids, in one transaction (the order too
    /// when `ids.order` is given and `c` has lines). Returns the row id and the admin user name.
    pub fn record_new_customer(
        &self,
        c: &NewCustomer,
        ids: &GivenIds,
        at: DateTime<Utc>,
    ) -> CommandResult<(i64, String)> {
        self.insert_customer(c, ids, at)
    }

    /// The order Partner Center placed for an existing customer.
    pub fn record_subscriptions(
        &self,
        customer_id: i64,
        order: &NewOrder,
        ids: &GivenOrder,
        note: &str,
        at: DateTime<Utc>,
    ) -> CommandResult<usize> {
        self.add_subscriptions_with(customer_id, order, Some(ids), Some(note), at)
    }

    /// What Partner Center answered a reseller check: the book's MPA and partner-of-record
    /// flags follow it (`None`: not asked, left as it is).
    pub fn record_compliance(
        &self,
        reseller_id: i64,
        mpa_signed: Option<bool>,
        por_valid: Option<bool>,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        use crate::domain::compliance::Compliance;
        self.mutate(|tx, by| {
            let found: Option<(String, Option<bool>, Option<bool>)> = tx
                .query_row(
                    "SELECT name, mpa_signed, por_valid FROM resellers WHERE id = ?1",
                    [reseller_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((name, mpa, por)) = found else {
                return Ok(());
            };
            let before = Compliance::new(mpa, por);
            let after = Compliance::new(mpa_signed.or(mpa), por_valid.or(por));
            if before == after {
                return Ok(());
            }
            tx.execute(
                "UPDATE resellers SET mpa_signed = ?2, por_valid = ?3 WHERE id = ?1",
                params![reseller_id, after.mpa.known(), after.por.known()],
            )?;
            audit(
                tx,
                at,
                by,
                "Compliance checked in Partner Center",
                &cleaned(name),
                Some(&before.describe()),
                Some(&after.describe()),
            )?;
            Ok(())
        })
    }

    /// A subscription as Partner Center answered its change, with the change in words (`said`)
    /// and `note` (the correlation ids) in the activity log.
    pub fn record_subscription(
        &self,
        id: i64,
        now: &RecordedSubscription,
        said: &[String],
        note: &str,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        let before = self.subscription_detail(id)?;
        self.mutate(|tx, by| {
            tx.execute(
                "UPDATE subscriptions SET quantity = ?1, status = ?2, auto_renew = ?3, reseller_id = ?4,
                                          support_reseller_id = ?5, offer_id = ?6, subscription_id = ?7
                 WHERE id = ?8",
                params![
                    now.quantity,
                    now.status,
                    now.auto_renew,
                    now.reseller_id,
                    now.support_reseller_id,
                    now.offer_id,
                    now.subscription_id,
                    id
                ],
            )?;
            let mut after = said.join("; ");
            if !note.is_empty() {
                after = if after.is_empty() { note.to_owned() } else { format!("{after}; {note}") };
            }
            audit(
                tx,
                at,
                by,
                "Subscription changed",
                &format!("{} of {} ({})", before.offer.name, before.customer, before.subscription_id),
                None,
                Some(&after),
            )?;
            Ok(())
        })
    }
}
