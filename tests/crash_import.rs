//! A kill during an import leaves the book as it was: the release binary imports a large
//! subscriptions file and is killed with SIGKILL at random moments (seeded, reproducible); after
//! every kill the book is whole (`integrity_check`, `foreign_key_check`) and holds either none of
//! the file or all of it, never part. Where a kill landed is read from the debug log ("write
//! transaction begun" / "committed"). `TWOTIER_KILL_SEED=N` replays a run; `TWOTIER_KILLS=N`
//! changes the count (default 40).

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::process::assert_success;
use common::sandbox::{Sandbox, run_on};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

const ADMIN: &str = "ava@northwind.example";
const SUBSCRIPTIONS: i64 = 60_000;

fn kills() -> usize {
    std::env::var("TWOTIER_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn seed() -> u64 {
    std::env::var("TWOTIER_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261204)
}

fn one(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[track_caller]
fn assert_whole(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let mut fk = conn.prepare("PRAGMA foreign_key_check").unwrap();
    assert_eq!(
        fk.query_map([], |_| Ok(())).unwrap().count(),
        0,
        "foreign_key_check"
    );
    drop(fk);
    conn
}

fn remove_book(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// A demo book's three exports, and a fresh book of the same provider holding its resellers and
/// customers: the subscriptions file is what each run imports.
fn template(sandbox: &Sandbox) -> (PathBuf, PathBuf) {
    let demo = sandbox.file("demo.db");
    let count = SUBSCRIPTIONS.to_string();
    assert_success(&run_on(
        sandbox,
        &demo,
        &[
            "--operator",
            "tester",
            "demo",
            "--customers",
            "6000",
            "--subscriptions",
            &count,
            "--as-of",
            "2026-11-01",
        ],
    ));
    for what in ["resellers", "customers", "subscriptions"] {
        let file = format!("{what}.csv");
        assert_success(&run_on(
            sandbox,
            &demo,
            &[
                "--operator",
                "tester",
                "export",
                what,
                "--format",
                "csv",
                "--out",
                &file,
            ],
        ));
    }
    let book = sandbox.file("template.db");
    assert_success(&run_on(
        sandbox,
        &book,
        &[
            "init",
            "--company",
            "Northwind Cloud Distribution",
            "--partner-id",
            "4120357",
            "--tenant-id",
            "9a3c1f52-7d4e-4b8a-9c21-5e6f7a8b9c0d",
            "--country",
            "US",
            "--admin",
            ADMIN,
        ],
    ));
    for what in ["resellers", "customers"] {
        let file = format!("{what}.csv");
        assert_success(&run_on(
            sandbox,
            &book,
            &["--operator", ADMIN, "import", what, &file],
        ));
    }
    let conn = Connection::open(&book).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(conn);
    (book, sandbox.file("subscriptions.csv"))
}

#[test]
fn killing_an_import_leaves_the_book_as_it_was_or_the_whole_file_in() {
    let sandbox = Sandbox::new();
    let (template, file) = template(&sandbox);
    let audits_before = one(
        &Connection::open(&template).unwrap(),
        "SELECT count(*) FROM audit_log",
    );
    let db = sandbox.file("book.db");
    let log = sandbox.home().join(".local/state/twotier/twotier.log");
    let run = || {
        remove_book(&db);
        std::fs::copy(&template, &db).unwrap();
        let _ = std::fs::remove_file(&log);
        let mut cmd = sandbox.twotier();
        cmd.env("TWOTIER_LOG", "debug")
            .arg("--db")
            .arg(&db)
            .args(["--operator", ADMIN, "import", "subscriptions"])
            .arg(&file);
        cmd
    };
    // Whole or nothing: all the file's subscriptions and its one summary entry, or neither.
    let there = |conn: &Connection| match (
        one(conn, "SELECT count(*) FROM subscriptions"),
        one(conn, "SELECT count(*) FROM audit_log") - audits_before,
    ) {
        (SUBSCRIPTIONS, 1) => true,
        (0, 0) => false,
        other => panic!("half an import: {other:?}"),
    };
    let mut full = Duration::MAX;
    for _ in 0..2 {
        let started = Instant::now();
        assert_success(&run().output().unwrap());
        full = full.min(started.elapsed());
        assert!(there(&assert_whole(&db)), "the import is there");
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed());
    let (mut killed, mut mid, mut committed, mut rolled_back) = (0, 0, 0, 0);
    let span = full.as_micros() as u64 * 110 / 100;
    for i in 0..kills() {
        let mut child = run()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.random_range(0..span.max(1))));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let (begun, done) = (
            text.contains("write transaction begun"),
            text.contains("write transaction committed"),
        );
        if status.code().is_none() {
            killed += 1;
            mid += usize::from(begun && !done);
        }
        let in_book = there(&assert_whole(&db));
        if in_book {
            committed += 1;
        } else {
            rolled_back += 1;
        }
        if done {
            assert!(
                in_book,
                "kill #{i}: logged as committed but not in the book"
            );
        }
    }
    eprintln!(
        "import: {killed} killed, {mid} mid-transaction, {committed} committed, {rolled_back} rolled back \
         (seed {}, the import alone took {full:?})",
        seed()
    );
    assert!(
        killed >= kills() / 4,
        "at least a quarter of the runs were killed"
    );
    assert!(mid > 0, "no kill landed inside the import's transaction");
}
