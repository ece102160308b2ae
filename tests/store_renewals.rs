//! Renewals on real SQLite files: which subscriptions it lists, their groups at each boundary
//! (counted from a given today), the reseller filter, keyset paging both ways, the upgrade of an
//! existing book.

mod common;

use chrono::{Duration, NaiveDate};
use common::{TestDb, as_of};
use rusqlite::{Connection, params};
use twotier::domain::renewal::{RenewalGroup, ends_by};
use twotier::store::list::{Anchor, Filter, Listed, PageRequest, fetch_page};
use twotier::store::renewals::{self, RenewalRow};
use twotier::store::{Opened, SCHEMA_VERSION, Store};

fn page(conn: &Connection, filter: &Filter, anchor: Anchor, limit: usize) -> Vec<RenewalRow> {
    let req = PageRequest {
        filter: filter.clone(),
        anchor,
        limit,
    };
    fetch_page::<RenewalRow>(conn, &req).unwrap().rows
}

fn walk(conn: &Connection, filter: &Filter, limit: usize, forward: bool) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut anchor = if forward { Anchor::First } else { Anchor::Last };
    loop {
        let req = PageRequest {
            filter: filter.clone(),
            anchor,
            limit,
        };
        let p = fetch_page::<RenewalRow>(conn, &req).unwrap();
        if forward {
            ids.extend(p.rows.iter().map(|r| r.id));
            match (p.more_after, p.rows.last()) {
                (Some(true), Some(last)) => anchor = Anchor::After(last.key()),
                _ => return ids,
            }
        } else {
            ids.extend(p.rows.iter().rev().map(|r| r.id));
            match (p.more_before, p.rows.first()) {
                (Some(true), Some(first)) => anchor = Anchor::Before(first.key()),
                _ => {
                    ids.reverse();
                    return ids;
                }
            }
        }
    }
}

/// The list as plain SQL says it should be: the rule written once more, independently.
fn expected(conn: &Connection, last_day: &str, reseller: Option<i64>) -> Vec<i64> {
    let mut stmt = conn
        .prepare(
            "SELECT id FROM subscriptions
             WHERE removed_at IS NULL AND status NOT IN ('expired', 'disabled', 'deleted')
               AND commitment_end_date <= ?1 AND (?2 IS NULL OR reseller_id = ?2)
             ORDER BY commitment_end_date, id",
        )
        .unwrap();
    stmt.query_map(params![last_day, reseller], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn day(offset: i64) -> String {
    (as_of() + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// A demo book where only the chosen subscriptions renew: every other one is expired, so the
/// list holds exactly these (end date in days from `as_of`, status, removed).
fn book_with(ends: &[(i64, &str, bool)]) -> (TestDb, Vec<i64>) {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    conn.execute("UPDATE subscriptions SET status = 'expired'", [])
        .unwrap();
    let mut ids = Vec::new();
    for (n, (offset, status, removed)) in ends.iter().enumerate() {
        let id = n as i64 + 1;
        conn.execute(
            "UPDATE subscriptions SET commitment_end_date = ?2, status = ?3,
                    removed_at = CASE WHEN ?4 THEN '2026-10-01T00:00:00Z' END
             WHERE id = ?1",
            params![id, day(*offset), status, removed],
        )
        .unwrap();
        ids.push(id);
    }
    (db, ids)
}

#[test]
fn groups_meet_exactly_at_day_0_30_31_60_61_90_and_91_is_out() {
    let offsets = [-1, 0, 30, 31, 60, 61, 90, 91, -400];
    let ends: Vec<(i64, &str, bool)> = offsets.iter().map(|o| (*o, "active", false)).collect();
    let (db, _) = book_with(&ends);
    let conn = db.store.conn();
    let today: NaiveDate = as_of();
    let filter = renewals::filter(ends_by(today, 90), None);
    let rows = page(conn, &filter, Anchor::First, 100);
    let seen: Vec<(String, RenewalGroup, String)> = rows
        .iter()
        .map(|r| {
            (
                r.commitment_end_date.clone(),
                r.group(today),
                r.days_label(today),
            )
        })
        .collect();
    use RenewalGroup::*;
    assert_eq!(
        seen,
        vec![
            (day(-400), Overdue, "400 days overdue".into()),
            (day(-1), Overdue, "1 day overdue".into()),
            (day(0), Within30, "today".into()),
            (day(30), Within30, "in 30 days".into()),
            (day(31), Within60, "in 31 days".into()),
            (day(60), Within60, "in 60 days".into()),
            (day(61), Within90, "in 61 days".into()),
            (day(90), Within90, "in 90 days".into()),
        ],
        "day 91 is beyond the window; overdue ones are always in"
    );
    // A window of 30 days stops at day 30; a wider one takes day 91 in, as "Over 90 days".
    let thirty = page(
        conn,
        &renewals::filter(ends_by(today, 30), None),
        Anchor::First,
        100,
    );
    assert_eq!(
        thirty.last().unwrap().commitment_end_date,
        day(30),
        "{thirty:?}"
    );
    assert_eq!(thirty.len(), 4);
    let wide = page(
        conn,
        &renewals::filter(ends_by(today, 91), None),
        Anchor::First,
        100,
    );
    assert_eq!(wide.last().unwrap().group(today), Later);
    // Seen from the next day, the boundaries move with it.
    let tomorrow = today + Duration::days(1);
    assert_eq!(rows[2].group(tomorrow), Overdue);
    assert_eq!(rows[4].group(tomorrow), Within30);
}

#[test]
fn only_present_subscriptions_that_still_renew_or_expire_are_listed() {
    let (db, ids) = book_with(&[
        (5, "active", false),
        (6, "pending", false),
        (7, "suspended", false),
        (8, "expired", false),
        (9, "disabled", false),
        (10, "deleted", false),
        (11, "active", true),
    ]);
    let filter = renewals::filter(ends_by(as_of(), 90), None);
    let rows = page(db.store.conn(), &filter, Anchor::First, 100);
    let listed: Vec<(i64, &str)> = rows.iter().map(|r| (r.id, r.status.as_str())).collect();
    assert_eq!(
        listed,
        vec![
            (ids[0], "active"),
            (ids[1], "pending"),
            (ids[2], "suspended")
        ],
        "expired, disabled, cancelled and removed ones have nothing to renew"
    );
    let row = &rows[0];
    let (offer, customer, quantity): (String, String, i64) = db
        .store
        .conn()
        .query_row(
            "SELECT o.name, c.company_name, s.quantity FROM subscriptions s JOIN offers o ON o.id = s.offer_id
             JOIN customers c ON c.id = s.customer_id WHERE s.id = ?1",
            [row.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (row.offer.as_str(), row.customer.as_str(), row.quantity),
        (offer.as_str(), customer.as_str(), quantity)
    );
}

#[test]
fn pages_walk_the_window_once_in_order_both_ways_with_and_without_a_reseller() {
    let db = TestDb::demo(12, 200, 1500);
    let conn = db.store.conn();
    let last_day = ends_by(as_of(), 90);
    let busiest: i64 = conn
        .query_row(
            "SELECT reseller_id FROM subscriptions WHERE reseller_id IS NOT NULL
             GROUP BY reseller_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for reseller in [None, Some(busiest)] {
        let filter = renewals::filter(last_day.clone(), reseller);
        let want = expected(conn, &last_day, reseller);
        assert!(want.len() > 60, "{}", want.len());
        assert_eq!(walk(conn, &filter, 7, true), want, "forward, {reseller:?}");
        assert_eq!(
            walk(conn, &filter, 7, false),
            want,
            "backward, {reseller:?}"
        );
        let first = fetch_page::<RenewalRow>(
            conn,
            &PageRequest {
                filter: filter.clone(),
                anchor: Anchor::First,
                limit: 10,
            },
        )
        .unwrap();
        assert_eq!(first.total, Some(want.len() as u64));
        if let Some(id) = reseller {
            let partner_id: String = conn
                .query_row(
                    "SELECT partner_id FROM resellers WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(
                first
                    .rows
                    .iter()
                    .all(|r| r.reseller_partner_id.as_deref() == Some(partner_id.as_str()))
            );
            assert_eq!(db.store.reseller_id_by_partner_id(&partner_id).unwrap(), id);
        }
    }
    // The CLI's walk takes the same rows.
    let filter = renewals::filter(last_day.clone(), None);
    let mut seen = Vec::new();
    db.store
        .for_each_renewal(&filter, |r| {
            seen.push(r.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, expected(conn, &last_day, None));
    assert!(db.store.reseller_id_by_partner_id("999999").is_err());
}

#[test]
fn an_existing_book_gets_the_renewals_indexes_when_opened() {
    let db = TestDb::default_demo();
    let path = db.dir.path().join("v7.db");
    common::old_books::schema_7_copy_of(&db.path, &path);
    let (store, opened) = Store::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
    let version: i32 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let indexes: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index'
             AND name IN ('subscriptions_renewing', 'subscriptions_renewing_by_reseller')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 2);
}
