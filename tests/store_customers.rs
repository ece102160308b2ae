//! Store tests for customers and orders: the whole new-customer order in one transaction, the
//! password never stored, and the rules of Subscription details.

mod common;

use chrono::Duration;
use common::orders::{E3, PREMIUM, line, new_customer, reseller_named as reseller};
use common::{TestDb, now};
use rusqlite::Connection;
use twotier::store::CommandError;
use twotier::store::customers::{NewOrder, OrderLine};
use twotier::store::subscriptions::SubscriptionChanges;

fn db() -> TestDb {
    let mut db = TestDb::default_demo();
    let operator = db.operator();
    db.store.act_as(operator);
    db
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, CommandError>) -> String {
    match r {
        Err(CommandError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn totals(conn: &Connection) -> [i64; 5] {
    [
        count(conn, "SELECT count(*) FROM customers"),
        count(conn, "SELECT count(*) FROM orders"),
        count(conn, "SELECT count(*) FROM order_line_items"),
        count(conn, "SELECT count(*) FROM subscriptions"),
        count(conn, "SELECT count(*) FROM audit_log"),
    ]
}

#[test]
fn submit_writes_the_whole_order_and_returns_a_password_it_never_stores() {
    let mut db = db();
    let c = new_customer(db.store.conn());
    let created = db.store.create_customer(&c, now()).unwrap();
    assert_eq!(
        created.admin_user_name,
        "admin@fabrikamrobotics.onmicrosoft.com"
    );
    let password = created.password.expose().to_owned();
    assert_eq!(password.len(), 16);
    assert!(twotier::domain::credentials::meets_policy(&password));
    let conn = db.store.conn();
    let (domain, admin, reseller_id, relationship, delegated): (String, String, i64, String, bool) = conn
        .query_row(
            "SELECT domain, admin_user_name, reseller_id, relationship, allow_delegated_access FROM customers WHERE id = ?1",
            [created.customer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(domain, "fabrikamrobotics.onmicrosoft.com");
    assert_eq!(admin, created.admin_user_name);
    assert_eq!(reseller_id, reseller(conn, "Adatum IT Services"));
    assert_eq!((relationship.as_str(), delegated), ("reseller", true));
    let subs: Vec<(String, i64, Option<i64>, String)> = conn
        .prepare("SELECT offer_id, quantity, reseller_id, status FROM subscriptions WHERE customer_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([created.customer_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(subs.len(), 2);
    assert_eq!(
        (subs[0].0.as_str(), subs[0].1, subs[0].2, subs[0].3.as_str()),
        (PREMIUM, 25, Some(reseller_id), "active")
    );
    let lines: Vec<(i64, String)> = conn
        .prepare("SELECT l.line_item_number, l.partner_id_on_record FROM order_line_items l JOIN orders o ON o.id = l.order_id WHERE o.customer_id = ?1 ORDER BY 1")
        .unwrap()
        .query_map([created.customer_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        lines,
        [(0, "5139005".to_owned()), (1, "5139005".to_owned())]
    );
    let audit: String = conn
        .query_row(
            "SELECT target FROM audit_log WHERE action = 'Customer created'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(audit.contains("Fabrikam Robotics"));
    // The password is nowhere in the database: not in any row, not in the file, not in the WAL.
    let path = db.path.clone();
    for file in [path.clone(), path.with_extension("db-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(
                !bytes
                    .windows(password.len())
                    .any(|w| w == password.as_bytes()),
                "the password is in {}",
                file.display()
            );
        }
    }
    assert!(
        !format!("{created:?}").contains(&password),
        "Debug shows the password"
    );
}

#[test]
fn a_taken_domain_or_a_bad_order_writes_nothing() {
    let mut db = db();
    let before = totals(db.store.conn());
    let mut c = new_customer(db.store.conn());
    let taken: String = db
        .store
        .conn()
        .query_row("SELECT domain FROM customers LIMIT 1", [], |r| r.get(0))
        .unwrap();
    c.domain_prefix = taken.trim_end_matches(".onmicrosoft.com").to_owned();
    assert!(refusal(db.store.create_customer(&c, now())).contains("already taken"));
    let mut c = new_customer(db.store.conn());
    c.order.lines = vec![line(PREMIUM, 301)];
    assert!(refusal(db.store.create_customer(&c, now())).contains("outside the allowed 1–300"));
    let mut c = new_customer(db.store.conn());
    c.order.attestation_accepted = false;
    assert!(refusal(db.store.create_customer(&c, now())).contains("attestation"));
    let mut c = new_customer(db.store.conn());
    c.order.partner_of_record = Some(reseller(db.store.conn(), "Fourth Coffee Technologies"));
    assert!(refusal(db.store.create_customer(&c, now())).contains("Microsoft Partner Agreement"));
    let mut c = new_customer(db.store.conn());
    c.order.partner_of_record = Some(reseller(db.store.conn(), "Margie's Travel IT"));
    assert!(
        refusal(db.store.create_customer(&c, now())).contains("not valid as partner of record")
    );
    let mut c = new_customer(db.store.conn());
    c.order.lines = vec![OrderLine {
        term: "P3Y".into(),
        ..line("CFQ7TTC0LH16", 5)
    }];
    assert!(refusal(db.store.create_customer(&c, now())).contains("term"));
    assert_eq!(totals(db.store.conn()), before);
}

#[test]
fn a_failure_mid_order_leaves_nothing() {
    let mut db = db();
    let before = totals(db.store.conn());
    // The second subscription fails after the customer, the order and the first line are written.
    db.store
        .conn()
        .execute_batch(&format!(
            "CREATE TEMP TRIGGER fail_second AFTER INSERT ON subscriptions WHEN NEW.offer_id = '{E3}'
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
        ))
        .unwrap();
    let c = new_customer(db.store.conn());
    match db.store.create_customer(&c, now()) {
        Err(CommandError::Db(e)) => assert!(e.to_string().contains("disk on fire")),
        other => panic!("expected the injected failure, got {other:?}"),
    }
    assert_eq!(
        totals(db.store.conn()),
        before,
        "customer, order, lines, subscriptions and audit all rolled back"
    );
    assert_eq!(
        count(
            db.store.conn(),
            "SELECT count(*) FROM customers WHERE company_name = 'Fabrikam Robotics'"
        ),
        0
    );
}

#[test]
fn add_subscription_adds_an_order_to_an_existing_customer() {
    let mut db = db();
    let customer: i64 = db
        .store
        .conn()
        .query_row("SELECT id FROM customers LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let before = count(
        db.store.conn(),
        &format!("SELECT count(*) FROM subscriptions WHERE customer_id = {customer}"),
    );
    let blue = reseller(db.store.conn(), "Blue Yonder Solutions");
    let order = NewOrder {
        lines: vec![line(E3, 3)],
        partner_of_record: Some(blue),
        attestation_accepted: true,
    };
    assert_eq!(
        db.store.add_subscriptions(customer, &order, now()).unwrap(),
        1
    );
    let after = count(
        db.store.conn(),
        &format!("SELECT count(*) FROM subscriptions WHERE customer_id = {customer}"),
    );
    assert_eq!(after, before + 1);
    assert!(
        refusal(db.store.add_subscriptions(999_999, &order, now())).contains("no longer exists")
    );
}

/// A fresh subscription (bought `age` days before `now()`), for the 7-day rules.
fn subscription_aged(db: &mut TestDb, age: i64) -> i64 {
    let customer: i64 = db
        .store
        .conn()
        .query_row("SELECT id FROM customers LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let order = NewOrder {
        lines: vec![line(PREMIUM, 10)],
        partner_of_record: None,
        attestation_accepted: false,
    };
    db.store
        .add_subscriptions(customer, &order, now() - Duration::days(age))
        .unwrap();
    db.store
        .conn()
        .query_row("SELECT max(id) FROM subscriptions", [], |r| r.get(0))
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

#[test]
fn licenses_are_added_any_time_but_removed_only_within_seven_days() {
    let mut db = db();
    let old = subscription_aged(&mut db, 20);
    let more = SubscriptionChanges {
        quantity: 12,
        ..changes_of(&db, old)
    };
    assert_eq!(
        db.store.update_subscription(old, &more, now()).unwrap(),
        ["quantity 10 → 12"]
    );
    let fewer = SubscriptionChanges {
        quantity: 5,
        ..changes_of(&db, old)
    };
    assert!(refusal(db.store.update_subscription(old, &fewer, now())).contains("800090"));
    assert_eq!(db.store.subscription_detail(old).unwrap().quantity, 12);
    let young = subscription_aged(&mut db, 3);
    let fewer = SubscriptionChanges {
        quantity: 5,
        ..changes_of(&db, young)
    };
    db.store.update_subscription(young, &fewer, now()).unwrap();
    assert_eq!(db.store.subscription_detail(young).unwrap().quantity, 5);
    let too_many = SubscriptionChanges {
        quantity: 301,
        ..changes_of(&db, young)
    };
    assert!(refusal(db.store.update_subscription(young, &too_many, now())).contains("900275"));
}

#[test]
fn status_rules_suspend_turns_auto_renew_off_and_cancel_needs_the_window() {
    let mut db = db();
    let old = subscription_aged(&mut db, 20);
    let suspend = SubscriptionChanges {
        status: "suspended".into(),
        ..changes_of(&db, old)
    };
    let said = db.store.update_subscription(old, &suspend, now()).unwrap();
    assert!(said.contains(&"auto-renew on → off".to_owned()), "{said:?}");
    assert!(!db.store.subscription_detail(old).unwrap().auto_renew);
    let cancel = SubscriptionChanges {
        status: "deleted".into(),
        ..changes_of(&db, old)
    };
    assert!(
        refusal(db.store.update_subscription(old, &cancel, now()))
            .contains("cancelled within 7 days")
    );
    let young = subscription_aged(&mut db, 1);
    let cancel = SubscriptionChanges {
        status: "deleted".into(),
        ..changes_of(&db, young)
    };
    db.store.update_subscription(young, &cancel, now()).unwrap();
    assert_eq!(
        db.store.subscription_detail(young).unwrap().status,
        "deleted"
    );
    let revive = SubscriptionChanges {
        status: "active".into(),
        ..changes_of(&db, young)
    };
    assert!(refusal(db.store.update_subscription(young, &revive, now())).contains("can't become"));
}

#[test]
fn reseller_support_contact_and_upgrade_follow_the_rules_with_one_audit_entry() {
    let mut db = db();
    let id = subscription_aged(&mut db, 20);
    let conn = db.store.conn();
    let (blue, fourth, coho) = (
        reseller(conn, "Blue Yonder Solutions"),
        reseller(conn, "Fourth Coffee Technologies"),
        reseller(conn, "Coho Managed Services"),
    );
    let non_compliant = SubscriptionChanges {
        reseller_id: Some(fourth),
        ..changes_of(&db, id)
    };
    assert!(
        refusal(db.store.update_subscription(id, &non_compliant, now()))
            .contains("Partner Agreement")
    );
    // Business Premium → Business Basic is no upgrade path (a lower plan).
    let upgrade_wrong = SubscriptionChanges {
        offer_id: "CFQ7TTC0LH18".into(),
        ..changes_of(&db, id)
    };
    assert!(
        refusal(db.store.update_subscription(id, &upgrade_wrong, now()))
            .contains("can't be upgraded")
    );
    let audits = count(db.store.conn(), "SELECT count(*) FROM audit_log");
    let all = SubscriptionChanges {
        reseller_id: Some(blue),
        support_reseller_id: Some(coho),
        auto_renew: false,
        ..changes_of(&db, id)
    };
    let said = db.store.update_subscription(id, &all, now()).unwrap();
    assert_eq!(said.len(), 3, "{said:?}");
    let d = db.store.subscription_detail(id).unwrap();
    assert_eq!(
        (
            d.reseller.unwrap().id,
            d.support_contact.unwrap().id,
            d.auto_renew
        ),
        (blue, coho, false)
    );
    assert_eq!(
        count(db.store.conn(), "SELECT count(*) FROM audit_log"),
        audits + 1
    );
    let after: String = db
        .store
        .conn()
        .query_row("SELECT after FROM audit_log WHERE action = 'Subscription changed' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(
        after.contains("support contact the provider → Coho Managed Services (6363276)"),
        "{after}"
    );
    // Business Basic → Business Premium is an upgrade path of the catalog.
    let basic_customer: i64 = db
        .store
        .conn()
        .query_row("SELECT id FROM customers LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let order = NewOrder {
        lines: vec![line("CFQ7TTC0LH18", 4)],
        partner_of_record: None,
        attestation_accepted: false,
    };
    db.store
        .add_subscriptions(basic_customer, &order, now())
        .unwrap();
    let basic: i64 = db
        .store
        .conn()
        .query_row("SELECT max(id) FROM subscriptions", [], |r| r.get(0))
        .unwrap();
    let up = SubscriptionChanges {
        offer_id: PREMIUM.into(),
        ..changes_of(&db, basic)
    };
    assert_eq!(
        db.store.update_subscription(basic, &up, now()).unwrap(),
        ["offer Microsoft 365 Business Basic → Microsoft 365 Business Premium"]
    );
    // Nothing changed: nothing written.
    let audits = count(db.store.conn(), "SELECT count(*) FROM audit_log");
    assert!(
        db.store
            .update_subscription(basic, &changes_of(&db, basic), now())
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        count(db.store.conn(), "SELECT count(*) FROM audit_log"),
        audits
    );
}

#[test]
fn a_customer_without_an_order_is_the_account_alone() {
    let mut db = db();
    let [customers, orders, lines, subscriptions, audit] = totals(db.store.conn());
    let mut c = new_customer(db.store.conn());
    c.order.lines.clear();
    db.store.create_customer(&c, now()).unwrap();
    assert_eq!(
        totals(db.store.conn()),
        [customers + 1, orders, lines, subscriptions, audit + 1]
    );
}

#[test]
fn the_account_holds_every_stored_field_of_the_customer_and_never_a_password() {
    let mut db = db();
    let mut c = new_customer(db.store.conn());
    c.registration_number = Some("REG-991".into());
    c.phone = Some("+1 555 0100".into());
    c.address_line2 = Some("Suite 200".into());
    let created = db.store.create_customer(&c, now()).unwrap();
    let password = created.password.expose().to_owned();
    let a = db.store.customer_account(created.customer_id).unwrap();
    assert_eq!(a.id, created.customer_id);
    assert_eq!(a.company_name, "Fabrikam Robotics");
    assert_eq!(a.domain, "fabrikamrobotics.onmicrosoft.com");
    let tenant: String = db
        .store
        .conn()
        .query_row(
            "SELECT tenant_id FROM customers WHERE id = ?1",
            [created.customer_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(a.tenant_id, tenant);
    assert_eq!(a.registration_number.as_deref(), Some("REG-991"));
    assert_eq!(
        a.address.one_line(),
        "1 Main St, Suite 200, Seattle, WA 98101, US"
    );
    assert_eq!((a.language.as_str(), a.culture.as_str()), ("en", "en-US"));
    assert_eq!(a.contact.name(), "Ana Silva");
    assert_eq!(a.contact.email, "ana@fabrikam.example");
    assert_eq!(a.contact.phone.as_deref(), Some("+1 555 0100"));
    let r = a.reseller.as_ref().unwrap();
    assert_eq!(r.name, "Adatum IT Services");
    assert!(!r.removed);
    let partner: String = db
        .store
        .conn()
        .query_row(
            "SELECT partner_id FROM resellers WHERE name = 'Adatum IT Services'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(r.partner_id, partner);
    assert_eq!(
        (a.relationship.as_str(), a.delegated_access),
        ("reseller", true)
    );
    let mca = a.agreement.as_ref().unwrap();
    assert_eq!(mca.signer_name.as_deref(), Some("Ana Silva"));
    assert_eq!(mca.signer_email.as_deref(), Some("ana@fabrikam.example"));
    assert_eq!(mca.date_agreed.as_deref(), Some("2026-10-30"));
    assert_eq!(a.admin_user_name, "admin@fabrikamrobotics.onmicrosoft.com");
    assert_eq!(a.created_at, now());
    let operator = db.operator();
    assert_eq!(
        a.created_by,
        Some((operator.display_name.clone(), operator.upn.clone()))
    );
    // The temporary password is nowhere in what the Account holds.
    assert!(!format!("{a:?}").contains(&password));
}

#[test]
fn the_account_is_cleaned_says_a_removed_partnership_and_refuses_a_missing_customer() {
    let mut db = db();
    let c = new_customer(db.store.conn());
    let created = db.store.create_customer(&c, now()).unwrap();
    let conn = db.store.conn();
    conn.execute(
        "UPDATE customers SET company_name = 'Evil\u{1b}[2J Corp', city = 'Sea\u{7}ttle', phone = '' WHERE id = ?1",
        [created.customer_id],
    )
    .unwrap();
    conn.execute(
        "UPDATE resellers SET state = 'removed' WHERE name = 'Adatum IT Services'",
        [],
    )
    .unwrap();
    let a = db.store.customer_account(created.customer_id).unwrap();
    assert!(!a.company_name.contains('\u{1b}'), "{:?}", a.company_name);
    assert!(a.company_name.starts_with("Evil") && a.company_name.ends_with("Corp"));
    assert!(!a.address.city.contains('\u{7}'));
    assert_eq!(a.contact.phone, None, "an empty phone is no phone");
    assert!(a.reseller.as_ref().unwrap().removed);
    let missing = refusal(db.store.customer_account(created.customer_id + 1000));
    assert_eq!(missing, "That customer no longer exists.");
}
