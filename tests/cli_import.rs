//! `twotier import` on the built binary: the round trip (export every list of a demo book,
//! import them into a fresh `init` book of the same provider, the `--json` listings are equal),
//! Partner Center's column sets, headers in any case and order with a byte order mark, unknown
//! columns listed, every bad row named by line and column with the book left byte for byte as it
//! was, at most 50 problems then a count, dry runs, re-imports that change nothing, and a changed
//! row's activity entry with before → after.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::process::{assert_success, describe, stderr, stdout};
use common::sandbox::{Sandbox, json_array, json_of, run_on};

/// The demo's provider (assets/demo.toml), for a fresh book of the same provider.
const PROVIDER: [&str; 8] = [
    "--company",
    "Northwind Cloud Distribution",
    "--partner-id",
    "4120357",
    "--tenant-id",
    "9a3c1f52-7d4e-4b8a-9c21-5e6f7a8b9c0d",
    "--country",
    "US",
];
const ADMIN: &str = "ava@northwind.example";
const DEMO_OPERATOR: &str = "tester";

struct Books {
    sandbox: Sandbox,
    demo: PathBuf,
    own: PathBuf,
}

impl Books {
    /// A small demo book, and an empty book of the same provider beside it.
    fn new() -> Books {
        let sandbox = Sandbox::new();
        let demo = sandbox.file("demo.db");
        let own = sandbox.file("own.db");
        assert_success(&run_on(
            &sandbox,
            &demo,
            &["--operator", DEMO_OPERATOR, "demo", "--as-of", "2026-11-01"],
        ));
        let mut init = vec!["init"];
        init.extend(PROVIDER);
        init.extend(["--admin", ADMIN]);
        assert_success(&run_on(&sandbox, &own, &init));
        Books { sandbox, demo, own }
    }

    /// `twotier --db DEMO export WHAT --format csv --out WHAT.csv`; its path.
    fn export(&self, what: &str) -> PathBuf {
        let file = self.sandbox.file(&format!("{what}.csv"));
        let out = run_on(
            &self.sandbox,
            &self.demo,
            &[
                "--operator",
                DEMO_OPERATOR,
                "export",
                what,
                "--format",
                "csv",
                "--out",
                name(&file),
            ],
        );
        assert_success(&out);
        file
    }

    /// A file in the work folder with this text.
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.sandbox.file(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `twotier --db OWN --operator ADMIN import ARGS…`.
    fn import(&self, args: &[&str]) -> Output {
        let mut all = vec!["--operator", ADMIN, "import"];
        all.extend_from_slice(args);
        run_on(&self.sandbox, &self.own, &all)
    }

    fn import_ok(&self, what: &str, file: &Path) -> String {
        let out = self.import(&[what, name(file)]);
        assert_success(&out);
        stdout(&out)
    }

    fn listing(&self, db: &Path, what: &str) -> serde_json::Value {
        let operator = if db == self.demo {
            DEMO_OPERATOR
        } else {
            ADMIN
        };
        let mut args = vec!["--operator", operator, what, "list", "--json"];
        if what == "resellers" {
            args.push("--all");
        }
        json_of(&self.sandbox, db, &args)
    }

    fn count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(&self.own).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The own book's bytes (checkpointed first, so the file is the whole book).
    fn own_bytes(&self) -> Vec<u8> {
        let conn = rusqlite::Connection::open(&self.own).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        drop(conn);
        std::fs::read(&self.own).unwrap()
    }

    /// Exports and imports every list: the own book then holds the demo's.
    fn import_everything(&self) {
        for what in ["resellers", "customers", "subscriptions"] {
            let file = self.export(what);
            self.import_ok(what, &file);
        }
    }
}

/// A file of the work folder as the commands are given it (they run there): its name.
fn name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

#[track_caller]
fn assert_exit_1(out: &Output) {
    assert_eq!(out.status.code(), Some(1), "{}", describe(out));
}

#[test]
fn exported_lists_import_into_a_fresh_book_as_the_same_listings() {
    let books = Books::new();
    for what in ["resellers", "customers", "subscriptions"] {
        let file = books.export(what);
        let said = books.import_ok(what, &file);
        assert!(
            said.starts_with("Imported ") && said.contains(" added, 0 updated, 0 unchanged"),
            "{said}"
        );
    }
    for what in ["resellers", "customers", "subscriptions"] {
        let demo = books.listing(&books.demo, what);
        let own = books.listing(&books.own, what);
        assert!(
            !json_array(&demo).is_empty(),
            "{what}: the demo lists nothing"
        );
        assert_eq!(demo, own, "{what}: the listings differ");
    }
    // Lossless: the new book exports the same files, every column (the phones' `'+1…` formula
    // guard included).
    for what in ["resellers", "customers", "subscriptions"] {
        let again = run_on(
            &books.sandbox,
            &books.own,
            &["--operator", ADMIN, "export", what, "--format", "csv"],
        );
        assert_success(&again);
        let first = std::fs::read_to_string(books.sandbox.file(&format!("{what}.csv"))).unwrap();
        assert_eq!(stdout(&again), first, "{what}: the exports differ");
    }
    assert!(
        std::fs::read_to_string(books.sandbox.file("customers.csv"))
            .unwrap()
            .contains(",'+1 555 ")
    );
    // The indexes an import into an empty table sets aside are all back, as they were.
    let schema = |db: &Path| -> Vec<(String, Option<String>)> {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(schema(&books.own), schema(&books.demo));
    // The additions are counted in one summary entry per file, not logged one by one.
    assert_eq!(
        books.count("SELECT count(*) FROM audit_log WHERE action = 'Import'"),
        3
    );
    assert_eq!(
        books.count("SELECT count(*) FROM audit_log WHERE action LIKE '%updated by import'"),
        0
    );
}

#[test]
fn importing_the_same_files_again_changes_nothing() {
    let books = Books::new();
    books.import_everything();
    let before = books.own_bytes();
    for what in ["resellers", "customers", "subscriptions"] {
        let file = books.sandbox.file(&format!("{what}.csv"));
        let said = books.import_ok(what, &file);
        assert!(
            said.contains("nothing changed") && said.contains(" unchanged"),
            "{said}"
        );
    }
    assert_eq!(books.own_bytes(), before, "a re-import wrote to the book");
}

#[test]
fn a_changed_row_writes_one_activity_entry_with_before_and_after() {
    let books = Books::new();
    books.import_everything();
    let file = books.sandbox.file("subscriptions.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // The first subscription: its quantity (column 3) one more, its status Suspended.
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    let id = cells[0].clone();
    let quantity: i64 = cells[2].parse().unwrap();
    let was_status = cells[3].clone();
    cells[2] = (quantity + 1).to_string();
    cells[3] = if was_status == "Suspended" {
        "Active".into()
    } else {
        "Suspended".into()
    };
    lines[1] = cells.join(",");
    let changed = books.file("changed.csv", &(lines.join("\r\n") + "\r\n"));
    let said = books.import_ok("subscriptions", &changed);
    assert!(said.contains("0 added, 1 updated, 149 unchanged"), "{said}");
    let activity = json_of(
        &books.sandbox,
        &books.own,
        &[
            "--operator",
            ADMIN,
            "activity",
            "list",
            "--json",
            "--limit",
            "2",
        ],
    );
    let entries = json_array(&activity);
    assert_eq!(entries[0]["action"], "Import");
    assert_eq!(entries[0]["target"], "subscriptions from changed.csv");
    assert_eq!(entries[0]["after"], "0 added, 1 updated, 149 unchanged");
    assert_eq!(entries[1]["action"], "Subscription updated by import");
    assert!(
        entries[1]["target"].as_str().unwrap().contains(&id),
        "{:#}",
        entries[1]
    );
    let status_key = |label: &str| label.to_lowercase();
    assert_eq!(
        entries[1]["before"],
        format!("Quantity: {quantity}; Status: {}", status_key(&was_status))
    );
    assert_eq!(
        entries[1]["after"],
        format!(
            "Quantity: {}; Status: {}",
            quantity + 1,
            status_key(&cells[3])
        )
    );
    let stored = books.count(&format!(
        "SELECT quantity FROM subscriptions WHERE subscription_id = '{id}'"
    ));
    assert_eq!(stored, quantity + 1);
}

#[test]
fn partner_centers_customer_export_imports_with_a_bom_any_case_and_order() {
    let books = Books::new();
    books.import_ok("resellers", &books.export("resellers"));
    // Partner Center's columns, in another order and case, a BOM, an unknown column, CRLF.
    let file = books.file(
        "pc.csv",
        "\u{feff}primary DOMAIN name,Notes,company name,MICROSOFT ID,Relationship,Reseller\r\n\
         contoso.com,first,Contoso Ltd,484E548C-6AE5-4D12-B6A2-3B7AB5C5E2F1,Reseller,Adatum IT Services\r\n\
         fabrikam.onmicrosoft.com,,Fabrikam Inc.,11111111-2222-4333-8444-555555555555,None,\r\n",
    );
    let out = books.import(&["customers", name(&file)]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("2 added, 0 updated, 0 unchanged"),
        "{}",
        describe(&out)
    );
    assert!(
        stderr(&out)
            .contains("pc.csv: ignored a column a customers import does not know: \"Notes\""),
        "{}",
        describe(&out)
    );
    let customers = books.listing(&books.own, "customers");
    let rows = json_array(&customers);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["company_name"], "Contoso Ltd");
    assert_eq!(
        rows[0]["microsoft_id"],
        "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1"
    );
    assert_eq!(rows[0]["primary_domain"], "contoso.com");
    assert_eq!(rows[0]["reseller_partner_id"], "5139005");
    assert_eq!(rows[1]["relationship"], "none");
    assert_eq!(rows[1]["reseller"], serde_json::Value::Null);
    // The book's defaults fill what Partner Center's export does not have.
    assert_eq!(books.count("SELECT count(*) FROM customers WHERE country = 'US' AND culture = 'en-US' AND language = 'en' AND admin_user_name = 'admin@' || domain"), 2);

    // The unknown column is in the --json report too.
    let out = books.import(&["customers", name(&file), "--json"]);
    assert_success(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["unknown_columns"], serde_json::json!(["Notes"]));
    assert_eq!(report["unchanged"], 2);
    assert_eq!(report["written"], false);
}

#[test]
fn partner_centers_subscription_columns_import_with_the_customer_named() {
    let books = Books::new();
    books.import_ok("resellers", &books.export("resellers"));
    books.import_ok("customers", &books.export("customers"));
    let tenant: String = {
        let conn = rusqlite::Connection::open(&books.own).unwrap();
        conn.query_row(
            "SELECT tenant_id FROM customers ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let file = books.file(
        "pc-subscriptions.csv",
        &format!(
            "Subscription ID,Subscription,Quantity,Status,Reseller,Microsoft ID\n\
             aaaaaaaa-1111-4222-8333-444444444444,Microsoft 365 Business Basic,10,Active,Adatum IT Services,{tenant}\n"
        ),
    );
    let said = books.import_ok("subscriptions", &file);
    assert!(said.contains("1 added"), "{said}");
    let row: (String, i64, String, String, String) = {
        let conn = rusqlite::Connection::open(&books.own).unwrap();
        conn.query_row(
            "SELECT s.offer_id, s.quantity, s.status, r.partner_id, s.term FROM subscriptions s
             JOIN resellers r ON r.id = s.reseller_id WHERE s.subscription_id = 'aaaaaaaa-1111-4222-8333-444444444444'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
    };
    assert_eq!(row.1, 10);
    assert_eq!(row.2, "active");
    assert_eq!(row.3, "5139005");
}

/// Partner Center's export of one customer's subscriptions has no customer column: `--customer`
/// names it for every row (by Microsoft ID or name); without it the file is refused by column.
#[test]
fn one_customers_subscription_export_imports_with_customer_given() {
    let books = Books::new();
    books.import_ok("resellers", &books.export("resellers"));
    books.import_ok("customers", &books.export("customers"));
    let (tenant, company): (String, String) = {
        let conn = rusqlite::Connection::open(&books.own).unwrap();
        conn.query_row(
            "SELECT tenant_id, company_name FROM customers ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let file = books.file(
        "one-customer.csv",
        "Subscription ID,Subscription,Quantity,Status,Reseller\n\
         bbbbbbbb-1111-4222-8333-444444444444,Microsoft 365 Business Basic,3,Active,Adatum IT Services\n\
         cccccccc-1111-4222-8333-444444444444,Microsoft 365 Business Basic,4,Active,Adatum IT Services\n",
    );
    let refused = books.import(&["subscriptions", name(&file)]);
    assert_exit_1(&refused);
    assert!(
        stderr(&refused).contains("missing column \"Customer Microsoft ID\" or \"Customer\""),
        "{}",
        stderr(&refused)
    );
    let out = books.import(&["subscriptions", name(&file), "--customer", &tenant]);
    assert_success(&out);
    assert!(stdout(&out).contains("2 added"), "{}", stdout(&out));
    let owners: Vec<String> = {
        let conn = rusqlite::Connection::open(&books.own).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT c.company_name FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                 WHERE s.subscription_id IN ('bbbbbbbb-1111-4222-8333-444444444444', 'cccccccc-1111-4222-8333-444444444444')",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(owners, vec![company.clone(), company.clone()]);
    // By name too, and a name the book doesn't know is a row problem, nothing written.
    let again = books.import(&["subscriptions", name(&file), "--customer", &company]);
    assert_success(&again);
    assert!(stdout(&again).contains("2 unchanged"), "{}", stdout(&again));
    let unknown = books.import(&[
        "subscriptions",
        name(&file),
        "--customer",
        "No Such Company Ltd",
    ]);
    assert_exit_1(&unknown);
    assert!(
        stderr(&unknown).contains("No Such Company Ltd"),
        "{}",
        stderr(&unknown)
    );
    let wrong_list = books.import(&["customers", name(&file), "--customer", &tenant]);
    assert!(!wrong_list.status.success());
    assert!(
        stderr(&wrong_list).contains("--customer"),
        "{}",
        stderr(&wrong_list)
    );
}

#[test]
fn lines_are_numbered_as_an_editor_numbers_them_in_a_crlf_file_with_blank_lines() {
    let books = Books::new();
    books.import_everything();
    let before = books.own_bytes();
    // CRLF, as Partner Center's and twotier's own exports end their lines, and a blank line
    // (the csv crate alone would say line 3 for line 5). A cell over two lines: unit tests in
    // store/import/lines.rs.
    let file = books.file(
        "crlf.csv",
        "Microsoft ID,Company name,Primary domain name\r\n\
         22222222-3333-4444-8555-666666666666,Good Co,goodco.onmicrosoft.com\r\n\
         \r\n\
         33333333-4444-4555-8666-777777777777,\"Quoted, Co\",quoted.onmicrosoft.com\r\n\
         not-a-guid,Bad Co,bad.onmicrosoft.com\r\n",
    );
    let out = books.import(&["customers", name(&file)]);
    assert_exit_1(&out);
    let err = stderr(&out);
    assert!(
        err.contains("crlf.csv:5: column \"Microsoft ID\": \"not-a-guid\""),
        "{}",
        describe(&out)
    );
    assert_eq!(err.matches("crlf.csv:").count(), 1, "{}", describe(&out));
    assert_eq!(books.own_bytes(), before);
}

#[test]
fn a_broken_row_is_named_by_line_and_column_and_nothing_is_imported() {
    let books = Books::new();
    books.import_everything();
    let before = books.own_bytes();
    let file = books.file(
        "broken.csv",
        "Microsoft ID,Company name,Primary domain name,Reseller PartnerID\n\
         22222222-3333-4444-8555-666666666666,Good Co,goodco.onmicrosoft.com,\n\
         not-a-guid,Bad Co,bad domain,12ab\n\
         33333333-4444-4555-8666-777777777777,Other Co,other.onmicrosoft.com,9999999\n",
    );
    let out = books.import(&["customers", name(&file)]);
    assert_exit_1(&out);
    let err = stderr(&out);
    for line in [
        "broken.csv:3: column \"Microsoft ID\": \"not-a-guid\" is not a Microsoft ID",
        "broken.csv:3: column \"Primary domain name\": \"bad domain\" is not a domain",
        "broken.csv:3: column \"Reseller PartnerID\": A PartnerID has digits only",
        "broken.csv:4: column \"Reseller PartnerID\": no reseller has PartnerID 9999999",
        "not imported: 2 of the 3 rows of broken.csv have problems; nothing was written.",
    ] {
        assert!(err.contains(line), "missing {line:?}\n{}", describe(&out));
    }
    assert_eq!(books.own_bytes(), before, "the book changed");
}

#[test]
fn more_than_fifty_problems_show_fifty_then_a_count() {
    let books = Books::new();
    let mut text = String::from("Name,PartnerID,Country\n");
    for i in 0..70 {
        text.push_str(&format!("Reseller {i},12ab{i},US\n"));
    }
    let file = books.file("many.csv", &text);
    let out = books.import(&["resellers", name(&file)]);
    assert_exit_1(&out);
    let err = stderr(&out);
    assert_eq!(err.matches("many.csv:").count(), 51, "{err}");
    assert_eq!(err.matches("column \"PartnerID\"").count(), 50, "{err}");
    assert!(
        err.contains("many.csv: … and 20 more problems not listed."),
        "{err}"
    );
    assert!(err.contains("many.csv:51: column"), "{err}");
    assert!(!err.contains("many.csv:52: column"), "{err}");
    let out = books.import(&["resellers", name(&file), "--json"]);
    assert_exit_1(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json_array(&report["problems"]).len(), 50);
    assert_eq!(report["more_problems"], 20);
    assert_eq!(report["invalid_rows"], 70);
    assert_eq!(report["problems"][0]["line"], 2);
    assert_eq!(report["problems"][0]["column"], "PartnerID");
    assert_eq!(books.count("SELECT count(*) FROM resellers"), 0);
}

#[test]
fn a_dry_run_says_what_would_change_and_writes_nothing() {
    let books = Books::new();
    let resellers = books.export("resellers");
    let before = books.own_bytes();
    let out = books.import(&["resellers", name(&resellers), "--dry-run"]);
    assert_success(&out);
    assert_eq!(
        stdout(&out).trim(),
        "Dry run of resellers.csv (nothing was written): 12 would be added, 0 would be updated, 0 unchanged resellers."
    );
    let out = books.import(&["resellers", name(&resellers), "--dry-run", "--json"]);
    assert_success(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["written"], false);
    assert_eq!(report["added"], 12);
    assert_eq!(books.own_bytes(), before, "a dry run wrote to the book");
}

#[test]
fn a_file_without_a_required_column_is_refused_before_any_row() {
    let books = Books::new();
    let file = books.file(
        "no-id.csv",
        "Company name,Primary domain name\nContoso,contoso.com\n",
    );
    let out = books.import(&["customers", name(&file)]);
    assert_exit_1(&out);
    assert!(
        stderr(&out).contains("no-id.csv: missing column \"Microsoft ID\": a customers file needs the columns Microsoft ID, Company name, Primary domain name"),
        "{}",
        describe(&out)
    );
    let empty = books.file("empty.csv", "");
    let out = books.import(&["customers", name(&empty)]);
    assert_exit_1(&out);
    assert!(
        stderr(&out).contains("the file is empty"),
        "{}",
        describe(&out)
    );
    let out = books.import(&["customers", "missing.csv"]);
    assert_exit_1(&out);
    assert!(
        stderr(&out).contains("cannot read missing.csv"),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_missing_book_is_refused_and_nothing_is_created() {
    let books = Books::new();
    let file = books.file("r.csv", "Name,PartnerID\nContoso,1234567\n");
    let nowhere = books.sandbox.file("nowhere/book.db");
    let out = run_on(
        &books.sandbox,
        &nowhere,
        &["import", "resellers", name(&file)],
    );
    assert_exit_1(&out);
    assert!(
        stderr(&out).contains("no twotier database at"),
        "{}",
        describe(&out)
    );
    assert!(!books.sandbox.file("nowhere").exists());
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    let books = Books::new();
    let file = books.export("resellers");
    let out = books.import(&["resellers", name(&file)]);
    assert_success(&out);
    assert_eq!(stderr(&out), "", "stderr is not a terminal: nothing there");
}

#[test]
fn a_duplicate_key_in_one_file_is_refused() {
    let books = Books::new();
    let file = books.file(
        "dup.csv",
        "Name,PartnerID\nContoso Partners,1234567\nFabrikam Partners,7654321\nContoso Again,1234567\n",
    );
    let out = books.import(&["resellers", name(&file)]);
    assert_exit_1(&out);
    assert!(
        stderr(&out)
            .contains("dup.csv:4: column \"PartnerID\": PartnerID 1234567 is also on line 2"),
        "{}",
        describe(&out)
    );
    // The provider's own PartnerID is never a reseller's.
    let own = books.file("own.csv", "Name,PartnerID\nNorthwind Itself,4120357\n");
    let out = books.import(&["resellers", name(&own)]);
    assert_exit_1(&out);
    assert!(
        stderr(&out).contains("is your own PartnerID"),
        "{}",
        describe(&out)
    );
}

#[test]
fn hostile_text_in_a_file_is_refused_and_shown_escaped() {
    let books = Books::new();
    let file = books.file(
        "hostile.csv",
        "Name,PartnerID,Note\u{1b}]0;x\u{7}\n\
         Evil\u{1b}[2J\u{202e}Corp,1234567,\n",
    );
    let out = books.import(&["resellers", name(&file)]);
    assert_exit_1(&out);
    let err = stderr(&out);
    assert!(
        !err.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "raw control characters: {err:?}"
    );
    assert!(err.contains("\"Note\\u{1b}]0;x\\u{7}\""), "{err}");
    assert!(
        err.contains(
            "hostile.csv:2: column \"Name\": The name holds control or invisible characters"
        ),
        "{err}"
    );
    assert_eq!(books.count("SELECT count(*) FROM resellers"), 0);
}
