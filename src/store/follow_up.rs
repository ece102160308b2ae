//! Follow-up after Remove partnership: the subscriptions that still name the removed reseller,
//! as partner of record ("Reseller (MPN ID)") or designated support contact. It is a query, not
//! a copy: a subscription leaves the list the moment it names a current reseller, or none.
//!
//! A subscription names the reseller in one column or the other (or both), so the list is the
//! union of two index walks (`subscriptions_by_reseller`, `subscriptions_by_support`), each
//! stopped at the page size: a page costs the same for a reseller with ten subscriptions as for
//! one with a hundred thousand.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::list::{Anchor, Filter, Key, ListSpec, Listed, Page, PageRequest, SortValue};
use super::{CommandResult, Store, parse_db_time, refuse};
use crate::domain::permission::Permission;
use crate::domain::text::{cleaned, escaped};

/// A reseller whose partnership was removed, as the Follow-up worklist names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemovedReseller {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    pub removed_at: DateTime<Utc>,
}

/// A subscription that still names a removed reseller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    pub id: i64,
    pub subscription_id: String,
    pub customer: String,
    /// The offer's name (the subscription, as Partner Center lists it).
    pub offer: String,
    pub status: String,
    /// The removed reseller is its partner of record (Reseller (MPN ID)).
    pub partner_of_record: bool,
    /// The removed reseller is its designated support contact.
    pub support_contact: bool,
    pub key: Key,
}

impl FollowUpRow {
    /// "Partner of record", "Support contact", or both.
    pub fn roles(&self) -> &'static str {
        match (self.partner_of_record, self.support_contact) {
            (true, true) => "Partner of record, Support contact",
            (true, false) => "Partner of record",
            _ => "Support contact",
        }
    }
}

/// The row's columns, after the ids of the page: `?1` is the removed reseller.
const COLUMNS: &str = "s.id, s.subscription_id, c.company_name, o.name, s.status,
     s.reseller_id IS ?1, s.support_reseller_id IS ?1";
const FROM: &str =
    "subscriptions s JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id";

/// The subscriptions of the list are fetched by [`Store::follow_up_page`] (a union of two index
/// walks); this spec, over the partner-of-record column alone, is the trait's and is not used
/// for paging.
impl Listed for FollowUpRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: COLUMNS,
            from: FROM,
            scope: "1",
            sort: "s.id",
            id: "s.id",
            search: &[],
            reseller: Some("s.reseller_id"),
            customer: None,
            descending: false,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(FollowUpRow {
            id: r.get(0)?,
            subscription_id: cleaned(crate::store::text(r, 1)?),
            customer: cleaned(crate::store::text(r, 2)?),
            offer: cleaned(crate::store::text(r, 3)?),
            status: r.get(4)?,
            partner_of_record: r.get(5)?,
            support_contact: r.get(6)?,
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

fn removed_from_row(
    r: &Row<'_>,
) -> rusqlite::Result<(i64, String, String, String, Option<String>)> {
    Ok((
        r.get(0)?,
        crate::store::text(r, 1)?,
        crate::store::text(r, 2)?,
        r.get(3)?,
        r.get(4)?,
    ))
}

fn removed(found: (i64, String, String, String, Option<String>)) -> CommandResult<RemovedReseller> {
    let (id, name, partner_id, state, removed_at) = found;
    let (name, partner_id) = (cleaned(name), cleaned(partner_id));
    match (state.as_str(), removed_at) {
        ("removed", Some(at)) => Ok(RemovedReseller {
            id,
            name,
            partner_id,
            removed_at: parse_db_time(&at)?,
        }),
        _ => refuse(format!(
            "The partnership with {name} (PartnerID {partner_id}) is active: its subscriptions are followed up \
             only after Remove partnership."
        )),
    }
}

/// The page query for an anchor (`?1` the reseller, `?2` the bound, `?3` the limit), and the
/// bound. Each arm walks its own index and stops at the page size; the union is cut again.
pub fn page_sql(anchor: &Anchor) -> (String, i64) {
    let backward = matches!(anchor, Anchor::Last | Anchor::Before(_));
    let (op, bound) = match anchor {
        Anchor::First | Anchor::Last => (">", i64::MIN),
        Anchor::After(k) => (">", k.id),
        Anchor::Before(k) => ("<", k.id),
        Anchor::From(k) => (">=", k.id),
    };
    let dir = if backward { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE s.id IN (
           SELECT id FROM (SELECT id FROM subscriptions WHERE reseller_id = ?1 AND id {op} ?2 ORDER BY id {dir} LIMIT ?3)
           UNION
           SELECT id FROM (SELECT id FROM subscriptions WHERE support_reseller_id = ?1 AND id {op} ?2 ORDER BY id {dir} LIMIT ?3)
           ORDER BY id {dir} LIMIT ?3
         ) AND (SELECT state FROM resellers WHERE id = ?1) = 'removed'
         ORDER BY s.id {dir}"
    );
    (sql, bound)
}

impl Store {
    /// The removed reseller the worklist is about.
    pub fn removed_reseller(&self, reseller_id: i64) -> CommandResult<RemovedReseller> {
        self.require(Permission::ViewResellers)?;
        let found = self
            .conn
            .query_row(
                "SELECT id, name, partner_id, state, removed_at FROM resellers WHERE id = ?1",
                [reseller_id],
                removed_from_row,
            )
            .optional()?;
        match found {
            Some(found) => removed(found),
            None => refuse("That reseller no longer exists."),
        }
    }

    /// The reseller with this PartnerID whose partnership was removed (the latest removal, if a
    /// PartnerID was removed more than once).
    pub fn removed_reseller_by_partner_id(
        &self,
        partner_id: &str,
    ) -> CommandResult<RemovedReseller> {
        self.require(Permission::ViewResellers)?;
        // An active partnership first: that PartnerID has nothing to follow up.
        let found = self
            .conn
            .query_row(
                "SELECT id, name, partner_id, state, removed_at FROM resellers WHERE partner_id = ?1
                 ORDER BY state = 'active' DESC, removed_at DESC, id DESC LIMIT 1",
                [partner_id],
                removed_from_row,
            )
            .optional()?;
        match found {
            Some(found) => removed(found),
            None => refuse(format!(
                "No indirect reseller has PartnerID {}.",
                escaped(partner_id)
            )),
        }
    }

    /// One page of the worklist of the removed reseller `req.filter.reseller_id`, by
    /// subscription, keyset-paged like every list. Empty for a reseller that is active again.
    pub fn follow_up_page(&self, req: &PageRequest) -> CommandResult<Page<FollowUpRow>> {
        self.require(Permission::ViewResellers)?;
        let Some(reseller) = req.filter.reseller_id else {
            return Ok(Page {
                rows: Vec::new(),
                more_before: Some(false),
                more_after: Some(false),
                total: Some(0),
            });
        };
        let backward = matches!(req.anchor, Anchor::Last | Anchor::Before(_));
        let (sql, bound) = page_sql(&req.anchor);
        let limit = req.limit as i64 + 1;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<FollowUpRow> = stmt
            .query_map(params![reseller, bound, limit], |r| {
                let id: i64 = r.get(0)?;
                FollowUpRow::from_row(
                    r,
                    Key {
                        sort: SortValue::Integer(id),
                        id,
                    },
                )
            })?
            .collect::<Result<_, _>>()?;
        let more = rows.len() > req.limit;
        rows.truncate(req.limit);
        if backward {
            rows.reverse();
        }
        let (more_before, more_after) = match req.anchor {
            Anchor::First => (Some(false), Some(more)),
            Anchor::After(_) | Anchor::From(_) => (None, Some(more)),
            Anchor::Last => (Some(more), Some(false)),
            Anchor::Before(_) => (Some(more), None),
        };
        let total = match req.anchor {
            Anchor::First | Anchor::Last | Anchor::From(_) => {
                Some(self.follow_up_count(reseller)? as u64)
            }
            _ => None,
        };
        Ok(Page {
            rows,
            more_before,
            more_after,
            total,
        })
    }

    /// How many subscriptions still name the removed reseller (each counted once).
    pub fn follow_up_count(&self, reseller_id: i64) -> CommandResult<i64> {
        Ok(self.conn.prepare_cached(
            "SELECT CASE WHEN (SELECT state FROM resellers WHERE id = ?1) = 'removed' THEN
                    (SELECT count(*) FROM subscriptions WHERE reseller_id = ?1)
                  + (SELECT count(*) FROM subscriptions WHERE support_reseller_id = ?1 AND reseller_id IS NOT ?1)
                    ELSE 0 END",
        )?
        .query_row([reseller_id], |r| r.get(0))?)
    }

    /// The whole worklist, page by page (for the command line).
    pub fn follow_ups(&self, reseller_id: i64) -> CommandResult<Vec<FollowUpRow>> {
        let mut all = Vec::new();
        let mut anchor = Anchor::First;
        loop {
            let page = self.follow_up_page(&PageRequest {
                filter: Filter {
                    reseller_id: Some(reseller_id),
                    ..Filter::default()
                },
                anchor,
                limit: 500,
            })?;
            let last = page.rows.last().map(|r| r.key());
            all.extend(page.rows);
            match (page.more_after, last) {
                (Some(true), Some(key)) => anchor = Anchor::After(key),
                _ => return Ok(all),
            }
        }
    }
}
