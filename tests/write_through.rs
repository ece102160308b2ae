//! Write-through (`twotier::sync::write`) against the fake Partner Center on 127.0.0.1 and a
//! real SQLite book: a customer, its order and a subscription change go to Partner Center first
//! and land in the book only from its answer (its ids, its password, the calls' correlation ids
//! in the activity log); the reseller is checked before an order; a create retried after a lost
//! answer makes one customer; 409, 400 with an error body, no sign-in and no server each change
//! nothing, in words.

mod common;
mod fake_partner_center;

use chrono::Utc;
use common::TestDb;
use common::orders::{E3, PREMIUM, line, new_customer, reseller_named};
use fake_partner_center::{FakePartnerCenter, Fault, Seen, reseller};
use serde_json::{Value, json};
use twotier::partner_center::client::Client;
use twotier::store::customers::NewOrder;
use twotier::store::subscriptions::SubscriptionChanges;
use twotier::sync::write::{self, WriteError};

const ADATUM_TENANT: &str = "3b33e682-00c3-41ee-9dd2-a548adf56438";

fn client_with(fake: &FakePartnerCenter, signed_in: bool) -> Client {
    fake.test_client(signed_in, 1000)
}

fn client(fake: &FakePartnerCenter) -> Client {
    client_with(fake, true)
}

/// The demo book, its Adatum IT Services known to the fake as one of the provider's indirect
/// resellers (the same tenant ID and PartnerID).
fn connected_book(fake: &FakePartnerCenter) -> TestDb {
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute(
            "UPDATE resellers SET tenant_id = ?1 WHERE name = 'Adatum IT Services'",
            [ADATUM_TENANT],
        )
        .unwrap();
    let partner_id: String = db
        .store
        .conn()
        .query_row(
            "SELECT partner_id FROM resellers WHERE name = 'Adatum IT Services'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    fake.with(|s| {
        s.resellers.push(reseller(
            ADATUM_TENANT,
            "Adatum IT Services",
            &partner_id,
            "US",
        ))
    });
    db
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn adatum_partner_id(db: &TestDb) -> String {
    db.store
        .conn()
        .query_row(
            "SELECT partner_id FROM resellers WHERE name = 'Adatum IT Services'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn calls(fake: &FakePartnerCenter) -> Vec<(String, String)> {
    fake.api_calls()
        .into_iter()
        .map(|s: Seen| (s.method, s.path))
        .collect()
}

fn body_of(fake: &FakePartnerCenter, method: &str, path: &str) -> Value {
    fake.with(|s| {
        s.writes
            .bodies
            .iter()
            .rev()
            .find(|(m, p, _)| m == method && p == path)
            .map(|(_, _, b)| b.clone())
            .unwrap_or_else(|| panic!("no {method} {path} was sent"))
    })
}

/// Every byte of the book's files (the database and its WAL).
fn book_bytes(db: &TestDb) -> Vec<u8> {
    let mut bytes = std::fs::read(&db.path).unwrap();
    let mut wal = db.path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(std::path::PathBuf::from(wal)).unwrap_or_default());
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_new_customer_is_made_in_partner_center_first_and_the_book_takes_its_answer() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let new = new_customer(db.store.conn());
    let partner_id = adatum_partner_id(&db);

    let created = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap();
    assert!(created.problems.is_empty(), "{:?}", created.problems);

    // The reseller is checked before the customer and its order are sent.
    let sent = calls(&fake);
    let paths: Vec<&str> = sent.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        paths[..3],
        [
            "/v1/compliance/csp/agreementstatus",
            "/v1/partners/validateresellers",
            "/v1/customers"
        ],
        "{sent:?}"
    );
    let made = fake.with(|s| s.customers.last().cloned().unwrap());
    let tenant = made["id"].as_str().unwrap().to_owned();
    assert_eq!(paths[3], format!("/v1/customers/{tenant}/orders"));

    let customer = body_of(&fake, "POST", "/v1/customers");
    assert_eq!(customer["associatedPartnerId"], ADATUM_TENANT);
    assert_eq!(
        customer["companyProfile"]["domain"],
        "fabrikamrobotics.onmicrosoft.com"
    );
    assert_eq!(
        customer["billingProfile"]["companyName"],
        "Fabrikam Robotics"
    );
    assert_eq!(
        customer["billingProfile"]["defaultAddress"]["city"],
        "Seattle"
    );
    let order = body_of(&fake, "POST", &format!("/v1/customers/{tenant}/orders"));
    assert_eq!(order["referenceCustomerId"], tenant.as_str());
    let lines = order["lineItems"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["offerId"], PREMIUM);
    assert_eq!(lines[0]["quantity"], 25);
    assert_eq!(lines[0]["termDuration"], "P1Y");
    assert_eq!(lines[1]["partnerIdOnRecord"], partner_id.as_str());

    // The book has it from Partner Center's answer: its tenant ID and subscription ids.
    let id = created.customer_id.expect("recorded in the book");
    assert_eq!(created.tenant_id, tenant);
    let book_tenant: String = db
        .store
        .conn()
        .query_row("SELECT tenant_id FROM customers WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(book_tenant, tenant);
    let remote_ids: Vec<String> = fake.with(|s| {
        s.subscription_lists[&tenant.to_ascii_lowercase()]
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_ascii_lowercase())
            .collect()
    });
    let mut stmt = db
        .store
        .conn()
        .prepare("SELECT subscription_id FROM subscriptions WHERE customer_id = ?1 ORDER BY id")
        .unwrap();
    let book_ids: Vec<String> = stmt
        .query_map([id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(book_ids, remote_ids);
    assert_eq!(created.subscriptions, 2);

    // The password is Partner Center's, shown once: never in the book, never in Debug.
    let password = fake.with(|s| s.writes.passwords.last().cloned().unwrap());
    assert_eq!(created.password.as_ref().unwrap().expose(), password);
    assert_eq!(created.admin_user, "admin@fabrikamrobotics.onmicrosoft.com");
    assert!(!format!("{created:?}").contains(&password));
    assert!(!contains(&book_bytes(&db), &password));

    // The activity log names the calls' correlation ids.
    let seen = fake.api_calls();
    let after: String = db
        .store
        .conn()
        .query_row(
            "SELECT after FROM audit_log WHERE action = 'Customer created' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for call in seen
        .iter()
        .filter(|c| c.method == "POST" && c.path.starts_with("/v1/customers"))
    {
        let id = call.correlation_id.as_deref().unwrap();
        assert!(after.contains(id), "{after} lacks {id}");
    }
    assert_eq!(
        created.correlation_id.to_string(),
        seen[2].correlation_id.clone().unwrap()
    );
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_retried_under_the_same_request_id_and_makes_one_customer()
 {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let mut new = new_customer(db.store.conn());
    new.order.lines.clear();
    new.order.partner_of_record = None;
    // The first create is made, but its answer is lost; then a plain server error.
    fake.with(|s| s.writes.lose_answers = 1);
    let before = fake.with(|s| s.customers.len());

    let created = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap();
    let posts: Vec<Seen> = fake
        .api_calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path == "/v1/customers")
        .collect();
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert_eq!(posts[0].request_id, posts[1].request_id);
    assert_eq!(fake.with(|s| s.customers.len()), before + 1, "one customer");
    assert_eq!(fake.with(|s| s.writes.passwords.len()), 1);
    assert!(created.customer_id.is_some());
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM customers WHERE domain = 'fabrikamrobotics.onmicrosoft.com'"
        ),
        1
    );

    // A 5xx before anything was made: retried, still one.
    let mut other = new.clone();
    other.domain_prefix = "fabrikamtwo".into();
    fake.fault(Fault::ServerError);
    write::create_customer(&db.store, &client, &other, Utc::now())
        .await
        .unwrap();
    assert_eq!(fake.with(|s| s.customers.len()), before + 2);
}

#[tokio::test]
async fn partner_centers_error_body_is_said_in_words_and_the_book_is_unchanged() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let new = new_customer(db.store.conn());
    let customers = count(&db, "SELECT count(*) FROM customers");
    // The two reseller checks pass; the create is refused.
    fake.fault(Fault::Pass);
    fake.fault(Fault::Pass);
    fake.fault(Fault::Error {
        status: 400,
        code: json!(2000),
        description: "Invalid property: billingProfile.defaultAddress.postalCode".into(),
    });
    let e = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("HTTP 400, error 2000"), "{text}");
    assert!(text.contains("postalCode"), "{text}");
    assert!(text.contains("no local-only changes"), "{text}");
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), customers);
}

#[tokio::test]
async fn a_reseller_partner_center_does_not_let_be_credited_is_refused_and_the_book_follows() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let new = new_customer(db.store.conn());
    let partner_id = adatum_partner_id(&db);
    let customers = count(&db, "SELECT count(*) FROM customers");

    fake.with(|s| s.writes.mpa_unsigned.insert(partner_id.clone()));
    let e = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(e, WriteError::NotCreditable(_)), "{e:?}");
    assert!(e.to_string().contains("error 2203"), "{e}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM resellers WHERE name = 'Adatum IT Services' AND mpa_signed = 0"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'Compliance checked in Partner Center'"
        ),
        1
    );
    assert!(
        !calls(&fake)
            .iter()
            .any(|(m, p)| m == "POST" && p == "/v1/customers")
    );
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), customers);

    // Signed now, but not valid as partner of record.
    fake.with(|s| {
        s.writes.mpa_unsigned.clear();
        s.writes.por_invalid.insert(partner_id.clone());
    });
    let e = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("error 900400"), "{e}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM resellers WHERE name = 'Adatum IT Services' AND mpa_signed = 1 AND por_valid = 0"
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), customers);
}

#[tokio::test]
async fn the_books_own_rules_refuse_before_anything_is_sent() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let mut new = new_customer(db.store.conn());
    let taken: String = db
        .store
        .conn()
        .query_row("SELECT domain FROM customers LIMIT 1", [], |r| r.get(0))
        .unwrap();
    new.domain_prefix = taken.split('.').next().unwrap().to_owned();
    let e = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already taken"), "{e}");
    assert!(fake.api_calls().is_empty());
}

#[tokio::test]
async fn not_signed_in_or_no_server_changes_nothing_and_says_so() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let new = new_customer(db.store.conn());
    let customers = count(&db, "SELECT count(*) FROM customers");

    let e = write::create_customer(&db.store, &client_with(&fake, false), &new, Utc::now())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("not signed in to Partner Center"), "{text}");
    assert!(text.contains("no local-only changes"), "{text}");

    let client = client(&fake);
    drop(fake);
    let e = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("no local-only changes"), "{text}");
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), customers);
}

/// A customer with one Business Premium subscription, made through Partner Center; returns the
/// subscription's row id and its id in Partner Center.
async fn one_subscription(db: &TestDb, client: &Client) -> (i64, String) {
    let mut new = new_customer(db.store.conn());
    new.order.lines = vec![line(PREMIUM, 25)];
    let created = write::create_customer(&db.store, client, &new, Utc::now())
        .await
        .unwrap();
    db.store
        .conn()
        .query_row(
            "SELECT id, subscription_id FROM subscriptions WHERE customer_id = ?1",
            [created.customer_id.unwrap()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn changes_of(db: &TestDb, id: i64) -> SubscriptionChanges {
    let d = db.store.subscription_detail(id).unwrap();
    SubscriptionChanges {
        quantity: d.quantity,
        status: d.status,
        auto_renew: d.auto_renew,
        reseller_id: d.reseller.map(|r| r.id),
        support_reseller_id: d.support_contact.map(|r| r.id),
        offer_id: d.offer.id,
    }
}

#[tokio::test]
async fn a_subscription_change_is_a_get_then_a_patch_of_the_whole_resource() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let (id, remote) = one_subscription(&db, &client).await;
    let tenant = fake.with(|s| {
        s.customers.last().unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    });
    let path = format!("/v1/customers/{tenant}/subscriptions/{remote}");

    let mut changes = changes_of(&db, id);
    changes.quantity = 30;
    changes.auto_renew = false;
    let updated = write::update_subscription(&db.store, &client, id, &changes, Utc::now())
        .await
        .unwrap();
    assert!(
        updated.said.iter().any(|s| s.contains("quantity 25 → 30")),
        "{:?}",
        updated.said
    );
    let sent = calls(&fake);
    let n = sent.len();
    assert_eq!(sent[n - 2], ("GET".to_owned(), path.clone()));
    assert_eq!(sent[n - 1], ("PATCH".to_owned(), path.clone()));
    // The whole resource went back, as the GET gave it, with the two changes.
    let patched = body_of(&fake, "PATCH", &path);
    assert_eq!(patched["quantity"], 30);
    assert_eq!(patched["autoRenewEnabled"], false);
    assert_eq!(patched["termDuration"], "P1Y");
    assert!(patched["orderId"].is_string(), "{patched}");
    let d = db.store.subscription_detail(id).unwrap();
    assert_eq!((d.quantity, d.auto_renew), (30, false));
    let after: String = db
        .store
        .conn()
        .query_row(
            "SELECT after FROM audit_log WHERE action = 'Subscription changed' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let patch_call = fake
        .api_calls()
        .into_iter()
        .rev()
        .find(|c| c.method == "PATCH")
        .unwrap();
    assert!(
        after.contains(patch_call.correlation_id.as_deref().unwrap()),
        "{after}"
    );

    // 409 during renewal: nothing changes, and it says so.
    fake.fault(Fault::Pass);
    fake.fault(Fault::Error {
        status: 409,
        code: json!(800062),
        description: "The subscription is being renewed; try again later.".into(),
    });
    let mut again = changes_of(&db, id);
    again.quantity = 40;
    let e = write::update_subscription(&db.store, &client, id, &again, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(e, WriteError::Busy { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("busy") && text.contains("input is kept"),
        "{text}"
    );
    assert!(text.contains("being renewed"), "{text}");
    assert_eq!(db.store.subscription_detail(id).unwrap().quantity, 30);
}

#[tokio::test]
async fn support_contact_and_upgrade_go_through_their_own_calls() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let (id, remote) = one_subscription(&db, &client).await;
    let adatum = reseller_named(db.store.conn(), "Adatum IT Services");
    let partner_id = adatum_partner_id(&db);

    let mut changes = changes_of(&db, id);
    changes.support_reseller_id = Some(adatum);
    write::update_subscription(&db.store, &client, id, &changes, Utc::now())
        .await
        .unwrap();
    let contact = fake.with(|s| s.writes.support_contacts[&remote.to_ascii_lowercase()].clone());
    assert_eq!(contact["supportTenantId"], ADATUM_TENANT);
    assert_eq!(contact["supportMpnId"], partner_id.as_str());
    let d = db.store.subscription_detail(id).unwrap();
    assert_eq!(d.support_contact.map(|r| r.id), Some(adatum));

    let upgrade_to: String = db
        .store
        .conn()
        .query_row(
            "SELECT to_offer FROM offer_upgrades WHERE from_offer = ?1 AND to_offer <> ?2 LIMIT 1",
            [PREMIUM, E3],
            |r| r.get(0),
        )
        .unwrap();
    let mut changes = changes_of(&db, id);
    changes.offer_id = upgrade_to.clone();
    write::update_subscription(&db.store, &client, id, &changes, Utc::now())
        .await
        .unwrap();
    let d = db.store.subscription_detail(id).unwrap();
    assert_eq!(d.offer.id, upgrade_to);
    assert_ne!(
        d.subscription_id,
        remote.to_ascii_lowercase(),
        "the licenses moved"
    );
    let target = fake.with(|s| {
        s.subscription_lists
            .values()
            .flatten()
            .find(|v| v["offerId"] == upgrade_to.as_str())
            .map(|v| v["id"].as_str().unwrap().to_ascii_lowercase())
            .unwrap()
    });
    assert_eq!(d.subscription_id, target);
}

#[tokio::test]
async fn add_subscription_places_an_order_and_records_its_subscriptions() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    let mut new = new_customer(db.store.conn());
    new.order.lines.clear();
    let created = write::create_customer(&db.store, &client, &new, Utc::now())
        .await
        .unwrap();
    let customer_id = created.customer_id.unwrap();
    let adatum = reseller_named(db.store.conn(), "Adatum IT Services");
    let order = NewOrder {
        lines: vec![line(E3, 5)],
        partner_of_record: Some(adatum),
        attestation_accepted: true,
    };
    let added = write::add_subscriptions(&db.store, &client, customer_id, &order, Utc::now())
        .await
        .unwrap();
    assert_eq!(added.subscriptions, 1);
    let remote = fake.with(|s| {
        s.subscription_lists[&created.tenant_id][0]["id"]
            .as_str()
            .unwrap()
            .to_ascii_lowercase()
    });
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM subscriptions WHERE customer_id = {customer_id} AND subscription_id = '{remote}'"
            )
        ),
        1
    );
    let after: String = db
        .store
        .conn()
        .query_row(
            "SELECT after FROM audit_log WHERE action = 'Subscriptions added' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(after.contains(&added.correlation_id.to_string()), "{after}");
}

/// The network step of each write only borrows the client and its plan, so the console can run
/// it on any tokio worker while the store stays on its thread: its future is `Send`.
#[allow(dead_code)]
fn the_network_steps_can_be_spawned(
    client: &Client,
    customer: &write::CustomerPlan,
    order: &write::OrderPlan,
    update: &write::UpdatePlan,
) {
    fn send<T: Send>(_: T) {}
    send(write::send_customer(client, customer));
    send(write::send_order(client, order));
    send(write::send_update(client, update));
}

#[tokio::test]
async fn a_domain_partner_center_already_has_is_refused_in_its_words() {
    let fake = FakePartnerCenter::start();
    let db = connected_book(&fake);
    let client = client(&fake);
    // Another partner's customer has the domain in Partner Center; the book doesn't know it.
    fake.with(|s| {
        let mut other = fake_partner_center::customer(1);
        other["companyProfile"]["domain"] = json!("fabrikamrobotics.onmicrosoft.com");
        s.customers.push(other);
    });
    let customers = count(&db, "SELECT count(*) FROM customers");
    let e = write::create_customer(
        &db.store,
        &client,
        &new_customer(db.store.conn()),
        Utc::now(),
    )
    .await
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("HTTP 409") && text.contains("already in use"),
        "{text}"
    );
    assert!(!text.contains("busy"), "{text}");
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), customers);
}
