//! `twotier init` on the built binary: a new, empty book of your own (the provider's profile, one
//! Global admin, the offer catalog, nothing else), every bad argument refused before a file is
//! made, an existing file never touched; and the empty console lists saying what to do next.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::process::{assert_success, describe, stderr, stdout};
use common::sandbox::{Sandbox, json_array, json_of, run_on};
use common::{Harness, TestDb};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::store::Store;
use twotier::store::init::{NewBook, create_book};
use twotier::ui::{Theme, view};

const ADMIN: &str = "ava@contoso.example";
const TENANT: &str = "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1";

/// `init --company … --admin …` with these values replaced.
fn init_args<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let mut fields = vec![
        ("--company", "Contoso Distribution"),
        ("--partner-id", "1234567"),
        ("--tenant-id", TENANT),
        ("--country", "US"),
        ("--admin", ADMIN),
        ("--admin-name", "Ava Admin"),
    ];
    for (flag, value) in overrides {
        match fields.iter_mut().find(|(f, _)| f == flag) {
            Some(field) => field.1 = value,
            None => fields.push((flag, value)),
        }
    }
    let mut args = vec!["init"];
    for (flag, value) in fields {
        args.push(flag);
        args.push(value);
    }
    args
}

fn init_on(sandbox: &Sandbox, db: &Path, overrides: &[(&str, &str)]) -> Output {
    run_on(sandbox, db, &init_args(overrides))
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn default_db(sandbox: &Sandbox) -> PathBuf {
    sandbox.home().join(".local/share/twotier/twotier.db")
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[track_caller]
fn assert_exit_1(out: &Output) {
    assert_eq!(out.status.code(), Some(1), "{}", describe(out));
}

#[test]
fn init_makes_a_whole_empty_book() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("own.db");
    let out = init_on(&sandbox, &db, &[]);
    assert_success(&out);
    let printed = stdout(&out);
    assert!(printed.contains("Contoso Distribution"), "{printed}");
    assert!(
        printed.contains("Global admin ava@contoso.example"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("twotier --db {} --operator {ADMIN}", db.display())),
        "{printed}"
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let provider: (String, String, String, String, bool, String) = conn
        .query_row(
            "SELECT company_name, partner_id, tenant_id, country, is_demo, support_email FROM provider",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(
        provider,
        (
            "Contoso Distribution".into(),
            "1234567".into(),
            TENANT.into(),
            "US".into(),
            false,
            "support@contoso.example".into()
        )
    );
    let operators: Vec<(String, String, String)> = conn
        .prepare("SELECT upn, display_name, role FROM operators")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        operators,
        vec![(ADMIN.into(), "Ava Admin".into(), "global-admin".into())]
    );
    if let Ok(user) = std::env::var("USER") {
        assert!(
            !operators.iter().any(|o| o.0 == user),
            "the OS user was added"
        );
    }
    // The catalog shipped in assets/, read here on its own.
    let shipped: toml::Value = toml::from_str(include_str!("../assets/offers.toml")).unwrap();
    let mut shipped: Vec<String> = shipped["offer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    shipped.sort();
    assert!(shipped.len() > 5, "{shipped:?}");
    let mut offers: Vec<String> = conn
        .prepare("SELECT id FROM offers")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    offers.sort();
    assert_eq!(offers, shipped);
    assert!(
        printed.contains(&format!("{} offers in the catalog", shipped.len())),
        "{printed}"
    );
    for table in [
        "resellers",
        "customers",
        "subscriptions",
        "invitations",
        "orders",
    ] {
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    let audit: Vec<(String, String)> = conn
        .prepare("SELECT action, operator FROM audit_log")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(audit, vec![("Book created".into(), ADMIN.into())]);
    drop(conn);

    // Scripts read it as the admin.
    let resellers = json_of(
        &sandbox,
        &db,
        &["--operator", ADMIN, "resellers", "list", "--json"],
    );
    assert!(json_array(&resellers).is_empty(), "{resellers:#}");
    let users = run_on(&sandbox, &db, &["--operator", ADMIN, "users", "list"]);
    assert_success(&users);
    assert!(stdout(&users).contains(ADMIN), "{}", describe(&users));
}

#[test]
fn each_bad_argument_is_refused_in_words_and_no_file_is_made() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("own.db");
    let cases: &[(&str, &str, &str)] = &[
        ("--partner-id", "12ab567", "digits only"),
        ("--tenant-id", "not-a-guid", "GUID"),
        ("--country", "XX", "not an ISO 3166 country code"),
        ("--country", "USA", "two-letter ISO code"),
        ("--admin", "ava@", "--admin"),
        ("--admin", "ava", "name@company.com"),
        ("--company", "  ", "legal name"),
        ("--admin-name", "Ava\u{1b}[31m", "control"),
    ];
    for (flag, value, words) in cases {
        let out = init_on(&sandbox, &db, &[(flag, value)]);
        assert_exit_1(&out);
        let err = stderr(&out);
        assert!(err.contains(flag), "{flag} {value:?}: {err}");
        assert!(err.contains(words), "{flag} {value:?}: {err}");
        assert!(!db.exists(), "{flag} {value:?} made a file");
        assert!(sandbox.listing().is_empty(), "{:?}", sandbox.listing());
    }
}

#[test]
fn an_existing_file_is_refused_byte_for_byte() {
    let sandbox = Sandbox::new();
    for (name, content) in [
        ("empty.db", Vec::new()),
        ("notes.txt", b"my notes\n".to_vec()),
    ] {
        let path = sandbox.file(name);
        std::fs::write(&path, &content).unwrap();
        let mtime = modified(&path);
        let out = init_on(&sandbox, &path, &[]);
        assert_exit_1(&out);
        assert!(
            stderr(&out).contains("already exists"),
            "{}",
            describe(&out)
        );
        assert_eq!(std::fs::read(&path).unwrap(), content, "{name}");
        assert_eq!(modified(&path), mtime, "{name}");
    }
    // A book: a second init is refused and the first stays as it was.
    let db = sandbox.file("own.db");
    assert_success(&init_on(&sandbox, &db, &[]));
    let before = std::fs::read(&db).unwrap();
    let mtime = modified(&db);
    let out = init_on(&sandbox, &db, &[("--company", "Other Company")]);
    assert_exit_1(&out);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(modified(&db), mtime);
    let listing = sandbox.listing();
    assert_eq!(
        listing,
        ["empty.db", "notes.txt", "own.db"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "no -wal or -shm beside the refused files"
    );
}

#[test]
fn init_writes_the_default_book_and_demo_leaves_it_alone() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&init_args(&[]));
    assert_success(&out);
    let own = default_db(&sandbox);
    assert!(own.is_file(), "{}", describe(&out));
    assert!(
        stdout(&out).contains("plain `twotier` opens as you"),
        "{}",
        describe(&out)
    );
    // No config file was there: init made one naming the admin, so no --operator is needed.
    let config = sandbox.home().join(".config/twotier/config.toml");
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.contains(&format!("operator = \"{ADMIN}\"")),
        "{written}"
    );
    let before = std::fs::read(&own).unwrap();
    let demo = sandbox.run(&["demo", "--as-of", "2026-11-01"]);
    assert_success(&demo);
    assert!(own.with_file_name("demo.db").is_file());
    assert_eq!(
        std::fs::read(&own).unwrap(),
        before,
        "twotier demo touched twotier.db"
    );
    // Scripts without --db read your own book, not the demo.
    let resellers = sandbox.run(&["resellers", "list", "--json"]);
    assert_success(&resellers);
    assert_eq!(stdout(&resellers).trim(), "[]");
    // And a second init at the default path is refused.
    let again = sandbox.run(&init_args(&[]));
    assert_exit_1(&again);
    assert_eq!(std::fs::read(&own).unwrap(), before);
}

fn screen(h: &Harness) -> String {
    let state = &h.state;
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_empty_lists_of_a_new_book_say_what_to_do_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twotier.db");
    let new = NewBook {
        company: "Contoso Distribution".into(),
        partner_id: "1234567".into(),
        tenant_id: TENANT.into(),
        country: "US".into(),
        admin_upn: ADMIN.into(),
        admin_name: String::new(),
    };
    let made = create_book(&path, &new).unwrap();
    assert_eq!(made.admin_name, ADMIN);
    let (store, _) = Store::open(&path).unwrap();
    let db = TestDb { dir, path, store };
    let mut h = Harness::acting_as(db, ADMIN, 80, 24);
    let resellers = screen(&h);
    assert!(
        resellers
            .contains("No indirect resellers yet: r requests a partnership, or twotier import"),
        "{resellers}"
    );
    h.type_str("2");
    let customers = screen(&h);
    assert!(
        customers.contains("No customers yet: n adds one, or twotier import customers FILE."),
        "{customers}"
    );
}
