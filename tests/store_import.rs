//! The store's import on real SQLite files: a row with a problem leaves the whole book as it was,
//! a change writes one activity entry with before → after, a dry run writes nothing, the
//! permission matrix is asked first, and each lookup an import makes per row walks an index.

mod common;

use common::{OPERATOR, TestDb, now};
use rusqlite::Connection;
use twotier::store::import::{List, Options, Report};
use twotier::store::{CommandError, Store};

fn import(store: &Store, list: List, text: &str, dry_run: bool) -> Result<Report, CommandError> {
    store.import_csv(
        text.as_bytes(),
        Options {
            list,
            source: "test.csv".into(),
            dry_run,
            at: now(),
            customer: None,
            progress: &mut |_, _| {},
        },
    )
}

fn one(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn acting(db: &mut TestDb, upn: &str) {
    let operator = db.store.resolve_operator(upn).unwrap();
    db.store.act_as(operator);
}

/// Every table's row count and the activity log: what "the book as it was" compares.
fn shape(conn: &Connection) -> Vec<i64> {
    ["resellers", "customers", "subscriptions", "audit_log"]
        .iter()
        .map(|t| one(conn, &format!("SELECT count(*) FROM {t}")))
        .chain([one(
            conn,
            "SELECT coalesce(sum(quantity), 0) FROM subscriptions",
        )])
        .collect()
}

#[test]
fn one_bad_row_rolls_back_every_good_one() {
    let mut db = TestDb::default_demo();
    acting(&mut db, OPERATOR);
    let tenant: String = db
        .store
        .conn()
        .query_row(
            "SELECT tenant_id FROM customers ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = shape(db.store.conn());
    let text = format!(
        "Subscription ID,Offer ID,Quantity,Status,Customer Microsoft ID\n\
         aaaaaaaa-0000-4000-8000-000000000001,CFQ7TTC0LH18,5,Active,{tenant}\n\
         aaaaaaaa-0000-4000-8000-000000000002,CFQ7TTC0LH18,0,Active,{tenant}\n\
         aaaaaaaa-0000-4000-8000-000000000003,NOPE,5,Sleeping,{tenant}\n"
    );
    let report = import(&db.store, List::Subscriptions, &text, false).unwrap();
    assert!(!report.written);
    assert_eq!(
        (report.rows, report.added, report.problems.invalid_rows),
        (3, 1, 2)
    );
    let p = &report.problems.shown;
    assert_eq!(p[0].line, 3);
    assert_eq!(p[0].column, Some("Quantity"));
    assert!(
        p[0].problem.contains("0 licenses is outside the allowed"),
        "{p:?}"
    );
    assert_eq!((p[1].line, p[1].column), (4, Some("Offer ID")));
    assert_eq!(shape(db.store.conn()), before, "the book changed");
    // The transaction is closed: the next command writes as usual.
    assert!(db.store.conn().is_autocommit());
}

#[test]
fn a_reseller_marked_removed_is_one_change_with_before_and_after() {
    let mut db = TestDb::default_demo();
    acting(&mut db, OPERATOR);
    let text = "Name,PartnerID,Status\nAdatum IT Services,5139005,Removed\nBlue Yonder Solutions,4847383,Active\n";
    let dry = import(&db.store, List::Resellers, text, true).unwrap();
    assert_eq!((dry.updated, dry.unchanged, dry.written), (1, 1, false));
    let conn = db.store.conn();
    assert_eq!(
        one(
            conn,
            "SELECT count(*) FROM resellers WHERE partner_id = '5139005' AND state = 'active'"
        ),
        1
    );
    let report = import(&db.store, List::Resellers, text, false).unwrap();
    assert_eq!(
        (
            report.added,
            report.updated,
            report.unchanged,
            report.written
        ),
        (0, 1, 1, true)
    );
    let conn = db.store.conn();
    let (state, removed_at): (String, String) = conn
        .query_row(
            "SELECT state, removed_at FROM resellers WHERE partner_id = '5139005'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(state, "removed");
    assert_eq!(removed_at, "2026-11-01T09:30:00Z");
    let entries: Vec<(String, String, String, String)> = conn
        .prepare("SELECT action, target, coalesce(before, ''), after FROM audit_log ORDER BY id DESC LIMIT 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(entries[0].0, "Import");
    assert_eq!(entries[0].1, "resellers from test.csv");
    assert_eq!(entries[0].3, "0 added, 1 updated, 1 unchanged");
    assert_eq!(entries[1].0, "Reseller updated by import");
    assert_eq!(entries[1].1, "Adatum IT Services (5139005)");
    assert_eq!(entries[1].2, "Status: active; Removed at: (empty)");
    assert_eq!(
        entries[1].3,
        "Status: removed; Removed at: 2026-11-01T09:30:00Z"
    );
    // Again: nothing changes, nothing is written.
    let audits = one(db.store.conn(), "SELECT count(*) FROM audit_log");
    let again = import(&db.store, List::Resellers, text, false).unwrap();
    assert_eq!(
        (again.updated, again.unchanged, again.written),
        (0, 2, false)
    );
    assert_eq!(
        one(db.store.conn(), "SELECT count(*) FROM audit_log"),
        audits
    );
}

#[test]
fn an_operator_the_matrix_refuses_imports_nothing() {
    let mut db = TestDb::default_demo();
    acting(&mut db, "finn.helpdesk@northwind-distribution.example");
    let before = shape(db.store.conn());
    let text = "Microsoft ID,Company name,Primary domain name\n484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1,Contoso Ltd,contoso.com\n";
    match import(&db.store, List::Customers, text, false) {
        Err(CommandError::Refused(why)) => assert!(why.contains("Add new customer"), "{why}"),
        other => panic!("not refused: {other:?}"),
    }
    assert_eq!(shape(db.store.conn()), before);
}

#[test]
fn a_customer_is_found_by_the_domain_or_name_a_subscriptions_file_gives() {
    let mut db = TestDb::default_demo();
    acting(&mut db, OPERATOR);
    let (domain, name): (String, String) = db
        .store
        .conn()
        .query_row(
            "SELECT domain, company_name FROM customers c WHERE (SELECT count(*) FROM customers d WHERE d.company_name = c.company_name) = 1 ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let text = format!(
        "Subscription ID,Subscription,Quantity,Status,Customer\n\
         bbbbbbbb-0000-4000-8000-000000000001,Microsoft 365 Business Basic,3,Suspended,{domain}\n\
         bbbbbbbb-0000-4000-8000-000000000002,microsoft 365 business basic,4,Cancelled,{name}\n"
    );
    let report = import(&db.store, List::Subscriptions, &text, false).unwrap();
    assert!(report.problems.shown.is_empty(), "{:?}", report.problems);
    assert_eq!(report.added, 2);
    let conn = db.store.conn();
    let mine = conn
        .prepare(
            "SELECT count(*) FROM subscriptions s JOIN customers c ON c.id = s.customer_id
             WHERE s.subscription_id LIKE 'bbbbbbbb-%' AND c.domain = ?1",
        )
        .unwrap()
        .query_row([&domain], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(mine, 2, "both are the customer's");
    let statuses: Vec<String> = conn
        .prepare("SELECT status FROM subscriptions WHERE subscription_id LIKE 'bbbbbbbb-%' ORDER BY subscription_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(statuses, ["suspended", "deleted"]);
}

#[test]
fn the_lookups_of_an_import_walk_indexes() {
    let db = TestDb::default_demo();
    for sql in [
        "SELECT id FROM subscriptions WHERE subscription_id = ?1",
        "SELECT id FROM customers WHERE tenant_id = ?1",
        "SELECT company_name FROM customers WHERE domain = ?1 AND tenant_id <> ?2",
        "SELECT id FROM customers WHERE domain = ?1 UNION ALL SELECT id FROM (SELECT id FROM customers WHERE company_name = ?1 ORDER BY id LIMIT 2) LIMIT 2",
        "SELECT id FROM resellers WHERE partner_id = ?1 ORDER BY state = 'active' DESC, id DESC LIMIT 1",
        "SELECT id FROM resellers WHERE name = ?1 ORDER BY id LIMIT 2",
        "SELECT name FROM resellers WHERE tenant_id = ?1 AND id IS NOT ?2",
    ] {
        let plan: Vec<String> = db
            .store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(
                rusqlite::params_from_iter(std::iter::repeat_n("x", 1 + sql.matches("?2").count())),
                |r| r.get(3),
            )
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // A scan of a subquery of at most two rows is no table scan.
        assert!(
            plan.iter()
                .all(|step| !step.starts_with("SCAN") || step.starts_with("SCAN (subquery")),
            "{sql}: {plan:?}"
        );
    }
}

#[test]
fn a_subscription_listed_twice_is_refused_into_an_empty_table_and_a_full_one() {
    let mut db = TestDb::default_demo();
    acting(&mut db, OPERATOR);
    let tenant: String = db
        .store
        .conn()
        .query_row(
            "SELECT tenant_id FROM customers ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let text = format!(
        "Subscription ID,Offer ID,Quantity,Status,Customer Microsoft ID\n\
         cccccccc-0000-4000-8000-000000000001,CFQ7TTC0LH18,5,Active,{tenant}\n\
         CCCCCCCC-0000-4000-8000-000000000001,CFQ7TTC0LH18,6,Active,{tenant}\n"
    );
    for empty in [false, true] {
        if empty {
            db.store
                .conn()
                .execute_batch("DELETE FROM order_line_items; DELETE FROM subscriptions;")
                .unwrap();
        }
        let before = shape(db.store.conn());
        let report = import(&db.store, List::Subscriptions, &text, false).unwrap();
        assert_eq!(
            (report.added, report.problems.invalid_rows),
            (1, 1),
            "empty: {empty}"
        );
        let p = &report.problems.shown[0];
        assert_eq!((p.line, p.column), (3, Some("Subscription ID")));
        assert!(p.problem.contains("is on an earlier line too"), "{p:?}");
        assert_eq!(shape(db.store.conn()), before, "empty: {empty}");
    }
}

#[test]
fn times_in_other_forms_are_stored_in_the_books_form() {
    let mut db = TestDb::default_demo();
    acting(&mut db, OPERATOR);
    let text = "Microsoft ID,Company name,Primary domain name,Created at\n\
                dddddddd-0000-4000-8000-000000000001,Time One Ltd,timeone.onmicrosoft.com,2026-05-01\n\
                dddddddd-0000-4000-8000-000000000002,Time Two Ltd,timetwo.onmicrosoft.com,2026-05-01 10:00:00\n\
                dddddddd-0000-4000-8000-000000000003,Time Three Ltd,timethree.onmicrosoft.com,2026-05-01T12:00:00+02:00\n\
                dddddddd-0000-4000-8000-000000000004,Time Four Ltd,timefour.onmicrosoft.com,2026-05-01T10:00:00Z\n";
    let report = import(&db.store, List::Customers, text, false).unwrap();
    assert!(report.problems.shown.is_empty(), "{:?}", report.problems);
    let times: Vec<String> = db
        .store
        .conn()
        .prepare(
            "SELECT created_at FROM customers WHERE tenant_id LIKE 'dddddddd-%' ORDER BY tenant_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        times,
        [
            "2026-05-01T00:00:00Z",
            "2026-05-01T10:00:00Z",
            "2026-05-01T10:00:00Z",
            "2026-05-01T10:00:00Z"
        ]
    );
}

/// A row whose offer the catalog doesn't know still has its other cells checked: every problem
/// of the row is said at once, not only the offer's.
#[test]
fn a_row_with_an_unknown_offer_reports_its_other_problems_too() {
    let mut db = TestDb::default_demo();
    acting(&mut db, OPERATOR);
    let domain: String = db
        .store
        .conn()
        .query_row(
            "SELECT domain FROM customers ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = shape(db.store.conn());
    let text = format!(
        "Subscription ID,Subscription,Quantity,Status,Customer,Reseller,Auto renew\n\
         bbbbbbbb-0000-4000-8000-000000000009,No Such Offer Plan 9,many,Sleeping,{domain},Nobody Resells Ltd,perhaps\n"
    );
    let report = import(&db.store, List::Subscriptions, &text, false).unwrap();
    let columns: Vec<&str> = report
        .problems
        .shown
        .iter()
        .filter_map(|p| p.column)
        .collect();
    for column in [
        "Subscription",
        "Quantity",
        "Status",
        "Reseller",
        "Auto renew",
    ] {
        assert!(
            columns.contains(&column),
            "no problem said for {column}: {:?}",
            report.problems.shown
        );
    }
    assert_eq!(report.problems.invalid_rows, 1);
    assert_eq!(shape(db.store.conn()), before);
}
