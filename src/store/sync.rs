//! The pull from Partner Center, on the store's side: where a pass stands (`sync_state`), and
//! each page applied in one transaction. Rows are matched by tenant ID; a row whose fields are
//! the same is not written (nor logged); a reseller or customer Partner Center no longer lists is
//! marked removed after a complete pass, never deleted. What the remote side sent is already
//! mapped by the caller (the `sync` module) into [`PulledReseller`] and [`PulledCustomer`].

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::sync_rows::{hold, mark_customer_gone, upsert_customer, upsert_reseller};
use super::sync_types::ACTION_GONE;
pub use super::sync_types::{
    Applied, Begun, Cursor, Flagged, Held, PassKind, Phase, Pulled, PulledCustomer, PulledReseller,
    SyncState,
};
use super::{CommandResult, Store, audit, db_time, opt_text, parse_db_time};

impl Store {
    pub fn sync_state(&self) -> CommandResult<SyncState> {
        let row = self
            .conn
            .query_row(
                "SELECT pass, phase, next_path, continuation, last_sync_at, kind, after_customer,
                        last_kind, changes_since
                   FROM sync_state WHERE id = 1",
                [],
                |r| {
                    let phase: String = r.get(1)?;
                    let path = opt_text(r, 2)?;
                    let continuation = opt_text(r, 3)?;
                    let time = |i| -> rusqlite::Result<Option<DateTime<Utc>>> {
                        opt_text(r, i)?.map(|t| parse_db_time(&t)).transpose()
                    };
                    Ok(SyncState {
                        pass: r.get(0)?,
                        in_progress: phase != "idle",
                        phase: Phase::from_key(&phase),
                        kind: PassKind::from_key(&r.get::<_, String>(5)?),
                        cursor: path.map(|path| Cursor { path, continuation }),
                        after_customer: r.get(6)?,
                        last_sync_at: time(4)?,
                        last_kind: opt_text(r, 7)?.map(|k| PassKind::from_key(&k)),
                        changes_since: time(8)?,
                    })
                },
            )
            .optional()?;
        Ok(row.unwrap_or(SyncState {
            pass: 0,
            in_progress: false,
            phase: Phase::Idle,
            kind: PassKind::Full,
            cursor: None,
            after_customer: 0,
            last_sync_at: None,
            last_kind: None,
            changes_since: None,
        }))
    }

    /// Starts a pass with the complete list of indirect resellers, in one transaction: they are
    /// placed (a Sent partnership request one of them answers is marked Accepted), those no
    /// longer listed are marked removed, and the pass's paging (customers for a full pass, audit
    /// records for an incremental one) starts from the first page.
    pub fn sync_begin_with_resellers(
        &self,
        resellers: &[Pulled<PulledReseller>],
        kind: PassKind,
        at: DateTime<Utc>,
    ) -> CommandResult<Begun> {
        self.mutate(|tx, by| {
            let mut applied = Applied::default();
            let mut accepted = Vec::new();
            // The list of resellers is complete: those held are held again below, if still so.
            tx.execute("DELETE FROM sync_held WHERE kind = 'reseller'", [])?;
            let mut listed = Vec::new();
            for item in resellers {
                match item {
                    Pulled::Held(h) => hold(tx, h, at, &mut applied)?,
                    Pulled::Row(r) => {
                        listed.push(r.tenant_id.to_lowercase());
                        let id = upsert_reseller(tx, r, at, by, &mut applied)?;
                        if let Some(request) =
                            super::invitations::accepted_in_partner_center(tx, r, id, at, by)?
                        {
                            accepted.push(request);
                        }
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
            tx.execute("DELETE FROM sync_changed", [])?;
            let phase = match kind {
                PassKind::Full => "customers",
                PassKind::Incremental => "audit",
            };
            tx.execute(
                "UPDATE sync_state SET pass = pass + 1, phase = ?1, kind = ?2, next_path = NULL,
                        continuation = NULL, after_customer = 0, pass_started_at = ?3 WHERE id = 1",
                params![phase, kind.key(), db_time(at)],
            )?;
            Ok(Begun { applied, accepted })
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
                        mark_customer_gone(tx, id, &name, &domain, at, by)?;
                        applied.removed += 1;
                    }
                    tx.execute("DELETE FROM sync_seen", [])?;
                    tx.execute(
                        "DELETE FROM sync_held WHERE kind = 'customer'
                            AND pass < (SELECT pass FROM sync_state WHERE id = 1)",
                        [],
                    )?;
                    // The customers are complete: their subscriptions next.
                    tx.execute(
                        "UPDATE sync_state SET phase = 'subscriptions', next_path = NULL,
                                continuation = NULL, after_customer = 0 WHERE id = 1",
                        [],
                    )?;
                }
            }
            Ok(applied)
        })
    }

    /// The pass is complete: idle, with when it started kept as where the next incremental
    /// pass asks the audit records from.
    pub fn sync_finish(&self, at: DateTime<Utc>) -> CommandResult<()> {
        self.mutate(|tx, _| {
            tx.execute(
                "DELETE FROM sync_held WHERE kind = 'subscription'
                    AND pass < (SELECT pass FROM sync_state WHERE id = 1)
                    AND (SELECT kind FROM sync_state WHERE id = 1) = 'full'",
                [],
            )?;
            tx.execute(
                "UPDATE sync_state SET phase = 'idle', next_path = NULL, continuation = NULL,
                        after_customer = 0, last_sync_at = ?1, last_kind = kind,
                        changes_since = pass_started_at WHERE id = 1",
                params![db_time(at)],
            )?;
            Ok(())
        })
    }

    /// How many rows a pull flagged or held, and the first `limit` of them: resellers first,
    /// then customers, then subscriptions, by name.
    pub fn sync_flagged(&self, limit: usize) -> CommandResult<(u64, Vec<Flagged>)> {
        const FLAGGED: &str =
            "SELECT 'reseller' AS kind, name, partner_id AS id, pc_problem AS problem, 0 AS held
               FROM resellers WHERE pc_problem IS NOT NULL
             UNION ALL
             SELECT 'customer', company_name, domain, pc_problem, 0 FROM customers WHERE pc_problem IS NOT NULL
             UNION ALL
             SELECT 'subscription', coalesce(s.friendly_name, o.name), s.subscription_id, s.pc_problem, 0
               FROM subscriptions s JOIN offers o ON o.id = s.offer_id WHERE s.pc_problem IS NOT NULL
             UNION ALL
             SELECT kind, name, remote_id, problem, 1 FROM sync_held";
        let total: i64 =
            self.conn
                .query_row(&format!("SELECT count(*) FROM ({FLAGGED})"), [], |r| {
                    r.get(0)
                })?;
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT kind, name, id, problem, held FROM ({FLAGGED})
              ORDER BY CASE kind WHEN 'reseller' THEN 0 WHEN 'customer' THEN 1 ELSE 2 END, name, id
              LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], |r| {
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
        Ok((total.max(0) as u64, out))
    }
}
