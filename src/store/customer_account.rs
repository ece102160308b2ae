//! A customer's Account, as Partner Center's expanded customer row shows it: the company and
//! billing profile, the primary contact, the indirect reseller and the relationship, who created
//! it and when, and the admin user's name. Never a password: none is stored.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};

use super::{CommandResult, Store, opt_text, parse_db_time, refuse, text};
use crate::domain::text::cleaned;

/// Everything the book holds about one customer, every text cleaned of control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAccount {
    pub id: i64,
    pub company_name: String,
    pub domain: String,
    /// The Microsoft ID.
    pub tenant_id: String,
    pub registration_number: Option<String>,
    pub address: Address,
    pub culture: String,
    pub language: String,
    pub contact: Contact,
    pub reseller: Option<AccountReseller>,
    /// `reseller`, `advisor` or `none`.
    pub relationship: String,
    pub delegated_access: bool,
    /// The Microsoft Customer Agreement's acceptance, when recorded.
    pub agreement: Option<Agreement>,
    pub admin_user_name: String,
    pub created_at: DateTime<Utc>,
    /// The operator who created it: display name and UPN.
    pub created_by: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountReseller {
    pub name: String,
    pub partner_id: String,
    /// The partnership was removed since.
    pub removed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub signer_name: Option<String>,
    pub signer_email: Option<String>,
    pub date_agreed: Option<String>,
}

impl Address {
    /// "1 Main St, Suite 2, Seattle, WA 98052, US": the parts recorded, in postal order.
    pub fn one_line(&self) -> String {
        let region = [self.state.as_deref(), self.postal_code.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [
            Some(self.line1.as_str()),
            self.line2.as_deref(),
            Some(self.city.as_str()),
            Some(region.as_str()),
            Some(self.country.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

impl Contact {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }
}

const ACCOUNT_COLUMNS: &str = "c.id, c.company_name, c.domain, c.tenant_id, c.registration_number,
     c.address_line1, c.address_line2, c.city, c.state, c.postal_code, c.country,
     c.culture, c.language, c.first_name, c.last_name, c.email, c.phone,
     r.name, r.partner_id, r.state, c.relationship, c.allow_delegated_access,
     c.mca_signer_name, c.mca_signer_email, c.mca_date_agreed, c.admin_user_name,
     c.created_at, o.display_name, o.upn";

fn some_text(r: &Row<'_>, index: usize) -> rusqlite::Result<Option<String>> {
    Ok(opt_text(r, index)?.map(cleaned).filter(|s| !s.is_empty()))
}

fn account_from_row(r: &Row<'_>) -> rusqlite::Result<CustomerAccount> {
    let t = |index| text(r, index).map(cleaned);
    let reseller = match some_text(r, 17)? {
        Some(name) => Some(AccountReseller {
            name,
            partner_id: t(18)?,
            removed: opt_text(r, 19)?.as_deref() == Some("removed"),
        }),
        None => None,
    };
    let agreement = Agreement {
        signer_name: some_text(r, 22)?,
        signer_email: some_text(r, 23)?,
        // Recorded as a time; the agreement is dated by its day.
        date_agreed: some_text(r, 24)?.map(|d| match DateTime::parse_from_rfc3339(&d) {
            Ok(t) => t.format("%Y-%m-%d").to_string(),
            Err(_) => d,
        }),
    };
    let recorded = agreement.signer_name.is_some()
        || agreement.signer_email.is_some()
        || agreement.date_agreed.is_some();
    Ok(CustomerAccount {
        id: r.get(0)?,
        company_name: t(1)?,
        domain: t(2)?,
        tenant_id: t(3)?,
        registration_number: some_text(r, 4)?,
        address: Address {
            line1: t(5)?,
            line2: some_text(r, 6)?,
            city: t(7)?,
            state: some_text(r, 8)?,
            postal_code: some_text(r, 9)?,
            country: t(10)?,
        },
        culture: t(11)?,
        language: t(12)?,
        contact: Contact {
            first_name: t(13)?,
            last_name: t(14)?,
            email: t(15)?,
            phone: some_text(r, 16)?,
        },
        reseller,
        relationship: t(20)?,
        delegated_access: r.get(21)?,
        agreement: recorded.then_some(agreement),
        admin_user_name: t(25)?,
        created_at: parse_db_time(&text(r, 26)?)?,
        created_by: match some_text(r, 27)? {
            Some(name) => Some((name, t(28)?)),
            None => None,
        },
    })
}

impl Store {
    /// One customer's Account; refused when the customer is gone.
    pub fn customer_account(&self, id: i64) -> CommandResult<CustomerAccount> {
        let account = self
            .conn
            .query_row(
                &format!(
                    "SELECT {ACCOUNT_COLUMNS}
                     FROM customers c
                     LEFT JOIN resellers r ON r.id = c.reseller_id
                     LEFT JOIN operators o ON o.id = c.created_by
                     WHERE c.id = ?1"
                ),
                [id],
                account_from_row,
            )
            .optional()?;
        match account {
            Some(account) => Ok(account),
            None => refuse("That customer no longer exists."),
        }
    }
}
