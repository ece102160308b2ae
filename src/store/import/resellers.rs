//! Importing resellers: matched by PartnerID (the active partnership first, else the latest
//! removed one, as an acceptance does), every field by the rules of the acceptance form.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::Value;

use super::columns::reseller as col;
use super::rows::{
    Context, Entry, Field, ListImport, Outcome, Row, Shown, Table, check_cell, field, opt_flag,
    quoted, text, time, time_cell,
};
use crate::domain::ids::{Country, Email, PartnerId, TenantId, company_name};

const FIELDS: [Field; 10] = [
    field("partner_id", "PartnerID", Shown::Text),
    field("name", "Name", Shown::Text),
    field("location", "Country", Shown::Text),
    field("email", "Email", Shown::Text),
    field("state", "Status", Shown::Text),
    field("mpa_signed", "MPA signed", Shown::Check),
    field("por_valid", "POR valid", Shown::Check),
    field("established_at", "Since", Shown::Text),
    field("removed_at", "Removed at", Shown::Text),
    field("tenant_id", "Tenant ID", Shown::Text),
];
const NAME: usize = 1;
const COUNTRY: usize = 2;
const EMAIL: usize = 3;
const STATE: usize = 4;
const MPA: usize = 5;
const POR: usize = 6;
const SINCE: usize = 7;
const REMOVED_AT: usize = 8;
const TENANT: usize = 9;

pub struct Resellers<'a> {
    table: Table,
    cx: Context<'a>,
    own_partner_id: String,
    default_country: String,
    /// PartnerID → the line that had it: a reseller is in a file once.
    lines: HashMap<String, u64>,
}

impl<'a> Resellers<'a> {
    pub fn new(tx: &Connection, cx: Context<'a>) -> rusqlite::Result<Self> {
        let (own_partner_id, default_country) = tx.query_row(
            "SELECT partner_id, country FROM provider WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Resellers {
            table: Table::new(
                tx,
                "resellers",
                &FIELDS,
                "ORDER BY state = 'active' DESC, id DESC LIMIT 1",
            )?,
            cx,
            own_partner_id,
            default_country,
            lines: HashMap::new(),
        })
    }
}

impl ListImport for Resellers<'_> {
    fn row(&mut self, tx: &Connection, row: &mut Row<'_>) -> rusqlite::Result<Outcome> {
        let partner_id = row.check(
            col::PARTNER_ID,
            PartnerId::parse(row.cell(col::PARTNER_ID).unwrap_or("")),
        );
        if let Some(id) = &partner_id {
            if id.as_str() == self.own_partner_id {
                row.problem(
                    col::PARTNER_ID,
                    format!(
                        "{id} is your own PartnerID (the indirect provider's), never a reseller's."
                    ),
                );
            }
            if let Some(line) = self.lines.insert(id.as_str().to_owned(), row.line) {
                row.problem(
                    col::PARTNER_ID,
                    format!("PartnerID {id} is also on line {line}: a reseller is listed once."),
                );
            }
        }
        // A row without a valid key is still checked through, for all its problems at once.
        let found = match (&partner_id, row.problems.is_empty()) {
            (Some(id), true) => self.table.find(tx, id.as_str())?,
            _ => None,
        };
        let partner_id = partner_id.unwrap_or_else(|| PartnerId::parse("0").expect("digits"));
        if let Some((id, _)) = &found {
            self.table.seen_before(*id);
        }
        let mut v = match &found {
            Some((_, values)) => values.clone(),
            None => vec![
                text(partner_id.as_str()),
                text(""),
                text(self.default_country.as_str()),
                Value::Null,
                text("active"),
                Value::Null,
                Value::Null,
                time(self.cx.at),
                Value::Null,
                Value::Null,
            ],
        };
        if let Some(name) = row.check(col::NAME, company_name(row.cell(col::NAME).unwrap_or(""))) {
            v[NAME] = text(name);
        }
        if let Some(country) = row.given(col::COUNTRY)
            && let Some(c) = row.check(col::COUNTRY, Country::parse(country))
        {
            v[COUNTRY] = text(c.as_str());
        }
        if let Some(email) = row.cell(col::EMAIL) {
            v[EMAIL] = if email.is_empty() {
                Value::Null
            } else {
                match row.check(col::EMAIL, Email::parse(email)) {
                    Some(e) => text(e.as_str()),
                    None => v[EMAIL].clone(),
                }
            };
        }
        if let Some(status) = row.given(col::STATUS) {
            match status.to_ascii_lowercase().as_str() {
                "active" => v[STATE] = text("active"),
                "removed" => v[STATE] = text("removed"),
                _ => row.problem(
                    col::STATUS,
                    format!(
                        "{} is not a partnership status: Active or Removed.",
                        quoted(status)
                    ),
                ),
            }
        }
        for (column, at) in [(col::MPA, MPA), (col::POR, POR)] {
            if let Some(cell) = row.cell(column)
                && let Some(check) = row.check(column, check_cell(cell))
            {
                v[at] = opt_flag(check);
            }
        }
        if let Some(since) = row.given(col::SINCE)
            && let Some(t) = row.check(col::SINCE, time_cell(since))
        {
            v[SINCE] = time(t);
        }
        if let Some(tenant) = row.cell(col::TENANT_ID) {
            v[TENANT] = if tenant.is_empty() {
                Value::Null
            } else {
                match row.check(col::TENANT_ID, TenantId::parse(tenant)) {
                    Some(t) => {
                        let other: Option<String> = rusqlite::OptionalExtension::optional(
                            tx.prepare_cached(
                                "SELECT name FROM resellers WHERE tenant_id = ?1 AND id IS NOT ?2",
                            )?
                            .query_row(
                                rusqlite::params![t.as_str(), found.as_ref().map(|f| f.0)],
                                |r| r.get(0),
                            ),
                        )?;
                        if let Some(other) = other {
                            row.problem(
                                col::TENANT_ID,
                                format!(
                                    "tenant ID {t} already belongs to the reseller {}.",
                                    quoted(&other)
                                ),
                            );
                        }
                        text(t.as_str())
                    }
                    None => v[TENANT].clone(),
                }
            };
        }
        let removed = v[STATE] == text("removed");
        match row.given(col::REMOVED_AT) {
            Some(at) if !removed => row.problem(
                col::REMOVED_AT,
                format!("{} is given, but the partnership is Active: leave it empty, or set Status to Removed.", quoted(at)),
            ),
            Some(at) => {
                if let Some(t) = row.check(col::REMOVED_AT, time_cell(at)) {
                    v[REMOVED_AT] = time(t);
                }
            }
            None if removed && v[REMOVED_AT] == Value::Null => v[REMOVED_AT] = time(self.cx.at),
            None if !removed => v[REMOVED_AT] = Value::Null,
            None => {}
        }
        if !row.problems.is_empty() {
            return Ok(Outcome::Invalid);
        }
        let target = format!("{} ({partner_id})", plain(&v[NAME]));
        Ok(match found {
            None => {
                if self.table.insert(tx, &v)?.is_none() {
                    row.problem(
                        col::PARTNER_ID,
                        format!("PartnerID {partner_id} is already an active reseller."),
                    );
                    return Ok(Outcome::Invalid);
                }
                Outcome::Added
            }
            Some((id, before)) => {
                let change = Entry {
                    cx: self.cx,
                    action: "Reseller updated by import",
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

/// A text value as plain text (for an activity entry's target).
pub fn plain(value: &Value) -> String {
    match value {
        Value::Text(t) => crate::domain::text::clean(t).into_owned(),
        _ => String::new(),
    }
}
