//! `customers list`, `subscriptions list` and `export`, run as the real binary on demo databases
//! made by `twotier demo`; the expected answers come from SQL on the database (what the `sqlite3`
//! shell would print, computed in-process with rusqlite), not from twotier.
//!
//! Every test has its own temp folder with a fake HOME inside it, and the XDG and TWOTIER_*
//! variables are removed from the child's environment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

// Only the SQL helpers of `common`, not all of it.
#[path = "common/process.rs"]
#[allow(dead_code)]
mod process;

const BIN: &str = env!("CARGO_BIN_EXE_twotier");
const OPERATOR: &str = "tester@example.com";

const CUSTOMER_KEYS: [&str; 8] = [
    "microsoft_id",
    "company_name",
    "primary_domain",
    "relationship",
    "reseller",
    "reseller_partner_id",
    "subscriptions",
    "created_at",
];

const SUBSCRIPTION_KEYS: [&str; 17] = [
    "subscription_id",
    "offer_id",
    "subscription",
    "customer_microsoft_id",
    "customer",
    "quantity",
    "status",
    "auto_renew",
    "term",
    "billing_cycle",
    "reseller",
    "reseller_partner_id",
    "support_contact",
    "created_at",
    "commitment_end_date",
    "reseller_removed",
    "support_contact_removed",
];

const CUSTOMERS_CSV_HEADER: &str =
    "Microsoft ID,Company name,Primary domain name,Relationship,Reseller";
const SUBSCRIPTIONS_CSV_HEADER: &str = "Subscription ID,Subscription,Quantity,Status,Reseller";

/// A temp folder holding a fake HOME, a work folder and a demo database in it.
struct Sandbox {
    tmp: tempfile::TempDir,
    db: PathBuf,
}

impl Sandbox {
    /// A fresh demo database (12 resellers, 60 customers, 150 subscriptions) as of 2026-11-01.
    fn demo() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("twotier-cli-customers-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(tmp.path().join("home")).unwrap();
        std::fs::create_dir(tmp.path().join("work")).unwrap();
        let db = tmp.path().join("work").join("book.db");
        let sandbox = Sandbox { tmp, db };
        let db = sandbox.db.to_str().unwrap().to_owned();
        assert_success(&sandbox.run_raw(&["demo", "--db", &db, "--as-of", "2026-11-01"]));
        sandbox
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    fn work(&self) -> PathBuf {
        self.tmp.path().join("work")
    }

    /// The binary with a clean environment: HOME is the fake one, no XDG or TWOTIER_* variables.
    fn twotier(&self) -> Command {
        let mut cmd = Command::new(BIN);
        for var in [
            "TWOTIER_DB",
            "TWOTIER_CONFIG",
            "TWOTIER_LOG",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
            "XDG_RUNTIME_DIR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.home())
            .current_dir(self.work())
            .stdin(Stdio::null())
            .args(["--operator", OPERATOR]);
        cmd
    }

    fn run_raw(&self, args: &[&str]) -> Output {
        self.twotier()
            .args(args)
            .output()
            .expect("running the twotier binary")
    }

    /// Runs a command on the sandbox's database.
    fn run(&self, args: &[&str]) -> Output {
        self.twotier()
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .expect("running the twotier binary")
    }

    /// Runs a command that must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_success(&out);
        stdout(&out)
    }

    /// Runs a `--json` command; its array of objects.
    fn json(&self, args: &[&str]) -> Vec<BTreeMap<String, Value>> {
        let text = self.ok(args);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{args:?} printed invalid JSON ({e}):\n{text}"))
    }

    fn sql(&self, sql: &str) -> String {
        sqlite3(&self.db, sql)
    }

    fn sql_lines(&self, sql: &str) -> Vec<String> {
        self.sql(sql).lines().map(str::to_owned).collect()
    }

    fn sql_value(&self, sql: &str) -> i64 {
        let text = self.sql(sql);
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("sqlite3 {sql:?} printed {text:?}, not a number"))
    }

    /// The names of the files in a folder.
    fn listing(dir: &Path) -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    )
}

#[track_caller]
fn assert_success(out: &Output) {
    assert!(out.status.success(), "expected success\n{}", describe(out));
}

/// A refusal: exit status 1, nothing on stdout, and the message on stderr.
#[track_caller]
fn assert_refused(out: &Output, message: &str) {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit status 1\n{}",
        describe(out)
    );
    assert!(
        out.stdout.is_empty(),
        "a refusal printed to stdout\n{}",
        describe(out)
    );
    assert!(
        stderr(out).contains(message),
        "stderr does not say {message:?}\n{}",
        describe(out)
    );
}

/// What `sqlite3 DB SQL` prints, computed in-process (no outside program).
#[track_caller]
fn sqlite3(db: &Path, sql: &str) -> String {
    process::sqlite3_output(db, sql)
}

/// An RFC 4180 parser for the tests: records end with CRLF; quoted fields may hold anything.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(
                    field.is_empty(),
                    "a quote inside an unquoted field:\n{text}"
                );
                quoted = true;
            }
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "a CR without LF:\n{text}");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            '\n' => panic!("a bare LF ends a record (RFC 4180 wants CRLF):\n{text}"),
            c => field.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted field:\n{text}");
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record has no CRLF:\n{text}"
    );
    records
}

fn keys(object: &BTreeMap<String, Value>) -> BTreeSet<&str> {
    object.keys().map(String::as_str).collect()
}

fn text<'a>(object: &'a BTreeMap<String, Value>, key: &str) -> &'a str {
    object[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {object:?}"))
}

/// The table's lines split into cells (two or more spaces apart).
fn table(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// customers list
// ---------------------------------------------------------------------------------------------

#[test]
fn customers_table_lists_every_customer_by_name() {
    let sb = Sandbox::demo();
    let rows = table(&sb.ok(&["customers", "list"]));
    assert_eq!(
        rows[0],
        [
            "Company name",
            "Primary domain",
            "Microsoft ID",
            "Reseller",
            "Subscriptions"
        ]
    );
    let expected = sb.sql_lines(
        "SELECT c.company_name || '|' || c.domain || '|' || c.tenant_id || '|' ||
                coalesce(r.name, 'Direct') || '|' ||
                (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id)
         FROM customers c LEFT JOIN resellers r ON r.id = c.reseller_id
         ORDER BY c.company_name COLLATE NOCASE, c.id;",
    );
    let got: Vec<String> = rows[1..].iter().map(|r| r.join("|")).collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 60);
}

#[test]
fn customers_json_has_the_stable_fields() {
    let sb = Sandbox::demo();
    let rows = sb.json(&["customers", "list", "--json"]);
    assert_eq!(
        rows.len() as i64,
        sb.sql_value("SELECT count(*) FROM customers;")
    );
    let want: BTreeSet<&str> = CUSTOMER_KEYS.into_iter().collect();
    for row in &rows {
        assert_eq!(keys(row), want, "{row:?}");
        let created = text(row, "created_at");
        assert!(
            created.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(created).is_ok(),
            "created_at is not RFC 3339 UTC: {created}"
        );
        assert!(row["subscriptions"].is_i64());
        assert_eq!(
            row["reseller"].is_null(),
            row["reseller_partner_id"].is_null()
        );
    }
    let expected = sb.sql_lines(
        "SELECT c.tenant_id || '|' || c.company_name || '|' || c.domain || '|' || c.relationship
                || '|' || coalesce(r.name, 'null') || '|' || coalesce(r.partner_id, 'null') || '|' ||
                (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id) || '|' || c.created_at
         FROM customers c LEFT JOIN resellers r ON r.id = c.reseller_id
         ORDER BY c.company_name COLLATE NOCASE, c.id;",
    );
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            CUSTOMER_KEYS
                .iter()
                .map(|k| match &r[*k] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert_eq!(got, expected);
    // At least one direct customer (null reseller) and one with a reseller, in the demo data.
    assert!(rows.iter().any(|r| r["reseller"].is_null()));
    assert!(rows.iter().any(|r| r["reseller"].is_string()));
}

#[test]
fn customers_filter_by_reseller_active_or_removed() {
    let sb = Sandbox::demo();
    let partner_id = sb
        .sql(
            "SELECT r.partner_id FROM resellers r JOIN customers c ON c.reseller_id = r.id
              GROUP BY r.id ORDER BY count(*) DESC, r.id LIMIT 1;",
        )
        .trim()
        .to_owned();
    let expected: BTreeSet<String> = sb
        .sql_lines(&format!(
            "SELECT c.tenant_id FROM customers c JOIN resellers r ON r.id = c.reseller_id
             WHERE r.partner_id = '{partner_id}';"
        ))
        .into_iter()
        .collect();
    assert!(expected.len() >= 2);
    let list = |sb: &Sandbox| -> BTreeSet<String> {
        let rows = sb.json(&["customers", "list", "--reseller", &partner_id, "--json"]);
        for r in &rows {
            assert_eq!(text(r, "reseller_partner_id"), partner_id);
        }
        rows.iter()
            .map(|r| text(r, "microsoft_id").to_owned())
            .collect()
    };
    assert_eq!(list(&sb), expected);
    // The table narrows too.
    let rows = table(&sb.ok(&["customers", "list", "--reseller", &partner_id]));
    assert_eq!(rows.len(), expected.len() + 1);

    // A removed partnership still narrows: its customers keep it.
    sb.sql(&format!(
        "UPDATE resellers SET state = 'removed', removed_at = '2026-10-01T00:00:00Z'
         WHERE partner_id = '{partner_id}';"
    ));
    assert_eq!(list(&sb), expected);
}

#[test]
fn customers_unknown_reseller_is_refused() {
    let sb = Sandbox::demo();
    let out = sb.run(&["customers", "list", "--reseller", "999999999"]);
    assert_refused(
        &out,
        "No indirect reseller (active or removed) has PartnerID 999999999",
    );
    let out = sb.run(&["subscriptions", "list", "--reseller", "999999999", "--json"]);
    assert_refused(&out, "PartnerID 999999999");
    // The echo of what was typed is sanitised.
    let out = sb.run(&["customers", "list", "--reseller", "\u{1b}[2J\u{7}\u{202e}1"]);
    assert_refused(&out, "No indirect reseller");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!stderr(&out).contains(bad), "{}", describe(&out));
    }
}

#[test]
fn customers_search_matches_anywhere_in_name_domain_or_id_any_case_any_accent() {
    let sb = Sandbox::demo();
    sb.sql("UPDATE customers SET company_name = 'Contoso Zürich AG' WHERE id = 1;");
    let search = |term: &str| -> Vec<String> {
        sb.json(&["customers", "list", "--search", term, "--json"])
            .iter()
            .map(|r| text(r, "company_name").to_owned())
            .collect()
    };
    for term in ["toso", "ZURICH", "zür", "ÜR", "o"] {
        assert!(
            search(term).contains(&"Contoso Zürich AG".to_owned()),
            "{term}"
        );
    }
    // Every match, in the list's order: the same as a substring test on what SQL holds.
    let expected = |like: &str| -> Vec<String> {
        sb.sql_lines(&format!(
            "SELECT company_name FROM customers
             WHERE (company_name LIKE '%{like}%' OR domain LIKE '%{like}%' OR tenant_id LIKE '%{like}%')
               AND removed_at IS NULL
             ORDER BY company_name COLLATE NOCASE, id;"
        ))
    };
    for term in ["ba", "ALY", "onmicro", "7d"] {
        assert_eq!(search(term), expected(term), "{term}");
    }
    // A piece from the middle of a Microsoft ID, upper-cased, finds its customer.
    let line =
        sb.sql("SELECT tenant_id || '|' || company_name FROM customers ORDER BY id DESC LIMIT 1;");
    let (tenant, name) = line.trim().split_once('|').unwrap();
    assert!(search(&tenant[9..18].to_uppercase()).contains(&name.to_owned()));
    // The table shows the same rows as the JSON.
    let rows = table(&sb.ok(&["customers", "list", "--search", "toso"]));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "Contoso Zürich AG");

    // Nothing matches: an empty array, and a table with only its header.
    assert_eq!(
        sb.ok(&["customers", "list", "--search", "zzzz-none", "--json"]),
        "[]\n"
    );
    assert_eq!(
        table(&sb.ok(&["customers", "list", "--search", "zzzz-none"])).len(),
        1
    );
}

#[test]
fn resellers_and_subscriptions_search_by_the_same_rule() {
    let sb = Sandbox::demo();
    let resellers = sb.json(&["resellers", "list", "--search", "YONDER sol", "--json"]);
    assert_eq!(resellers.len(), 1);
    assert_eq!(text(&resellers[0], "name"), "Blue Yonder Solutions");
    let by_partner_id = sb.json(&["resellers", "list", "--search", "47383", "--json"]);
    assert_eq!(by_partner_id.len(), 1);
    // The same JSON fields with and without a search.
    let all = sb.json(&["resellers", "list", "--json"]);
    assert_eq!(keys(&all[0]), keys(&resellers[0]));

    sb.sql("UPDATE customers SET company_name = 'Contoso Zürich AG' WHERE id = 1;");
    let subscriptions = sb.json(&["subscriptions", "list", "--search", "zurich", "--json"]);
    let expected = sb.sql_value(
        "SELECT count(*) FROM subscriptions WHERE customer_id = 1 AND removed_at IS NULL;",
    );
    assert!(expected > 0);
    assert_eq!(subscriptions.len() as i64, expected);
    for s in &subscriptions {
        assert_eq!(text(s, "customer"), "Contoso Zürich AG");
    }
    // By offer name, any case.
    let offer = sb.sql(
        "SELECT o.name FROM subscriptions s JOIN offers o ON o.id = s.offer_id ORDER BY s.id LIMIT 1;",
    );
    let piece = offer.trim()[2..8].to_uppercase();
    let found = sb.json(&["subscriptions", "list", "--search", &piece, "--json"]);
    assert!(!found.is_empty(), "{piece}");
    let first = sb.sql("SELECT subscription_id FROM subscriptions ORDER BY id LIMIT 1;");
    assert!(
        found
            .iter()
            .any(|s| text(s, "subscription_id") == first.trim())
    );
}

// ---------------------------------------------------------------------------------------------
// subscriptions list
// ---------------------------------------------------------------------------------------------

#[test]
fn subscriptions_json_has_the_stable_fields_and_every_subscription() {
    let sb = Sandbox::demo();
    let rows = sb.json(&["subscriptions", "list", "--json"]);
    assert_eq!(
        rows.len() as i64,
        sb.sql_value("SELECT count(*) FROM subscriptions;")
    );
    let want: BTreeSet<&str> = SUBSCRIPTION_KEYS.into_iter().collect();
    let provider = sb
        .sql("SELECT company_name FROM provider;")
        .trim()
        .to_owned();
    for row in &rows {
        assert_eq!(keys(row), want, "{row:?}");
        assert!(row["quantity"].is_i64() && row["auto_renew"].is_boolean());
        assert!(text(row, "created_at").ends_with('Z'));
        assert!(
            chrono::NaiveDate::parse_from_str(text(row, "commitment_end_date"), "%Y-%m-%d").is_ok()
        );
    }
    let expected = sb.sql_lines(&format!(
        "SELECT s.subscription_id || '|' || s.offer_id || '|' || o.name || '|' || c.tenant_id || '|' ||
                c.company_name || '|' || s.quantity || '|' || s.status || '|' ||
                CASE s.auto_renew WHEN 1 THEN 'true' ELSE 'false' END || '|' || s.term || '|' ||
                s.billing_cycle || '|' || coalesce(r.name, 'null') || '|' || coalesce(r.partner_id, 'null')
                || '|' || coalesce(sr.name, '{provider}') || '|' || s.created_at || '|' || s.commitment_end_date
                || '|' || CASE r.state WHEN 'removed' THEN 'true' ELSE 'false' END
                || '|' || CASE sr.state WHEN 'removed' THEN 'true' ELSE 'false' END
         FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id
         LEFT JOIN resellers r ON r.id = s.reseller_id LEFT JOIN resellers sr ON sr.id = s.support_reseller_id
         ORDER BY c.company_name COLLATE NOCASE, c.id, s.id;"
    ));
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            SUBSCRIPTION_KEYS
                .iter()
                .map(|k| match &r[*k] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert_eq!(got, expected);
    // The demo has both kinds of support contact.
    assert!(rows.iter().any(|r| text(r, "support_contact") == provider));
    assert!(rows.iter().any(|r| text(r, "support_contact") != provider));
}

#[test]
fn subscriptions_table_has_its_columns() {
    let sb = Sandbox::demo();
    let rows = table(&sb.ok(&["subscriptions", "list"]));
    assert_eq!(
        rows[0],
        [
            "Subscription ID",
            "Subscription",
            "Customer",
            "Quantity",
            "Status",
            "Reseller",
            "Support contact"
        ]
    );
    assert_eq!(rows.len(), 151);
    let statuses: BTreeSet<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
    assert!(statuses.contains("Active"), "{statuses:?}");
    assert!(statuses.iter().all(|s| s.starts_with(char::is_uppercase)));
}

#[test]
fn subscriptions_of_one_customer_by_microsoft_id_or_domain() {
    let sb = Sandbox::demo();
    let line = sb.sql(
        "SELECT c.id || '|' || c.tenant_id || '|' || c.domain FROM customers c
         WHERE (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id) >= 2
         ORDER BY c.id LIMIT 1;",
    );
    let parts: Vec<&str> = line.trim().split('|').collect();
    let (id, tenant, domain) = (parts[0], parts[1], parts[2]);
    let expected = sb.sql_lines(&format!(
        "SELECT subscription_id FROM subscriptions WHERE customer_id = {id} ORDER BY id;"
    ));
    let ids = |key: &str| -> Vec<String> {
        let rows = sb.json(&["subscriptions", "list", "--customer", key, "--json"]);
        for r in &rows {
            assert_eq!(text(r, "customer_microsoft_id"), tenant);
        }
        rows.iter()
            .map(|r| text(r, "subscription_id").to_owned())
            .collect()
    };
    assert_eq!(ids(tenant), expected);
    assert_eq!(ids(&tenant.to_uppercase()), expected);
    assert_eq!(ids(domain), expected);
    assert_eq!(ids(&format!(" {} ", domain.to_uppercase())), expected);
    let rows = table(&sb.ok(&["subscriptions", "list", "--customer", domain]));
    assert_eq!(rows.len(), expected.len() + 1);
}

#[test]
fn subscriptions_unknown_customer_is_refused() {
    let sb = Sandbox::demo();
    for key in [
        "00000000-0000-4000-8000-000000000000",
        "nobody.onmicrosoft.com",
    ] {
        let out = sb.run(&["subscriptions", "list", "--customer", key]);
        assert_refused(
            &out,
            &format!("No customer has the Microsoft ID or primary domain {key}"),
        );
    }
    // A prefix is not a customer: --customer wants the whole ID or domain.
    let tenant = sb.sql("SELECT tenant_id FROM customers ORDER BY id LIMIT 1;");
    let out = sb.run(&["subscriptions", "list", "--customer", &tenant.trim()[..8]]);
    assert_refused(&out, "No customer has");
}

#[test]
fn subscriptions_filter_by_partner_of_record() {
    let sb = Sandbox::demo();
    let partner_id = sb
        .sql(
            "SELECT r.partner_id FROM resellers r JOIN subscriptions s ON s.reseller_id = r.id
              GROUP BY r.id ORDER BY count(*) DESC, r.id LIMIT 1;",
        )
        .trim()
        .to_owned();
    let expected: BTreeSet<String> = sb
        .sql_lines(&format!(
            "SELECT s.subscription_id FROM subscriptions s JOIN resellers r ON r.id = s.reseller_id
             WHERE r.partner_id = '{partner_id}';"
        ))
        .into_iter()
        .collect();
    let rows = sb.json(&["subscriptions", "list", "--reseller", &partner_id, "--json"]);
    let got: BTreeSet<String> = rows
        .iter()
        .map(|r| text(r, "subscription_id").to_owned())
        .collect();
    assert_eq!(got, expected);
    assert!(
        rows.iter()
            .all(|r| text(r, "reseller_partner_id") == partner_id)
    );
    // Both filters together.
    let customer = text(&rows[0], "customer_microsoft_id").to_owned();
    let both = sb.json(&[
        "subscriptions",
        "list",
        "--reseller",
        &partner_id,
        "--customer",
        &customer,
        "--json",
    ]);
    assert!(!both.is_empty());
    assert!(
        both.iter()
            .all(|r| text(r, "customer_microsoft_id") == customer
                && text(r, "reseller_partner_id") == partner_id)
    );
}

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

#[test]
fn csv_exports_have_partner_centers_columns() {
    let sb = Sandbox::demo();
    let customers = sb.ok(&["export", "customers", "--format", "csv"]);
    assert!(
        customers.starts_with(&format!("{CUSTOMERS_CSV_HEADER},")),
        "{customers}"
    );
    let records = parse_csv(&customers);
    assert_eq!(records.len(), 61);
    // Partner Center's columns first; the columns after them make the file a lossless import.
    let first_five = |records: &[Vec<String>]| -> Vec<Vec<String>> {
        records.iter().map(|r| r[..5].to_vec()).collect()
    };
    let expected: Vec<Vec<String>> = sb
        .sql_lines(
            "SELECT c.tenant_id || '|' || c.company_name || '|' || c.domain || '|' ||
                    upper(substr(c.relationship, 1, 1)) || substr(c.relationship, 2) || '|' ||
                    coalesce(r.name, '')
             FROM customers c LEFT JOIN resellers r ON r.id = c.reseller_id
             ORDER BY c.company_name COLLATE NOCASE, c.id;",
        )
        .iter()
        .map(|l| l.split('|').map(str::to_owned).collect())
        .collect();
    assert_eq!(first_five(&records[1..]), expected);

    let subscriptions = sb.ok(&["export", "subscriptions", "--format", "csv"]);
    assert!(
        subscriptions.starts_with(&format!("{SUBSCRIPTIONS_CSV_HEADER},")),
        "{subscriptions}"
    );
    let records = parse_csv(&subscriptions);
    assert_eq!(records.len(), 151);
    assert!(records.iter().all(|r| r.len() == records[0].len()));
    let expected: Vec<Vec<String>> = sb
        .sql_lines(
            "SELECT s.subscription_id || '|' || o.name || '|' || s.quantity || '|' ||
                    upper(substr(s.status, 1, 1)) || substr(s.status, 2) || '|' || coalesce(r.name, '')
             FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN offers o ON o.id = s.offer_id
             LEFT JOIN resellers r ON r.id = s.reseller_id
             ORDER BY c.company_name COLLATE NOCASE, c.id, s.id;",
        )
        .iter()
        .map(|l| l.split('|').map(str::to_owned).collect())
        .collect();
    assert_eq!(first_five(&records[1..]), expected);

    // The relationship words Partner Center uses.
    sb.sql(
        "UPDATE customers SET relationship = 'none' WHERE id = 1;
            UPDATE customers SET relationship = 'advisor' WHERE id = 2;",
    );
    let records = parse_csv(&sb.ok(&["export", "customers", "--format", "csv"]));
    let relationships: BTreeSet<&str> = records[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(
        relationships,
        BTreeSet::from(["Advisor", "None", "Reseller"])
    );
}

#[test]
fn csv_cells_that_would_be_formulas_are_neutralised() {
    let sb = Sandbox::demo();
    sb.sql(
        "UPDATE customers SET company_name = '=HYPERLINK(\"http://x\")' WHERE id = 1;
         UPDATE customers SET company_name = '+1' WHERE id = 2;
         UPDATE customers SET company_name = '-2' WHERE id = 3;
         UPDATE customers SET company_name = '@SUM(A1)' WHERE id = 4;
         UPDATE resellers SET name = '=cmd|'' /C calc''!A0' WHERE id =
             (SELECT reseller_id FROM subscriptions WHERE reseller_id IS NOT NULL ORDER BY id LIMIT 1);",
    );
    let tenants: Vec<String> =
        sb.sql_lines("SELECT tenant_id FROM customers WHERE id <= 4 ORDER BY id;");
    let records = parse_csv(&sb.ok(&["export", "customers", "--format", "csv"]));
    let name_of = |tenant: &str| -> String {
        records
            .iter()
            .find(|r| r[0] == tenant)
            .unwrap_or_else(|| panic!("{tenant} is not in the export"))[1]
            .clone()
    };
    assert_eq!(name_of(&tenants[0]), "'=HYPERLINK(\"http://x\")");
    assert_eq!(name_of(&tenants[1]), "'+1");
    assert_eq!(name_of(&tenants[2]), "'-2");
    assert_eq!(name_of(&tenants[3]), "'@SUM(A1)");
    // No cell of the file starts a formula.
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?}"
            );
        }
    }
    // The reseller cells of the subscriptions export too.
    let records = parse_csv(&sb.ok(&["export", "subscriptions", "--format", "csv"]));
    assert!(records.iter().any(|r| r[4] == "'=cmd|' /C calc'!A0"));
    assert!(
        records
            .iter()
            .flatten()
            .all(|c| !c.starts_with(['=', '+', '-', '@']))
    );

    // JSON is data, not a spreadsheet: the names stay as they are.
    let rows = sb.json(&["export", "customers", "--format", "json"]);
    let names: BTreeSet<&str> = rows.iter().map(|r| text(r, "company_name")).collect();
    for name in ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"] {
        assert!(names.contains(name), "{name} missing from the JSON export");
    }
}

#[test]
fn csv_quotes_commas_and_quotes() {
    let sb = Sandbox::demo();
    sb.sql("UPDATE customers SET company_name = 'Fabrikam, \"The Best\" Inc.' WHERE id = 5;");
    let tenant = sb
        .sql("SELECT tenant_id FROM customers WHERE id = 5;")
        .trim()
        .to_owned();
    let csv = sb.ok(&["export", "customers", "--format", "csv"]);
    assert!(
        csv.contains(&format!("{tenant},\"Fabrikam, \"\"The Best\"\" Inc.\",")),
        "the name is not quoted as RFC 4180 says:\n{csv}"
    );
    let records = parse_csv(&csv);
    let record = records.iter().find(|r| r[0] == tenant).unwrap();
    assert_eq!(record[1], "Fabrikam, \"The Best\" Inc.");
    assert!(records.iter().all(|r| r.len() == records[0].len()));
}

#[test]
fn hostile_text_never_reaches_the_output() {
    let sb = Sandbox::demo();
    sb.sql(
        "UPDATE customers SET company_name = char(27) || ']0;pwned' || char(7) || 'Evil' || char(8238) || 'moc.live'
         WHERE id = (SELECT customer_id FROM subscriptions ORDER BY id LIMIT 1);
         UPDATE resellers SET name = 'Bad' || char(27) || '[2J' || char(8238) || 'Reseller' || char(13) || char(10) || 'x'
         WHERE id IN (SELECT reseller_id FROM customers WHERE reseller_id IS NOT NULL);
         UPDATE offers SET name = name || char(7) || char(8238);",
    );
    let commands: [&[&str]; 9] = [
        &["customers", "list"],
        &["customers", "list", "--json"],
        &["customers", "list", "--search", "\u{1b}]0"],
        &["subscriptions", "list"],
        &["subscriptions", "list", "--json"],
        &["export", "customers", "--format", "csv"],
        &["export", "customers", "--format", "json"],
        &["export", "subscriptions", "--format", "csv"],
        &["export", "subscriptions", "--format", "json"],
    ];
    for args in commands {
        let out = sb.run(args);
        assert_success(&out);
        let text = stdout(&out);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!text.contains(bad), "{args:?} printed {bad:?}:\n{text}");
        }
        for escaped in ["\\u001b", "\\u0007", "\\u202e", "\\r"] {
            assert!(
                !text.contains(escaped),
                "{args:?} printed {escaped}:\n{text}"
            );
        }
    }
    // Search matches the stored text; what is shown is the sanitised one.
    let found = sb.json(&["customers", "list", "--search", "\u{1b}]0", "--json"]);
    assert_eq!(found.len(), 1);
    assert_eq!(
        text(&found[0], "company_name"),
        "\u{fffd}]0;pwned\u{fffd}Evilmoc.live"
    );
    // The tampering stays visible (U+FFFD), and the CSV still has whole records.
    let csv = sb.ok(&["export", "customers", "--format", "csv"]);
    assert!(
        csv.contains("\u{fffd}]0;pwned\u{fffd}Evilmoc.live"),
        "{csv}"
    );
    let records = parse_csv(&csv);
    assert!(records.iter().all(|r| r.len() == records[0].len()));
    assert_eq!(records.len(), 61);
}

#[test]
fn export_to_a_file_is_whole_and_leaves_no_temporary_file() {
    let sb = Sandbox::demo();
    let out_dir = sb.work().join("exports");
    std::fs::create_dir(&out_dir).unwrap();
    for (what, format, file, noun, count) in [
        ("customers", "csv", "customers.csv", "customers", 60),
        (
            "subscriptions",
            "csv",
            "subscriptions.csv",
            "subscriptions",
            150,
        ),
        ("customers", "json", "customers.json", "customers", 60),
        (
            "subscriptions",
            "json",
            "subscriptions.json",
            "subscriptions",
            150,
        ),
    ] {
        let path = out_dir.join(file);
        let to_stdout = sb.ok(&["export", what, "--format", format]);
        let out = sb.run(&[
            "export",
            what,
            "--format",
            format,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_success(&out);
        assert!(out.stdout.is_empty(), "{}", describe(&out));
        assert_eq!(
            stderr(&out).trim_end(),
            format!("Exported {count} {noun} to {}", path.display())
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), to_stdout);
    }
    // Again over the existing files: replaced whole.
    sb.sql("DELETE FROM order_line_items; DELETE FROM subscriptions WHERE id > 10;");
    let path = out_dir.join("subscriptions.csv");
    assert_success(&sb.run(&[
        "export",
        "subscriptions",
        "--format",
        "csv",
        "--out",
        path.to_str().unwrap(),
    ]));
    assert_eq!(
        parse_csv(&std::fs::read_to_string(&path).unwrap()).len(),
        11
    );
    assert_eq!(
        Sandbox::listing(&out_dir),
        BTreeSet::from(
            [
                "customers.csv",
                "customers.json",
                "subscriptions.csv",
                "subscriptions.json"
            ]
            .map(str::to_owned)
        )
    );

    // A relative --out is beside the working folder.
    let out = sb.run(&["export", "customers", "--format", "csv", "--out", "c.csv"]);
    assert_success(&out);
    assert_eq!(stderr(&out).trim_end(), "Exported 60 customers to c.csv");
    assert!(sb.work().join("c.csv").exists());
}

#[test]
fn export_that_cannot_be_written_is_refused_and_leaves_nothing() {
    let sb = Sandbox::demo();
    // A folder that does not exist.
    let missing = sb.work().join("missing").join("c.csv");
    let out = sb.run(&[
        "export",
        "customers",
        "--format",
        "csv",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_refused(&out, "cannot write");
    assert!(!sb.work().join("missing").exists());
    // A target that is a folder: the temporary file is written, the rename fails, and it is
    // removed again.
    let dir = sb.work().join("exports");
    std::fs::create_dir_all(dir.join("taken")).unwrap();
    let out = sb.run(&[
        "export",
        "subscriptions",
        "--format",
        "json",
        "--out",
        dir.join("taken").to_str().unwrap(),
    ]);
    assert_refused(&out, "cannot write");
    assert_eq!(Sandbox::listing(&dir), BTreeSet::from(["taken".to_owned()]));
    assert!(Sandbox::listing(&dir.join("taken")).is_empty());
}

#[test]
fn json_exports_parse_and_match_the_lists() {
    let sb = Sandbox::demo();
    for (what, table, keys) in [
        ("customers", "customers", &CUSTOMER_KEYS[..]),
        ("subscriptions", "subscriptions", &SUBSCRIPTION_KEYS[..]),
    ] {
        let text = sb.ok(&["export", what, "--format", "json"]);
        let rows: Vec<BTreeMap<String, Value>> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            rows.len() as i64,
            sb.sql_value(&format!("SELECT count(*) FROM {table};"))
        );
        let want: BTreeSet<&str> = keys.iter().copied().collect();
        assert!(rows.iter().all(|r| self::keys(r) == want));
        assert_eq!(
            text,
            sb.ok(&[what, "list", "--json"]),
            "export and list differ"
        );
    }
    // An empty book is an empty array.
    sb.sql("DELETE FROM order_line_items; DELETE FROM subscriptions;");
    let rows: Vec<Value> =
        serde_json::from_str(&sb.ok(&["export", "subscriptions", "--format", "json"])).unwrap();
    assert!(rows.is_empty());
    let empty = sb.ok(&["export", "subscriptions", "--format", "csv"]);
    assert!(
        empty.starts_with(&format!("{SUBSCRIPTIONS_CSV_HEADER},")) && empty.ends_with("\r\n"),
        "{empty}"
    );
    assert_eq!(empty.lines().count(), 1, "only the header: {empty}");
}

#[test]
fn export_needs_a_format_and_a_kind() {
    let sb = Sandbox::demo();
    for args in [
        &["export", "customers"][..],
        &["export", "customers", "--format", "xlsx"],
        &["export", "orders", "--format", "csv"],
    ] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{}", describe(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_lists_the_new_commands() {
    let sb = Sandbox::demo();
    let text = sb.ok(&["--help"]);
    for command in ["customers", "subscriptions", "export"] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "--help does not list {command}:\n{text}"
        );
    }
    let text = sb.ok(&["export", "--help"]);
    for word in [
        "--format",
        "--out",
        "customers",
        "subscriptions",
        "csv",
        "json",
    ] {
        assert!(text.contains(word), "export --help lacks {word}:\n{text}");
    }
}

/// The unfiltered exports walk the indexes in output order: no sort of the whole book, so the
/// first row comes at once and memory stays flat however large the book.
#[test]
fn unfiltered_exports_stream_without_sorting() {
    let sb = Sandbox::demo();
    let (store, _) = twotier::store::Store::open(&sb.db).unwrap();
    let plan = |sql: String| -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .join("\n")
    };
    let customers = plan(twotier::store::export::customers_sql(&Default::default()).0);
    assert!(!customers.contains("TEMP B-TREE"), "{customers}");
    assert!(customers.contains("customers_by_name"), "{customers}");
    let subscriptions = plan(twotier::store::export::subscriptions_sql(&Default::default()).0);
    assert!(!subscriptions.contains("TEMP B-TREE"), "{subscriptions}");
    assert!(
        subscriptions.contains("subscriptions_by_customer"),
        "{subscriptions}"
    );
}

#[test]
fn subscriptions_naming_a_removed_reseller_are_marked_in_the_table_and_the_json() {
    let sb = Sandbox::demo();
    sb.sql(
        "UPDATE subscriptions SET reseller_id = (SELECT id FROM resellers WHERE state = 'removed' LIMIT 1)
         WHERE id = (SELECT min(id) FROM subscriptions);
         UPDATE subscriptions SET support_reseller_id = (SELECT id FROM resellers WHERE state = 'removed' LIMIT 1)
         WHERE id = (SELECT max(id) FROM subscriptions);",
    );
    let ids = sb.sql_lines(
        "SELECT subscription_id FROM subscriptions WHERE id IN ((SELECT min(id) FROM subscriptions), (SELECT max(id) FROM subscriptions)) ORDER BY id;",
    );
    let rows = sb.json(&["subscriptions", "list", "--json"]);
    let flag = |id: &str, key: &str| {
        rows.iter()
            .find(|r| text(r, "subscription_id") == id)
            .map(|r| r[key].as_bool().unwrap())
            .unwrap()
    };
    assert!(flag(&ids[0], "reseller_removed") && !flag(&ids[0], "support_contact_removed"));
    assert!(!flag(&ids[1], "reseller_removed") && flag(&ids[1], "support_contact_removed"));
    let marked = rows
        .iter()
        .filter(|r| {
            r["reseller_removed"] == Value::Bool(true)
                || r["support_contact_removed"] == Value::Bool(true)
        })
        .count();
    assert_eq!(marked, 2);
    let table = sb.ok(&["subscriptions", "list"]);
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_owned()
    };
    let first = line(&ids[0]);
    let last = line(&ids[1]);
    assert_eq!(first.matches("⚠ reseller removed").count(), 1, "{first}");
    assert_eq!(last.matches("⚠ reseller removed").count(), 1, "{last}");
    assert_eq!(table.matches("⚠ reseller removed").count(), 2, "{table}");
}

#[test]
fn customers_marked_removed_by_a_sync_are_listed_only_with_removed() {
    let sb = Sandbox::demo();
    let all = sb.sql_value("SELECT count(*) FROM customers;");
    let gone =
        sb.sql("SELECT tenant_id FROM customers ORDER BY company_name COLLATE NOCASE LIMIT 2;");
    let gone: BTreeSet<String> = gone.lines().map(str::to_owned).collect();
    // What a complete sync pass writes for customers Partner Center no longer lists.
    sb.sql(
        "UPDATE customers SET removed_at = '2026-12-01T00:00:00Z'
         WHERE id IN (SELECT id FROM customers ORDER BY company_name COLLATE NOCASE LIMIT 2);",
    );
    let ids = |rows: &[BTreeMap<String, Value>]| -> BTreeSet<String> {
        rows.iter()
            .map(|r| text(r, "microsoft_id").to_owned())
            .collect()
    };
    let listed = sb.json(&["customers", "list", "--json"]);
    assert_eq!(listed.len() as i64, all - 2);
    assert!(ids(&listed).is_disjoint(&gone));
    let removed = sb.json(&["customers", "list", "--removed", "--json"]);
    assert_eq!(ids(&removed), gone);
    let table_rows = table(&sb.ok(&["customers", "list"]));
    assert_eq!(
        table_rows.len() as i64,
        all - 2 + 1,
        "header + the customers still listed"
    );
    let exported = sb.ok(&["export", "customers", "--format", "csv"]);
    assert!(gone.iter().all(|id| !exported.contains(id.as_str())));
}
