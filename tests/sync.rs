//! The pull (`twotier::sync::pull`) from the fake Partner Center on 127.0.0.1 into a real SQLite
//! book: every row lands over several pages, a second pull writes nothing, what Partner Center
//! no longer lists is marked removed (not deleted), rows that break a rule are kept and listed,
//! and a pull that fails on a page keeps the pages before it and the next one continues there.

mod common;
mod fake_partner_center;

use std::sync::Arc;
use std::time::Duration;

use common::TestDb;
use fake_partner_center::{ACCOUNT, FakePartnerCenter, Fault, customer, reseller};
use serde_json::json;
use twotier::domain::credentials::Secret;
use twotier::partner_center::client::Client;
use twotier::partner_center::endpoints::{Endpoints, http_client};
use twotier::partner_center::keystore::{MemoryStore, RefreshTokenStore, StoredSignIn};
use twotier::partner_center::retry::{RateLimiter, RetryPolicy};
use twotier::partner_center::session::Session;
use twotier::store::Store;
use twotier::sync::{Report, SyncError, pull};

fn client(fake: &FakePartnerCenter) -> Client {
    let policy = RetryPolicy {
        max_attempts: 3,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        refresh_margin: Duration::from_secs(60),
    };
    let keys = Arc::new(MemoryStore::default());
    keys.save(&StoredSignIn {
        refresh_token: Secret::new(fake.issue_refresh_token()),
        account: Some(ACCOUNT.into()),
    })
    .unwrap();
    let endpoints = Endpoints {
        tenant: "northwind.onmicrosoft.com".into(),
        client_id: "6f1c2a3b-0000-4000-8000-00000000c11e".into(),
        api_url: fake.url(),
        authority_url: fake.url(),
    };
    let session = Session::new(
        endpoints,
        http_client(Duration::from_secs(5)).unwrap(),
        keys,
        policy.refresh_margin,
    );
    Client::new(
        Arc::new(session),
        policy,
        Arc::new(RateLimiter::new(1000, Duration::from_secs(60))),
    )
}

async fn sync(store: &Store, client: &Client) -> Result<Report, SyncError> {
    pull(store, client, 500, &mut |_| {}).await
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Counts every UPDATE of a reseller or customer row from here on (a temp trigger on this
/// connection, the one the pull writes through).
fn watch_rewrites(store: &Store) {
    store
        .conn()
        .execute_batch(
            "CREATE TEMP TABLE rewrites (n INTEGER);
             CREATE TEMP TRIGGER customer_rewritten AFTER UPDATE ON main.customers
             BEGIN INSERT INTO rewrites VALUES (1); END;
             CREATE TEMP TRIGGER reseller_rewritten AFTER UPDATE ON main.resellers
             BEGIN INSERT INTO rewrites VALUES (1); END;",
        )
        .unwrap();
}

#[tokio::test]
async fn a_full_pull_lands_every_row_and_a_second_one_rewrites_nothing() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(1200);
    let db = TestDb::empty();
    let client = client(&fake);

    let first = sync(&db.store, &client).await.unwrap();
    assert_eq!(first.pages, 3);
    assert_eq!((first.customers.added, first.resellers.added), (1200, 2));
    assert_eq!(count(&db.store, "SELECT count(*) FROM customers"), 1200);
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM resellers WHERE state = 'active' AND tenant_id IS NOT NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE domain = 'customer1199.onmicrosoft.com' AND company_name = 'Customer 1199'"
        ),
        1
    );
    assert!(first.flagged.is_empty(), "{:?}", first.flagged);
    let state = db.store.sync_state().unwrap();
    assert!(!state.in_progress && state.cursor.is_none());
    assert!(state.last_sync_at.is_some());
    // Pages 2 and 3 were asked with the continuation token of the page before.
    let pages: Vec<_> = fake
        .api_calls()
        .into_iter()
        .filter(|s| s.path == "/v1/customers")
        .collect();
    assert_eq!(pages.len(), 3);
    assert!(pages[0].continuation.is_none());
    assert!(pages[1..].iter().all(|p| p.continuation.is_some()));

    let logged = count(&db.store, "SELECT count(*) FROM audit_log");
    watch_rewrites(&db.store);
    let second = sync(&db.store, &client).await.unwrap();
    assert_eq!(second.customers.unchanged, 1200);
    assert_eq!(second.resellers.unchanged, 2);
    assert_eq!(
        (
            second.customers.added + second.customers.changed + second.customers.removed,
            second.resellers.added + second.resellers.changed + second.resellers.removed
        ),
        (0, 0)
    );
    assert_eq!(count(&db.store, "SELECT count(*) FROM temp.rewrites"), 0);
    assert_eq!(count(&db.store, "SELECT count(*) FROM audit_log"), logged);
    assert!(db.store.sync_state().unwrap().last_sync_at >= state.last_sync_at);
}

#[tokio::test]
async fn what_partner_center_no_longer_lists_is_marked_removed_not_deleted() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(600);
    let db = TestDb::empty();
    let client = client(&fake);
    sync(&db.store, &client).await.unwrap();

    // Customer 7 and ReleCloud are gone; a customer's name changed.
    fake.with(|s| {
        s.customers.remove(7);
        s.customers[0]["companyProfile"]["companyName"] = json!("Customer Zero Renamed");
        s.resellers.retain(|r| r["name"] != "ReleCloud");
    });
    let report = sync(&db.store, &client).await.unwrap();
    assert_eq!((report.customers.removed, report.customers.changed), (1, 1));
    assert_eq!(report.resellers.removed, 1);
    assert_eq!(count(&db.store, "SELECT count(*) FROM customers"), 600);
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE removed_at IS NOT NULL AND domain = 'customer7.onmicrosoft.com'"
        ),
        1
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM resellers WHERE name = 'ReleCloud' AND state = 'removed'"
        ),
        1
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM audit_log WHERE action = 'Removed in Partner Center'"
        ),
        2
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE company_name = 'Customer Zero Renamed'"
        ),
        1
    );

    // Back in Partner Center: listed again.
    fake.with(|s| s.customers.push(customer(7)));
    let report = sync(&db.store, &client).await.unwrap();
    assert_eq!(report.customers.changed, 1);
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE removed_at IS NOT NULL"
        ),
        0
    );
}

#[tokio::test]
async fn rows_that_break_a_rule_are_kept_flagged_and_listed() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(3);
    fake.with(|s| {
        // A domain that is not one: kept in the book, flagged.
        s.customers[0]["companyProfile"]["domain"] = json!("not a domain!");
        // No tenant ID: held aside, as received.
        s.customers[1]["id"] = json!("xyz");
        s.customers[1]["companyProfile"]["tenantId"] = json!("xyz");
        // A customer of a reseller the provider has no relationship with.
        s.customers[2]["associatedPartnerId"] = json!("11111111-2222-3333-4444-555555555555");
        s.resellers.push(reseller(
            "c3b9a0a1-1111-4222-8333-944444444444",
            "Bad Number Ltd",
            "ABC",
            "GB",
        ));
    });
    let db = TestDb::empty();
    let client = client(&fake);
    let report = sync(&db.store, &client).await.unwrap();

    assert_eq!(report.customers.added, 2);
    assert_eq!(report.customers.held + report.resellers.held, 2);
    let listed: Vec<String> = report
        .flagged
        .iter()
        .map(|f| format!("{} {} {} {}", f.kind, f.name, f.held, f.problem))
        .collect();
    assert_eq!(listed.len(), 4, "{listed:#?}");
    let has = |words: &[&str]| listed.iter().any(|l| words.iter().all(|w| l.contains(w)));
    assert!(
        has(&["reseller Bad Number Ltd true", "PartnerID"]),
        "{listed:#?}"
    );
    assert!(
        has(&["customer Customer 0 false", "not a domain name"]),
        "{listed:#?}"
    );
    assert!(
        has(&["customer Customer 1 true", "tenant ID"]),
        "{listed:#?}"
    );
    assert!(
        has(&[
            "customer Customer 2 false",
            "not among the provider's relationships"
        ]),
        "{listed:#?}"
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE pc_problem IS NOT NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM sync_held WHERE payload LIKE '%Bad Number Ltd%' OR payload LIKE '%\"xyz\"%'"
        ),
        2
    );

    // Nothing changed: the second pull writes nothing, and lists the same rows.
    let logged = count(&db.store, "SELECT count(*) FROM audit_log");
    watch_rewrites(&db.store);
    let again = sync(&db.store, &client).await.unwrap();
    assert_eq!(again.flagged, report.flagged);
    assert_eq!(count(&db.store, "SELECT count(*) FROM temp.rewrites"), 0);
    assert_eq!(count(&db.store, "SELECT count(*) FROM audit_log"), logged);

    // Fixed in Partner Center (or gone from it): no longer held or listed.
    fake.with(|s| {
        s.customers[1] = customer(1);
        s.resellers.retain(|r| r["name"] != "Bad Number Ltd");
    });
    let fixed = sync(&db.store, &client).await.unwrap();
    assert_eq!(fixed.customers.added, 1);
    assert_eq!(fixed.flagged.len(), 2, "{:#?}", fixed.flagged);
    assert!(fixed.flagged.iter().all(|f| !f.held));
    assert_eq!(count(&db.store, "SELECT count(*) FROM sync_held"), 0);
}

#[tokio::test]
async fn a_pull_cut_off_on_page_two_keeps_page_one_and_the_next_continues_there() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(1200);
    // The resellers and page 1 answer; page 2's connection drops on every try.
    fake.with(|s| {
        s.faults = [Fault::Pass, Fault::Pass]
            .into_iter()
            .chain(std::iter::repeat_n(Fault::DropMidBody, 3))
            .collect();
    });
    let db = TestDb::empty();
    let client = client(&fake);
    let failed = sync(&db.store, &client).await;
    assert!(
        matches!(failed, Err(SyncError::Remote(_))),
        "{:?}",
        failed.map(|r| r.pages)
    );
    assert_eq!(count(&db.store, "SELECT count(*) FROM customers"), 500);
    let state = db.store.sync_state().unwrap();
    assert!(state.in_progress);
    let cursor = state.cursor.clone().expect("the cursor of page 2");
    assert!(cursor.path.contains("seekOperation=Next"), "{cursor:?}");
    assert!(cursor.continuation.is_some());
    assert!(state.last_sync_at.is_none());

    let before = fake.api_calls().len();
    let report = sync(&db.store, &client).await.unwrap();
    assert!(report.resumed);
    assert_eq!(report.pages, 2);
    assert_eq!(report.customers.added, 700);
    assert_eq!(report.customers.removed, 0);
    assert_eq!(count(&db.store, "SELECT count(*) FROM customers"), 1200);
    let calls = &fake.api_calls()[before..];
    assert!(
        calls.iter().all(|c| c.path == "/v1/customers"),
        "the resellers are not asked again mid-pass"
    );
    assert_eq!(
        calls[0].continuation.as_deref(),
        cursor.continuation.as_deref()
    );
    let done = db.store.sync_state().unwrap();
    assert!(!done.in_progress && done.last_sync_at.is_some());
}
