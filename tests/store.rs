//! Store tests on real SQLite files in temp folders.

mod common;

use common::{OPERATOR, TestDb, as_of};
use rusqlite::{Connection, ToSql};
use twotier::store::demo::{self, DemoParams};
use twotier::store::invitations::InvitationRow;
use twotier::store::list::{
    ActivityRow, Anchor, CustomerRow, Filter, Key, Listed, PageRequest, ResellerRow, Sort,
    SortValue, count_sql, count_sql_on, fetch_page, page_sql, page_sql_on, search_index,
};
use twotier::store::operators::Operator;
use twotier::store::renewals::RenewalRow;
use twotier::store::search::{self, SearchPath};
use twotier::store::subscriptions::SubscriptionRow;
use twotier::store::{APPLICATION_ID, OpenError, Opened, SCHEMA_VERSION, Store};

fn scalar<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> T {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_new_database_is_migrated_in_wal_with_foreign_keys() {
    let db = TestDb::empty();
    let conn = db.store.conn();
    assert_eq!(scalar::<i32>(conn, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(scalar::<i32>(conn, "PRAGMA application_id"), APPLICATION_ID);
    assert_eq!(scalar::<String>(conn, "PRAGMA journal_mode"), "wal");
    assert_eq!(scalar::<i32>(conn, "PRAGMA foreign_keys"), 1);
    assert!(scalar::<i64>(conn, "PRAGMA busy_timeout") >= 1000);
    // The schema covers the whole mission.
    for table in [
        "provider",
        "operators",
        "resellers",
        "invitations",
        "customers",
        "offers",
        "offer_upgrades",
        "orders",
        "order_line_items",
        "subscriptions",
        "audit_log",
    ] {
        let n: i64 = scalar(
            conn,
            &format!("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='{table}'"),
        );
        assert_eq!(n, 1, "table {table} is missing");
    }
}

#[test]
fn reopening_a_seeded_database_is_existing_and_keeps_its_data() {
    let db = TestDb::default_demo();
    let path = db.path.clone();
    db.store.close().unwrap();
    let (store, opened) = Store::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(
        scalar::<i64>(store.conn(), "SELECT count(*) FROM customers"),
        60
    );
}

#[test]
fn the_default_demo_has_the_promised_shape() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    assert_eq!(scalar::<i64>(conn, "SELECT count(*) FROM resellers"), 12);
    assert_eq!(scalar::<i64>(conn, "SELECT count(*) FROM customers"), 60);
    assert_eq!(
        scalar::<i64>(conn, "SELECT count(*) FROM subscriptions"),
        150
    );
    // Mixed states: active, active with a compliance warning, removed.
    assert_eq!(
        scalar::<i64>(
            conn,
            "SELECT count(*) FROM resellers WHERE state = 'removed'"
        ),
        1
    );
    assert!(
        scalar::<i64>(
            conn,
            "SELECT count(*) FROM resellers WHERE state='active' AND (mpa_signed=0 OR por_valid=0)"
        ) >= 2
    );
    // Every offer of the catalog, with its rules and upgrade paths.
    assert!(scalar::<i64>(conn, "SELECT count(*) FROM offers") >= 12);
    assert!(scalar::<i64>(conn, "SELECT count(*) FROM offer_upgrades") >= 8);
    let basic: (i64, i64, String) = conn
        .query_row("SELECT min_quantity, max_quantity, terms FROM offers WHERE name = 'Microsoft 365 Business Basic'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(basic, (1, 300, "P1M,P1Y,P3Y".to_owned()));
    // Subscriptions respect their offer's quantity limits and credit active resellers only.
    assert_eq!(
        scalar::<i64>(
            conn,
            "SELECT count(*) FROM subscriptions s JOIN offers o ON o.id = s.offer_id
                             WHERE s.quantity NOT BETWEEN o.min_quantity AND o.max_quantity"
        ),
        0
    );
    assert_eq!(
        scalar::<i64>(
            conn,
            "SELECT count(*) FROM subscriptions s JOIN resellers r ON r.id = s.reseller_id WHERE r.state <> 'active'"
        ),
        0
    );
    // One operator per role, plus the person who ran it as a Global admin.
    assert_eq!(
        scalar::<i64>(conn, "SELECT count(DISTINCT role) FROM operators"),
        6
    );
    assert_eq!(db.operator().role, twotier::domain::role::Role::GlobalAdmin);
    // Nothing dangling.
    let mut check = conn.prepare("PRAGMA foreign_key_check").unwrap();
    assert!(
        check.query([]).unwrap().next().unwrap().is_none(),
        "dangling foreign keys"
    );
}

fn dump(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
        .unwrap();
    let columns = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..columns)
            .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
            .collect::<Vec<_>>()
            .join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn demo_data_is_deterministic_for_a_seed_and_differs_across_seeds() {
    let a = TestDb::demo(30, 200, 500);
    let b = TestDb::demo(30, 200, 500);
    for table in [
        "resellers",
        "customers",
        "subscriptions",
        "orders",
        "order_line_items",
        "invitations",
        "operators",
    ] {
        assert_eq!(
            dump(a.store.conn(), table),
            dump(b.store.conn(), table),
            "{table} differs"
        );
    }
    let c = TestDb::empty();
    let params = DemoParams {
        resellers: 30,
        customers: 200,
        subscriptions: 500,
        seed: 7,
        as_of: as_of(),
    };
    demo::seed(&c.store, &params, OPERATOR).unwrap();
    assert_ne!(
        dump(a.store.conn(), "customers"),
        dump(c.store.conn(), "customers")
    );
}

#[test]
fn demo_scales_past_the_named_resellers_with_unique_ids() {
    let db = TestDb::demo(300, 1000, 3000);
    let conn = db.store.conn();
    assert_eq!(
        scalar::<i64>(conn, "SELECT count(DISTINCT partner_id) FROM resellers"),
        300
    );
    assert_eq!(
        scalar::<i64>(conn, "SELECT count(DISTINCT domain) FROM customers"),
        1000
    );
    assert_eq!(
        scalar::<i64>(conn, "SELECT count(*) FROM subscriptions"),
        3000
    );
    let provider: String = scalar(conn, "SELECT partner_id FROM provider");
    assert_eq!(
        scalar::<i64>(
            conn,
            &format!("SELECT count(*) FROM resellers WHERE partner_id = '{provider}'")
        ),
        0
    );
}

/// Walks a whole list page by page, forward, and returns the ids.
fn walk_forward<R: Listed>(conn: &Connection, filter: &Filter, limit: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut anchor = Anchor::First;
    loop {
        let page = fetch_page::<R>(
            conn,
            &PageRequest {
                filter: filter.clone(),
                anchor,
                limit,
            },
        )
        .unwrap();
        ids.extend(page.rows.iter().map(|r| r.key().id));
        match (page.more_after, page.rows.last()) {
            (Some(true), Some(last)) => anchor = Anchor::After(last.key()),
            _ => return ids,
        }
    }
}

fn walk_backward<R: Listed>(conn: &Connection, filter: &Filter, limit: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut anchor = Anchor::Last;
    loop {
        let page = fetch_page::<R>(
            conn,
            &PageRequest {
                filter: filter.clone(),
                anchor,
                limit,
            },
        )
        .unwrap();
        for r in page.rows.iter().rev() {
            ids.push(r.key().id);
        }
        match (page.more_before, page.rows.first()) {
            (Some(true), Some(first)) => anchor = Anchor::Before(first.key()),
            _ => {
                ids.reverse();
                return ids;
            }
        }
    }
}

#[test]
fn keyset_pages_walk_every_row_once_in_order_both_ways() {
    let db = TestDb::demo(40, 500, 600);
    let conn = db.store.conn();
    let expected: Vec<i64> = conn
        .prepare("SELECT id FROM customers ORDER BY company_name COLLATE NOCASE, id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let filter = Filter::default();
    assert_eq!(walk_forward::<CustomerRow>(conn, &filter, 7), expected);
    assert_eq!(walk_backward::<CustomerRow>(conn, &filter, 7), expected);
    // Newest first for the activity log.
    let activity = walk_forward::<ActivityRow>(conn, &filter, 3);
    let mut sorted = activity.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        activity.len(),
        scalar::<i64>(conn, "SELECT count(*) FROM audit_log") as usize
    );
    assert_eq!(walk_backward::<ActivityRow>(conn, &filter, 3), activity);
    let _ = sorted;
}

#[test]
fn pages_report_counts_and_edges() {
    let db = TestDb::demo(12, 60, 100);
    let req = |anchor| PageRequest {
        filter: Filter::default(),
        anchor,
        limit: 25,
    };
    let first = fetch_page::<CustomerRow>(db.store.conn(), &req(Anchor::First)).unwrap();
    assert_eq!(
        (
            first.rows.len(),
            first.more_before,
            first.more_after,
            first.total
        ),
        (25, Some(false), Some(true), Some(60))
    );
    let last = fetch_page::<CustomerRow>(db.store.conn(), &req(Anchor::Last)).unwrap();
    assert_eq!(
        (
            last.rows.len(),
            last.more_before,
            last.more_after,
            last.total
        ),
        (25, Some(true), Some(false), Some(60))
    );
    let after =
        fetch_page::<CustomerRow>(db.store.conn(), &req(Anchor::After(first.rows[24].key())))
            .unwrap();
    assert_eq!(after.total, None);
    assert_ne!(after.rows[0].id, first.rows[24].id);
}

#[test]
fn search_matches_prefixes_of_name_domain_or_microsoft_id_case_insensitively() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let (name, domain, tenant): (String, String, String) = conn
        .query_row(
            "SELECT company_name, domain, tenant_id FROM customers ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let find = |search: &str| {
        let filter = Filter {
            search: search.to_owned(),
            reseller_id: None,
            ..Filter::default()
        };
        fetch_page::<CustomerRow>(
            conn,
            &PageRequest {
                filter,
                anchor: Anchor::First,
                limit: 100,
            },
        )
        .unwrap()
    };
    let by_name = find(&name[..4].to_uppercase());
    assert!(by_name.rows.iter().any(|r| r.company_name == name));
    assert!(by_name.rows.iter().all(|r| {
        let p = name[..4].to_lowercase();
        r.company_name.to_lowercase().starts_with(&p)
            || r.domain.starts_with(&p)
            || r.tenant_id.starts_with(&p)
    }));
    assert_eq!(by_name.total, Some(by_name.rows.len() as u64));
    assert!(
        find(&domain[..domain.len() - 3])
            .rows
            .iter()
            .any(|r| r.domain == domain)
    );
    assert_eq!(find(&tenant[..13]).rows.len(), 1);
    assert_eq!(find("zzzz-no-such-company").rows.len(), 0);
    // Wildcards are plain text here, not patterns.
    assert_eq!(find("%").rows.len(), 0);
    assert_eq!(find("_").rows.len(), 0);
}

#[test]
fn resellers_list_shows_active_partnerships_with_counts_and_search_by_partner_id() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let all = fetch_page::<ResellerRow>(
        conn,
        &PageRequest {
            filter: Filter::default(),
            anchor: Anchor::First,
            limit: 100,
        },
    )
    .unwrap();
    assert_eq!(all.rows.len(), 11, "the removed reseller leaves the list");
    assert!(all.rows.iter().all(|r| r.name != "Woodgrove Systems"));
    let counted: i64 = all.rows.iter().map(|r| r.customers).sum();
    assert_eq!(
        counted,
        scalar::<i64>(
            conn,
            "SELECT count(*) FROM customers WHERE reseller_id IS NOT NULL"
        )
    );
    let by_id = fetch_page::<ResellerRow>(
        conn,
        &PageRequest {
            filter: Filter {
                search: "48473".into(),
                reseller_id: None,
                ..Filter::default()
            },
            anchor: Anchor::First,
            limit: 10,
        },
    )
    .unwrap();
    assert_eq!(
        by_id
            .rows
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["Blue Yonder Solutions"]
    );
    assert!(all.rows.iter().any(|r| r.compliance_warning().is_some()));
}

#[test]
fn customers_can_be_filtered_by_reseller() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let reseller: i64 = scalar(
        conn,
        "SELECT reseller_id FROM customers WHERE reseller_id IS NOT NULL LIMIT 1",
    );
    let filter = Filter {
        search: String::new(),
        reseller_id: Some(reseller),
        ..Filter::default()
    };
    let ids = walk_forward::<CustomerRow>(conn, &filter, 2);
    let expected: i64 = scalar(
        conn,
        &format!("SELECT count(*) FROM customers WHERE reseller_id = {reseller}"),
    );
    assert_eq!(ids.len() as i64, expected);
}

/// Every list query, in every shape the UI sends, must walk an index: never a full table scan,
/// and never a sort of the whole table when there is no search.
#[test]
fn every_list_query_uses_an_index() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let mut filters = vec![
        Filter::default(),
        Filter {
            search: "ab".into(),
            ..Filter::default()
        },
        Filter {
            reseller_id: Some(3),
            ..Filter::default()
        },
        Filter {
            search: "ab".into(),
            reseller_id: Some(3),
            ..Filter::default()
        },
        // Three letters or more: the trigram index (sparse) or the walk (dense).
        Filter {
            search: "toso".into(),
            ..Filter::default()
        },
        Filter {
            search: "zür".into(),
            reseller_id: Some(3),
            ..Filter::default()
        },
        Filter {
            customer_id: Some(3),
            ..Filter::default()
        },
        Filter {
            column_prefixes: vec![(0, "ava".into()), (1, "Operator".into())],
            ..Filter::default()
        },
    ];
    // Every sort of the Indirect resellers list, with and without removed partnerships.
    for sort in [Sort::Name, Sort::PartnerId, Sort::Since] {
        for include_removed in [false, true] {
            filters.push(Filter {
                sort,
                include_removed,
                ..Filter::default()
            });
        }
    }
    let mut checked = 0;
    for filter in &filters {
        // Keys of the sort column's own type.
        let text_key = Key {
            sort: "M".into(),
            id: 5,
        };
        let int_key = Key {
            sort: SortValue::Integer(5),
            id: 5,
        };
        for (anchor_index, key) in [text_key, int_key].into_iter().enumerate() {
            let anchors = [
                Anchor::First,
                Anchor::Last,
                Anchor::After(key.clone()),
                Anchor::Before(key),
            ];
            for anchor in anchors {
                let req = PageRequest {
                    filter: filter.clone(),
                    anchor,
                    limit: 100,
                };
                if anchor_index == 0 && !filter.search.is_empty() {
                    // Both paths of a 3+ letter search, whichever the count would choose.
                    let path = search::path_for(Some(search::CUSTOMERS), &filter.search);
                    let sparse = match &path {
                        SearchPath::Dense(q) => Some(SearchPath::Sparse(q.clone())),
                        _ => None,
                    };
                    for path in std::iter::once(path).chain(sparse) {
                        for spec in [
                            ResellerRow::spec(filter),
                            CustomerRow::spec(filter),
                            Operator::spec(filter),
                            InvitationRow::spec(filter),
                        ] {
                            checked += check_plan(conn, page_sql_on(&spec, &req, &path), filter);
                            checked += check_plan(conn, count_sql_on(&spec, filter, &path), filter);
                        }
                    }
                }
                if anchor_index == 0 {
                    checked += check_plan(conn, page_sql(&ResellerRow::spec(filter), &req), filter);
                    checked += check_plan(conn, page_sql(&CustomerRow::spec(filter), &req), filter);
                    checked += check_plan(conn, page_sql(&ActivityRow::spec(filter), &req), filter);
                    checked += check_plan(conn, page_sql(&Operator::spec(filter), &req), filter);
                    checked +=
                        check_plan(conn, page_sql(&InvitationRow::spec(filter), &req), filter);
                } else if filter.customer_id.is_some() {
                    checked +=
                        check_plan(conn, page_sql(&SubscriptionRow::spec(filter), &req), filter);
                }
            }
        }
        for spec in [
            ResellerRow::spec(filter),
            CustomerRow::spec(filter),
            ActivityRow::spec(filter),
            InvitationRow::spec(filter),
        ] {
            checked += check_plan(conn, count_sql(&spec, filter), filter);
            if let Some(index) = search_index(&spec) {
                let sql = search::match_count_sql(index);
                let phrase: Vec<Box<dyn ToSql>> = vec![Box::new(search::phrase("toso"))];
                checked += check_plan(conn, (sql, phrase), filter);
            }
        }
    }
    assert!(checked >= 250, "{checked}");
}

/// Renewals walks its partial indexes (migration 0009) for every anchor, with and without the
/// reseller filter, and counts along them: no scan, no sort of the window.
#[test]
fn renewals_queries_walk_their_partial_indexes() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let last_day = twotier::domain::renewal::ends_by(as_of(), 90);
    let key = Key {
        sort: "2026-11-20".into(),
        id: 5,
    };
    let mut checked = 0;
    for reseller in [None, Some(3)] {
        let filter = twotier::store::renewals::filter(last_day.clone(), reseller);
        let spec = RenewalRow::spec(&filter);
        let index = if reseller.is_some() {
            "subscriptions_renewing_by_reseller"
        } else {
            "subscriptions_renewing "
        };
        let anchors = [
            Anchor::First,
            Anchor::Last,
            Anchor::After(key.clone()),
            Anchor::Before(key.clone()),
            Anchor::From(key.clone()),
        ];
        for anchor in anchors {
            let req = PageRequest {
                filter: filter.clone(),
                anchor,
                limit: 100,
            };
            let sql = page_sql(&spec, &req);
            assert!(
                plan_of(conn, &sql).contains(index),
                "{}",
                plan_of(conn, &sql)
            );
            checked += check_plan(conn, sql, &filter);
        }
        let count = count_sql(&spec, &filter);
        assert!(
            plan_of(conn, &count).contains(index),
            "{}",
            plan_of(conn, &count)
        );
        checked += check_plan(conn, count, &filter);
    }
    assert_eq!(checked, 12);
}

fn plan_of(conn: &Connection, (sql, params): &(String, Vec<Box<dyn ToSql>>)) -> String {
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let lines: Vec<String> = stmt
        .query_map(refs.as_slice(), |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    lines.join("\n") + "\n"
}

fn check_plan(
    conn: &Connection,
    (sql, params): (String, Vec<Box<dyn ToSql>>),
    filter: &Filter,
) -> usize {
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let plan: Vec<(i64, String)> = stmt
        .query_map(refs.as_slice(), |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, String>(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // A list's first rows (a one- or two-letter search) are a co-routine walked along an
    // index: scanning its rows is not scanning a table.
    let coroutines: Vec<String> = plan
        .iter()
        .filter_map(|(_, l)| l.strip_prefix("CO-ROUTINE ").map(|n| format!("SCAN {n}")))
        .collect();
    for (parent, line) in &plan {
        // Scanning a subquery's own rows is not scanning a table, nor is a virtual table's
        // lookup with a constraint (the trigram index's MATCH).
        let constrained_virtual = line
            .split_once("VIRTUAL TABLE INDEX ")
            .is_some_and(|(_, index)| index.split_once(':').is_some_and(|(_, s)| !s.is_empty()));
        let full_scan = line.starts_with("SCAN ")
            && !line.contains("USING")
            && !line.contains("subquery")
            && !constrained_virtual
            && !coroutines.contains(line);
        assert!(!full_scan, "full table scan in\n{sql}\nplan: {plan:#?}");
        // The outer query sorts only the page its subquery chose (parent 0); a sort inside the
        // subquery would be a sort of the whole table.
        if filter.search.is_empty()
            && filter.column_prefixes.is_empty()
            && !sql.starts_with("SELECT count")
            && *parent != 0
        {
            assert!(
                !line.contains("TEMP B-TREE"),
                "whole-table sort in\n{sql}\nplan: {plan:#?}"
            );
        }
    }
    1
}

#[test]
fn hostile_names_come_out_of_the_store_sanitised() {
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute(
            "UPDATE customers SET company_name = ?1 WHERE id = 1",
            ["\u{1b}]0;pwned\u{7}Evil\u{202e}Corp\r\u{200b}"],
        )
        .unwrap();
    let page = fetch_page::<CustomerRow>(
        db.store.conn(),
        &PageRequest {
            filter: Filter {
                search: "\u{1b}]0".into(),
                ..Filter::default()
            },
            anchor: Anchor::First,
            limit: 5,
        },
    )
    .unwrap();
    assert_eq!(page.rows.len(), 1);
    let name = &page.rows[0].company_name;
    assert!(
        name.chars()
            .all(|c| !c.is_control() && c != '\u{202e}' && c != '\u{200b}'),
        "{name:?}"
    );
    assert!(name.contains("Evil") && name.contains("Corp"));
}

#[test]
fn the_activity_log_is_append_only() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let before: i64 = scalar(conn, "SELECT count(*) FROM audit_log");
    assert!(before > 0);
    let update = conn
        .execute("UPDATE audit_log SET action = 'forged'", [])
        .unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = conn.execute("DELETE FROM audit_log", []).unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
    assert_eq!(
        scalar::<i64>(conn, "SELECT count(*) FROM audit_log"),
        before
    );
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let db = TestDb::default_demo();
    let customers: i64 = scalar(db.store.conn(), "SELECT count(*) FROM customers");
    let result = db.store.mutate(|tx, _| {
        tx.execute(
            "INSERT INTO audit_log (at, operator, action, target) VALUES ('2026-01-01T00:00:00Z', 'x', 'half', 'done')",
            [],
        )?;
        // A foreign key that points nowhere fails the whole transaction.
        tx.execute(
            "INSERT INTO subscriptions (subscription_id, customer_id, offer_id, quantity, status, term, billing_cycle,
                                        created_at, term_started_at, commitment_end_date)
             VALUES ('x', 999999, 'CFQ7TTC0LH18', 1, 'active', 'P1M', 'monthly', 'a', 'b', 'c')",
            [],
        )?;
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(
        scalar::<i64>(
            db.store.conn(),
            "SELECT count(*) FROM audit_log WHERE action = 'half'"
        ),
        0
    );
    assert_eq!(
        scalar::<i64>(db.store.conn(), "SELECT count(*) FROM customers"),
        customers
    );
}

fn refused(path: &std::path::Path) -> OpenError {
    match Store::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e,
    }
}

#[test]
fn files_that_are_not_ours_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "hello, this is not a database\n").unwrap();
    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for (path, expect) in [(&text, "not an SQLite file"), (&foreign, "another program")] {
        let bytes = std::fs::read(path).unwrap();
        let err = refused(path).to_string();
        assert!(
            err.contains(expect) && err.contains(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(
            std::fs::read(path).unwrap(),
            bytes,
            "{} was modified",
            path.display()
        );
    }
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let db = TestDb::default_demo();
    let path = db.path.clone();
    db.store
        .conn()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    db.store.close().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let err = refused(&path);
    assert!(
        matches!(err, OpenError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer"));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::default_demo();
    let path = db.path.clone();
    db.store.close().unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(matches!(refused(&path), OpenError::ReadOnly(_)));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/new.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"").unwrap();
    let (_, opened) = Store::open(&path).unwrap();
    assert_eq!(opened, Opened::Created);
    let missing = dir.path().join("a/b/c.db");
    let (_, opened) = Store::open(&missing).unwrap();
    assert_eq!(opened, Opened::Created, "folders are created");
}

#[test]
fn unknown_and_disabled_operators_are_refused_with_advice() {
    let db = TestDb::default_demo();
    let err = db
        .store
        .resolve_operator("nobody@example.com")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("nobody@example.com")
            && err.contains("--operator")
            && err.contains("users add"),
        "{err}"
    );
    // Who else is known is not told to whoever typed a name.
    for known in ["ava.global@", "ben.users@", OPERATOR] {
        assert!(!err.contains(known), "{err}");
    }
    db.store
        .conn()
        .execute(
            "UPDATE operators SET disabled = 1 WHERE upn = ?1",
            [OPERATOR],
        )
        .unwrap();
    let err = db.store.resolve_operator(OPERATOR).unwrap_err().to_string();
    assert!(err.contains("disabled"), "{err}");
}

#[test]
fn demo_ids_are_valid_guids() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    for sql in [
        "SELECT tenant_id FROM customers",
        "SELECT tenant_id FROM resellers",
        "SELECT subscription_id FROM subscriptions",
        "SELECT order_id FROM orders",
    ] {
        let ids: Vec<String> = conn
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!ids.is_empty());
        for id in ids {
            let parsed =
                twotier::domain::ids::TenantId::parse(&id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(parsed.as_str(), id);
            assert!(["4", "7"].contains(&&id[14..15]), "version 4 or 7: {id}");
        }
    }
}

/// Leaving out the customers a sync marked removed must not make counting the rest read every
/// row: the count walks the partial index of present customers.
#[test]
fn counting_present_customers_walks_their_partial_index() {
    let db = TestDb::empty();
    let conn = db.store.conn();
    let filter = Filter::default();
    let (sql, _) = count_sql(&CustomerRow::spec(&filter), &filter);
    let plan: Vec<String> = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter().any(|l| l.contains("customers_present")),
        "{sql}\n{plan:#?}"
    );
}

/// The whole lists' title counts are one row of `row_counts` (kept by triggers, migration
/// 0011), found by its primary key: no count walks an index on a list load.
#[test]
fn kept_counts_are_read_by_primary_key() {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    for name in twotier::store::counters::NAMES {
        assert!(
            twotier::store::counters::kept_count(conn, name)
                .unwrap()
                .is_some()
        );
    }
    let plan: Vec<String> = conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            twotier::store::counters::KEPT_COUNT_SQL
        ))
        .unwrap()
        .query_map(["customers"], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .all(|l| l.starts_with("SEARCH row_counts USING PRIMARY KEY")),
        "{plan:#?}"
    );
}
