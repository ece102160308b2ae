//! Importing customers: matched by Microsoft ID (tenant ID), every field by the rules of the
//! Add new customer form. A file with only Partner Center's columns (Microsoft ID, company,
//! domain, relationship, reseller) adds customers with the rest empty, or the provider's
//! defaults where the book needs a value (country, culture, language, admin user name).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::columns::customer as col;
use super::lookup::Resellers;
use super::resellers::plain;
use super::rows::{
    Context, Entry, Field, ListImport, Outcome, Row, Shown, Table, field, flag, opt_text, quoted,
    text, time_value, yes_no,
};
use crate::domain::customer;
use crate::domain::ids::{Country, Email, TenantId};
use crate::store::db_time;

/// Stands in for a key that is not valid, so the rest of its row is still checked.
pub const NIL_GUID: &str = "00000000-0000-0000-0000-000000000000";

const FIELDS: [Field; 25] = [
    field("tenant_id", "Microsoft ID", Shown::Text),
    field("company_name", "Company name", Shown::Text),
    field("domain", "Primary domain name", Shown::Text),
    field("relationship", "Relationship", Shown::Text),
    field("reseller_id", "Reseller", Shown::Reseller("none (direct)")),
    field("registration_number", "Registration number", Shown::Text),
    field(
        "allow_delegated_access",
        "Delegated admin access",
        Shown::YesNo,
    ),
    field("first_name", "First name", Shown::Text),
    field("last_name", "Last name", Shown::Text),
    field("email", "Email", Shown::Text),
    field("phone", "Phone", Shown::Text),
    field("address_line1", "Address line 1", Shown::Text),
    field("address_line2", "Address line 2", Shown::Text),
    field("city", "City", Shown::Text),
    field("state", "State", Shown::Text),
    field("postal_code", "Postal code", Shown::Text),
    field("country", "Country", Shown::Text),
    field("culture", "Culture", Shown::Text),
    field("language", "Language", Shown::Text),
    field("mca_signer_name", "MCA signer name", Shown::Text),
    field("mca_signer_email", "MCA signer email", Shown::Text),
    field("mca_date_agreed", "MCA date agreed", Shown::Text),
    field("admin_user_name", "Admin user name", Shown::Text),
    field("created_at", "Created at", Shown::Text),
    field("created_by", "Created by", Shown::Text),
];
// Where each field is in FIELDS (and in a record's values).
const KEY: usize = 0;
const COMPANY: usize = 1;
const DOMAIN: usize = 2;
const RELATIONSHIP: usize = 3;
const RESELLER: usize = 4;
const REGISTRATION: usize = 5;
const DELEGATED_ACCESS: usize = 6;
const FIRST_NAME: usize = 7;
const LAST_NAME: usize = 8;
const EMAIL: usize = 9;
const PHONE: usize = 10;
const ADDRESS1: usize = 11;
const ADDRESS2: usize = 12;
const CITY: usize = 13;
const STATE: usize = 14;
const POSTAL_CODE: usize = 15;
const COUNTRY: usize = 16;
const CULTURE: usize = 17;
const LANGUAGE: usize = 18;
const MCA_NAME: usize = 19;
const MCA_EMAIL: usize = 20;
const MCA_DATE: usize = 21;
const ADMIN: usize = 22;
const CREATED_AT: usize = 23;
const CREATED_BY: usize = 24;

/// The field each plain text column of the file writes: its rule, and whether empty is NULL.
type TextRule = fn(&str, &str) -> Result<String, String>;
const TEXT_COLUMNS: [(usize, usize, TextRule, bool); 9] = [
    (
        col::FIRST_NAME,
        FIRST_NAME,
        |t, _| customer::person_name(t, "first name"),
        false,
    ),
    (
        col::LAST_NAME,
        LAST_NAME,
        |t, _| customer::person_name(t, "last name"),
        false,
    ),
    (
        col::EMAIL,
        EMAIL,
        |t, own| customer::customer_email(t, own).map(|e| e.to_string()),
        false,
    ),
    (
        col::ADDRESS1,
        ADDRESS1,
        |t, _| customer::text_line(t, "address", 200, true),
        false,
    ),
    (
        col::ADDRESS2,
        ADDRESS2,
        |t, _| customer::text_line(t, "address", 200, true),
        true,
    ),
    (
        col::CITY,
        CITY,
        |t, _| customer::text_line(t, "city", 100, true),
        false,
    ),
    (
        col::STATE,
        STATE,
        |t, _| customer::text_line(t, "state", 50, true),
        true,
    ),
    (
        col::POSTAL_CODE,
        POSTAL_CODE,
        |t, _| customer::text_line(t, "postal code", 20, true),
        true,
    ),
    (
        col::MCA_NAME,
        MCA_NAME,
        |t, _| customer::text_line(t, "signer's name", 100, true),
        true,
    ),
];

pub struct Customers<'a> {
    table: Table,
    cx: Context<'a>,
    resellers: Resellers,
    suffix: String,
    provider_country: String,
    /// The provider's own email domain: a customer's email is never on it (as in the form).
    provider_domain: String,
    today: NaiveDate,
}

impl<'a> Customers<'a> {
    pub fn new(tx: &Connection, cx: Context<'a>) -> rusqlite::Result<Self> {
        let (suffix, provider_country, support_email): (String, String, String) = tx.query_row(
            "SELECT domain_suffix, country, support_email FROM provider WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(Customers {
            table: Table::new(tx, "customers", &FIELDS, "")?,
            cx,
            resellers: Resellers::default(),
            suffix,
            provider_country,
            provider_domain: support_email
                .rsplit_once('@')
                .map(|(_, d)| d.to_ascii_lowercase())
                .unwrap_or_default(),
            today: cx.at.date_naive(),
        })
    }

    fn new_record(&self, tenant: &TenantId) -> Vec<Value> {
        let mut v = vec![Value::Null; FIELDS.len()];
        v[KEY] = text(tenant.as_str());
        v[RELATIONSHIP] = text("reseller");
        v[DELEGATED_ACCESS] = flag(true);
        for (_, at, _, null_when_empty) in TEXT_COLUMNS {
            v[at] = if null_when_empty {
                Value::Null
            } else {
                text("")
            };
        }
        v[COUNTRY] = text(self.provider_country.as_str());
        v[CREATED_AT] = super::rows::time(self.cx.at);
        v[CREATED_BY] = self.cx.by.map_or(Value::Null, |o| Value::Integer(o.id));
        v
    }
}

impl ListImport for Customers<'_> {
    fn row(&mut self, tx: &Connection, row: &mut Row<'_>) -> rusqlite::Result<Outcome> {
        let typed = row.cell(col::MICROSOFT_ID).unwrap_or("");
        let tenant = row.check(
            col::MICROSOFT_ID,
            TenantId::parse(typed).map_err(|_| {
                format!(
                    "{} is not a Microsoft ID: a GUID like 484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1.",
                    quoted(typed)
                )
            }),
        );
        // A row without a valid key is still checked through, for all its problems at once.
        let found = match &tenant {
            Some(t) => self.table.find(tx, t.as_str())?,
            None => None,
        };
        let tenant = tenant.unwrap_or_else(|| TenantId::parse(NIL_GUID).expect("the nil GUID"));
        if let Some((id, _)) = &found
            && self.table.seen_before(*id)
        {
            row.problem(
                col::MICROSOFT_ID,
                format!(
                    "the customer {tenant} is on an earlier line too: a customer is listed once."
                ),
            );
            return Ok(Outcome::Invalid);
        }
        let mut v = match &found {
            Some((_, values)) => values.clone(),
            None => self.new_record(&tenant),
        };
        if let Some((name, _warning)) = row.check(
            col::COMPANY,
            customer::company_name(row.cell(col::COMPANY).unwrap_or("")),
        ) {
            v[COMPANY] = text(name);
        }
        if let Some(domain) = row.check(
            col::DOMAIN,
            customer::primary_domain(row.cell(col::DOMAIN).unwrap_or(""), &self.suffix),
        ) {
            let owner: Option<String> = tx
                .prepare_cached(
                    "SELECT company_name FROM customers WHERE domain = ?1 AND tenant_id <> ?2",
                )?
                .query_row([domain.as_str(), tenant.as_str()], |r| r.get(0))
                .optional()?;
            if let Some(owner) = owner {
                row.problem(
                    col::DOMAIN,
                    format!(
                        "{domain} is already the primary domain of {} (another Microsoft ID).",
                        quoted(&owner)
                    ),
                );
            }
            v[DOMAIN] = text(domain);
        }
        if let Some(relationship) = row.given(col::RELATIONSHIP) {
            match relationship.to_ascii_lowercase().as_str() {
                key @ ("reseller" | "advisor" | "none") => v[RELATIONSHIP] = text(key),
                _ => row.problem(
                    col::RELATIONSHIP,
                    format!(
                        "{} is not a relationship: Reseller, Advisor or None.",
                        quoted(relationship)
                    ),
                ),
            }
        }
        if row.has(col::RESELLER) || row.has(col::RESELLER_PARTNER_ID) {
            let name = row.given(col::RESELLER);
            if let Some(reseller) =
                self.resellers
                    .named_in(tx, row, col::RESELLER_PARTNER_ID, col::RESELLER, name)?
            {
                v[RESELLER] = reseller;
            }
        }
        if let Some(access) = row.given(col::DELEGATED_ACCESS) {
            match yes_no(access) {
                Some(yes) => v[DELEGATED_ACCESS] = flag(yes),
                None => row.problem(
                    col::DELEGATED_ACCESS,
                    format!("{} is not yes or no.", quoted(access)),
                ),
            }
        }
        if let Some(country) = row.given(col::COUNTRY)
            && let Some(c) = row.check(col::COUNTRY, Country::parse(country))
        {
            v[COUNTRY] = text(c.as_str());
        }
        let country = plain(&v[COUNTRY]);
        for (column, at, rule, null_when_empty) in TEXT_COLUMNS {
            match row.cell(column) {
                None => {}
                Some("") => {
                    v[at] = if null_when_empty {
                        Value::Null
                    } else {
                        text("")
                    }
                }
                Some(cell) => {
                    if let Some(value) = row.check(column, rule(cell, &self.provider_domain)) {
                        v[at] = text(value);
                    }
                }
            }
        }
        match row.cell(col::PHONE) {
            None => {}
            Some("") => v[PHONE] = Value::Null,
            Some(cell) => {
                if let Some(phone) = row.check(col::PHONE, customer::phone(cell, &country)) {
                    v[PHONE] = opt_text(phone);
                }
            }
        }
        match row.cell(col::REGISTRATION) {
            None => {}
            Some("") => v[REGISTRATION] = Value::Null,
            Some(cell) => {
                if let Some(number) = row.check(
                    col::REGISTRATION,
                    customer::registration_number(cell, &country),
                ) {
                    v[REGISTRATION] = opt_text(number);
                }
            }
        }
        match row.cell(col::MCA_EMAIL) {
            None => {}
            Some("") => v[MCA_EMAIL] = Value::Null,
            Some(cell) => {
                if let Some(email) = row.check(
                    col::MCA_EMAIL,
                    customer::customer_email(cell, &self.provider_domain),
                ) {
                    v[MCA_EMAIL] = text(email.to_string());
                }
            }
        }
        match row.cell(col::MCA_DATE) {
            None => {}
            Some("") => v[MCA_DATE] = Value::Null,
            Some(cell) => {
                if let Some(date) = row.check(col::MCA_DATE, agreement(cell, self.today)) {
                    v[MCA_DATE] = text(date);
                }
            }
        }
        if let Some(culture) = row.given(col::CULTURE)
            && let Some(c) = row.check(col::CULTURE, customer::culture(culture))
        {
            v[CULTURE] = text(c);
        }
        if v[CULTURE] == Value::Null {
            v[CULTURE] = text(customer::default_culture(&country));
        }
        if let Some(language) = row.given(col::LANGUAGE)
            && let Some(l) = row.check(col::LANGUAGE, customer::language(language))
        {
            v[LANGUAGE] = text(l);
        }
        if v[LANGUAGE] == Value::Null {
            v[LANGUAGE] = text(plain(&v[CULTURE]).get(..2).unwrap_or("en"));
        }
        if let Some(admin) = row.given(col::ADMIN)
            && let Some(upn) = row.check(col::ADMIN, Email::parse(admin))
        {
            v[ADMIN] = text(upn.as_str());
        }
        if v[ADMIN] == Value::Null {
            v[ADMIN] = text(format!("admin@{}", plain(&v[DOMAIN])));
        }
        if let Some(created) = row.given(col::CREATED_AT)
            && let Some(t) = row.check(col::CREATED_AT, time_value(created))
        {
            v[CREATED_AT] = t;
        }
        if !row.problems.is_empty() {
            return Ok(Outcome::Invalid);
        }
        Ok(match found {
            None => {
                if self.table.insert(tx, &v)?.is_none() {
                    row.problem(col::MICROSOFT_ID, format!("the customer {tenant} is on an earlier line too: a customer is listed once."));
                    return Ok(Outcome::Invalid);
                }
                Outcome::Added
            }
            Some((id, before)) => {
                let target = format!("{} ({})", plain(&v[COMPANY]), plain(&v[DOMAIN]));
                let change = Entry {
                    cx: self.cx,
                    action: "Customer updated by import",
                    target: &target,
                };
                if self.table.update(tx, id, &before, &v, change)? {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                }
            }
        })
    }
}

/// The day the customer accepted the Microsoft Customer Agreement, by the form's rule; a time
/// (as older books hold it) is kept as that time.
fn agreement(cell: &str, today: NaiveDate) -> Result<String, String> {
    match customer::agreement_date(cell, today) {
        Ok(date) => Ok(date.format("%Y-%m-%d").to_string()),
        Err(why) => match chrono::DateTime::parse_from_rfc3339(cell) {
            Ok(t) if t.date_naive() <= today => Ok(db_time(t.with_timezone(&chrono::Utc))),
            _ => Err(why),
        },
    }
}
