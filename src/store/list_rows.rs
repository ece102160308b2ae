//! The rows of the lists that live beside the list machinery (re-exported by [`super::list`]).

use chrono::{DateTime, Utc};
use rusqlite::Row;

use super::key::Key;
use super::list_types::{Filter, ListSpec, Listed, Sort};
use super::{operators, parse_db_time};
use crate::domain::compliance::Compliance;
use crate::domain::text::cleaned;

/// A row of the Indirect resellers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerRow {
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    pub location: String,
    /// MPA and POR checks: either may be Unknown (a partnership nobody has checked yet).
    pub compliance: Compliance,
    pub customers: i64,
    pub since: DateTime<Utc>,
    /// When the partnership was removed (only listed with `Filter::include_removed`).
    pub removed_at: Option<DateTime<Utc>>,
    /// Position in the list, from the stored (not the cleaned) values so paging never skips rows.
    pub key: Key,
}

impl ResellerRow {
    /// Active resellers that fail a compliance check can't be credited on orders (an unknown
    /// check is no failure: `compliance.unknown()` says it).
    pub fn compliance_warning(&self) -> Option<&'static str> {
        self.compliance.failure()
    }

    pub fn is_active(&self) -> bool {
        self.removed_at.is_none()
    }
}

pub const RESELLER_COLUMNS: &str =
    "r.id, r.name, r.partner_id, r.location, r.mpa_signed, r.por_valid,
    (SELECT count(*) FROM customers c WHERE c.reseller_id = r.id AND c.removed_at IS NULL), r.established_at, r.removed_at";

impl Listed for ResellerRow {
    fn spec(filter: &Filter) -> ListSpec {
        let (sort, descending) = match filter.sort {
            Sort::Name => ("r.name", false),
            // Numerically: 517285 before 4847383.
            Sort::PartnerId => ("CAST(r.partner_id AS INTEGER)", false),
            Sort::Since => ("r.established_at", true),
        };
        ListSpec {
            columns: RESELLER_COLUMNS,
            from: "resellers r",
            scope: if filter.include_removed {
                "1"
            } else {
                "r.state = 'active'"
            },
            sort,
            id: "r.id",
            search: &["r.name", "r.partner_id"],
            reseller: None,
            customer: None,
            descending,
            ends_by: None,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(ResellerRow {
            id: r.get(0)?,
            name: cleaned(crate::store::text(r, 1)?),
            partner_id: cleaned(crate::store::text(r, 2)?),
            location: cleaned(crate::store::text(r, 3)?),
            compliance: Compliance::new(r.get(4)?, r.get(5)?),
            customers: r.get(6)?,
            since: parse_db_time(&crate::store::text(r, 7)?)?,
            removed_at: r
                .get::<_, Option<String>>(8)?
                .map(|t| parse_db_time(&t))
                .transpose()?,
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// A row of the Customers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub company_name: String,
    pub domain: String,
    pub tenant_id: String,
    pub reseller: Option<String>,
    pub subscriptions: i64,
    /// The active reseller the customer is associated with: id, PartnerID, compliance.
    pub active_reseller: Option<(i64, String, Compliance)>,
    pub key: Key,
}

impl Listed for CustomerRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: "c.id, c.company_name, c.domain, c.tenant_id, r.name,
                      (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.removed_at IS NULL),
                      r.id, r.partner_id, r.state, r.mpa_signed, r.por_valid",
            from: "customers c LEFT JOIN resellers r ON r.id = c.reseller_id",
            // A customer a sync marked removed (Partner Center no longer lists it) is kept in
            // the book, out of the list.
            scope: "c.removed_at IS NULL",
            sort: "c.company_name",
            id: "c.id",
            search: &["c.company_name", "c.domain", "c.tenant_id"],
            reseller: Some("c.reseller_id"),
            customer: None,
            descending: false,
            ends_by: None,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(CustomerRow {
            id: r.get(0)?,
            company_name: cleaned(crate::store::text(r, 1)?),
            domain: cleaned(crate::store::text(r, 2)?),
            tenant_id: cleaned(crate::store::text(r, 3)?),
            reseller: crate::store::opt_text(r, 4)?.map(cleaned),
            subscriptions: r.get(5)?,
            active_reseller: match (
                r.get::<_, Option<i64>>(6)?,
                crate::store::opt_text(r, 8)?.as_deref(),
            ) {
                (Some(id), Some("active")) => {
                    let compliance = Compliance::new(r.get(9)?, r.get(10)?);
                    Some((id, cleaned(crate::store::text(r, 7)?), compliance))
                }
                _ => None,
            },
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// A row of the Activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub key: Key,
}

impl Listed for ActivityRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: "a.id, a.at, a.operator, a.action, a.target, a.before, a.after",
            from: "audit_log a",
            scope: "1",
            sort: "a.at",
            id: "a.id",
            search: &["a.operator", "a.action", "a.target"],
            reseller: None,
            customer: None,
            descending: true,
            ends_by: None,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(ActivityRow {
            id: r.get(0)?,
            at: parse_db_time(&crate::store::text(r, 1)?)?,
            operator: cleaned(crate::store::text(r, 2)?),
            action: cleaned(crate::store::text(r, 3)?),
            target: cleaned(crate::store::text(r, 4)?),
            before: crate::store::opt_text(r, 5)?.map(cleaned),
            after: crate::store::opt_text(r, 6)?.map(cleaned),
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

impl Listed for operators::Operator {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: operators::COLUMNS,
            from: "operators o",
            scope: "1",
            sort: "o.upn",
            id: "o.id",
            search: &["o.upn"],
            reseller: None,
            customer: None,
            descending: false,
            ends_by: None,
        }
    }

    fn from_row(r: &Row<'_>, _: Key) -> rusqlite::Result<Self> {
        operators::from_row(r)
    }

    fn key(&self) -> Key {
        Key {
            sort: self.upn.clone().into(),
            id: self.id,
        }
    }
}
