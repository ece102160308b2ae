//! The scripting subcommands: the same store commands the console runs, with plain or JSON
//! output. Every text that reaches stdout comes out of the store sanitised.

use anyhow::{Context, bail};
use chrono::Utc;
use serde::Serialize;

use crate::cli::{InvitationsCommand, ResellersCommand};
use crate::domain::ids::{Country, PartnerId, TenantId};
use crate::domain::invitation::InvitationStatus;
use crate::store::invitations::Acceptance;
use crate::store::{CommandError, Store};

/// Turns a refusal into a plain message (exit status 1), without the "error:" noise of a bug.
fn refused(e: CommandError) -> anyhow::Error {
    match e {
        CommandError::Refused(message) => anyhow::anyhow!(message),
        CommandError::Db(e) => anyhow::Error::new(e).context("the database failed"),
    }
}

pub fn resellers(store: &mut Store, command: ResellersCommand) -> anyhow::Result<()> {
    match command {
        ResellersCommand::List { json, all } => {
            let rows = store.all_resellers(all).map_err(refused)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let status = match (r.state.as_str(), r.mpa_signed, r.por_valid) {
                        ("removed", _, _) => "Removed".to_owned(),
                        (_, false, _) => "Active, MPA not signed".to_owned(),
                        (_, true, false) => "Active, POR not valid".to_owned(),
                        _ => "Active".to_owned(),
                    };
                    vec![
                        r.name.clone(),
                        r.partner_id.clone(),
                        r.location.clone(),
                        status,
                        r.customers.to_string(),
                        r.since.format("%Y-%m-%d").to_string(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "Name",
                    "PartnerID (MPN ID)",
                    "Location",
                    "Status",
                    "Customers",
                    "Since",
                ],
                &table,
            );
            Ok(())
        }
        ResellersCommand::Remove { partner_id, yes } => {
            let id = store
                .active_reseller_id(partner_id.trim())
                .map_err(refused)?;
            if !yes {
                let impact = store.removal_impact(id).map_err(refused)?;
                bail!(
                    "not removed: add --yes to confirm. {} customers, {} subscriptions as partner of record and {} as \
                     support contact keep this reseller; delegated admin privileges are unchanged.",
                    impact.customers,
                    impact.partner_of_record,
                    impact.support_contact
                );
            }
            let impact = store.remove_partnership(id, Utc::now()).map_err(refused)?;
            println!(
                "Partnership with PartnerID {} removed. Kept: {} customers, {} subscriptions as partner of record, {} as support contact.",
                partner_id.trim(),
                impact.customers,
                impact.partner_of_record,
                impact.support_contact
            );
            Ok(())
        }
    }
}

/// One request as `invitations list --json` prints it. The field names are stable.
#[derive(Serialize)]
struct InvitationJson<'a> {
    recipient: &'a str,
    status: InvitationStatus,
    sent_by: &'a str,
    sent_at: chrono::DateTime<Utc>,
    age_days: i64,
    delivery: crate::domain::invitation::Delivery,
    link: &'a str,
    token: &'a str,
    reseller: Option<&'a str>,
    resent_count: i64,
}

pub fn invitations(store: &mut Store, command: InvitationsCommand) -> anyhow::Result<()> {
    let now = Utc::now();
    match command {
        InvitationsCommand::List { json } => {
            let rows = store.all_invitations().map_err(refused)?;
            let expiry = store.settings().invitation_expiry_days;
            if json {
                let out: Vec<InvitationJson> = rows
                    .iter()
                    .map(|i| InvitationJson {
                        recipient: &i.recipient,
                        status: i.status(now, expiry),
                        sent_by: &i.sent_by,
                        sent_at: i.sent_at,
                        age_days: (now - i.sent_at).num_days().max(0),
                        delivery: i.delivery,
                        link: &i.link,
                        token: &i.token,
                        reseller: i.reseller.as_deref(),
                        resent_count: i.resent_count,
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|i| {
                    vec![
                        i.recipient.clone(),
                        i.status(now, expiry).label().to_owned(),
                        i.sent_by.clone(),
                        i.sent_at.format("%Y-%m-%d %H:%M").to_string(),
                        i.link.clone(),
                    ]
                })
                .collect();
            print_table(
                &["Recipient", "Status", "Sent by", "Sent at (UTC)", "Link"],
                &table,
            );
            Ok(())
        }
        InvitationsCommand::Accept {
            token,
            partner_id,
            name,
            country,
            tenant_id,
        } => {
            let invalid = |field: &str, e: String| anyhow::anyhow!("--{field}: {e}");
            let acceptance = Acceptance {
                name,
                partner_id: PartnerId::parse(&partner_id).map_err(|e| invalid("partner-id", e))?,
                country: Country::parse(&country).map_err(|e| invalid("country", e))?,
                tenant_id: tenant_id
                    .map(|t| TenantId::parse(&t).map_err(|e| invalid("tenant-id", e)))
                    .transpose()?,
            };
            if let Some(warning) = acceptance.partner_id.warning() {
                eprintln!("warning: {warning}");
            }
            store
                .accept_invitation(&token, &acceptance, now)
                .map_err(refused)
                .context("not recorded")?;
            println!(
                "Recorded: {} (PartnerID {}) accepted and is now an active indirect reseller.",
                crate::domain::text::clean(acceptance.name.trim()),
                acceptance.partner_id
            );
            Ok(())
        }
    }
}

/// A plain table: columns padded to their widest cell, two spaces apart.
fn print_table(headers: &[&str], rows: &[Vec<String>]) {
    use unicode_width::UnicodeWidthStr;
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].width())
                .chain([headers[c].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w.saturating_sub(cell.width()))))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
