//! Store tests for Subscription details: every upgrade path of the shipped catalog, Verify of a
//! typed PartnerID, and subscriptions that still name a removed reseller.

mod common;

use std::collections::BTreeSet;

use common::orders::line;
use common::{TestDb, now};
use rusqlite::Connection;
use twotier::store::CommandError;
use twotier::store::catalog::catalog;
use twotier::store::customers::{NewOrder, OrderLine};
use twotier::store::list::{Filter, Key, ListSpec, Listed, SortValue};
use twotier::store::subscriptions::{REMOVED_MARK, SubscriptionChanges, SubscriptionRow};

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

/// A new active subscription of this offer, for the first customer.
fn subscription_of(db: &mut TestDb, offer: &str, quantity: i64) -> i64 {
    let customer = count(db.store.conn(), "SELECT min(id) FROM customers");
    let o = catalog()
        .unwrap()
        .into_iter()
        .find(|o| o.id == offer)
        .unwrap();
    let order = NewOrder {
        lines: vec![OrderLine {
            term: o.terms[0].clone(),
            billing_cycle: o.billing_cycles[0].clone(),
            ..line(offer, quantity)
        }],
        partner_of_record: None,
        attestation_accepted: false,
    };
    db.store.add_subscriptions(customer, &order, now()).unwrap();
    count(db.store.conn(), "SELECT max(id) FROM subscriptions")
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
fn every_listed_upgrade_path_exists_is_another_offer_and_is_listed_once() {
    let offers = catalog().unwrap();
    let ids: BTreeSet<&str> = offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids.len(), offers.len(), "offer ids are unique");
    let mut paths = 0;
    for o in &offers {
        let targets: BTreeSet<&str> = o.upgrades_to.iter().map(String::as_str).collect();
        assert_eq!(
            targets.len(),
            o.upgrades_to.len(),
            "{} lists a target twice",
            o.name
        );
        assert!(
            !targets.contains(o.id.as_str()),
            "{} upgrades to itself",
            o.name
        );
        for t in &targets {
            assert!(
                ids.contains(t),
                "{} upgrades to {t}, not in the catalog",
                o.name
            );
        }
        paths += targets.len();
    }
    // The paths the issue names, by name.
    let id = |name: &str| offers.iter().find(|o| o.name == name).unwrap().id.as_str();
    let to = |from: &str| -> BTreeSet<&str> {
        offers
            .iter()
            .find(|o| o.name == from)
            .unwrap()
            .upgrades_to
            .iter()
            .map(String::as_str)
            .collect()
    };
    for (from, target) in [
        ("Microsoft 365 Business Premium", "Office 365 E3"),
        ("Microsoft 365 Business Premium", "Office 365 E5"),
        ("Microsoft 365 Business Premium", "Microsoft 365 E3"),
        ("Microsoft 365 Business Premium", "Microsoft 365 E5"),
        (
            "Microsoft 365 Business Basic",
            "Microsoft 365 Business Premium",
        ),
        ("Microsoft 365 Business Standard", "Microsoft 365 E3"),
        ("Office 365 E1", "Microsoft 365 E5"),
        ("Office 365 E3", "Office 365 E5"),
        ("Office 365 E3", "Microsoft 365 E3"),
        ("Microsoft 365 E3", "Microsoft 365 E5"),
        ("Exchange Online (Plan 1)", "Exchange Online (Plan 2)"),
        (
            "Exchange Online (Plan 1)",
            "Microsoft 365 Business Standard",
        ),
        ("Exchange Online (Plan 1)", "Office 365 E3"),
        ("Microsoft Entra ID P1", "Microsoft Entra ID P2"),
        ("Microsoft Entra ID P1", "Microsoft 365 E5"),
    ] {
        assert!(to(from).contains(id(target)), "{from} → {target}");
    }
    assert!(to("Microsoft 365 E5").is_empty());
    assert!(paths >= 35, "{paths}");
}

#[test]
fn the_store_upgrades_along_every_listed_path_and_refuses_any_other() {
    let mut db = db();
    let offers = catalog().unwrap();
    for from in offers.iter().filter(|o| o.billing_type == "license") {
        let quantity = from.min_quantity.max(1);
        let sub = subscription_of(&mut db, &from.id, quantity);
        let detail = db.store.subscription_detail(sub).unwrap();
        let offered: BTreeSet<&str> = detail.upgrades.iter().map(|o| o.id.as_str()).collect();
        let listed: BTreeSet<&str> = from.upgrades_to.iter().map(String::as_str).collect();
        assert_eq!(offered, listed, "{}", from.name);
        // Cheapest first.
        assert!(
            detail
                .upgrades
                .windows(2)
                .all(|w| w[0].unit_price_cents <= w[1].unit_price_cents)
        );
        for to in &offers {
            if to.id == from.id {
                continue;
            }
            let fits = (to.min_quantity..=to.max_quantity).contains(&quantity);
            let up = SubscriptionChanges {
                offer_id: to.id.clone(),
                ..changes_of(&db, sub)
            };
            // Each path on a fresh subscription, so one upgrade doesn't change the next's source.
            if listed.contains(to.id.as_str()) {
                let fresh = subscription_of(&mut db, &from.id, quantity);
                let up = SubscriptionChanges {
                    offer_id: to.id.clone(),
                    ..changes_of(&db, fresh)
                };
                assert!(fits, "{} → {}: {quantity} licenses", from.name, to.name);
                let said = db.store.update_subscription(fresh, &up, now()).unwrap();
                assert_eq!(said, [format!("offer {} → {}", from.name, to.name)]);
                let now_offer: String = db
                    .store
                    .conn()
                    .query_row(
                        "SELECT offer_id FROM subscriptions WHERE id = ?1",
                        [fresh],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(now_offer, to.id);
            } else {
                let why = refusal(db.store.update_subscription(sub, &up, now()));
                assert!(
                    why.contains("can't be upgraded"),
                    "{} → {}: {why}",
                    from.name,
                    to.name
                );
            }
        }
    }
}

#[test]
fn verify_says_who_the_partner_id_is_or_why_not() {
    let db = db();
    let conn = db.store.conn();
    let own: String = conn
        .query_row("SELECT partner_id FROM provider", [], |r| r.get(0))
        .unwrap();
    let why = db.store.verify_partner_id(&own).unwrap().unwrap_err();
    assert!(why.contains("your own PartnerID"), "{why}");
    let why = db.store.verify_partner_id("9999999").unwrap().unwrap_err();
    assert!(
        why.starts_with("No active indirect reseller has PartnerID 9999999"),
        "{why}"
    );
    let why = db.store.verify_partner_id("12a4").unwrap().unwrap_err();
    assert!(why.contains("digits only"), "{why}");
    let removed: String = conn
        .query_row(
            "SELECT partner_id FROM resellers WHERE state = 'removed' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let why = db.store.verify_partner_id(&removed).unwrap().unwrap_err();
    assert!(why.contains("partnership was removed on 20"), "{why}");
    let found = db.store.verify_partner_id(" 873452 ").unwrap().unwrap();
    assert_eq!(found.name, "Fourth Coffee Technologies");
    assert_eq!(found.compliance_warning(), Some("MPA not signed"));
    let found = db.store.verify_partner_id("517285").unwrap().unwrap();
    assert_eq!(
        (found.name.as_str(), found.compliance_warning()),
        ("Lucerne Digital", None)
    );
}

#[test]
fn a_subscription_naming_a_removed_reseller_is_marked_and_not_saved_until_one_is_picked() {
    let mut db = db();
    let sub = subscription_of(&mut db, "CFQ7TTC0LCHC", 5);
    let conn = db.store.conn();
    let removed = count(
        conn,
        "SELECT id FROM resellers WHERE state = 'removed' LIMIT 1",
    );
    let lucerne = count(
        conn,
        "SELECT id FROM resellers WHERE name = 'Lucerne Digital'",
    );
    conn.execute(
        "UPDATE subscriptions SET reseller_id = ?1, support_reseller_id = ?1 WHERE id = ?2",
        [removed, sub],
    )
    .unwrap();
    let d = db.store.subscription_detail(sub).unwrap();
    assert!(d.reseller.as_ref().unwrap().removed && d.support_contact.as_ref().unwrap().removed);
    // The customer's subscriptions list marks both.
    let spec: ListSpec = SubscriptionRow::spec(&Filter::default());
    let sql = format!("SELECT {} FROM {} WHERE s.id = ?1", spec.columns, spec.from);
    let row = conn
        .query_row(&sql, [sub], |r| {
            SubscriptionRow::from_row(
                r,
                Key {
                    sort: SortValue::Integer(0),
                    id: 0,
                },
            )
        })
        .unwrap();
    assert!(row.reseller_removed && row.support_removed);
    assert_eq!(REMOVED_MARK, "⚠ reseller removed");

    let snapshot = |conn: &Connection| {
        (
            count(conn, "SELECT count(*) FROM audit_log"),
            conn.query_row(
                "SELECT quantity || '|' || reseller_id || '|' || support_reseller_id FROM subscriptions WHERE id = ?1",
                [sub],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
        )
    };
    let before = snapshot(db.store.conn());
    // More licenses, reseller still the removed one: refused, nothing changed.
    let more = SubscriptionChanges {
        quantity: 6,
        ..changes_of(&db, sub)
    };
    let why = refusal(db.store.update_subscription(sub, &more, now()));
    assert!(
        why.contains("on Reseller (MPN ID) is a removed reseller"),
        "{why}"
    );
    assert_eq!(snapshot(db.store.conn()), before);
    // A current reseller on Reseller, but Support still the removed one: refused too.
    let half = SubscriptionChanges {
        reseller_id: Some(lucerne),
        ..more.clone()
    };
    let why = refusal(db.store.update_subscription(sub, &half, now()));
    assert!(
        why.contains("on Designated support contact is a removed reseller"),
        "{why}"
    );
    assert_eq!(snapshot(db.store.conn()), before);
    // Both picked (a current reseller, and the provider): saved in one entry.
    let whole = SubscriptionChanges {
        support_reseller_id: None,
        ..half
    };
    let said = db.store.update_subscription(sub, &whole, now()).unwrap();
    assert_eq!(said.len(), 3, "{said:?}");
    assert_eq!(
        count(db.store.conn(), "SELECT count(*) FROM audit_log"),
        before.0 + 1
    );
    let d = db.store.subscription_detail(sub).unwrap();
    assert_eq!(
        d.reseller.map(|r| (r.id, r.removed)),
        Some((lucerne, false))
    );
    assert_eq!(d.support_contact, None);
}
