//! `twotier subscriptions renewals [--within 30d] [--reseller ID] [--as-of DATE] [--json]`: the
//! Renewals list, walked page by page along the same query the console's screen pages with.

use chrono::Utc;
use serde::Serialize;

use super::printed::Printed;
use super::refusal::refused;
use crate::cli::RenewalsArgs;
use crate::domain::renewal::{self, days_left};
use crate::store::Store;
use crate::store::customers::status_label;
use crate::store::renewals::{self as renewals_store, RenewalRow};

/// One subscription as `subscriptions renewals --json` prints it. The field names are stable.
#[derive(Serialize)]
struct RenewalJson<'a> {
    /// `overdue`, `within_30_days`, `within_60_days`, `within_90_days` or `later`.
    group: &'static str,
    /// `YYYY-MM-DD`, the last day of the current term.
    commitment_end_date: &'a str,
    /// Days from today to the end date, negative once passed; `null` when it can't be read.
    days_left: Option<i64>,
    auto_renew: bool,
    /// Seats (licenses).
    quantity: i64,
    /// The offer's name.
    subscription: &'a str,
    subscription_id: &'a str,
    customer: &'a str,
    /// The partner of record; `null` when no reseller is credited.
    reseller: Option<&'a str>,
    reseller_partner_id: Option<&'a str>,
    reseller_removed: bool,
    /// `active`, `pending` or `suspended`.
    status: &'a str,
}

pub const HEADERS: &[&str] = &[
    "Group",
    "Commitment ends",
    "Days",
    "Auto-renew",
    "Seats",
    "Subscription",
    "Customer",
    "Reseller",
    "Subscription ID",
];

pub fn run(store: &mut Store, args: &RenewalsArgs) -> anyhow::Result<Printed> {
    let reseller_id = args
        .reseller
        .as_deref()
        .map(|p| store.reseller_id_by_partner_id(p).map_err(refused))
        .transpose()?;
    let today = args.as_of.unwrap_or_else(|| Utc::now().date_naive());
    let filter = renewals_store::filter(renewal::ends_by(today, args.within), reseller_id);
    let mut rows: Vec<RenewalRow> = Vec::new();
    store.for_each_renewal(&filter, |row| {
        rows.push(row.clone());
        Ok(())
    })?;
    if args.json {
        let out: Vec<RenewalJson> = rows
            .iter()
            .map(|r| RenewalJson {
                group: r.group(today).code(),
                commitment_end_date: &r.commitment_end_date,
                days_left: r.end().map(|end| days_left(end, today)),
                auto_renew: r.auto_renew,
                quantity: r.quantity,
                subscription: &r.offer,
                subscription_id: &r.subscription_id,
                customer: &r.customer,
                reseller: r.reseller.as_deref(),
                reseller_partner_id: r.reseller_partner_id.as_deref(),
                reseller_removed: r.reseller_removed,
                status: &r.status,
            })
            .collect();
        return Ok(Printed::Line(serde_json::to_string_pretty(&out)?));
    }
    if rows.is_empty() {
        return Ok(Printed::Line(format!(
            "No subscription renews or expires within {} days of {today}, and none is overdue.",
            args.within
        )));
    }
    let table = rows
        .iter()
        .map(|r| {
            let reseller = match (&r.reseller, r.reseller_removed) {
                (None, _) => "Direct".to_owned(),
                (Some(name), false) => name.clone(),
                (Some(name), true) => {
                    format!("{name} {}", crate::store::subscriptions::REMOVED_MARK)
                }
            };
            let auto_renew = match (r.status.as_str(), r.auto_renew) {
                ("active", true) => "On".to_owned(),
                ("active", false) => "Off".to_owned(),
                (status, on) => format!(
                    "{} ({})",
                    if on { "On" } else { "Off" },
                    status_label(status)
                ),
            };
            vec![
                r.group(today).label().to_owned(),
                r.commitment_end_date.clone(),
                r.days_label(today),
                auto_renew,
                r.quantity.to_string(),
                r.offer.clone(),
                r.customer.clone(),
                reseller,
                r.subscription_id.clone(),
            ]
        })
        .collect();
    Ok(Printed::Table(HEADERS, table))
}
