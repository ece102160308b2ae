//! The pull's row by row writes, inside the caller's transaction: a reseller or customer placed
//! (matched by tenant ID, written only when a field differs, logged), marked gone, or held aside.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::sync_types::{
    ACTION_CHANGED, ACTION_GONE, ACTION_PULLED, Applied, Held, PulledCustomer, PulledReseller,
};
use super::{CommandResult, audit, db_time};
use crate::domain::operator::Operator;

pub(super) fn hold(
    tx: &Connection,
    h: &Held,
    at: DateTime<Utc>,
    applied: &mut Applied,
) -> rusqlite::Result<()> {
    let pass: i64 = tx.query_row("SELECT pass FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
    let same: Option<(String, String, String, i64)> = tx
        .query_row(
            "SELECT name, problem, payload, pass FROM sync_held WHERE kind = ?1 AND remote_id = ?2",
            params![h.kind, h.remote_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    applied.held += 1;
    if same.is_some_and(|(n, p, j, seen)| {
        n == h.name && p == h.problem && j == h.payload && seen == pass
    }) {
        return Ok(());
    }
    tx.execute(
        "INSERT OR REPLACE INTO sync_held (kind, remote_id, name, problem, payload, held_at, pass)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            h.kind,
            h.remote_id,
            h.name,
            h.problem,
            h.payload,
            db_time(at),
            pass
        ],
    )?;
    Ok(())
}

/// Places a reseller; returns its id in the book.
pub(super) fn upsert_reseller(
    tx: &Connection,
    r: &PulledReseller,
    at: DateTime<Utc>,
    by: Option<&Operator>,
    applied: &mut Applied,
) -> CommandResult<i64> {
    // A reseller entered by hand (or imported) before the book was connected may have no
    // tenant ID, or another one: its PartnerID ties it to the one Partner Center lists, whose
    // tenant ID it takes.
    let found: Option<(i64, String, String, String, String, Option<String>)> = tx
        .query_row(
            "SELECT id, name, partner_id, location, state, tenant_id FROM resellers
              WHERE tenant_id = ?1 OR (partner_id = ?2 AND state = 'active')
              ORDER BY CASE WHEN tenant_id = ?1 THEN 0 ELSE 1 END LIMIT 1",
            params![r.tenant_id, r.partner_id],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            },
        )
        .optional()?;
    let label = format!("{} ({})", r.name, r.partner_id);
    let after = format!(
        "{}, PartnerID {}, {}, Active",
        r.name, r.partner_id, r.location
    );
    match found {
        None => {
            tx.execute(
                "INSERT INTO resellers (tenant_id, name, partner_id, location, state, established_at)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?5)",
                params![r.tenant_id, r.name, r.partner_id, r.location, db_time(at)],
            )?;
            let id = tx.last_insert_rowid();
            audit(tx, at, by, ACTION_PULLED, &label, None, Some(&after))?;
            applied.added += 1;
            Ok(id)
        }
        Some((id, name, partner_id, location, state, tenant)) => {
            if name == r.name
                && partner_id == r.partner_id
                && location == r.location
                && state == "active"
                && tenant.is_some_and(|t| t.eq_ignore_ascii_case(&r.tenant_id))
            {
                applied.unchanged += 1;
                return Ok(id);
            }
            let before = format!(
                "{name}, PartnerID {partner_id}, {location}, {}",
                if state == "active" {
                    "Active"
                } else {
                    "Removed"
                }
            );
            tx.execute(
                "UPDATE resellers SET tenant_id = ?1, name = ?2, partner_id = ?3, location = ?4,
                        state = 'active', removed_at = NULL, removed_by = NULL WHERE id = ?5",
                params![r.tenant_id, r.name, r.partner_id, r.location, id],
            )?;
            audit(
                tx,
                at,
                by,
                ACTION_CHANGED,
                &label,
                Some(&before),
                Some(&after),
            )?;
            applied.changed += 1;
            Ok(id)
        }
    }
}

/// A customer Partner Center no longer lists: marked removed, logged.
pub(super) fn mark_customer_gone(
    tx: &Connection,
    id: i64,
    name: &str,
    domain: &str,
    at: DateTime<Utc>,
    by: Option<&Operator>,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE customers SET removed_at = ?1 WHERE id = ?2",
        params![db_time(at), id],
    )?;
    audit(
        tx,
        at,
        by,
        ACTION_GONE,
        &format!("{name} ({domain})"),
        Some("Listed"),
        Some("Removed"),
    )
}

/// Places a customer; returns its id in the book (`None`: held aside).
pub(super) fn upsert_customer(
    tx: &Connection,
    c: &PulledCustomer,
    at: DateTime<Utc>,
    by: Option<&Operator>,
    applied: &mut Applied,
) -> CommandResult<Option<i64>> {
    let reseller_id: Option<i64> = match &c.reseller_tenant_id {
        Some(t) => tx
            .query_row("SELECT id FROM resellers WHERE tenant_id = ?1", [t], |r| {
                r.get(0)
            })
            .optional()?,
        None => None,
    };
    let problem = match (&c.reseller_tenant_id, reseller_id) {
        (Some(t), None) => Some(join(
            c.problem.as_deref(),
            &format!(
                "its indirect reseller (tenant {t}) is not among the provider's relationships"
            ),
        )),
        _ => c.problem.clone(),
    };
    // Another tenant holding the domain: the schema keeps domains unique, so it waits aside.
    let domain_holder: Option<String> = tx
        .query_row(
            "SELECT tenant_id FROM customers WHERE domain = ?1 AND tenant_id <> ?2",
            params![c.domain, c.tenant_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = domain_holder {
        let held = Held {
            kind: "customer".into(),
            remote_id: c.tenant_id.clone(),
            name: c.company_name.clone(),
            problem: format!("its domain {} belongs to another customer in the book (tenant {other})", c.domain),
            payload: serde_json::json!({"tenantId": c.tenant_id, "companyName": c.company_name, "domain": c.domain}).to_string(),
        };
        hold(tx, &held, at, applied)?;
        return Ok(None);
    }
    type Row = (
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    // Placed now: no longer held (Partner Center fixed what it broke).
    tx.execute(
        "DELETE FROM sync_held WHERE kind = 'customer' AND remote_id = ?1 COLLATE NOCASE",
        [&c.tenant_id],
    )?;
    let found: Option<Row> = tx
        .query_row(
            "SELECT id, company_name, domain, relationship, reseller_id, pc_problem, removed_at
               FROM customers WHERE tenant_id = ?1",
            [&c.tenant_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .optional()?;
    let label = format!("{} ({})", c.company_name, c.domain);
    match found {
        None => {
            tx.execute(
                "INSERT INTO customers (tenant_id, company_name, domain, relationship, reseller_id,
                        first_name, last_name, email, address_line1, city, country, culture, language,
                        admin_user_name, created_at, pc_problem)
                 VALUES (?1, ?2, ?3, ?4, ?5, '', '', '', '', '', 'ZZ', '', '', '', ?6, ?7)",
                params![c.tenant_id, c.company_name, c.domain, c.relationship, reseller_id, db_time(at), problem],
            )?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                at,
                by,
                ACTION_PULLED,
                &label,
                None,
                Some(&c.relationship),
            )?;
            applied.added += 1;
            Ok(Some(id))
        }
        Some((id, name, domain, relationship, old_reseller, old_problem, removed_at)) => {
            if name == c.company_name
                && domain == c.domain
                && relationship == c.relationship
                && old_reseller == reseller_id
                && old_problem == problem
                && removed_at.is_none()
            {
                applied.unchanged += 1;
                return Ok(Some(id));
            }
            tx.execute(
                "UPDATE customers SET company_name = ?1, domain = ?2, relationship = ?3, reseller_id = ?4,
                        pc_problem = ?5, removed_at = NULL WHERE id = ?6",
                params![c.company_name, c.domain, c.relationship, reseller_id, problem, id],
            )?;
            audit(
                tx,
                at,
                by,
                ACTION_CHANGED,
                &label,
                Some(&format!("{name} ({domain}), {relationship}")),
                Some(&c.relationship),
            )?;
            applied.changed += 1;
            Ok(Some(id))
        }
    }
}

fn join(first: Option<&str>, second: &str) -> String {
    match first {
        Some(f) => format!("{f}; {second}"),
        None => second.to_owned(),
    }
}
