//! The pull (`twotier::sync::pull`) from the fake Partner Center on 127.0.0.1 into a real SQLite
//! book: every row lands over several pages, a second pull writes nothing, what Partner Center
//! no longer lists is marked removed (not deleted), rows that break a rule are kept and listed,
//! and a pull that fails on a page keeps the pages before it and the next one continues there.
//! Then each customer's subscriptions (flagged, held, marked gone, never rewritten unchanged), an
//! incremental pull that fetches only the customers the audit records name, `--full`, a pull
//! stopped in the subscriptions phase that the next continues, and partnership requests found
//! accepted in the relationships list.

mod common;
mod fake_partner_center;

use common::TestDb;
use fake_partner_center::sync_api::subscription;
use fake_partner_center::{FakePartnerCenter, Fault, customer, reseller};
use serde_json::json;
use twotier::partner_center::client::Client;
use twotier::store::Store;
use twotier::store::sync::PassKind;
use twotier::sync::{Options, Report, SyncError, pull, pull_with};

/// A pull asks once per customer: the tests' hundreds of customers go at once.
fn client(fake: &FakePartnerCenter) -> Client {
    fake.test_client(true, 100_000)
}

/// A full pull (`twotier sync --full`).
async fn sync(store: &Store, client: &Client) -> Result<Report, SyncError> {
    let options = Options {
        page_size: 500,
        full: true,
    };
    pull_with(store, client, &options, &mut |_| {}).await
}

/// A pull as `twotier sync` runs it: incremental after a complete pass.
async fn sync_changes(store: &Store, client: &Client) -> Result<Report, SyncError> {
    pull(store, client, 500, &mut |_| {}).await
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Counts every UPDATE of a reseller, customer or subscription row from here on (a temp
/// trigger on this connection, the one the pull writes through).
fn watch_rewrites(store: &Store) {
    store
        .conn()
        .execute_batch(
            "CREATE TEMP TABLE rewrites (n INTEGER);
             CREATE TEMP TRIGGER customer_rewritten AFTER UPDATE ON main.customers
             BEGIN INSERT INTO rewrites VALUES (1); END;
             CREATE TEMP TRIGGER reseller_rewritten AFTER UPDATE ON main.resellers
             BEGIN INSERT INTO rewrites VALUES (1); END;
             CREATE TEMP TRIGGER subscription_rewritten AFTER UPDATE ON main.subscriptions
             BEGIN INSERT INTO rewrites VALUES (1); END;",
        )
        .unwrap();
}

fn tenant(n: usize) -> String {
    customer(n)["id"].as_str().unwrap().to_owned()
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
    // The profile, the resellers and page 1 answer; page 2's connection drops on every try.
    fake.with(|s| {
        s.faults = [Fault::Pass, Fault::Pass, Fault::Pass]
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
        calls
            .iter()
            .all(|c| c.path != "/v1/relationships" && c.path != "/v1/profiles/mpn"),
        "the resellers are not asked again mid-pass"
    );
    assert_eq!(
        calls[0].continuation.as_deref(),
        cursor.continuation.as_deref()
    );
    let done = db.store.sync_state().unwrap();
    assert!(!done.in_progress && done.last_sync_at.is_some());
}

#[tokio::test]
async fn subscriptions_are_pulled_flagged_or_held_marked_gone_and_never_rewritten_unchanged() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(30);
    fake.with(|s| s.subscriptions_per_customer = 3);
    // Customer 0's list breaks the rules in each way the book can keep, and in two it can't.
    let mut too_many = subscription(0, 0);
    too_many["quantity"] = json!(5000);
    let mut unknown_offer = subscription(0, 1);
    unknown_offer["offerId"] = json!("ZZZZZZZZZZZZ:0001:ZZZZZZZZZZZZ");
    unknown_offer["offerName"] = json!("Something Else Entirely");
    let mut of_a_reseller = subscription(0, 2);
    of_a_reseller["partnerId"] = json!("4847383");
    let mut of_a_stranger = subscription(0, 3);
    of_a_stranger["partnerId"] = json!("9999999");
    let mut status_none = subscription(0, 4);
    status_none["status"] = json!("none");
    // A legacy offer with a GUID ID: matched by its name.
    let mut legacy = subscription(0, 5);
    legacy["offerId"] = json!("0CCA44D6-68E9-4762-94EE-31ECE98783B9");
    legacy["offerName"] = json!("Office 365 E3");
    legacy["termDuration"] = json!("P1Y");
    legacy["billingCycle"] = json!("annual");
    fake.set_subscriptions(
        &tenant(0),
        vec![
            too_many,
            unknown_offer,
            of_a_reseller,
            of_a_stranger,
            status_none,
            legacy,
        ],
    );
    let db = TestDb::demo(1, 1, 1);
    let client = client(&fake);
    let report = sync(&db.store, &client).await.unwrap();

    assert_eq!(report.kind, PassKind::Full);
    assert_eq!(report.subscriptions.added, 29 * 3 + 4);
    assert_eq!(report.subscriptions.held, 2);
    let pulled = "SELECT count(*) FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                   WHERE c.domain LIKE 'customer%.onmicrosoft.com'";
    assert_eq!(count(&db.store, pulled), 91);
    let listed: Vec<String> = report
        .flagged
        .iter()
        .map(|f| format!("{} {} {}", f.kind, f.held, f.problem))
        .collect();
    let has = |words: &[&str]| listed.iter().any(|l| words.iter().all(|w| l.contains(w)));
    assert!(
        has(&["subscription false", "5000 licenses is outside"]),
        "{listed:#?}"
    );
    assert!(
        has(&["subscription true", "not in twotier's catalog"]),
        "{listed:#?}"
    );
    assert!(
        has(&["subscription false", "PartnerID 9999999", "not among"]),
        "{listed:#?}"
    );
    assert!(
        has(&["subscription true", "status \"none\""]),
        "{listed:#?}"
    );
    assert_eq!(
        count(
            &db.store,
            &format!(
                "SELECT count(*) FROM subscriptions s JOIN resellers r ON r.id = s.reseller_id
                  WHERE s.subscription_id = '{}' AND r.partner_id = '4847383'",
                subscription(0, 2)["id"].as_str().unwrap()
            )
        ),
        1
    );
    assert_eq!(
        count(
            &db.store,
            &format!(
                "SELECT count(*) FROM subscriptions WHERE subscription_id = '{}' AND offer_id = 'CFQ7TTC0LF8Q'
                    AND term = 'P1Y' AND billing_cycle = 'annual' AND pc_problem IS NULL",
                subscription(0, 5)["id"].as_str().unwrap()
            )
        ),
        1,
        "the legacy offer is the catalog's offer of that name"
    );

    // Nothing changed in Partner Center: nothing is written, nothing logged.
    let logged = count(&db.store, "SELECT count(*) FROM audit_log");
    watch_rewrites(&db.store);
    let again = sync(&db.store, &client).await.unwrap();
    assert_eq!(again.subscriptions.unchanged, 91);
    assert_eq!(again.subscriptions.held, 2);
    assert_eq!(
        again.subscriptions.added + again.subscriptions.changed + again.subscriptions.removed,
        0
    );
    assert_eq!(count(&db.store, "SELECT count(*) FROM temp.rewrites"), 0);
    assert_eq!(count(&db.store, "SELECT count(*) FROM audit_log"), logged);
    assert_eq!(again.flagged, report.flagged);

    // Customer 5 lost a subscription, one quantity changed: marked gone (not deleted), updated.
    let mut five = fake.subscriptions_of(&tenant(5));
    let gone = five.pop().unwrap();
    five[0]["quantity"] = json!(24);
    fake.set_subscriptions(&tenant(5), five);
    let third = sync(&db.store, &client).await.unwrap();
    assert_eq!(
        (third.subscriptions.removed, third.subscriptions.changed),
        (1, 1)
    );
    assert_eq!(count(&db.store, pulled), 91);
    assert_eq!(
        count(
            &db.store,
            &format!(
                "SELECT count(*) FROM subscriptions WHERE subscription_id = '{}' AND removed_at IS NOT NULL",
                gone["id"].as_str().unwrap()
            )
        ),
        1
    );
}

#[tokio::test]
async fn an_incremental_pull_fetches_only_the_customers_the_audit_records_name() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(20);
    fake.with(|s| s.subscriptions_per_customer = 2);
    let db = TestDb::demo(1, 1, 1);
    let client = client(&fake);
    let first = sync_changes(&db.store, &client).await.unwrap();
    assert_eq!(
        first.kind,
        PassKind::Full,
        "no complete pass yet: a full one"
    );
    assert_eq!(first.subscriptions.added, 40);

    // Customer 3 renamed and customer 7's quantity changed, both in the audit records;
    // customer 11 no longer a customer; customer 9 renamed with no record (not seen until --full).
    fake.with(|s| {
        s.customers[3]["companyProfile"]["companyName"] = json!("Customer Three Renamed");
        s.customers[9]["companyProfile"]["companyName"] = json!("Customer Nine Renamed");
        s.customers.retain(|c| c["id"] != json!(tenant(11)));
    });
    let mut seven = fake.subscriptions_of(&tenant(7));
    seven[1]["quantity"] = json!(3);
    fake.set_subscriptions(&tenant(7), seven);
    fake.audit_change(&tenant(3), "customer", "update_customer_billing_profile");
    fake.audit_change(&tenant(7), "subscription", "update_subscription");
    fake.audit_change(&tenant(7), "order", "create_order");
    fake.audit_change(
        &tenant(11),
        "partner_customer_relationship",
        "remove_partner_customer_relationship",
    );

    let before = fake.api_calls().len();
    let report = sync_changes(&db.store, &client).await.unwrap();
    assert_eq!(report.kind, PassKind::Incremental);
    assert_eq!(report.changed_customers, 3);
    assert_eq!((report.customers.changed, report.customers.removed), (1, 1));
    assert_eq!(report.subscriptions.changed, 1);
    let mut paths: Vec<String> = fake.api_calls()[before..]
        .iter()
        .map(|c| c.path.clone())
        .collect();
    paths.sort();
    let mut expected = vec![
        "/v1/auditrecords".to_owned(),
        format!("/v1/customers/{}", tenant(11)),
        format!("/v1/customers/{}", tenant(3)),
        format!("/v1/customers/{}/subscriptions", tenant(3)),
        format!("/v1/customers/{}", tenant(7)),
        format!("/v1/customers/{}/subscriptions", tenant(7)),
        "/v1/profiles/mpn".to_owned(),
        "/v1/relationships".to_owned(),
    ];
    expected.sort();
    assert_eq!(
        paths, expected,
        "only the changed customers, and no customer list"
    );
    let audit = fake.api_calls()[before..]
        .iter()
        .find(|c| c.path == "/v1/auditrecords")
        .cloned()
        .unwrap();
    let day = first_sync_day(&db.store);
    assert_eq!(audit.query, format!("startDate={day}"));
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE company_name = 'Customer Three Renamed'"
        ),
        1
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE company_name = 'Customer Nine Renamed'"
        ),
        0
    );
    assert_eq!(
        count(
            &db.store,
            &format!(
                "SELECT count(*) FROM customers WHERE tenant_id = '{}' AND removed_at IS NOT NULL",
                tenant(11)
            )
        ),
        1
    );
    let state = db.store.sync_state().unwrap();
    assert_eq!(state.last_kind, Some(PassKind::Incremental));

    // Nothing new in Partner Center: the records of the last minutes are read again (clocks
    // differ), their customers fetched again, and nothing is written or logged.
    let before = fake.api_calls().len();
    let logged = count(&db.store, "SELECT count(*) FROM audit_log");
    watch_rewrites(&db.store);
    let quiet = sync_changes(&db.store, &client).await.unwrap();
    assert_eq!(quiet.kind, PassKind::Incremental);
    let calls = &fake.api_calls()[before..];
    assert!(
        calls.iter().all(|c| c.path != "/v1/customers"),
        "{:?}",
        calls.iter().map(|c| &c.path).collect::<Vec<_>>()
    );
    assert_eq!(count(&db.store, "SELECT count(*) FROM temp.rewrites"), 0);
    assert_eq!(count(&db.store, "SELECT count(*) FROM audit_log"), logged);
    // Records from before the last pass (less the slack) are not read again.
    fake.with(|s| {
        for r in &mut s.audit_records {
            r["operationDate"] = json!(
                (chrono::Utc::now() - chrono::Duration::hours(2))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
        }
    });
    db.store
        .conn()
        .execute(
            "UPDATE sync_state SET changes_since = ?1",
            [twotier::store::db_time(
                chrono::Utc::now() - chrono::Duration::hours(1),
            )],
        )
        .unwrap();
    let before = fake.api_calls().len();
    let none = sync_changes(&db.store, &client).await.unwrap();
    assert_eq!(none.changed_customers, 0);
    assert!(
        fake.api_calls()[before..]
            .iter()
            .all(|c| !c.path.starts_with("/v1/customers"))
    );

    // --full pulls everything again: customer 9's rename lands.
    let full = sync(&db.store, &client).await.unwrap();
    assert_eq!(full.kind, PassKind::Full);
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM customers WHERE company_name = 'Customer Nine Renamed'"
        ),
        1
    );
    assert_eq!(
        db.store.sync_state().unwrap().last_kind,
        Some(PassKind::Full)
    );
}

fn first_sync_day(store: &Store) -> String {
    store
        .conn()
        .query_row(
            "SELECT substr(pass_started_at, 1, 10) FROM sync_state WHERE id = 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .map(|d| d.chars().take(10).collect())
        .unwrap()
}

#[tokio::test]
async fn a_pull_stopped_in_the_subscriptions_phase_keeps_the_committed_batches_and_continues() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(120);
    fake.with(|s| {
        s.subscriptions_per_customer = 2;
        // The profile, the resellers, the one page of customers and the first batch's 50
        // lists answer; after that every try's connection drops.
        s.faults = std::iter::repeat_n(Fault::Pass, 3 + 50)
            .chain(std::iter::repeat_n(Fault::DropMidBody, 1000))
            .collect();
    });
    let db = TestDb::demo(1, 1, 1);
    let client = client(&fake);
    let failed = sync(&db.store, &client).await;
    assert!(
        matches!(failed, Err(SyncError::Remote(_))),
        "{:?}",
        failed.map(|r| r.kind)
    );
    let pulled = "SELECT count(*) FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                   WHERE c.domain LIKE 'customer%.onmicrosoft.com'";
    assert_eq!(
        count(&db.store, pulled),
        100,
        "the first batch of 50 customers is kept"
    );
    let state = db.store.sync_state().unwrap();
    assert!(state.in_progress && state.after_customer > 0, "{state:?}");
    assert!(state.last_sync_at.is_none());

    fake.with(|s| s.faults.clear());
    let before = fake.api_calls().len();
    let report = sync_changes(&db.store, &client).await.unwrap();
    assert!(report.resumed);
    assert_eq!(report.kind, PassKind::Full);
    assert_eq!(report.subscriptions.added, 140);
    assert_eq!(count(&db.store, pulled), 240);
    let calls = &fake.api_calls()[before..];
    assert_eq!(calls.len(), 70, "only the 70 customers not done yet");
    assert!(calls.iter().all(|c| c.path.ends_with("/subscriptions")));
    assert!(!db.store.sync_state().unwrap().in_progress);
}

#[tokio::test]
async fn a_sent_request_is_accepted_when_its_partner_appears_among_the_resellers() {
    use twotier::domain::ids::{Email, PartnerId, TenantId};
    use twotier::domain::invitation::Delivery;
    let fake = FakePartnerCenter::start();
    let mut db = TestDb::demo(1, 1, 1);
    let operator = db.operator();
    db.store.act_as(operator);
    let mut send = |to: &str| {
        let draft = db
            .store
            .prepare_invitation(&Email::parse(to).unwrap())
            .unwrap();
        db.store
            .record_invitation(&draft, Delivery::CopiedToClipboard, chrono::Utc::now())
            .unwrap()
    };
    let by_tenant = send("partners@contoso-partners.example");
    let by_partner_id = send("hello@relecloud.example");
    let waiting = send("nobody@else.example");
    let now = chrono::Utc::now();
    db.store
        .expect_partner(
            by_tenant,
            None,
            Some(&TenantId::parse("5a1c0e7d-1111-4222-8333-944444444444").unwrap()),
            now,
        )
        .unwrap();
    db.store
        .expect_partner(
            by_partner_id,
            Some(&PartnerId::parse("4847433").unwrap()),
            None,
            now,
        )
        .unwrap();
    db.store
        .expect_partner(
            waiting,
            Some(&PartnerId::parse("7777777").unwrap()),
            None,
            now,
        )
        .unwrap();
    fake.with(|s| {
        s.resellers.push(reseller(
            "5a1c0e7d-1111-4222-8333-944444444444",
            "Contoso Partners",
            "7654321",
            "US",
        ))
    });
    let client = client(&fake);
    let report = sync(&db.store, &client).await.unwrap();

    let mut accepted = report.accepted.clone();
    accepted.sort();
    assert_eq!(
        accepted,
        [
            "hello@relecloud.example",
            "partners@contoso-partners.example"
        ]
    );
    let status = |id: i64| -> String {
        db.store
            .conn()
            .query_row("SELECT status FROM invitations WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(status(by_tenant), "accepted");
    assert_eq!(status(by_partner_id), "accepted");
    assert_eq!(status(waiting), "sent");
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM invitations i JOIN resellers r ON r.id = i.reseller_id
              WHERE r.name = 'Contoso Partners' AND r.email = 'partners@contoso-partners.example'"
        ),
        1
    );
    assert_eq!(
        count(
            &db.store,
            "SELECT count(*) FROM audit_log WHERE action = 'Partnership request accepted'"
        ),
        2
    );
    // Accepted once: the next pull finds nothing more.
    let again = sync(&db.store, &client).await.unwrap();
    assert!(again.accepted.is_empty());
}
