//! Search anywhere in a name, on a real book: case- and accent-insensitive, over every searched
//! field, with the index following every write, and a book of schema 7 upgraded by 0008.

mod common;

use common::{OPERATOR, TestDb, now};
use twotier::store::Store;
use twotier::store::import::{List, Options};
use twotier::store::invitations::InvitationRow;
use twotier::store::list::{
    Anchor, CustomerRow, Filter, Listed, Page, PageRequest, ResellerRow, fetch_page,
};
use twotier::store::operators::Operator;
use twotier::store::search::{self, SearchPath};

fn find<R: Listed>(db: &TestDb, search: &str) -> Page<R> {
    let req = PageRequest {
        filter: Filter {
            search: search.to_owned(),
            ..Filter::default()
        },
        anchor: Anchor::First,
        limit: 100,
    };
    fetch_page::<R>(db.store.conn(), &req).unwrap()
}

fn customers(db: &TestDb, search: &str) -> Vec<String> {
    find::<CustomerRow>(db, search)
        .rows
        .into_iter()
        .map(|c| c.company_name)
        .collect()
}

fn set_name(db: &TestDb, id: i64, name: &str) {
    db.store
        .conn()
        .execute(
            "UPDATE customers SET company_name = ?1 WHERE id = ?2",
            rusqlite::params![name, id],
        )
        .unwrap();
}

fn with_contoso() -> TestDb {
    let db = TestDb::default_demo();
    set_name(&db, 1, "Contoso Zürich AG");
    db
}

#[test]
fn anywhere_in_the_name_any_case_any_accent() {
    let db = with_contoso();
    for query in [
        "toso",
        "TOSO",
        "zurich",
        "ZÜR",
        "zür",
        "so zu",
        "Contoso Zürich AG",
    ] {
        assert_eq!(customers(&db, query), ["Contoso Zürich AG"], "{query}");
    }
    assert!(customers(&db, "zzzq").is_empty());
    let page = find::<CustomerRow>(&db, "toso");
    assert_eq!(page.total, Some(1));
}

#[test]
fn domain_and_microsoft_id_fragments_are_found() {
    let db = TestDb::default_demo();
    let (name, domain, tenant): (String, String, String) = db
        .store
        .conn()
        .query_row(
            "SELECT company_name, domain, tenant_id FROM customers WHERE id = 7",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    // A piece from the middle of the Microsoft ID, in capitals.
    let fragment = tenant[9..18].to_uppercase();
    assert!(customers(&db, &fragment).contains(&name), "{fragment}");
    let middle = &domain[2..8];
    assert!(customers(&db, middle).contains(&name), "{middle}");
}

#[test]
fn resellers_by_partner_id_fragment_microsoft_id_and_email() {
    let db = TestDb::default_demo();
    // Blue Yonder Solutions: PartnerID 4847383, csp@blueyonder.example.
    let names = |q: &str| -> Vec<String> {
        find::<ResellerRow>(&db, q)
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(names("47383"), ["Blue Yonder Solutions"]);
    assert_eq!(names("@BLUEYONDER"), ["Blue Yonder Solutions"]);
    assert_eq!(names("yonder sol"), ["Blue Yonder Solutions"]);
    db.store
        .conn()
        .execute(
            "UPDATE resellers SET tenant_id = 'aaaa1111-bbbb-4ccc-8ddd-eeeeffff0000' WHERE partner_id = '4847383'",
            [],
        )
        .unwrap();
    assert_eq!(names("4ccc-8d"), ["Blue Yonder Solutions"]);
}

#[test]
fn users_by_upn_and_name_and_invitations_by_email() {
    let db = TestDb::default_demo();
    let users: Vec<String> = find::<Operator>(&db, "o'bri")
        .rows
        .into_iter()
        .map(|o| o.upn)
        .collect();
    assert_eq!(users, ["finn.helpdesk@northwind-distribution.example"]);
    let users = find::<Operator>(&db, "HELPDESK@").rows;
    assert_eq!(users.len(), 1);
    let invitations = find::<InvitationRow>(&db, "").rows;
    if let Some(first) = invitations.first() {
        let part = first.recipient[1..5].to_owned();
        let found = find::<InvitationRow>(&db, &part).rows;
        assert!(found.iter().any(|i| i.id == first.id), "{part}");
    }
}

#[test]
fn one_and_two_letters_match_the_start_along_the_indexes() {
    // More customers start with "a" (name, domain or Microsoft ID) than the count's cap.
    let db = TestDb::demo(12, 8_000, 10);
    let page = find::<CustomerRow>(&db, "A");
    assert_eq!(page.total, Some(1001), "counted up to the cap");
    assert_eq!(page.rows.len(), 100);
    for row in &page.rows {
        let starts = [&row.company_name, &row.domain, &row.tenant_id]
            .iter()
            .any(|t| t.to_lowercase().starts_with('a'));
        assert!(starts, "{row:?}");
    }
    // In display order, like the unsearched list.
    let names: Vec<String> = page
        .rows
        .iter()
        .map(|r| r.company_name.to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let small = with_contoso();
    assert!(customers(&small, "co").contains(&"Contoso Zürich AG".to_owned()));
    assert!(!customers(&small, "to").contains(&"Contoso Zürich AG".to_owned()));
    assert!(customers(&small, "tos").contains(&"Contoso Zürich AG".to_owned()));
}

#[test]
fn many_matches_walk_the_list_and_stay_in_order() {
    // Every demo domain ends in "onmicrosoft.com", so "osof" matches every customer: more
    // trigram matches than are sorted, so the list's own index is walked.
    let db = TestDb::demo(12, search::SPARSE_MATCHES as u32 + 100, 10);
    let path = search::choose(db.store.conn(), Some(search::CUSTOMERS), "osof").unwrap();
    assert!(matches!(path, SearchPath::Dense(_)), "{path:?}");
    let page = find::<CustomerRow>(&db, "osof");
    assert_eq!(page.rows.len(), 100);
    assert_eq!(page.more_after, Some(true));
    assert_eq!(page.total, Some(1001), "counted up to the cap");
    let all = find::<CustomerRow>(&db, "");
    let ids = |p: &Page<CustomerRow>| p.rows.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(&page), ids(&all));
}

#[test]
fn the_index_follows_insert_update_and_removal() {
    let db = with_contoso();
    set_name(&db, 1, "Fabrikam Genève");
    assert!(customers(&db, "toso").is_empty(), "the old name is gone");
    assert_eq!(customers(&db, "geneve"), ["Fabrikam Genève"]);
    db.store
        .conn()
        .execute(
            "UPDATE customers SET domain = 'zqxjkv.example' WHERE id = 1",
            [],
        )
        .unwrap();
    assert_eq!(customers(&db, "QXJK"), ["Fabrikam Genève"]);
    // A customer a sync marks removed leaves the list, and its search.
    db.store
        .conn()
        .execute(
            "UPDATE customers SET removed_at = '2026-11-01T00:00:00Z' WHERE id = 1",
            [],
        )
        .unwrap();
    assert!(customers(&db, "geneve").is_empty());
    // A deleted row leaves the index (nothing deletes customers today; the trigger is there).
    let conn = db.store.conn();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DELETE FROM customers WHERE id = 1; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM customer_trigrams('\"geneve\"')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    let stale: i64 = conn
        .query_row(
            "SELECT count(*) FROM customer_search WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);
}

#[test]
fn imported_customers_are_found() {
    let mut db = TestDb::default_demo();
    let operator = db.store.resolve_operator(OPERATOR).unwrap();
    db.store.act_as(operator);
    let text = "Microsoft ID,Company name,Primary domain name\n\
                484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1,Crème Brûlée Café,cremebrulee.onmicrosoft.com\n";
    db.store
        .import_csv(
            text.as_bytes(),
            Options {
                list: List::Customers,
                source: "test.csv".into(),
                dry_run: false,
                at: now(),
                customer: None,
                progress: &mut |_, _| {},
            },
        )
        .unwrap();
    assert_eq!(customers(&db, "brulee"), ["Crème Brûlée Café"]);
    assert_eq!(customers(&db, "6AE5-4D"), ["Crème Brûlée Café"]);
}

#[test]
fn a_book_of_schema_7_is_indexed_by_its_upgrade() {
    let db = with_contoso();
    let old = db.dir.path().join("v7.db");
    common::old_books::schema_7_copy_of(&db.path, &old);
    let TestDb { dir, store, .. } = db;
    drop(store);
    let path = old;
    let (store, _) = Store::open(&path).unwrap();
    let version: i32 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, twotier::store::SCHEMA_VERSION);
    let db = TestDb { dir, path, store };
    assert_eq!(customers(&db, "zurich"), ["Contoso Zürich AG"]);
    assert_eq!(
        find::<ResellerRow>(&db, "yonder").rows.len(),
        1,
        "resellers indexed too"
    );
}

#[test]
fn fts5_is_compiled_into_the_bundled_sqlite() {
    let db = TestDb::empty();
    let on: bool = db
        .store
        .conn()
        .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(on);
}
