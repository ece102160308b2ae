//! Books on disk through the built binary: concurrent first use, `twotier demo` never replacing a
//! book in use, leftovers of killed demo builds, and rows another tool wrote with invalid UTF-8.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::process::{assert_refused, assert_success, describe, stderr, stdout};
use common::sandbox::{Sandbox, run_on};
use twotier::store::Store;

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn demo(sandbox: &Sandbox, db: &Path) -> Output {
    run_on(sandbox, db, &["demo", "--as-of", "2026-11-01"])
}

#[test]
fn four_commands_started_together_on_a_new_path_refuse_and_create_nothing() {
    // Scripts never make a book (the console's first run does, under one write lock: see
    // tests/store_races.rs); together on a missing path, each says so and nothing appears.
    let sandbox = Sandbox::new();
    let db = sandbox.file("new/twotier.db");
    let children: Vec<_> = ["resellers", "customers", "users", "activity"]
        .iter()
        .map(|what| {
            sandbox
                .twotier()
                .args(["--db", db.to_str().unwrap(), what, "list", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        assert!(
            stderr(&out).contains("no twotier database at"),
            "{}",
            describe(&out)
        );
    }
    assert!(!db.parent().unwrap().exists());
}

#[test]
fn demo_refuses_to_replace_a_real_book_unless_forced() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    // A real book: its provider is not the demo's.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE provider SET is_demo = 0, company_name = 'Contoso Distribution';
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    let before = bytes(&db);
    let out = demo(&sandbox, &db);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("holds a real book"),
        "{}",
        describe(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", describe(&out));
    assert_eq!(
        bytes(&db),
        before,
        "the real book is byte for byte as it was"
    );
    let out = run_on(&sandbox, &db, &["demo", "--as-of", "2026-11-01", "--force"]);
    assert_success(&out);
    assert_eq!(count(&db, "SELECT is_demo FROM provider"), 1);
}

#[test]
fn demo_refuses_to_replace_a_book_that_is_open_and_leaves_it_unchanged() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    // Another twotier has the book open (a console's store worker holds it the same way).
    let (open, _) = Store::open(&db).unwrap();
    open.conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let before = bytes(&db);
    let out = demo(&sandbox, &db);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("is open in another twotier"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        bytes(&db),
        before,
        "the open book is byte for byte as it was"
    );
    drop(open);
    assert_success(&demo(&sandbox, &db));
}

#[test]
fn a_killed_demo_build_leaves_nothing_behind_after_the_next_run() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("big.db");
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(sandbox.work())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".twotier-demo-"))
            .collect()
    };
    for delay in [150, 300, 600] {
        let mut child = sandbox
            .twotier()
            .args(["--db", db.to_str().unwrap(), "demo", "--customers", "20000"])
            .args(["--subscriptions", "60000"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(!leftovers().is_empty(), "the kills interrupted a build");
    let out = demo(&sandbox, &db);
    assert_success(&out);
    assert!(
        stdout(&out).contains("left by an interrupted twotier demo"),
        "{}",
        describe(&out)
    );
    assert_eq!(leftovers(), Vec::<String>::new());
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), 60);
}

#[test]
fn a_build_in_progress_is_not_taken_for_a_leftover() {
    let sandbox = Sandbox::new();
    let (a, b) = (sandbox.file("a.db"), sandbox.file("b.db"));
    let slow = sandbox
        .twotier()
        .args(["--db", a.to_str().unwrap(), "demo", "--customers", "20000"])
        .args(["--subscriptions", "60000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until its temporary file exists, then run a second build in the same folder.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_dir(sandbox.work())
        .unwrap()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".twotier-demo-")
        })
    {
        assert!(Instant::now() < deadline, "the slow build never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = demo(&sandbox, &b);
    assert_success(&out);
    assert!(!stdout(&out).contains("interrupted"), "{}", describe(&out));
    let slow = slow.wait_with_output().unwrap();
    assert_success(&slow);
    assert_eq!(count(&a, "SELECT count(*) FROM customers"), 20000);
}

#[test]
fn a_row_with_invalid_utf8_is_shown_with_replacement_characters_and_the_list_stays() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        // As another tool or a sync could write it: bytes that are not UTF-8, in several lists.
        conn.execute_batch(
            "UPDATE customers SET company_name = CAST(X'4272616B656EFF20436F' AS TEXT)
               WHERE id = (SELECT min(id) FROM customers);
             UPDATE resellers SET name = CAST(X'4261C0AF6420526573656C6C6572' AS TEXT)
               WHERE id = (SELECT min(id) FROM resellers WHERE state = 'active');",
        )
        .unwrap();
    }
    for (args, all) in [
        (&["customers", "list", "--json"][..], 60),
        (&["resellers", "list", "--json", "--all"][..], 12),
        (&["subscriptions", "list", "--json"][..], 150),
    ] {
        let out = run_on(&sandbox, &db, args);
        assert_success(&out);
        let text = stdout(&out);
        let value: serde_json::Value = serde_json::from_str(&text)
            .or_else(|_| {
                serde_json::from_str(&format!("[{}]", text.lines().collect::<Vec<_>>().join(",")))
            })
            .unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
        let list = value.as_array().unwrap();
        assert_eq!(list.len(), all, "{args:?}: the whole list is there");
        assert!(
            text.contains('\u{fffd}'),
            "{args:?}: the damaged text is marked"
        );
    }
    let out = run_on(&sandbox, &db, &["customers", "list"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Braken\u{fffd} Co"),
        "{}",
        describe(&out)
    );
}
