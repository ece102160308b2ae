//! Importing subscriptions: matched by Subscription ID, checked against the offer catalog
//! (quantity within the offer's limits, a term and billing cycle it offers), with a known
//! status, an existing customer, and a partner of record and support contact that exist.

use chrono::Months;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::columns::subscription as col;
use super::lookup::{Customers, Offers, Resellers};
use super::resellers::plain;
use super::rows::{
    Context, Entry, Field, ListImport, Outcome, Row, Shown, Table, date_value, field, flag, quoted,
    text, time, time_cell, time_value, yes_no,
};
use crate::domain::ids::TenantId;
use crate::store::customers::cycle_fits;

const FIELDS: [Field; 14] = [
    field("subscription_id", "Subscription ID", Shown::Text),
    field("customer_id", "Customer", Shown::Text),
    field("offer_id", "Offer ID", Shown::Text),
    field("friendly_name", "Friendly name", Shown::Text),
    field("quantity", "Quantity", Shown::Text),
    field("status", "Status", Shown::Text),
    field("auto_renew", "Auto renew", Shown::YesNo),
    field("term", "Term", Shown::Text),
    field("billing_cycle", "Billing cycle", Shown::Text),
    field("created_at", "Created at", Shown::Text),
    field("term_started_at", "Term started at", Shown::Text),
    field("commitment_end_date", "Commitment end date", Shown::Text),
    field("reseller_id", "Reseller", Shown::Reseller("none (direct)")),
    field(
        "support_reseller_id",
        "Support contact",
        Shown::Reseller("the provider"),
    ),
];
const CUSTOMER: usize = 1;
const OFFER: usize = 2;
const FRIENDLY: usize = 3;
const QUANTITY: usize = 4;
const STATUS: usize = 5;
const AUTO_RENEW: usize = 6;
const TERM: usize = 7;
const CYCLE: usize = 8;
const CREATED_AT: usize = 9;
const TERM_STARTED: usize = 10;
const END: usize = 11;
const RESELLER: usize = 12;
const SUPPORT: usize = 13;

/// A status in Partner Center's words or twotier's keys.
fn status_key(text: &str) -> Option<&'static str> {
    Some(match text.to_ascii_lowercase().as_str() {
        "active" => "active",
        "pending" => "pending",
        "suspended" => "suspended",
        "expired" => "expired",
        "disabled" => "disabled",
        "deleted" | "cancelled" | "canceled" => "deleted",
        _ => return None,
    })
}

/// A term as ISO 8601 (`P1M`, `P1Y`, `P3Y`) or in words.
fn term_key(text: &str) -> Option<&'static str> {
    Some(match text.to_ascii_lowercase().as_str() {
        "p1m" | "1 month" | "monthly" => "P1M",
        "p1y" | "1 year" | "annual" | "yearly" => "P1Y",
        "p3y" | "3 years" | "triennial" => "P3Y",
        _ => return None,
    })
}

fn term_months(term: &str) -> u32 {
    match term {
        "P1M" => 1,
        "P1Y" => 12,
        _ => 36,
    }
}

pub struct Subscriptions<'a> {
    table: Table,
    cx: Context<'a>,
    offers: Offers,
    customers: Customers,
    resellers: Resellers,
    provider_name: String,
    /// The customer of a row that names none (`--customer`).
    every_row_customer: Option<String>,
}

impl<'a> Subscriptions<'a> {
    pub fn new(
        tx: &Connection,
        cx: Context<'a>,
        every_row_customer: Option<String>,
    ) -> rusqlite::Result<Self> {
        Ok(Subscriptions {
            table: Table::new(tx, "subscriptions", &FIELDS, "")?,
            cx,
            offers: Offers::load(tx)?,
            customers: Customers::default(),
            resellers: Resellers::default(),
            provider_name: tx.query_row(
                "SELECT company_name FROM provider WHERE id = 1",
                [],
                |r| r.get(0),
            )?,
            every_row_customer,
        })
    }
}

impl ListImport for Subscriptions<'_> {
    fn row(&mut self, tx: &Connection, row: &mut Row<'_>) -> rusqlite::Result<Outcome> {
        let typed = row.cell(col::SUBSCRIPTION_ID).unwrap_or("");
        let id = row.check(
            col::SUBSCRIPTION_ID,
            TenantId::parse(typed).map_err(|_| {
                format!("{} is not a Subscription ID: a GUID like 484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1.", quoted(typed))
            }),
        );
        // A row without a valid key is still checked through, for all its problems at once.
        let found = match &id {
            Some(id) => self.table.find(tx, id.as_str())?,
            None => None,
        };
        let id = id
            .unwrap_or_else(|| TenantId::parse(super::customers::NIL_GUID).expect("the nil GUID"));
        if let Some((at, _)) = &found
            && self.table.seen_before(*at)
        {
            row.problem(col::SUBSCRIPTION_ID, format!("the subscription {id} is on an earlier line too: a subscription is listed once."));
            return Ok(Outcome::Invalid);
        }
        let every_row = self.every_row_customer.clone();
        let customer_key = row
            .given(col::CUSTOMER_ID)
            .or(row.given(col::CUSTOMER))
            .or(every_row.as_deref());
        let customer_column = if row.given(col::CUSTOMER_ID).is_some() {
            col::CUSTOMER_ID
        } else {
            col::CUSTOMER
        };
        let customer = match customer_key {
            None => {
                row.problem(
                    customer_column,
                    "empty: which customer's subscription is it (Microsoft ID or name)?",
                );
                None
            }
            Some(key) => match self.customers.find(tx, key)? {
                Ok(c) => Some(c),
                Err(why) => {
                    row.problem(customer_column, why);
                    None
                }
            },
        };
        let offer = match self
            .offers
            .find(row.given(col::OFFER_ID), row.given(col::OFFER_NAME))
        {
            Ok(offer) => Some(offer),
            Err(why) => {
                let column = if row.given(col::OFFER_ID).is_some() || !row.has(col::OFFER_NAME) {
                    col::OFFER_ID
                } else {
                    col::OFFER_NAME
                };
                row.problem(column, why);
                None
            }
        };
        let mut v = match &found {
            Some((_, values)) => values.clone(),
            None => {
                let mut v = vec![Value::Null; FIELDS.len()];
                v[0] = text(id.as_str());
                v[AUTO_RENEW] = flag(true);
                v[CREATED_AT] = time(self.cx.at);
                v
            }
        };
        if let (Some((_, before)), Some(c)) = (&found, customer)
            && before[CUSTOMER] != Value::Integer(c)
        {
            row.problem(customer_column, format!("the subscription {id} belongs to another customer in the book: a subscription never moves."));
        }
        if let Some(c) = customer {
            v[CUSTOMER] = Value::Integer(c);
        }
        // What needs no offer is checked even when the offer is unknown: every problem of the
        // row is said at once.
        check_what_needs_no_offer(&mut self.resellers, &self.provider_name, tx, row, &mut v)?;
        let Some(offer) = offer else {
            if let Some(q) = row.given(col::QUANTITY)
                && q.parse::<i64>().is_err()
            {
                row.problem(
                    col::QUANTITY,
                    format!("{} is not a whole number of licenses.", quoted(q)),
                );
            }
            return Ok(Outcome::Invalid);
        };
        v[OFFER] = text(offer.id.as_str());
        match row.given(col::QUANTITY).map(|q| (q, q.parse::<i64>())) {
            None => row.problem(col::QUANTITY, "empty: how many licenses?"),
            Some((q, Err(_))) => row.problem(
                col::QUANTITY,
                format!("{} is not a whole number of licenses.", quoted(q)),
            ),
            Some((_, Ok(n))) if !(offer.min_quantity..=offer.max_quantity).contains(&n) => row
                .problem(
                    col::QUANTITY,
                    format!(
                        "{}: {n} licenses is outside the allowed {}–{} (error 900275).",
                        offer.name, offer.min_quantity, offer.max_quantity
                    ),
                ),
            Some((_, Ok(n))) => v[QUANTITY] = Value::Integer(n),
        }
        match row.given(col::TERM).map(|t| (t, term_key(t))) {
            None => {}
            Some((t, None)) => row.problem(
                col::TERM,
                format!("{} is not a term: P1M, P1Y or P3Y.", quoted(t)),
            ),
            Some((_, Some(key))) => v[TERM] = text(key),
        }
        if v[TERM] == Value::Null {
            v[TERM] = text(offer.terms.first().map_or("P1M", String::as_str));
        }
        let term = plain(&v[TERM]);
        if !offer.terms.contains(&term) {
            row.problem(
                col::TERM,
                format!(
                    "{} is not offered for {term} (it is: {}).",
                    offer.name,
                    offer.terms.join(", ")
                ),
            );
        }
        if let Some(cycle) = row.given(col::BILLING_CYCLE) {
            v[CYCLE] = text(cycle.to_ascii_lowercase());
        }
        if v[CYCLE] == Value::Null {
            let fitting = offer.billing_cycles.iter().find(|c| cycle_fits(&term, c));
            v[CYCLE] = text(fitting.map_or("monthly", String::as_str));
        }
        let cycle = plain(&v[CYCLE]);
        if !offer.billing_cycles.contains(&cycle) || !cycle_fits(&term, &cycle) {
            row.problem(
                col::BILLING_CYCLE,
                format!(
                    "{} is not a billing cycle {} offers for the term {term}.",
                    quoted(&cycle),
                    offer.name
                ),
            );
        }
        if let Some(created) = row.given(col::CREATED_AT)
            && let Some(t) = row.check(col::CREATED_AT, time_value(created))
        {
            v[CREATED_AT] = t;
        }
        if let Some(start) = row.given(col::TERM_STARTED_AT)
            && let Some(t) = row.check(col::TERM_STARTED_AT, time_value(start))
        {
            v[TERM_STARTED] = t;
        }
        if v[TERM_STARTED] == Value::Null {
            v[TERM_STARTED] = v[CREATED_AT].clone();
        }
        if let Some(end) = row.given(col::COMMITMENT_END)
            && let Some(d) = row.check(col::COMMITMENT_END, date_value(end))
        {
            v[END] = d;
        }
        if v[END] == Value::Null {
            let start = time_cell(&plain(&v[TERM_STARTED]))
                .map_or(self.cx.at.date_naive(), |t| t.date_naive());
            let end = start
                .checked_add_months(Months::new(term_months(&term)))
                .and_then(|d| d.pred_opt())
                .unwrap_or(start);
            v[END] = text(end.format("%Y-%m-%d").to_string());
        }
        if !row.problems.is_empty() {
            return Ok(Outcome::Invalid);
        }
        Ok(match found {
            None => {
                if self.table.insert(tx, &v)?.is_none() {
                    row.problem(col::SUBSCRIPTION_ID, format!("the subscription {id} is on an earlier line too: a subscription is listed once."));
                    return Ok(Outcome::Invalid);
                }
                Outcome::Added
            }
            Some((at, before)) => {
                let target = format!("{} ({id})", offer.name);
                let change = Entry {
                    cx: self.cx,
                    action: "Subscription updated by import",
                    target: &target,
                };
                if self.table.update(tx, at, &before, &v, change)? {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                }
            }
        })
    }
}

/// Status, friendly name, auto-renew, partner of record and support contact.
fn check_what_needs_no_offer(
    resellers: &mut Resellers,
    provider_name: &str,
    tx: &Connection,
    row: &mut Row<'_>,
    v: &mut [Value],
) -> rusqlite::Result<()> {
    match row.given(col::STATUS).map(|s| (s, status_key(s))) {
            None => row.problem(col::STATUS, "empty: Active, Suspended, Pending, Expired, Disabled or Deleted?"),
            Some((s, None)) => row.problem(col::STATUS, format!("{} is not a subscription status: Active, Suspended, Pending, Expired, Disabled or Deleted.", quoted(s))),
            Some((_, Some(key))) => v[STATUS] = text(key),
        }
    if let Some(name) = row.cell(col::FRIENDLY_NAME) {
        v[FRIENDLY] = if name.is_empty() {
            Value::Null
        } else {
            match row.check(
                col::FRIENDLY_NAME,
                crate::domain::customer::text_line(name, "friendly name", 100, true),
            ) {
                Some(n) => text(n),
                None => v[FRIENDLY].clone(),
            }
        };
    }
    if let Some(renew) = row.given(col::AUTO_RENEW) {
        match yes_no(renew) {
            Some(yes) => v[AUTO_RENEW] = flag(yes),
            None => row.problem(
                col::AUTO_RENEW,
                format!("{} is not yes or no.", quoted(renew)),
            ),
        }
    }
    if row.has(col::RESELLER) || row.has(col::RESELLER_PARTNER_ID) {
        let name = row.given(col::RESELLER);
        if let Some(reseller) =
            resellers.named_in(tx, row, col::RESELLER_PARTNER_ID, col::RESELLER, name)?
        {
            v[RESELLER] = reseller;
        }
    }
    if row.has(col::SUPPORT) || row.has(col::SUPPORT_PARTNER_ID) {
        // The provider itself, by its name or none at all, is no reseller.
        let name = row
            .given(col::SUPPORT)
            .filter(|n| !n.eq_ignore_ascii_case(provider_name.trim()));
        if let Some(support) =
            resellers.named_in(tx, row, col::SUPPORT_PARTNER_ID, col::SUPPORT, name)?
        {
            v[SUPPORT] = support;
        }
    }
    Ok(())
}
