//! The Dashboard's figures: each against a hand-built book, the counters after every kind of
//! write and after the demo build, the migration that fills them on an older book, and the
//! query plans (no table scan).

mod common;

use chrono::{Duration, Utc};
use common::{TestDb, now};
use rusqlite::Connection;
use twotier::store::dashboard::{self, Dashboard, WEEKS};
use twotier::store::worker::{DbCmd, DbReply, execute};
use twotier::store::{SCHEMA_VERSION, Store};

fn at(days_ago: i64) -> String {
    (now() - Duration::days(days_ago))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn day_in(days: i64) -> String {
    (now() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// A small book written row by row: four resellers (signed, MPA not signed, unchecked,
/// removed), five requests, four customers (one removed by a sync, one older than the chart)
/// and five subscriptions (active, suspended, removed, with and without a reseller).
fn hand_built(conn: &Connection) {
    let sql = format!(
        "INSERT INTO operators (id, upn, display_name, role, created_at)
             VALUES (1, 'admin@book.example', 'Admin', 'global-admin', '{old}');
         INSERT INTO resellers (id, name, partner_id, location, state, mpa_signed, por_valid, established_at)
             VALUES (1, 'Alpha Signed', '111', 'US', 'active', 1, 1, '{old}'),
                    (2, 'Beta Unsigned', '222', 'US', 'active', 0, 1, '{old}'),
                    (3, 'Gamma Unchecked', '333', 'US', 'active', NULL, NULL, '{old}'),
                    (4, 'Delta Removed', '444', 'US', 'removed', 0, 0, '{old}');
         INSERT INTO invitations (token, recipient_email, subject, body, link, delivery, status, sent_by, sent_at)
             VALUES ('t1', 'a@x.example', 's', 'b', 'l', 'none', 'sent', 1, '{d3}'),
                    ('t2', 'b@x.example', 's', 'b', 'l', 'none', 'sent', 1, '{d10}'),
                    ('t3', 'c@x.example', 's', 'b', 'l', 'none', 'sent', 1, '{d40}'),
                    ('t4', 'd@x.example', 's', 'b', 'l', 'none', 'accepted', 1, '{d3}'),
                    ('t5', 'e@x.example', 's', 'b', 'l', 'none', 'revoked', 1, '{d3}');
         INSERT INTO customers (id, tenant_id, company_name, domain, reseller_id, first_name, last_name, email,
                                address_line1, city, country, culture, language, admin_user_name, created_at)
             VALUES (1, 't-1', 'One', 'one.onmicrosoft.com', 1, 'A', 'B', 'a@one.example', '1 St', 'C', 'US', 'en-US', 'en', 'admin', '{d1}'),
                    (2, 't-2', 'Two', 'two.onmicrosoft.com', 2, 'A', 'B', 'a@two.example', '1 St', 'C', 'US', 'en-US', 'en', 'admin', '{d10}'),
                    (3, 't-3', 'Three', 'three.onmicrosoft.com', NULL, 'A', 'B', 'a@three.example', '1 St', 'C', 'US', 'en-US', 'en', 'admin', '{d200}'),
                    (4, 't-4', 'Four', 'four.onmicrosoft.com', NULL, 'A', 'B', 'a@four.example', '1 St', 'C', 'US', 'en-US', 'en', 'admin', '{d3}');
         UPDATE customers SET removed_at = '{d1}' WHERE id = 4;
         INSERT INTO offers VALUES ('o1', 'Offer One', 'fam', 1, 'cat', 'license', 1, 100, 'P1Y', 'annual', 100, 0),
                                   ('o2', 'Offer Two', 'fam', 2, 'cat', 'license', 1, 100, 'P1Y', 'annual', 100, 0);
         INSERT INTO subscriptions (id, subscription_id, customer_id, offer_id, quantity, status, auto_renew, term,
                                    billing_cycle, created_at, term_started_at, commitment_end_date, reseller_id)
             VALUES (1, 's-1', 1, 'o1', 5, 'active', 1, 'P1Y', 'annual', '{d1}', '{d1}', '{e10}', 1),
                    (2, 's-2', 1, 'o2', 3, 'active', 1, 'P1Y', 'annual', '{d1}', '{d1}', '{e40}', 2),
                    (3, 's-3', 2, 'o1', 7, 'suspended', 1, 'P1Y', 'annual', '{d10}', '{d10}', '{e10}', 1),
                    (4, 's-4', 2, 'o1', 2, 'active', 1, 'P1Y', 'annual', '{d10}', '{d10}', '{e10}', 1),
                    (5, 's-5', 2, 'o2', 4, 'active', 0, 'P1Y', 'annual', '{d10}', '{d10}', '{e5}', NULL);
         UPDATE subscriptions SET removed_at = '{d1}' WHERE id = 4;",
        old = at(900),
        d1 = at(1),
        d3 = at(3),
        d10 = at(10),
        d40 = at(40),
        d200 = at(200),
        e5 = day_in(5),
        e10 = day_in(10),
        e40 = day_in(40),
    );
    conn.execute_batch(&sql).unwrap();
}

fn figures(store: &Store) -> Dashboard {
    store.dashboard(now()).unwrap()
}

fn check_hand_built(d: &Dashboard) {
    assert_eq!((d.customers, d.subscriptions, d.seats), (3, 3, 12));
    assert_eq!(d.resellers, 3);
    let offers: Vec<(&str, i64, i64)> = d
        .offers
        .iter()
        .map(|o| (o.name.as_str(), o.seats, o.subscriptions))
        .collect();
    assert_eq!(offers, [("Offer Two", 7, 2), ("Offer One", 5, 1)]);
    let top: Vec<(&str, i64)> = d
        .top_resellers
        .iter()
        .map(|r| (r.name.as_str(), r.seats))
        .collect();
    assert_eq!(top, [("Alpha Signed", 5), ("Beta Unsigned", 3)]);
    let r = d.renewals;
    assert_eq!(
        (r.subscriptions, r.seats, r.ending, r.ending_seats),
        (2, 9, 1, 4)
    );
    let p = d.pending.unwrap();
    assert_eq!((p.under_week, p.week_to_month, p.over_month), (1, 1, 1));
    let b = d.blocked.clone().unwrap();
    assert_eq!(
        (b.count, b.names, b.unchecked),
        (1, vec!["Beta Unsigned".to_owned()], 1)
    );
    let mut weeks = vec![0; WEEKS];
    weeks[WEEKS - 1] = 1;
    weeks[WEEKS - 2] = 1;
    assert_eq!(
        d.new_customers, weeks,
        "one this week, one last week, one too old"
    );
    assert!(!d.is_empty());
}

#[test]
fn every_figure_matches_a_hand_built_book() {
    let db = TestDb::empty();
    hand_built(db.store.conn());
    check_hand_built(&figures(&db.store));
}

#[test]
fn an_empty_book_is_empty() {
    let db = TestDb::empty();
    let d = figures(&db.store);
    assert!(d.is_empty());
    assert_eq!(d.new_customers, vec![0; WEEKS]);
}

/// The counters against the same figures counted the slow way, over every row.
fn assert_counters_match(conn: &Connection, after: &str) {
    let pairs = [
        (
            "SELECT customers, subscriptions, seats FROM dashboard_book",
            "SELECT (SELECT count(*) FROM customers WHERE removed_at IS NULL),
                    (SELECT count(*) FROM subscriptions WHERE removed_at IS NULL AND status = 'active'),
                    (SELECT coalesce(sum(quantity), 0) FROM subscriptions WHERE removed_at IS NULL AND status = 'active')",
        ),
        (
            "SELECT offer_id, subscriptions, seats FROM dashboard_offer_seats WHERE subscriptions > 0 ORDER BY 1",
            "SELECT offer_id, count(*), sum(quantity) FROM subscriptions
              WHERE removed_at IS NULL AND status = 'active' GROUP BY offer_id ORDER BY 1",
        ),
        (
            "SELECT reseller_id, subscriptions, seats FROM dashboard_reseller_seats WHERE subscriptions > 0 ORDER BY 1",
            "SELECT reseller_id, count(*), sum(quantity) FROM subscriptions
              WHERE removed_at IS NULL AND status = 'active' AND reseller_id IS NOT NULL GROUP BY reseller_id ORDER BY 1",
        ),
        (
            "SELECT day || '/' || auto_renew, subscriptions, seats FROM dashboard_renewals WHERE subscriptions > 0 ORDER BY 1",
            "SELECT commitment_end_date || '/' || auto_renew, count(*), sum(quantity) FROM subscriptions
              WHERE removed_at IS NULL AND status = 'active' GROUP BY 1 ORDER BY 1",
        ),
        (
            "SELECT day, customers, 0 FROM dashboard_new_customers WHERE customers > 0 ORDER BY 1",
            "SELECT substr(created_at, 1, 10), count(*), 0 FROM customers WHERE removed_at IS NULL GROUP BY 1 ORDER BY 1",
        ),
    ];
    for (counter, slow) in pairs {
        let rows = |sql: &str| -> Vec<(String, i64, i64)> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| {
                    let key: rusqlite::types::Value = r.get(0)?;
                    Ok((format!("{key:?}"), r.get(1)?, r.get(2)?))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(rows(counter), rows(slow), "after {after}: {counter}");
    }
}

#[test]
fn counters_are_right_after_the_demo_build_and_every_kind_of_write() {
    let mut db = TestDb::default_demo();
    assert_counters_match(db.store.conn(), "the demo build");
    let conn = db.store.conn();
    let writes = [
        (
            "a quantity change",
            "UPDATE subscriptions SET quantity = quantity + 3 WHERE id % 5 = 0",
        ),
        (
            "suspending",
            "UPDATE subscriptions SET status = 'suspended' WHERE id % 7 = 0",
        ),
        (
            "reactivating",
            "UPDATE subscriptions SET status = 'active' WHERE id % 11 = 0",
        ),
        (
            "a new offer",
            "UPDATE subscriptions SET offer_id = (SELECT min(id) FROM offers) WHERE id % 13 = 0",
        ),
        (
            "a new reseller",
            "UPDATE subscriptions SET reseller_id = NULL WHERE id % 3 = 0",
        ),
        (
            "auto-renew off",
            "UPDATE subscriptions SET auto_renew = 1 - auto_renew WHERE id % 4 = 0",
        ),
        (
            "a renewal",
            "UPDATE subscriptions SET commitment_end_date = date(commitment_end_date, '+1 year') WHERE id % 6 = 0",
        ),
        (
            "a sync's removal",
            "UPDATE subscriptions SET removed_at = '2026-11-01T00:00:00Z' WHERE id % 9 = 0",
        ),
        (
            "a sync's return",
            "UPDATE subscriptions SET removed_at = NULL WHERE id % 18 = 0",
        ),
        (
            "a deletion",
            "DELETE FROM order_line_items WHERE subscription_id % 17 = 0;
                        DELETE FROM subscriptions WHERE id % 17 = 0",
        ),
        (
            "a customer gone",
            "UPDATE customers SET removed_at = '2026-11-01T00:00:00Z' WHERE id % 8 = 0",
        ),
        (
            "a customer back",
            "UPDATE customers SET removed_at = NULL WHERE id % 16 = 0",
        ),
    ];
    for (what, sql) in writes {
        conn.execute_batch(sql).unwrap();
        assert_counters_match(conn, what);
    }
    // The console's own write, through the store worker as the UI sends it.
    let id: i64 = conn
        .query_row(
            "SELECT id FROM subscriptions WHERE status = 'active' AND removed_at IS NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let detail = match execute(&mut db.store, DbCmd::LoadSubscription { id }) {
        DbReply::Subscription(d) => d,
        other => panic!("{other:?}"),
    };
    let changes = twotier::store::subscriptions::SubscriptionChanges {
        quantity: detail.quantity + 1,
        status: detail.status.clone(),
        auto_renew: detail.auto_renew,
        reseller_id: detail.reseller.as_ref().map(|r| r.id),
        support_reseller_id: detail.support_contact.as_ref().map(|r| r.id),
        offer_id: detail.offer.id.clone(),
    };
    let before = figures(&db.store).seats;
    let reply = execute(
        &mut db.store,
        DbCmd::UpdateSubscription {
            id,
            changes,
            at: Utc::now(),
        },
    );
    assert!(matches!(reply, DbReply::Done { .. }), "{reply:?}");
    assert_counters_match(db.store.conn(), "Subscription details' save");
    assert_eq!(figures(&db.store).seats, before + 1);
}

#[test]
fn the_migration_fills_the_counters_of_a_book_at_schema_7() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = common::old_books::schema_7(&path);
        conn.execute_batch(
            "INSERT INTO provider VALUES (1, 'a2f1c0de-0000-4000-8000-000000000001', 'Old Books Ltd', '1234567',
                 'US', 'United States', 'https://old.example', 'help@old.example', '+1 555 0100', 'Old Books',
                 'US', 'https://partner.microsoft.com/invite', '.onmicrosoft.com', 0);",
        )
        .unwrap();
        hand_built(&conn);
    }
    let (store, _) = Store::open(&path).unwrap();
    let version: i32 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_counters_match(store.conn(), "the migration");
    check_hand_built(&figures(&store));
}

/// Each of the Dashboard's queries reads an index or a counter table by its key: never every
/// subscription, customer or reseller.
#[test]
fn every_dashboard_query_uses_an_index() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    for sql in [
        dashboard::BOOK_SQL,
        dashboard::RESELLERS_SQL,
        dashboard::OFFERS_SQL,
        dashboard::TOP_RESELLERS_SQL,
        dashboard::NEW_CUSTOMERS_SQL,
        dashboard::RENEWALS_SQL,
        dashboard::PENDING_SQL,
        dashboard::BLOCKED_COUNT_SQL,
        dashboard::BLOCKED_NAMES_SQL,
        dashboard::UNCHECKED_SQL,
    ] {
        let params = sql.matches('?').count();
        let values: Vec<String> = (0..params).map(|_| "2026-11-01".to_owned()).collect();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(values.iter()), |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for line in &plan {
            let full_scan = line.starts_with("SCAN ") && !line.contains("USING");
            assert!(!full_scan, "full table scan in\n{sql}\nplan: {plan:#?}");
            assert!(
                !line.contains("TEMP B-TREE"),
                "a sort in\n{sql}\nplan: {plan:#?}"
            );
        }
    }
}

/// A role that can't see the resellers' screens gets no figures from them.
#[test]
fn the_reseller_panels_need_the_permission_to_see_resellers() {
    let mut db = TestDb::default_demo();
    let helpdesk = db
        .store
        .resolve_operator("finn.helpdesk@northwind-distribution.example")
        .unwrap();
    db.store.act_as(helpdesk);
    let d = figures(&db.store);
    assert!(d.pending.is_none() && d.blocked.is_none());
    assert!(d.seats > 0);
}
