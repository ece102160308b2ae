//! The Dashboard's figures: the book at a glance. Each is one query along an index or a read of
//! the counters migration 0010 keeps by trigger in the transaction of every write, so the
//! whole reply costs the same at 150 subscriptions as at ten million.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{CommandResult, Store, db_time};
use crate::domain::permission::Permission;
use crate::domain::text::cleaned;

/// Weeks of new customers the chart shows, the last one ending today.
pub const WEEKS: usize = 26;
/// Days ahead that count as renewing soon.
pub const RENEWAL_DAYS: i64 = 30;
/// The most bars and rows a panel can show (at 200×50); smaller terminals show fewer.
pub const TOP: usize = 12;
/// Blocked resellers named by the panel (the rest are counted).
pub const BLOCKED_NAMED: usize = 5;

/// The book's totals: present customers, and present active subscriptions with their seats.
pub const BOOK_SQL: &str =
    "SELECT customers, subscriptions, seats FROM dashboard_book WHERE id = 1";
/// Active partnerships, along `resellers_by_state_name`.
pub const RESELLERS_SQL: &str = "SELECT count(*) FROM resellers WHERE state = 'active'";
/// The offers with the most seats (`?1`: how many).
pub const OFFERS_SQL: &str = "SELECT o.name, d.seats, d.subscriptions
     FROM dashboard_offer_seats d JOIN offers o ON o.id = d.offer_id
     WHERE d.seats > 0 ORDER BY d.seats DESC, d.offer_id LIMIT ?1";
/// The partners of record with the most seats (`?1`: how many).
pub const TOP_RESELLERS_SQL: &str = "SELECT r.name, r.state = 'removed', d.seats, d.subscriptions
     FROM dashboard_reseller_seats d JOIN resellers r ON r.id = d.reseller_id
     WHERE d.seats > 0 ORDER BY d.seats DESC, d.reseller_id LIMIT ?1";
/// New customers per day after `?1` up to `?2` (both 'YYYY-MM-DD').
pub const NEW_CUSTOMERS_SQL: &str =
    "SELECT day, customers FROM dashboard_new_customers WHERE day > ?1 AND day <= ?2";
/// Active subscriptions whose commitment ends from `?1` to `?2`, a row per day and auto-renew
/// (summed here: a GROUP BY would sort them).
pub const RENEWALS_SQL: &str = "SELECT auto_renew, subscriptions, seats
     FROM dashboard_renewals WHERE day >= ?1 AND day <= ?2";
/// Partnership requests still Sent: all, those sent since `?1` (a week ago), those before `?2`
/// (30 days ago); along the partial index `invitations_pending`.
pub const PENDING_SQL: &str =
    "SELECT count(*), coalesce(sum(sent_at >= ?1), 0), coalesce(sum(sent_at < ?2), 0)
     FROM invitations WHERE status = 'sent'";
/// Active resellers known not to comply (orders can't credit them), along `resellers_blocked`.
pub const BLOCKED_COUNT_SQL: &str = "SELECT count(*) FROM resellers
     WHERE state = 'active' AND (mpa_signed = 0 OR por_valid = 0)";
/// The first of them by name (`?1`: how many).
pub const BLOCKED_NAMES_SQL: &str = "SELECT name FROM resellers
     WHERE state = 'active' AND (mpa_signed = 0 OR por_valid = 0) ORDER BY name, id LIMIT ?1";
/// Active resellers whose MPA or partner of record nobody has checked yet.
pub const UNCHECKED_SQL: &str = "SELECT count(*) FROM resellers
     WHERE state = 'active' AND (mpa_signed IS NULL OR por_valid IS NULL)";

/// One bar or row: a name and its seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seats {
    pub name: String,
    pub seats: i64,
    pub subscriptions: i64,
    /// A reseller whose partnership was removed, still credited with these seats.
    pub removed: bool,
}

/// Active subscriptions ending within [`RENEWAL_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Renewals {
    pub subscriptions: i64,
    pub seats: i64,
    /// Of them, the ones with auto-renew off: they expire unless someone acts.
    pub ending: i64,
    pub ending_seats: i64,
}

/// Partnership requests still Sent, by age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pending {
    pub under_week: i64,
    pub week_to_month: i64,
    pub over_month: i64,
}

impl Pending {
    pub fn total(&self) -> i64 {
        self.under_week + self.week_to_month + self.over_month
    }
}

/// Active resellers orders can't credit (MPA not signed or PartnerID not valid as partner of
/// record), and those not checked yet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Blocked {
    pub count: i64,
    /// The first [`BLOCKED_NAMED`] by name.
    pub names: Vec<String>,
    pub unchecked: i64,
}

/// Everything the Dashboard shows, as of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub customers: i64,
    pub subscriptions: i64,
    pub seats: i64,
    pub resellers: i64,
    /// Top offers by seats, most first.
    pub offers: Vec<Seats>,
    /// New customers per week, oldest first; the last week ends today.
    pub new_customers: Vec<u64>,
    pub renewals: Renewals,
    /// `None` where the operator's role can't see the resellers' screens.
    pub pending: Option<Pending>,
    pub blocked: Option<Blocked>,
    /// Top partners of record by seats, most first.
    pub top_resellers: Vec<Seats>,
}

impl Dashboard {
    /// Nothing in the book yet: the screen says what to do first.
    pub fn is_empty(&self) -> bool {
        self.customers == 0 && self.resellers == 0 && self.pending.is_none_or(|p| p.total() == 0)
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Store {
    /// The Dashboard's figures at `now` (days are UTC); the reseller panels only for a role
    /// that may see Indirect resellers.
    pub fn dashboard(&self, now: DateTime<Utc>) -> CommandResult<Dashboard> {
        let sees_resellers = self.require(Permission::ViewResellers).is_ok();
        Ok(read(self.conn(), now, sees_resellers)?)
    }
}

/// Every figure, in one read (benches call it on a bare connection).
pub fn read(
    conn: &Connection,
    now: DateTime<Utc>,
    sees_resellers: bool,
) -> rusqlite::Result<Dashboard> {
    let today = now.date_naive();
    let (customers, subscriptions, seats) = conn
        .query_row(BOOK_SQL, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .unwrap_or((0, 0, 0));
    let resellers = conn.query_row(RESELLERS_SQL, [], |r| r.get(0))?;
    let seats_rows = |sql: &str, reseller: bool| -> rusqlite::Result<Vec<Seats>> {
        conn.prepare_cached(sql)?
            .query_map([TOP as i64], |r| {
                let at = usize::from(reseller);
                Ok(Seats {
                    name: cleaned(super::text(r, 0)?),
                    removed: reseller && r.get(1)?,
                    seats: r.get(1 + at)?,
                    subscriptions: r.get(2 + at)?,
                })
            })?
            .collect()
    };
    let offers = seats_rows(OFFERS_SQL, false)?;
    let top_resellers = seats_rows(TOP_RESELLERS_SQL, true)?;
    let first = today - Duration::days(7 * WEEKS as i64);
    let mut new_customers = vec![0u64; WEEKS];
    let mut stmt = conn.prepare_cached(NEW_CUSTOMERS_SQL)?;
    let days = stmt.query_map(params![day(first), day(today)], |r| {
        Ok((super::text(r, 0)?, r.get::<_, i64>(1)?))
    })?;
    for row in days {
        let (on, count) = row?;
        let Ok(on) = NaiveDate::parse_from_str(&on, "%Y-%m-%d") else {
            continue;
        };
        let back = (today - on).num_days();
        if (0..7 * WEEKS as i64).contains(&back) {
            new_customers[WEEKS - 1 - (back / 7) as usize] += count.max(0) as u64;
        }
    }
    let mut renewals = Renewals::default();
    let mut stmt = conn.prepare_cached(RENEWALS_SQL)?;
    let soon = today + Duration::days(RENEWAL_DAYS);
    let rows = stmt.query_map(params![day(today), day(soon)], |r| {
        Ok((
            r.get::<_, bool>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (auto_renew, subs, seats) = row?;
        renewals.subscriptions += subs;
        renewals.seats += seats;
        if !auto_renew {
            renewals.ending += subs;
            renewals.ending_seats += seats;
        }
    }
    let (pending, blocked) = if sees_resellers {
        (Some(pending(conn, now)?), Some(blocked(conn)?))
    } else {
        (None, None)
    };
    Ok(Dashboard {
        today,
        customers,
        subscriptions,
        seats,
        resellers,
        offers,
        new_customers,
        renewals,
        pending,
        blocked,
        top_resellers,
    })
}

fn pending(conn: &Connection, now: DateTime<Utc>) -> rusqlite::Result<Pending> {
    let week = db_time(now - Duration::days(7));
    let month = db_time(now - Duration::days(30));
    let (all, under_week, over_month): (i64, i64, i64) =
        conn.query_row(PENDING_SQL, params![week, month], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(Pending {
        under_week,
        week_to_month: all - under_week - over_month,
        over_month,
    })
}

fn blocked(conn: &Connection) -> rusqlite::Result<Blocked> {
    let count = conn.query_row(BLOCKED_COUNT_SQL, [], |r| r.get(0))?;
    let names = conn
        .prepare_cached(BLOCKED_NAMES_SQL)?
        .query_map([BLOCKED_NAMED as i64], |r| Ok(cleaned(super::text(r, 0)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let unchecked = conn.query_row(UNCHECKED_SQL, [], |r| r.get(0))?;
    Ok(Blocked {
        count,
        names,
        unchecked,
    })
}
