//! `twotier resellers follow-up PARTNER_ID [--json]`: the Follow-up worklist of a removed
//! reseller, the same query the console's Follow-up screen pages through.

use serde::Serialize;

use super::printed::Printed;
use super::refusal::refused;
use crate::store::Store;
use crate::store::customers::status_label;

/// One subscription as `resellers follow-up --json` prints it. The field names are stable.
#[derive(Serialize)]
struct FollowUpJson<'a> {
    customer: &'a str,
    /// The offer's name.
    subscription: &'a str,
    subscription_id: &'a str,
    /// "Partner of record", "Support contact", or both.
    roles: Vec<&'static str>,
    partner_of_record: bool,
    support_contact: bool,
    /// `pending`, `active`, `suspended`, `expired`, `disabled` or `deleted`.
    status: &'a str,
}

pub const HEADERS: &[&str] = &[
    "Customer",
    "Subscription",
    "Subscription ID",
    "Role",
    "Status",
];

pub fn run(store: &mut Store, partner_id: &str, json: bool) -> anyhow::Result<Printed> {
    let reseller = store
        .removed_reseller_by_partner_id(partner_id)
        .map_err(refused)?;
    let rows = store.follow_ups(reseller.id).map_err(refused)?;
    let roles = |por: bool, support: bool| {
        let mut roles = Vec::new();
        if por {
            roles.push("Partner of record");
        }
        if support {
            roles.push("Support contact");
        }
        roles
    };
    if json {
        let out: Vec<FollowUpJson> = rows
            .iter()
            .map(|r| FollowUpJson {
                customer: &r.customer,
                subscription: &r.offer,
                subscription_id: &r.subscription_id,
                roles: roles(r.partner_of_record, r.support_contact),
                partner_of_record: r.partner_of_record,
                support_contact: r.support_contact,
                status: &r.status,
            })
            .collect();
        return Ok(Printed::Line(serde_json::to_string_pretty(&out)?));
    }
    if rows.is_empty() {
        return Ok(Printed::Line(format!(
            "Nothing to follow up: no subscription still names {}.",
            reseller.name
        )));
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.customer.clone(),
                r.offer.clone(),
                r.subscription_id.clone(),
                roles(r.partner_of_record, r.support_contact).join(", "),
                status_label(&r.status).to_owned(),
            ]
        })
        .collect();
    Ok(Printed::Table(HEADERS, table))
}
