//! The pull from Partner Center, on the store's side: where a pass stands (`sync_state`), and
//! each page applied in one transaction. Rows are matched by tenant ID; a row whose fields are
//! the same is not written (nor logged); a reseller or customer Partner Center no longer lists is
//! marked removed after a complete pass, never deleted. What the remote side sent is already
//! mapped by the caller (the `sync` module) into [`PulledReseller`] and [`PulledCustomer`].

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{CommandResult, Store, audit, db_time, opt_text, parse_db_time};
use crate::domain::operator::Operator;

/// An indirect reseller as Partner Center lists it, checked against twotier's rules.
#[derive(Debug, Clone)]
pub struct PulledReseller {
    pub tenant_id: String,
    pub name: String,
    pub partner_id: String,
    pub location: String,
}

/// A customer as the list sends it (company profile only: the billing profile, the admin and
/// the address are not in the list, so a new row gets them empty until they are pulled).
#[derive(Debug, Clone)]
pub struct PulledCustomer {
    pub tenant_id: String,
    pub company_name: String,
    pub domain: String,
    /// 'none', 'reseller' or 'advisor'.
    pub relationship: String,
    /// The indirect reseller's tenant ID, if it is a customer of one.
    pub reseller_tenant_id: Option<String>,
    /// A rule the row breaks, kept with it.
    pub problem: Option<String>,
}

/// A row that can't be placed in the book: kept in `sync_held` as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// "reseller" or "customer".
    pub kind: String,
    pub remote_id: String,
    pub name: String,
    pub problem: String,
    /// The JSON as Partner Center sent it.
    pub payload: String,
}

/// One item of a page: placed, or held with why.
#[derive(Debug, Clone)]
pub enum Pulled<T> {
    Row(T),
    Held(Held),
}

/// Where the next customer page is asked: the link's path and its continuation token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub path: String,
    pub continuation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub pass: i64,
    /// A pass is under way: its resellers are in, its customers paged up to `cursor`.
    pub in_progress: bool,
    /// The next customer page of the pass under way; `None` with `in_progress` means from the
    /// first page.
    pub cursor: Option<Cursor>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

/// What one page (or the resellers) changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub held: u64,
}

impl Applied {
    pub fn add(&mut self, other: &Applied) {
        self.added += other.added;
        self.changed += other.changed;
        self.unchanged += other.unchanged;
        self.removed += other.removed;
        self.held += other.held;
    }
}

/// A row of the book flagged by a pull: what it is and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flagged {
    pub kind: String,
    pub name: String,
    pub id: String,
    pub problem: String,
    /// Kept aside in `sync_held` (not in the book's lists) rather than flagged in place.
    pub held: bool,
}

const ACTION_PULLED: &str = "Pulled from Partner Center";
const ACTION_CHANGED: &str = "Changed in Partner Center";
const ACTION_GONE: &str = "Removed in Partner Center";

impl Store {
    pub fn sync_state(&self) -> CommandResult<SyncState> {
        let row = self
            .conn
            .query_row(
                "SELECT pass, phase, next_path, continuation, last_sync_at FROM sync_state WHERE id = 1",
                [],
                |r| {
                    let phase: String = r.get(1)?;
                    let path = opt_text(r, 2)?;
                    let continuation = opt_text(r, 3)?;
                    let last = opt_text(r, 4)?.map(|t| parse_db_time(&t)).transpose()?;
                    Ok(SyncState {
                        pass: r.get(0)?,
                        in_progress: phase != "idle",
                        cursor: path.map(|path| Cursor { path, continuation }),
                        last_sync_at: last,
                    })
                },
            )
            .optional()?;
        Ok(row.unwrap_or(SyncState {
            pass: 0,
            in_progress: false,
            cursor: None,
            last_sync_at: None,
        }))
    }

    /// Starts a pass with the complete list of indirect resellers, in one transaction: they are
    /// placed, those no longer listed are marked removed, and the customer paging starts from
    /// the first page.
    pub fn sync_begin_with_resellers(
        &self,
        resellers: &[Pulled<PulledReseller>],
        at: DateTime<Utc>,
    ) -> CommandResult<Applied> {
        self.mutate(|tx, by| {
            let mut applied = Applied::default();
            // The list of resellers is complete: those held are held again below, if still so.
            tx.execute("DELETE FROM sync_held WHERE kind = 'reseller'", [])?;
            let mut listed = Vec::new();
            for item in resellers {
                match item {
                    Pulled::Held(h) => hold(tx, h, at, &mut applied)?,
                    Pulled::Row(r) => {
                        listed.push(r.tenant_id.to_lowercase());
                        upsert_reseller(tx, r, at, by, &mut applied)?;
                    }
                }
            }
            let mut gone = tx.prepare(
                "SELECT id, name, partner_id, tenant_id FROM resellers
                  WHERE state = 'active' AND tenant_id IS NOT NULL",
            )?;
            let active: Vec<(i64, String, String, String)> = gone
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?;
            for (id, name, partner_id, tenant) in active {
                if listed.contains(&tenant.to_lowercase()) {
                    continue;
                }
                tx.execute(
                    "UPDATE resellers SET state = 'removed', removed_at = ?1, removed_by = ?2 WHERE id = ?3",
                    params![db_time(at), by.map(|o| o.id), id],
                )?;
                audit(tx, at, by, ACTION_GONE, &format!("{name} ({partner_id})"), Some("Active"), Some("Removed"))?;
                applied.removed += 1;
            }
            tx.execute("DELETE FROM sync_seen", [])?;
            tx.execute(
                "UPDATE sync_state SET pass = pass + 1, phase = 'customers', next_path = NULL,
                        continuation = NULL, pass_started_at = ?1 WHERE id = 1",
                params![db_time(at)],
            )?;
            Ok(applied)
        })
    }

    /// One page of customers, in one transaction, with the cursor of the page after it. After
    /// the last page (`next` is `None`) the customers the pass did not see are marked removed
    /// and the pass is complete.
    pub fn sync_customer_page(
        &self,
        customers: &[Pulled<PulledCustomer>],
        next: Option<&Cursor>,
        at: DateTime<Utc>,
    ) -> CommandResult<Applied> {
        self.mutate(|tx, by| {
            let mut applied = Applied::default();
            for item in customers {
                match item {
                    Pulled::Held(h) => hold(tx, h, at, &mut applied)?,
                    Pulled::Row(c) => {
                        tx.execute(
                            "INSERT OR IGNORE INTO sync_seen (tenant_id) VALUES (?1)",
                            params![c.tenant_id],
                        )?;
                        upsert_customer(tx, c, at, by, &mut applied)?;
                    }
                }
            }
            match next {
                Some(cursor) => {
                    tx.execute(
                        "UPDATE sync_state SET next_path = ?1, continuation = ?2 WHERE id = 1",
                        params![cursor.path, cursor.continuation],
                    )?;
                }
                None => {
                    let gone: Vec<(i64, String, String)> = tx
                        .prepare(
                            "SELECT id, company_name, domain FROM customers
                              WHERE removed_at IS NULL
                                AND tenant_id NOT IN (SELECT tenant_id FROM sync_seen)",
                        )?
                        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect::<Result<_, _>>()?;
                    for (id, name, domain) in gone {
                        tx.execute(
                            "UPDATE customers SET removed_at = ?1 WHERE id = ?2",
                            params![db_time(at), id],
                        )?;
                        audit(tx, at, by, ACTION_GONE, &format!("{name} ({domain})"), Some("Listed"), Some("Removed"))?;
                        applied.removed += 1;
                    }
                    tx.execute("DELETE FROM sync_seen", [])?;
                    tx.execute(
                        "DELETE FROM sync_held WHERE kind = 'customer'
                            AND pass < (SELECT pass FROM sync_state WHERE id = 1)",
                        [],
                    )?;
                    tx.execute(
                        "UPDATE sync_state SET phase = 'idle', next_path = NULL, continuation = NULL,
                                last_sync_at = ?1 WHERE id = 1",
                        params![db_time(at)],
                    )?;
                }
            }
            Ok(applied)
        })
    }

    /// Every row a pull flagged or held, resellers first, by name.
    pub fn sync_flagged(&self) -> CommandResult<Vec<Flagged>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT 'reseller', name, partner_id, pc_problem, 0 FROM resellers WHERE pc_problem IS NOT NULL
             UNION ALL
             SELECT 'customer', company_name, domain, pc_problem, 0 FROM customers WHERE pc_problem IS NOT NULL
             UNION ALL
             SELECT kind, name, remote_id, problem, 1 FROM sync_held
             ORDER BY 1 DESC, 2, 3",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Flagged {
                kind: r.get(0)?,
                name: r.get(1)?,
                id: r.get(2)?,
                problem: r.get(3)?,
                held: r.get::<_, i64>(4)? == 1,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }
}

fn hold(
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

fn upsert_reseller(
    tx: &Connection,
    r: &PulledReseller,
    at: DateTime<Utc>,
    by: Option<&Operator>,
    applied: &mut Applied,
) -> CommandResult<()> {
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
            audit(tx, at, by, ACTION_PULLED, &label, None, Some(&after))?;
            applied.added += 1;
        }
        Some((id, name, partner_id, location, state, tenant)) => {
            if name == r.name
                && partner_id == r.partner_id
                && location == r.location
                && state == "active"
                && tenant.is_some_and(|t| t.eq_ignore_ascii_case(&r.tenant_id))
            {
                applied.unchanged += 1;
                return Ok(());
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
        }
    }
    Ok(())
}

fn upsert_customer(
    tx: &Connection,
    c: &PulledCustomer,
    at: DateTime<Utc>,
    by: Option<&Operator>,
    applied: &mut Applied,
) -> CommandResult<()> {
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
        return Ok(hold(tx, &held, at, applied)?);
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
                return Ok(());
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
        }
    }
    Ok(())
}

fn join(first: Option<&str>, second: &str) -> String {
    match first {
        Some(f) => format!("{f}; {second}"),
        None => second.to_owned(),
    }
}
