//! Renewals: the present subscriptions that still renew or expire, by commitment end date, up to
//! a last day (overdue ones always in), for every reseller or the one credited as partner of
//! record. Keyset-paged along the partial indexes of migration 0009, like every list.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};

use super::list::{Anchor, Filter, Key, ListSpec, Listed, PageRequest, fetch_page};
use super::{CommandResult, Store, refuse};
use crate::domain::renewal::{self, RenewalGroup};
use crate::domain::text::{cleaned, escaped};

/// The list's condition, written as the partial indexes' WHERE (SQLite uses a partial index only
/// for a query whose WHERE repeats its terms).
pub const SCOPE: &str = "s.removed_at IS NULL AND s.status IN ('active', 'pending', 'suspended')";

/// A subscription whose commitment ends soon (or has ended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalRow {
    pub id: i64,
    pub subscription_id: String,
    /// The commitment end date as the book holds it (`YYYY-MM-DD`).
    pub commitment_end_date: String,
    pub auto_renew: bool,
    /// Seats (licenses).
    pub quantity: i64,
    /// The offer's name.
    pub offer: String,
    pub customer: String,
    /// The partner of record; `None` when no reseller is credited.
    pub reseller: Option<String>,
    pub reseller_partner_id: Option<String>,
    /// The partner of record is a reseller whose partnership was removed.
    pub reseller_removed: bool,
    /// `active`, `pending` or `suspended`.
    pub status: String,
    pub key: Key,
}

impl RenewalRow {
    pub fn end(&self) -> Option<NaiveDate> {
        renewal::parse_end_date(&self.commitment_end_date)
    }

    /// Its group seen from `today`; an end date that can't be read counts as overdue (it sorts
    /// first, and someone should look at it).
    pub fn group(&self, today: NaiveDate) -> RenewalGroup {
        self.end()
            .map_or(RenewalGroup::Overdue, |end| RenewalGroup::of(end, today))
    }

    /// "in 12 days", "3 days overdue"; the date as written when it can't be read.
    pub fn days_label(&self, today: NaiveDate) -> String {
        self.end().map_or_else(
            || "date unreadable".to_owned(),
            |end| renewal::days_label(end, today),
        )
    }
}

impl Listed for RenewalRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: "s.id, s.subscription_id, s.commitment_end_date, s.auto_renew, s.quantity, o.name, \
                      c.company_name, r.name, r.partner_id, coalesce(r.state = 'removed', 0), s.status",
            from: "subscriptions s JOIN offers o ON o.id = s.offer_id JOIN customers c ON c.id = s.customer_id \
                   LEFT JOIN resellers r ON r.id = s.reseller_id",
            scope: SCOPE,
            sort: "s.commitment_end_date",
            id: "s.id",
            search: &[],
            reseller: Some("s.reseller_id"),
            customer: None,
            descending: false,
            ends_by: Some("s.commitment_end_date"),
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(RenewalRow {
            id: r.get(0)?,
            subscription_id: cleaned(super::text(r, 1)?),
            commitment_end_date: cleaned(super::text(r, 2)?),
            auto_renew: r.get(3)?,
            quantity: r.get(4)?,
            offer: cleaned(super::text(r, 5)?),
            customer: cleaned(super::text(r, 6)?),
            reseller: super::opt_text(r, 7)?.map(cleaned),
            reseller_partner_id: super::opt_text(r, 8)?.map(cleaned),
            reseller_removed: r.get(9)?,
            status: r.get(10)?,
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// The Renewals list's filter: up to `ends_by`, optionally one reseller's.
pub fn filter(ends_by: String, reseller_id: Option<i64>) -> Filter {
    Filter {
        reseller_id,
        ends_by: Some(ends_by),
        ..Filter::default()
    }
}

/// Rows per query when the CLI walks the whole window.
const BATCH: usize = 1000;

impl Store {
    /// Every row of the window, in the list's order, a page at a time along the same query the
    /// console pages with (`subscriptions renewals`).
    pub fn for_each_renewal(
        &self,
        filter: &Filter,
        mut each: impl FnMut(&RenewalRow) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut anchor = Anchor::First;
        loop {
            let req = PageRequest {
                filter: filter.clone(),
                anchor,
                limit: BATCH,
            };
            let page = fetch_page::<RenewalRow>(&self.conn, &req)?;
            for row in &page.rows {
                each(row)?;
            }
            match page.rows.last() {
                Some(last) if page.more_after == Some(true) => anchor = Anchor::After(last.key()),
                _ => return Ok(()),
            }
        }
    }

    /// The reseller (active or removed) with this PartnerID, for `--reseller`.
    pub fn reseller_id_by_partner_id(&self, partner_id: &str) -> CommandResult<i64> {
        let partner_id = partner_id.trim();
        let id = self
            .conn
            .query_row(
                "SELECT id FROM resellers WHERE partner_id = ?1",
                [partner_id],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => Ok(id),
            None => refuse(format!(
                "No indirect reseller (active or removed) has PartnerID {}.",
                if partner_id.is_empty() {
                    "\"\"".into()
                } else {
                    escaped(partner_id)
                }
            )),
        }
    }
}
