//! The row counts kept in the write transaction (migration 0011, `store::counters`): the whole
//! lists' titles read them instead of counting, so they must stay equal to a real count after
//! every kind of write — the demo's bulk insert, a new customer, a partnership removed or
//! accepted, an import, a sync marking rows removed and back — and after a schema-7 book is
//! migrated. Each test compares every kept count with the SQL it stands for.

mod common;
mod fake_partner_center;

use common::orders::new_customer;
use common::{OPERATOR, TestDb, now};
use fake_partner_center::{FakePartnerCenter, customer};
use rusqlite::Connection;
use twotier::domain::ids::{Country, Email, PartnerId};
use twotier::domain::invitation::Delivery;
use twotier::store::counters::{self, NAMES};
use twotier::store::import::{List, Options};
use twotier::store::invitations::Acceptance;
use twotier::store::list::{Anchor, CustomerRow, Filter, PageRequest, ResellerRow, fetch_page};
use twotier::store::{SCHEMA_VERSION, Store};

/// Every kept count beside a real count of what it stands for.
fn assert_counts_right(conn: &Connection, when: &str) {
    for name in NAMES {
        let kept = counters::kept_count(conn, name).unwrap();
        let sql = counters::counting_sql(name).unwrap();
        let counted: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap();
        assert_eq!(kept, Some(counted as u64), "{name} {when}");
    }
}

fn acting(db: &mut TestDb) {
    let operator = db.store.resolve_operator(OPERATOR).unwrap();
    db.store.act_as(operator);
}

fn total<R: twotier::store::list::Listed>(conn: &Connection, filter: Filter) -> u64 {
    let req = PageRequest {
        filter,
        anchor: Anchor::First,
        limit: 10,
    };
    fetch_page::<R>(conn, &req).unwrap().total.unwrap()
}

#[test]
fn the_demo_bulk_insert_keeps_every_count() {
    let db = TestDb::demo(40, 300, 900);
    assert_counts_right(db.store.conn(), "after the demo");
    let customers = counters::kept_count(db.store.conn(), "customers").unwrap();
    assert_eq!(customers, Some(300));
}

#[test]
fn whole_lists_read_the_kept_count_and_narrowed_ones_count() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    // A kept count no real count could give: the list's title must say it.
    conn.execute(
        "UPDATE row_counts SET value = 424242 WHERE name = 'customers'",
        [],
    )
    .unwrap();
    assert_eq!(total::<CustomerRow>(conn, Filter::default()), 424242);
    let narrowed = Filter {
        reseller_id: Some(1),
        ..Filter::default()
    };
    let counted: i64 = conn
        .query_row(
            "SELECT count(*) FROM customers WHERE reseller_id = 1 AND removed_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(total::<CustomerRow>(conn, narrowed), counted as u64);
    let searching = Filter {
        search: "zzzq".into(),
        ..Filter::default()
    };
    assert_eq!(total::<CustomerRow>(conn, searching), 0);
    conn.execute(
        "UPDATE row_counts SET value = 4242 WHERE name = 'resellers_all'",
        [],
    )
    .unwrap();
    let with_removed = Filter {
        include_removed: true,
        ..Filter::default()
    };
    assert_eq!(total::<ResellerRow>(conn, with_removed), 4242);
}

#[test]
fn console_writes_keep_every_count() {
    let mut db = TestDb::default_demo();
    acting(&mut db);
    let c = new_customer(db.store.conn());
    db.store.create_customer(&c, now()).unwrap();
    assert_counts_right(db.store.conn(), "after a new customer");

    let active: i64 = db
        .store
        .conn()
        .query_row(
            "SELECT id FROM resellers WHERE state = 'active' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    db.store.remove_partnership(active, now()).unwrap();
    assert_counts_right(db.store.conn(), "after a partnership removed");

    let draft = db
        .store
        .prepare_invitation(&Email::parse("partners@contoso.example").unwrap())
        .unwrap();
    db.store
        .record_invitation(&draft, Delivery::CopiedToClipboard, now())
        .unwrap();
    let acceptance = Acceptance {
        name: "Contoso Partners".into(),
        partner_id: PartnerId::parse("7654321").unwrap(),
        country: Country::parse("US").unwrap(),
        tenant_id: None,
    };
    db.store
        .accept_invitation(&draft.token, &acceptance, now())
        .unwrap();
    assert_counts_right(db.store.conn(), "after an acceptance");
}

#[test]
fn imports_keep_every_count_and_a_refused_one_changes_none() {
    let mut db = TestDb::default_demo();
    acting(&mut db);
    let import = |store: &Store, list: List, text: &str| {
        store.import_csv(
            text.as_bytes(),
            Options {
                list,
                source: "test.csv".into(),
                dry_run: false,
                at: now(),
                customer: None,
                progress: &mut |_, _| {},
            },
        )
    };
    let customers = "Microsoft ID,Company name,Primary domain name\n\
                     dddddddd-0000-4000-8000-000000000001,Count One Ltd,countone.onmicrosoft.com\n\
                     dddddddd-0000-4000-8000-000000000002,Count Two Ltd,counttwo.onmicrosoft.com\n";
    let report = import(&db.store, List::Customers, customers).unwrap();
    assert_eq!(report.added, 2);
    assert_counts_right(db.store.conn(), "after a customer import");

    let resellers = "Name,PartnerID,Status\nAdatum IT Services,5139005,Removed\n";
    import(&db.store, List::Resellers, resellers).unwrap();
    assert_counts_right(db.store.conn(), "after a reseller import");

    // A bad row rolls the whole import back, counts with it.
    let before = counters::kept_count(db.store.conn(), "customers").unwrap();
    let bad = "Microsoft ID,Company name,Primary domain name\n\
               dddddddd-0000-4000-8000-000000000003,Count Three Ltd,countthree.onmicrosoft.com\n\
               not-a-guid,Broken Ltd,broken.onmicrosoft.com\n";
    assert!(import(&db.store, List::Customers, bad).is_err_or_has_problems());
    assert_eq!(
        counters::kept_count(db.store.conn(), "customers").unwrap(),
        before
    );
    assert_counts_right(db.store.conn(), "after a refused import");
}

/// An import either fails or reports problems and writes nothing.
trait Refused {
    fn is_err_or_has_problems(&self) -> bool;
}

impl<E> Refused for Result<twotier::store::import::Report, E> {
    fn is_err_or_has_problems(&self) -> bool {
        match self {
            Err(_) => true,
            Ok(report) => !report.written,
        }
    }
}

#[tokio::test]
async fn a_sync_marking_rows_removed_and_back_keeps_every_count() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(120);
    let db = TestDb::empty();
    let client = fake.test_client(true, 100_000);
    let options = twotier::sync::Options {
        page_size: 50,
        full: true,
    };
    let sync = async || {
        twotier::sync::pull_with(&db.store, &client, &options, &mut |_| {})
            .await
            .unwrap()
    };
    sync().await;
    assert_counts_right(db.store.conn(), "after a first pull");

    fake.with(|s| {
        s.customers.remove(7);
        s.resellers.retain(|r| r["name"] != "ReleCloud");
    });
    sync().await;
    assert_counts_right(db.store.conn(), "after a pull marking rows removed");
    let present: i64 = db
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM customers WHERE removed_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(present, 119);

    fake.with(|s| s.customers.push(customer(7)));
    sync().await;
    assert_counts_right(db.store.conn(), "after a pull listing a customer again");
}

/// A book at schema version 7 (before the kept counts), holding a demo book's rows, some of
/// them removed: migrating fills every count from the rows, and writes keep them after.
#[test]
fn a_schema_7_book_gets_its_counts_by_migration() {
    let source = TestDb::demo(30, 200, 400);
    source
        .store
        .conn()
        .execute_batch(
            "UPDATE customers SET removed_at = '2026-01-01T00:00:00Z' WHERE id % 7 = 0;
             UPDATE resellers SET state = 'removed', removed_at = '2026-01-01T00:00:00Z'
              WHERE id > 20 AND id % 3 = 0 AND state = 'active';",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    common::old_books::schema_7_copy_of(&source.path, &path);
    {
        let conn = Connection::open(&path).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!tables.iter().any(|t| t == "row_counts"));
    }
    let (mut store, _) = Store::open(&path).unwrap();
    let version: i32 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_counts_right(store.conn(), "after migrating a schema-7 book");
    let present = counters::kept_count(store.conn(), "customers").unwrap();
    assert_eq!(present, Some(200 - 200 / 7));

    let operator = store.resolve_operator(OPERATOR).unwrap();
    store.act_as(operator);
    let c = new_customer(store.conn());
    store.create_customer(&c, now()).unwrap();
    assert_counts_right(store.conn(), "after a write to the migrated book");
}
