//! The scripting subcommands: the same store commands the console runs, with plain or JSON
//! output. Every text that reaches stdout comes out of the store sanitised; a message that quotes
//! an argument or a path shows it with visible escapes (`text::escaped`, `text::shown_path`).

mod customers_add;
mod customers_add_through;
mod follow_up;
pub mod import;
pub mod partner_center;
mod printed;
mod refusal;
mod renewals;

use anyhow::{Context, bail};
use chrono::Utc;
use serde::Serialize;

use crate::cli::{InvitationsCommand, ResellersCommand};
use crate::domain::ids::{Country, PartnerId, TenantId};
use crate::domain::invitation::InvitationStatus;
use crate::domain::text::{escaped, shown_path};
use crate::store::Store;
use crate::store::invitations::Acceptance;
use printed::{emit, print, print_table};
use refusal::refused;

pub fn resellers(store: &mut Store, command: ResellersCommand) -> anyhow::Result<()> {
    match command {
        ResellersCommand::List { json, all, search } => {
            let rows = store
                .resellers_matching(all, search.as_deref().unwrap_or(""))
                .map_err(refused)?;
            if json {
                emit(&serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let compliance =
                        crate::domain::compliance::Compliance::new(r.mpa_signed, r.por_valid);
                    let status = match (r.state.as_str(), compliance.status()) {
                        ("removed", _) => "Removed".to_owned(),
                        (_, Some(why)) => format!("Active, {why}"),
                        (_, None) => "Active".to_owned(),
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
            store
                .require(crate::domain::permission::Permission::RemovePartnership)
                .map_err(refused)?;
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
                escaped(partner_id.trim()),
                impact.customers,
                impact.partner_of_record,
                impact.support_contact
            );
            Ok(())
        }
        ResellersCommand::FollowUp { partner_id, json } => {
            follow_up::run(store, partner_id.trim(), json).map(print)
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

/// A request's status in the text table; a discarded one says how its link had left.
fn status_text(status: InvitationStatus, delivery: crate::domain::invitation::Delivery) -> String {
    match status {
        InvitationStatus::Discarded => format!("Discarded ({})", delivery.label().to_lowercase()),
        other => other.label().to_owned(),
    }
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
                emit(&serde_json::to_string_pretty(&out)?);
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|i| {
                    vec![
                        i.recipient.clone(),
                        status_text(i.status(now, expiry), i.delivery),
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
                escaped(acceptance.name.trim()),
                acceptance.partner_id
            );
            Ok(())
        }
        InvitationsCommand::Expect {
            token,
            partner_id,
            tenant_id,
        } => partner_center::expect(store, &token, partner_id, tenant_id),
    }
}

pub fn customers(
    store: &mut Store,
    command: crate::cli::CustomersCommand,
    config: &crate::config::Config,
) -> anyhow::Result<()> {
    let (reseller, search, removed, json) = match command {
        crate::cli::CustomersCommand::List {
            reseller,
            search,
            removed,
            json,
        } => (reseller, search, removed, json),
        crate::cli::CustomersCommand::Add { from, json } => {
            return customers_add::run(store, &from, json, config);
        }
    };
    let filter = crate::store::export::CustomerFilter {
        reseller_partner_id: reseller,
        search,
        removed,
    };
    to_stdout(|out| {
        if json {
            crate::export::write_customers(store, &filter, crate::export::Format::Json, out)?;
            return Ok(());
        }
        let mut table = Vec::new();
        store.for_each_customer(&filter, |c| {
            table.push(vec![
                c.company_name.clone(),
                c.primary_domain.clone(),
                c.microsoft_id.clone(),
                c.reseller.clone().unwrap_or_else(|| "Direct".to_owned()),
                c.subscriptions.to_string(),
            ]);
            Ok(())
        })?;
        let headers = [
            "Company name",
            "Primary domain",
            "Microsoft ID",
            "Reseller",
            "Subscriptions",
        ];
        Ok(write_table(out, &headers, &table)?)
    })
}

pub fn subscriptions(
    store: &mut Store,
    command: crate::cli::SubscriptionsCommand,
) -> anyhow::Result<()> {
    let (customer, reseller, search, json) = match command {
        crate::cli::SubscriptionsCommand::List {
            customer,
            reseller,
            search,
            json,
        } => (customer, reseller, search, json),
        crate::cli::SubscriptionsCommand::Renewals(args) => {
            return renewals::run(store, &args).map(print);
        }
    };
    let filter = crate::store::export::SubscriptionFilter {
        customer_id: customer
            .map(|key| store.customer_id_by_key(&key).map_err(refused))
            .transpose()?,
        reseller_partner_id: reseller,
        search,
    };
    to_stdout(|out| {
        if json {
            crate::export::write_subscriptions(store, &filter, crate::export::Format::Json, out)?;
            return Ok(());
        }
        let mut table = Vec::new();
        store.for_each_subscription(&filter, |s| {
            table.push(vec![
                s.subscription_id.clone(),
                s.subscription.clone(),
                s.customer.clone(),
                s.quantity.to_string(),
                crate::export::status_label(&s.status).to_owned(),
                removed_mark(
                    s.reseller.clone().unwrap_or_else(|| "Direct".to_owned()),
                    s.reseller_removed,
                ),
                removed_mark(s.support_contact.clone(), s.support_contact_removed),
            ]);
            Ok(())
        })?;
        let headers = [
            "Subscription ID",
            "Subscription",
            "Customer",
            "Quantity",
            "Status",
            "Reseller",
            "Support contact",
        ];
        Ok(write_table(out, &headers, &table)?)
    })
}

/// A reseller whose partnership was removed, as the subscriptions list names it.
fn removed_mark(name: String, removed: bool) -> String {
    if removed {
        format!("{name} {}", crate::store::subscriptions::REMOVED_MARK)
    } else {
        name
    }
}

/// `twotier export`: streamed row by row to stdout, or to a file that is complete or absent.
pub fn export(store: &mut Store, args: crate::cli::ExportArgs) -> anyhow::Result<()> {
    use crate::cli::{ExportFormat, ExportWhat};
    use crate::export::{Format, write_customers, write_subscriptions};
    let format = match args.format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Json => Format::Json,
    };
    let store = &*store;
    let write = |out: &mut dyn std::io::Write| match args.what {
        ExportWhat::Customers => write_customers(store, &Default::default(), format, out),
        ExportWhat::Subscriptions => write_subscriptions(store, &Default::default(), format, out),
        ExportWhat::Resellers => crate::export::write_resellers(store, format, out),
    };
    let Some(path) = &args.out else {
        return to_stdout(|out| write(out).map(drop));
    };
    let n = crate::export::write_atomically(path, |out| write(out))?;
    let noun = match (args.what, n) {
        (ExportWhat::Customers, 1) => "customer",
        (ExportWhat::Customers, _) => "customers",
        (ExportWhat::Subscriptions, 1) => "subscription",
        (ExportWhat::Subscriptions, _) => "subscriptions",
        (ExportWhat::Resellers, 1) => "reseller",
        (ExportWhat::Resellers, _) => "resellers",
    };
    eprintln!("Exported {n} {noun} to {}", shown_path(path));
    Ok(())
}

/// Runs `write` on a buffered stdout. A reader that stops early (`| head`) ends the output
/// quietly instead of as an error.
fn to_stdout(
    write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = write(&mut out).and_then(|()| Ok(out.flush()?));
    match result {
        Err(e)
            if e.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Like `print_table`, to any writer: columns padded to their widest cell, two spaces apart.
fn write_table(
    out: &mut dyn std::io::Write,
    headers: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
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
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            text.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width())));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&mut headers.iter().copied())?;
    for row in rows {
        line(&mut row.iter().map(String::as_str))?;
    }
    Ok(())
}

/// An operator as `users list --json` prints it. The field names are stable.
#[derive(Serialize)]
struct UserJson<'a> {
    upn: &'a str,
    display_name: &'a str,
    role: crate::domain::role::Role,
    disabled: bool,
    created_at: chrono::DateTime<Utc>,
}

pub fn users(store: &mut Store, command: crate::cli::UsersCommand) -> anyhow::Result<()> {
    use crate::cli::UsersCommand;
    let now = Utc::now();
    match command {
        UsersCommand::List { json } => {
            let rows = store.all_operators().map_err(refused)?;
            if json {
                let out: Vec<UserJson> = rows
                    .iter()
                    .map(|o| UserJson {
                        upn: &o.upn,
                        display_name: &o.display_name,
                        role: o.role,
                        disabled: o.disabled,
                        created_at: o.created_at,
                    })
                    .collect();
                emit(&serde_json::to_string_pretty(&out)?);
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|o| {
                    let status = if o.disabled { "Disabled" } else { "Active" };
                    vec![
                        o.upn.clone(),
                        o.display_name.clone(),
                        o.role.label().to_owned(),
                        status.to_owned(),
                    ]
                })
                .collect();
            print_table(&["User (UPN)", "Name", "Role", "Status"], &table);
        }
        UsersCommand::Add { upn, role, name } => {
            store
                .add_operator(&upn, &name, role, now)
                .map_err(refused)?;
            println!("Added {} as {}.", escaped(upn.trim()), role.label());
        }
        UsersCommand::Disable { upn } => {
            store
                .set_operator_disabled(&upn, true, now)
                .map_err(refused)?;
            println!("Disabled {}.", escaped(upn.trim()));
        }
        UsersCommand::Enable { upn } => {
            store
                .set_operator_disabled(&upn, false, now)
                .map_err(refused)?;
            println!("Enabled {}.", escaped(upn.trim()));
        }
        UsersCommand::SetRole { upn, role } => {
            store.set_operator_role(&upn, role, now).map_err(refused)?;
            println!("{} is now {}.", escaped(upn.trim()), role.label());
        }
    }
    Ok(())
}

/// One entry as `activity list --json` prints it. The field names are stable.
#[derive(Serialize)]
struct ActivityJson<'a> {
    at: chrono::DateTime<Utc>,
    operator: &'a str,
    action: &'a str,
    target: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

pub fn activity(store: &mut Store, command: crate::cli::ActivityCommand) -> anyhow::Result<()> {
    use crate::cli::ActivityCommand;
    use crate::store::list::{ActivityRow, Anchor, Filter, PageRequest, fetch_page};
    let ActivityCommand::List {
        json,
        by,
        action,
        target,
        limit,
    } = command;
    let prefixes = [by, action, target]
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    let filter = Filter {
        column_prefixes: prefixes,
        ..Filter::default()
    };
    let page = fetch_page::<ActivityRow>(
        store.conn(),
        &PageRequest {
            filter,
            anchor: Anchor::First,
            limit,
        },
    )?;
    if json {
        let out: Vec<ActivityJson> = page
            .rows
            .iter()
            .map(|a| ActivityJson {
                at: a.at,
                operator: &a.operator,
                action: &a.action,
                target: &a.target,
                before: a.before.as_deref(),
                after: a.after.as_deref(),
            })
            .collect();
        emit(&serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let table: Vec<Vec<String>> = page
        .rows
        .iter()
        .map(|a| {
            let change = match (&a.before, &a.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a.clone(),
                (Some(b), None) => b.clone(),
                (None, None) => String::new(),
            };
            vec![
                a.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                a.operator.clone(),
                a.action.clone(),
                a.target.clone(),
                change,
            ]
        })
        .collect();
    print_table(
        &[
            "Time (UTC)",
            "Operator",
            "Action",
            "Target",
            "Before → after",
        ],
        &table,
    );
    Ok(())
}
