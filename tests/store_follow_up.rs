//! Store tests for what follows Remove partnership: the preview's bounded lists, and the
//! Follow-up worklist (the subscriptions still naming the removed reseller), on real SQLite files.

mod common;

use std::collections::BTreeSet;

use common::{TestDb, now};
use rusqlite::Connection;
use twotier::store::follow_up::page_sql;
use twotier::store::list::{Anchor, Filter, Listed, PageRequest};
use twotier::store::resellers::{PREVIEW_CUSTOMERS_SQL, PREVIEW_ROWS, PREVIEW_SUBSCRIPTIONS_SQL};
use twotier::store::{CommandError, Store};

fn acting(mut db: TestDb) -> TestDb {
    let operator = db.operator();
    db.store.act_as(operator);
    db
}

fn ids(conn: &Connection, sql: &str, id: i64) -> BTreeSet<i64> {
    conn.prepare(sql)
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The active reseller with the most subscriptions naming it in either role, one of them as
/// support contact only.
fn busiest(store: &Store) -> i64 {
    store
        .conn()
        .query_row(
            "SELECT r.id FROM resellers r WHERE r.state = 'active'
               AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.support_reseller_id = r.id)
             ORDER BY (SELECT count(*) FROM subscriptions s WHERE s.reseller_id = r.id OR s.support_reseller_id = r.id) DESC
             LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn request(reseller: i64, anchor: Anchor, limit: usize) -> PageRequest {
    PageRequest {
        filter: Filter {
            reseller_id: Some(reseller),
            ..Filter::default()
        },
        anchor,
        limit,
    }
}

fn refusal<T: std::fmt::Debug>(r: Result<T, CommandError>) -> String {
    match r {
        Err(CommandError::Refused(m)) => m,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn the_worklist_is_exactly_the_subscriptions_naming_the_removed_reseller() {
    let mut db = acting(TestDb::default_demo());
    let id = busiest(&db.store);
    // Not removed yet: nothing to follow up, and asking says why.
    assert!(db.store.follow_ups(id).unwrap().is_empty());
    assert!(refusal(db.store.removed_reseller(id)).contains("is active"));
    // A subscription of another reseller with this one as support contact only.
    let (por, support) = {
        let conn = db.store.conn();
        (
            ids(
                conn,
                "SELECT id FROM subscriptions WHERE reseller_id = ?1",
                id,
            ),
            ids(
                conn,
                "SELECT id FROM subscriptions WHERE support_reseller_id = ?1",
                id,
            ),
        )
    };
    assert!(!por.is_empty() && !support.is_empty());
    assert!(
        support.iter().any(|s| !por.contains(s)) || por.iter().any(|s| !support.contains(s)),
        "the demo has a subscription naming it in one role only"
    );
    db.store.remove_partnership(id, now()).unwrap();
    let removed = db.store.removed_reseller(id).unwrap();
    assert_eq!(removed.removed_at, now());
    let rows = db.store.follow_ups(id).unwrap();
    let listed: BTreeSet<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(listed, por.union(&support).copied().collect());
    assert_eq!(
        rows.len(),
        listed.len(),
        "each subscription once, both roles or one"
    );
    for r in &rows {
        assert_eq!(
            (r.partner_of_record, r.support_contact),
            (por.contains(&r.id), support.contains(&r.id)),
            "{r:?}"
        );
    }
    assert_eq!(db.store.follow_up_count(id).unwrap(), rows.len() as i64);
    // The CLI's lookup by PartnerID finds the same reseller.
    let by_partner = db
        .store
        .removed_reseller_by_partner_id(&removed.partner_id)
        .unwrap();
    assert_eq!(by_partner.id, id);
    assert!(
        refusal(db.store.removed_reseller_by_partner_id("999")).contains("No indirect reseller")
    );
}

#[test]
fn reassigning_a_subscription_clears_it_from_the_worklist() {
    let mut db = acting(TestDb::default_demo());
    let id = busiest(&db.store);
    db.store.remove_partnership(id, now()).unwrap();
    let rows = db.store.follow_ups(id).unwrap();
    let other: i64 = db
        .store
        .conn()
        .query_row(
            "SELECT id FROM resellers WHERE state = 'active' AND mpa_signed AND por_valid ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // The partner of record goes to a current reseller, the support contact to the provider.
    for row in rows.iter().take(2) {
        let detail = db.store.subscription_detail(row.id).unwrap();
        let changes = twotier::store::subscriptions::SubscriptionChanges {
            quantity: detail.quantity,
            status: detail.status.clone(),
            auto_renew: detail.auto_renew,
            reseller_id: if row.partner_of_record {
                Some(other)
            } else {
                detail.reseller.as_ref().map(|r| r.id)
            },
            support_reseller_id: if row.support_contact {
                None
            } else {
                detail.support_contact.as_ref().map(|r| r.id)
            },
            offer_id: detail.offer.id.clone(),
        };
        db.store
            .update_subscription(row.id, &changes, now())
            .unwrap();
    }
    let after = db.store.follow_ups(id).unwrap();
    assert_eq!(after.len(), rows.len() - 2);
    assert_eq!(
        after.iter().map(|r| r.id).collect::<Vec<_>>(),
        rows[2..].iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert_eq!(db.store.follow_up_count(id).unwrap(), after.len() as i64);
}

#[test]
fn the_worklist_pages_by_keyset_in_both_directions() {
    let mut db = acting(TestDb::default_demo());
    let id = busiest(&db.store);
    db.store.remove_partnership(id, now()).unwrap();
    let all: Vec<i64> = db
        .store
        .follow_ups(id)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert!(all.len() > 6, "{all:?}");
    // Forward, three at a time.
    let mut seen = Vec::new();
    let mut page = db
        .store
        .follow_up_page(&request(id, Anchor::First, 3))
        .unwrap();
    assert_eq!(page.total, Some(all.len() as u64));
    assert_eq!(page.more_before, Some(false));
    loop {
        seen.extend(page.rows.iter().map(|r| r.id));
        if page.more_after != Some(true) {
            break;
        }
        let key = page.rows.last().unwrap().key();
        page = db
            .store
            .follow_up_page(&request(id, Anchor::After(key), 3))
            .unwrap();
    }
    assert_eq!(seen, all);
    // Backward from the end.
    let mut back = Vec::new();
    let mut page = db
        .store
        .follow_up_page(&request(id, Anchor::Last, 3))
        .unwrap();
    assert_eq!(page.more_after, Some(false));
    loop {
        let mut ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
        ids.append(&mut back);
        back = ids;
        if page.more_before != Some(true) {
            break;
        }
        let key = page.rows.first().unwrap().key();
        page = db
            .store
            .follow_up_page(&request(id, Anchor::Before(key), 3))
            .unwrap();
    }
    assert_eq!(back, all);
    // From a row on, itself included.
    let from = db.store.follow_ups(id).unwrap()[2].key();
    let page = db
        .store
        .follow_up_page(&request(id, Anchor::From(from), 100))
        .unwrap();
    assert_eq!(
        page.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        all[2..].to_vec()
    );
}

#[test]
fn the_preview_lists_at_most_200_of_each_with_the_right_counts_on_a_big_book() {
    let db = acting(TestDb::demo(4, 2400, 7200));
    let id = busiest(&db.store);
    let preview = db.store.removal_preview(id).unwrap();
    let conn = db.store.conn();
    let customers = ids(conn, "SELECT id FROM customers WHERE reseller_id = ?1", id);
    let subscriptions = ids(
        conn,
        "SELECT id FROM subscriptions WHERE reseller_id = ?1 OR support_reseller_id = ?1",
        id,
    );
    assert!(customers.len() > PREVIEW_ROWS && subscriptions.len() > PREVIEW_ROWS);
    assert_eq!(preview.impact.customers, customers.len() as i64);
    assert_eq!(preview.subscriptions_total, subscriptions.len() as i64);
    assert_eq!(preview.customers.len(), PREVIEW_ROWS);
    assert_eq!(preview.subscriptions.len(), PREVIEW_ROWS);
    // The first 200 by name, and the oldest 200 subscriptions.
    let names: Vec<String> = conn
        .prepare("SELECT company_name FROM customers WHERE reseller_id = ?1 ORDER BY company_name, id LIMIT 200")
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        preview
            .customers
            .iter()
            .map(|c| c.company_name.clone())
            .collect::<Vec<_>>(),
        names
    );
    assert_eq!(
        preview
            .subscriptions
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        subscriptions
            .iter()
            .copied()
            .take(PREVIEW_ROWS)
            .collect::<Vec<_>>()
    );
}

/// Every query of the preview and the worklist walks an index: none scans a table.
#[test]
fn the_preview_and_worklist_queries_walk_indexes() {
    let db = TestDb::demo(4, 600, 1800);
    let plan = |sql: &str, params: &[i64]| -> Vec<String> {
        db.store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let key = twotier::store::list::Key {
        sort: twotier::store::list::SortValue::Integer(5),
        id: 5,
    };
    let mut sqls = vec![
        (
            PREVIEW_CUSTOMERS_SQL.to_owned(),
            vec![1, 200],
            "customers_by_reseller_name",
        ),
        (
            PREVIEW_SUBSCRIPTIONS_SQL.to_owned(),
            vec![1, 200],
            "subscriptions_by_support",
        ),
    ];
    for anchor in [
        Anchor::First,
        Anchor::Last,
        Anchor::After(key.clone()),
        Anchor::Before(key.clone()),
        Anchor::From(key),
    ] {
        sqls.push((
            page_sql(&anchor).0,
            vec![1, 0, 101],
            "subscriptions_by_support",
        ));
    }
    for (sql, params, index) in &sqls {
        let lines = plan(sql, params);
        for line in &lines {
            let full_scan =
                line.starts_with("SCAN ") && !line.contains("USING") && !line.contains("subquery");
            assert!(!full_scan, "a table scan in\n{sql}\n{lines:#?}");
        }
        assert!(lines.iter().any(|l| l.contains(index)), "{sql}\n{lines:#?}");
    }
}
