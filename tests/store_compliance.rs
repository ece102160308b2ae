//! Store tests for compliance that may be unknown: an acceptance is checked by nobody yet, the
//! operator's check is written and audited, orders refuse a known failure and credit an unknown
//! one (the app asks first), and a book made before Unknown existed keeps its values and ids.

mod common;

use common::{TestDb, now};
use rusqlite::Connection;
use twotier::domain::compliance::{Check, Compliance};
use twotier::domain::ids::{Country, Email, PartnerId};
use twotier::domain::invitation::Delivery;
use twotier::store::customers::{NewOrder, OrderLine};
use twotier::store::invitations::Acceptance;
use twotier::store::{CommandError, SCHEMA_VERSION, Store};

fn db() -> TestDb {
    let mut db = TestDb::default_demo();
    let operator = db.operator();
    db.store.act_as(operator);
    db
}

fn compliance_of(conn: &Connection, id: i64) -> (Option<bool>, Option<bool>) {
    conn.query_row(
        "SELECT mpa_signed, por_valid FROM resellers WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn accept(db: &mut TestDb, to: &str, name: &str, partner_id: &str) -> i64 {
    let draft = db
        .store
        .prepare_invitation(&Email::parse(to).unwrap())
        .unwrap();
    db.store
        .record_invitation(&draft, Delivery::CopiedToClipboard, now())
        .unwrap();
    let a = Acceptance {
        name: name.into(),
        partner_id: PartnerId::parse(partner_id).unwrap(),
        country: Country::parse("US").unwrap(),
        tenant_id: None,
    };
    db.store.accept_invitation(&draft.token, &a, now()).unwrap()
}

#[test]
fn an_acceptance_leaves_mpa_and_por_unknown() {
    let mut db = db();
    let id = accept(
        &mut db,
        "partners@contoso.example",
        "Contoso Partners",
        "7654321",
    );
    assert_eq!(compliance_of(db.store.conn(), id), (None, None));
    let listed = db.store.all_resellers(false).unwrap();
    let contoso = listed
        .iter()
        .find(|r| r.name == "Contoso Partners")
        .unwrap();
    assert_eq!((contoso.mpa_signed, contoso.por_valid), (None, None));
    // A removed partnership accepted again is checked afresh: its old values no longer hold.
    let (woodgrove, partner_id): (i64, String) = db
        .store
        .conn()
        .query_row(
            "SELECT id, partner_id FROM resellers WHERE state = 'removed' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    db.store
        .conn()
        .execute(
            "UPDATE resellers SET mpa_signed = 0, por_valid = 1 WHERE id = ?1",
            [woodgrove],
        )
        .unwrap();
    let again = accept(
        &mut db,
        "partners@woodgrove.example",
        "Woodgrove Systems",
        &partner_id,
    );
    assert_eq!(again, woodgrove, "the same record comes back");
    assert_eq!(compliance_of(db.store.conn(), woodgrove), (None, None));
}

#[test]
fn the_operators_check_is_written_and_audited_unknown_included() {
    let mut db = db();
    let id = accept(
        &mut db,
        "partners@contoso.example",
        "Contoso Partners",
        "7654321",
    );
    let signed = Compliance {
        mpa: Check::Yes,
        por: Check::Unknown,
    };
    db.store.set_compliance(id, signed, now()).unwrap();
    assert_eq!(compliance_of(db.store.conn(), id), (Some(true), None));
    db.store
        .set_compliance(id, Compliance::new(None, Some(false)), now())
        .unwrap();
    assert_eq!(compliance_of(db.store.conn(), id), (None, Some(false)));
    let entries: Vec<(String, String)> = db
        .store
        .conn()
        .prepare(
            "SELECT before, after FROM audit_log WHERE action = 'Compliance changed' \
             AND target = 'Contoso Partners' ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        entries,
        [
            (
                "MPA unknown, POR unknown".to_owned(),
                "MPA signed, POR unknown".to_owned()
            ),
            (
                "MPA signed, POR unknown".to_owned(),
                "MPA unknown, POR invalid".to_owned()
            ),
        ]
    );
}

#[test]
fn an_order_credits_an_unknown_reseller_but_refuses_a_known_failure() {
    let mut db = db();
    let id = accept(
        &mut db,
        "partners@contoso.example",
        "Contoso Partners",
        "7654321",
    );
    let (customer, offer, quantity, term, cycle): (i64, String, i64, String, String) = db
        .store
        .conn()
        .query_row(
            "SELECT (SELECT min(id) FROM customers), id, min_quantity, 'P1M', 'monthly'
               FROM offers WHERE is_trial = 0 AND terms LIKE '%P1M%' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let order = NewOrder {
        lines: vec![OrderLine {
            offer_id: offer,
            quantity,
            term,
            billing_cycle: cycle,
        }],
        partner_of_record: Some(id),
        attestation_accepted: true,
    };
    // Unknown: the operator was asked and chose to order anyway.
    assert_eq!(
        db.store.add_subscriptions(customer, &order, now()).unwrap(),
        1
    );
    db.store
        .set_compliance(id, Compliance::new(Some(false), None), now())
        .unwrap();
    match db.store.add_subscriptions(customer, &order, now()) {
        Err(CommandError::Refused(why)) => {
            assert!(why.contains("Microsoft Partner Agreement"), "{why}")
        }
        other => panic!("a reseller known not to have signed the MPA was credited: {other:?}"),
    }
}

/// A book as the build before Unknown wrote it: the first two schema steps, and rows that
/// reference the resellers (customers, subscriptions, invitations).
fn old_book(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../src/store/migrations/0001_init.sql"))
        .unwrap();
    conn.execute_batch(include_str!("../src/store/migrations/0002_demo_marker.sql"))
        .unwrap();
    conn.pragma_update(None, "application_id", twotier::store::APPLICATION_ID)
        .unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute_batch(
        "INSERT INTO provider VALUES (1, 'a2f1c0de-0000-4000-8000-000000000001', 'Old Books Ltd', '1234567',
             'US', 'United States', 'https://old.example', 'help@old.example', '+1 555 0100', 'Old Books',
             'US', 'https://partner.microsoft.com/invite', '.onmicrosoft.com', 0);
         INSERT INTO operators VALUES (1, 'admin@old.example', 'Admin', 'global-admin', 0, '2026-01-01T00:00:00Z');
         INSERT INTO resellers (id, name, partner_id, location, state, mpa_signed, por_valid, established_at)
             VALUES (7, 'Signed Co', '111', 'US', 'active', 1, 1, '2026-01-02T00:00:00Z'),
                    (9, 'Unsigned Co', '222', 'CA', 'active', 0, 1, '2026-01-03T00:00:00Z'),
                    (12, 'Invalid Co', '333', 'MX', 'removed', 1, 0, '2026-01-04T00:00:00Z');
         INSERT INTO customers (id, tenant_id, company_name, domain, reseller_id, first_name, last_name, email,
                                address_line1, city, country, culture, language, admin_user_name, created_at)
             VALUES (3, 'c0ffee00-0000-4000-8000-000000000003', 'Customer Co', 'customerco.onmicrosoft.com', 9,
                     'Ann', 'Lee', 'ann@customer.example', '1 Main St', 'Springfield', 'US', 'en-US', 'en',
                     'admin@customerco.onmicrosoft.com', '2026-01-05T00:00:00Z');
         INSERT INTO offers VALUES ('o1', 'Offer', 'fam', 1, 'cat', 'license', 1, 10, 'P1M', 'monthly', 100, 0);
         INSERT INTO subscriptions (id, subscription_id, customer_id, offer_id, quantity, status, term,
                                    billing_cycle, created_at, term_started_at, commitment_end_date,
                                    reseller_id, support_reseller_id)
             VALUES (4, 's-4', 3, 'o1', 1, 'active', 'P1M', 'monthly', '2026-01-06T00:00:00Z',
                     '2026-01-06T00:00:00Z', '2026-02-06', 9, 7);
         INSERT INTO invitations (id, token, recipient_email, subject, body, link, delivery, status, sent_by,
                                  sent_at, accepted_at, reseller_id)
             VALUES (5, 'tok', 'x@signed.example', 's', 'b', 'l', 'none', 'accepted', 1,
                     '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 7);",
    )
    .unwrap();
}

fn schema_of(conn: &Connection, table: &str) -> Vec<(String, String)> {
    conn.prepare(
        "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE tbl_name = ?1 AND type = 'index' ORDER BY name",
    )
    .unwrap()
    .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_book_from_before_unknown_keeps_its_values_ids_references_and_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_book(&path);
    let indexes_before = schema_of(&Connection::open(&path).unwrap(), "resellers");
    assert_eq!(
        indexes_before.len(),
        10,
        "nine of 0001 and the UNIQUE tenant's: {indexes_before:?}"
    );
    let (store, _) = Store::open(&path).unwrap();
    let conn = store.conn();
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    type Reseller = (i64, String, Option<bool>, Option<bool>, String);
    let rows: Vec<Reseller> = conn
        .prepare("SELECT id, name, mpa_signed, por_valid, state FROM resellers ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (
                7,
                "Signed Co".into(),
                Some(true),
                Some(true),
                "active".into()
            ),
            (
                9,
                "Unsigned Co".into(),
                Some(false),
                Some(true),
                "active".into()
            ),
            (
                12,
                "Invalid Co".into(),
                Some(true),
                Some(false),
                "removed".into()
            ),
        ]
    );
    let references: (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT reseller_id FROM customers WHERE id = 3),
                    (SELECT reseller_id FROM subscriptions WHERE id = 4),
                    (SELECT support_reseller_id FROM subscriptions WHERE id = 4),
                    (SELECT reseller_id FROM invitations WHERE id = 5)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(references, (9, 9, 7, 7));
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(orphans, 0);
    // Every index it had, as it was, beside those later steps add: what a new book has.
    let indexes_after = schema_of(conn, "resellers");
    for index in &indexes_before {
        assert!(
            indexes_after.contains(index),
            "every index, as it was: {index:?}"
        );
    }
    let fresh = tempfile::tempdir().unwrap();
    let (new_book, _) = Store::open(&fresh.path().join("new.db")).unwrap();
    assert_eq!(indexes_after, schema_of(new_book.conn(), "resellers"));
    // The foreign keys still point at the table of that name, and are enforced.
    let fk_targets: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('customers')
             UNION SELECT \"table\" FROM pragma_foreign_key_list('subscriptions')
             UNION SELECT \"table\" FROM pragma_foreign_key_list('invitations') ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        fk_targets,
        ["customers", "offers", "operators", "orders", "resellers"]
    );
    assert!(
        conn.execute("UPDATE customers SET reseller_id = 999 WHERE id = 3", [])
            .is_err(),
        "foreign keys still enforced"
    );
    // Unknown can now be written; anything but yes, no or Unknown still can't.
    conn.execute("UPDATE resellers SET mpa_signed = NULL WHERE id = 7", [])
        .unwrap();
    assert!(
        conn.execute("UPDATE resellers SET por_valid = 2 WHERE id = 7", [])
            .is_err()
    );
    let temp: i64 = conn
        .query_row("SELECT count(*) FROM temp.sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(temp, 0, "the scratch copy is gone");
}
