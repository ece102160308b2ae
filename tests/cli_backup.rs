//! `twotier backup` and `twotier restore` through the built binary: a consistent, verified copy
//! of a book in use; restores that check the copy, never replace a book open in a twotier, and
//! keep the replaced book; backups killed at random moments never leave a broken FILE.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::process::{assert_refused, assert_success, describe, stderr, stdout};
use common::sandbox::{Sandbox, run_on};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use twotier::store::{APPLICATION_ID, Store};

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn demo(sandbox: &Sandbox, db: &Path, size: &[&str]) {
    let mut args = vec!["demo", "--as-of", "2026-11-01"];
    args.extend_from_slice(size);
    assert_success(&run_on(sandbox, db, &args));
}

fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Every table's rows, in rowid order, by table name (sqlite_sequence included).
fn all_rows(db: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = read_only(db);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() > 5, "{tables:?}");
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<Vec<Value>> = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            (t, rows)
        })
        .collect()
}

fn schema(db: &Path) -> Vec<(String, Option<String>)> {
    read_only(db)
        .prepare("SELECT name, sql FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// integrity_check's answer, application id and schema version.
fn health(db: &Path) -> (String, i32, i32) {
    let conn = read_only(db);
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| format!("{e}"));
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    (ok, app, version)
}

#[track_caller]
fn assert_whole_book(db: &Path) {
    let (ok, app, version) = health(db);
    assert_eq!(ok, "ok", "{}", db.display());
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(version, twotier::store::SCHEMA_VERSION);
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    read_only(db).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The file names in the work folder, with their bytes and modification times.
fn snapshot(sandbox: &Sandbox) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    sandbox
        .listing()
        .into_iter()
        .map(|name| {
            let path = sandbox.file(&name);
            let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
            (name, bytes(&path), mtime)
        })
        .collect()
}

#[test]
fn a_backup_of_a_demo_book_is_an_identical_logical_copy() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    demo(&sandbox, &db, &[]);
    let copy = sandbox.file("copy.db");
    let out = run_on(&sandbox, &db, &["backup", arg(&copy)]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Backed up") && stdout(&out).contains("copy.db"),
        "{}",
        describe(&out)
    );
    assert_whole_book(&copy);
    assert_eq!(schema(&copy), schema(&db));
    assert_eq!(all_rows(&copy), all_rows(&db));
    // No entry in the book for a backup, and nothing left beside the copy.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action LIKE '%ackup%'"
        ),
        0
    );
    let listing = sandbox.listing();
    assert!(
        listing
            .iter()
            .all(|n| n.starts_with("book.db") || n.starts_with("copy.db")),
        "{listing:?}"
    );
    // The copy works as a book.
    let out = run_on(&sandbox, &copy, &["customers", "list", "--json"]);
    assert_success(&out);
}

#[test]
fn a_backup_refuses_an_existing_file_unless_forced() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    demo(&sandbox, &db, &[]);
    let file = sandbox.file("precious.db");
    std::fs::write(&file, b"not to be lost").unwrap();
    let before = snapshot(&sandbox);
    let out = run_on(&sandbox, &db, &["backup", arg(&file)]);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("already exists"),
        "{}",
        describe(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", describe(&out));
    assert_eq!(bytes(&file), b"not to be lost");
    assert_eq!(snapshot(&sandbox), before);
    // The book itself is never a backup's destination, even forced.
    let out = run_on(&sandbox, &db, &["backup", arg(&db), "--force"]);
    assert_refused(&out);
    assert_eq!(snapshot(&sandbox), before);
    // Nor is a folder made for one.
    let out = run_on(
        &sandbox,
        &db,
        &["backup", arg(&sandbox.file("typo/copy.db"))],
    );
    assert_refused(&out);
    assert!(
        stderr(&out).contains("does not exist"),
        "{}",
        describe(&out)
    );
    assert_eq!(snapshot(&sandbox), before);

    let out = run_on(&sandbox, &db, &["backup", arg(&file), "--force"]);
    assert_success(&out);
    assert_whole_book(&file);
    assert_eq!(all_rows(&file), all_rows(&db));
}

#[test]
fn a_backup_of_a_damaged_book_fails_its_check_and_leaves_no_file() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    demo(&sandbox, &db, &[]);
    // A page near the end torn out: the header still says twotier, the pages do not add up.
    let mut content = bytes(&db);
    let page = 4096;
    let last = content.len() / page - 2;
    content[last * page..(last + 1) * page].fill(0xA5);
    std::fs::write(&db, &content).unwrap();
    let before = snapshot(&sandbox);
    let copy = sandbox.file("copy.db");
    let out = run_on(&sandbox, &db, &["backup", arg(&copy)]);
    assert_refused(&out);
    assert!(
        stderr(&out).contains(&format!("{} is not a whole twotier book", db.display())),
        "{}",
        describe(&out)
    );
    assert!(!copy.exists());
    assert_eq!(snapshot(&sandbox), before, "nothing beside the copy either");
}

#[test]
fn a_backup_of_a_file_that_is_not_a_twotier_book_is_refused_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let foreign = sandbox.file("foreign.db");
    let conn = Connection::open(&foreign).unwrap();
    conn.execute_batch("PRAGMA application_id = 1234; CREATE TABLE t (x);")
        .unwrap();
    drop(conn);
    let notes = sandbox.file("notes.txt");
    std::fs::write(&notes, b"my notes\n").unwrap();
    let before = snapshot(&sandbox);
    for (book, why) in [
        (&foreign, "another program"),
        (&notes, "not an SQLite file"),
    ] {
        let out = run_on(&sandbox, book, &["backup", arg(&sandbox.file("copy.db"))]);
        assert_refused(&out);
        assert!(stderr(&out).contains(why), "{}", describe(&out));
        assert_eq!(snapshot(&sandbox), before, "{}", describe(&out));
    }
}

/// The console's writes: batches of `BATCH` rows, each batch one transaction.
const BATCH: i64 = 25;

fn write_batch(conn: &Connection, batch: i64) {
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO audit_log (at, operator, action, target) \
             VALUES ('2026-11-01T00:00:00Z', 'probe', 'Probe', ?1)",
        )
        .unwrap();
    for i in 0..BATCH {
        insert.execute([format!("{batch}/{i}")]).unwrap();
    }
}

#[test]
fn a_backup_while_a_console_holds_a_write_transaction_and_commits_is_consistent() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    demo(
        &sandbox,
        &db,
        &[
            "--resellers",
            "200",
            "--customers",
            "5000",
            "--subscriptions",
            "15000",
        ],
    );
    for round in 0..3 {
        let copy = sandbox.file(&format!("copy{round}.db"));
        // The "console": a write transaction open before the backup starts.
        let console = Connection::open(&db).unwrap();
        console.busy_timeout(Duration::from_secs(10)).unwrap();
        console.execute_batch("BEGIN IMMEDIATE").unwrap();
        let before = count(
            &db,
            "SELECT count(*) FROM audit_log WHERE operator = 'probe'",
        );
        write_batch(&console, 0);
        let mut child = sandbox
            .twotier()
            .args(["--db", arg(&db), "backup", arg(&copy)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Commits while the backup runs (from its first moment), and keeps one transaction open
        // at the end. The copy is the book as one of those commits left it.
        let mut batches = 1;
        let started = Instant::now();
        loop {
            console.execute_batch("COMMIT; BEGIN IMMEDIATE").unwrap();
            write_batch(&console, batches);
            batches += 1;
            let running = child.try_wait().unwrap().is_none();
            if !running || started.elapsed() > Duration::from_secs(20) {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let out = child.wait_with_output().unwrap();
        assert_success(&out);
        console.execute_batch("COMMIT").unwrap();
        drop(console);
        assert_whole_book(&copy);
        let copied = count(
            &copy,
            "SELECT count(*) FROM audit_log WHERE operator = 'probe'",
        ) - before;
        let total = count(
            &db,
            "SELECT count(*) FROM audit_log WHERE operator = 'probe'",
        ) - before;
        assert_eq!(total, batches * BATCH);
        // A committed state: whole batches only, never the one still open.
        eprintln!("round {round}: {copied} of {total} probe rows in the copy");
        assert!(
            copied % BATCH == 0 && copied < total,
            "round {round}: {copied} of {total} probe rows in the copy"
        );
        assert_eq!(
            count(&copy, "SELECT count(*) FROM customers"),
            count(&db, "SELECT count(*) FROM customers")
        );
    }
}

#[test]
fn backups_while_another_twotier_process_keeps_adding_users_are_whole_and_the_writes_all_succeed() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    demo(
        &sandbox,
        &db,
        &["--customers", "2000", "--subscriptions", "6000"],
    );
    let users = |path: &Path| count(path, "SELECT count(*) FROM operators");
    let at_start = users(&db);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        // The writer: `twotier users add` in a loop, each its own process and transaction.
        let writer = scope.spawn(|| {
            let mut added = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let upn = format!("probe{added}@northwind-distribution.example");
                let out = run_on(
                    &sandbox,
                    &db,
                    &[
                        "--operator",
                        "ava.global@northwind-distribution.example",
                        "users",
                        "add",
                        &upn,
                        "--role",
                        "sales-agent",
                    ],
                );
                assert_success(&out);
                added += 1;
            }
            added
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while users(&db) == at_start {
            assert!(Instant::now() < deadline, "the writer never wrote");
            std::thread::sleep(Duration::from_millis(5));
        }
        for round in 0..6 {
            let copy = sandbox.file(&format!("copy{round}.db"));
            assert_success(&run_on(&sandbox, &db, &["backup", arg(&copy)]));
            assert_whole_book(&copy);
            let copied = users(&copy);
            assert!(
                copied > at_start && copied <= users(&db),
                "round {round}: {copied}"
            );
            // Each added user is there with its activity entry, or neither is.
            assert_eq!(
                count(
                    &copy,
                    "SELECT count(*) FROM operators WHERE upn LIKE 'probe%'"
                ),
                count(
                    &copy,
                    "SELECT count(*) FROM audit_log WHERE target LIKE 'probe%'"
                ),
                "round {round}"
            );
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let added = writer.join().unwrap();
        assert!(added > 0, "the writer ran while the backups did");
        assert_eq!(users(&db), at_start + added);
    });
}

/// A book with a different seed, so its rows differ from the demo's.
fn two_books(sandbox: &Sandbox) -> (PathBuf, PathBuf) {
    let a = sandbox.file("a.db");
    let b = sandbox.file("b.db");
    demo(sandbox, &a, &["--seed", "1"]);
    demo(sandbox, &b, &["--seed", "2"]);
    (a, b)
}

#[test]
fn a_restore_replaces_the_book_and_keeps_the_old_one() {
    let sandbox = Sandbox::new();
    let (a, target) = two_books(&sandbox);
    let copy = sandbox.file("a-backup.db");
    assert_success(&run_on(&sandbox, &a, &["backup", arg(&copy)]));
    let old = all_rows(&target);
    let copy_rows = all_rows(&copy);
    assert_ne!(old, copy_rows);

    let out = run_on(&sandbox, &target, &["restore", arg(&copy)]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Restored") && stdout(&out).contains("b.db.before-restore"),
        "{}",
        describe(&out)
    );
    let kept = sandbox.file("b.db.before-restore");
    assert_whole_book(&target);
    assert_whole_book(&kept);
    assert_eq!(all_rows(&kept), old);
    // The copy's rows, and one activity entry more.
    let restored = all_rows(&target);
    for ((table, rows), (copy_table, copy_rows)) in restored.iter().zip(&copy_rows) {
        assert_eq!(table, copy_table);
        if table == "audit_log" {
            assert_eq!(rows.len(), copy_rows.len() + 1);
        } else if table == "row_counts" {
            // The kept counts: the activity log's one more, the others the copy's.
            let mut expected = copy_rows.clone();
            for row in &mut expected {
                if row[0] == Value::Text("audit_log".into())
                    && let Value::Integer(n) = row[1]
                {
                    row[1] = Value::Integer(n + 1);
                }
            }
            assert_eq!(rows, &expected, "{table}");
        } else if table != "sqlite_sequence" {
            assert_eq!(rows, copy_rows, "{table}");
        }
    }
    assert_eq!(
        count(
            &target,
            "SELECT count(*) FROM audit_log WHERE action = 'Book restored' AND target LIKE '%a-backup.db'"
        ),
        1
    );
    // The backup itself is untouched; no temporary file is left (the -wal and -shm files are
    // this test's read-only connections').
    assert_eq!(all_rows(&copy), copy_rows);
    let listing = sandbox.listing();
    assert!(
        !listing
            .iter()
            .any(|n| n.contains("twotier-restore") || n.contains("journal")),
        "{listing:?}"
    );

    // Again: the kept book is not replaced without --force.
    let before = snapshot(&sandbox);
    let out = run_on(&sandbox, &target, &["restore", arg(&copy)]);
    assert_refused(&out);
    assert!(stderr(&out).contains("--force"), "{}", describe(&out));
    assert_eq!(snapshot(&sandbox), before);
    let out = run_on(&sandbox, &target, &["restore", arg(&copy), "--force"]);
    assert_success(&out);
    assert_eq!(all_rows(&kept), restored);
    assert_whole_book(&target);
}

#[test]
fn a_restore_to_a_missing_book_creates_it_without_a_kept_copy() {
    let sandbox = Sandbox::new();
    let a = sandbox.file("a.db");
    demo(&sandbox, &a, &[]);
    let copy = sandbox.file("copy.db");
    assert_success(&run_on(&sandbox, &a, &["backup", arg(&copy)]));
    let target = sandbox.file("new/book.db");
    let out = run_on(&sandbox, &target, &["restore", arg(&copy)]);
    assert_success(&out);
    assert_whole_book(&target);
    assert!(!sandbox.file("new/book.db.before-restore").exists());
}

/// Runs `restore FILE` onto `target` and checks it was refused with `why`, changing nothing.
#[track_caller]
fn assert_restore_refused(sandbox: &Sandbox, file: &Path, target: &Path, why: &str) {
    let before = snapshot(sandbox);
    let out = run_on(sandbox, target, &["restore", arg(file), "--force"]);
    assert_refused(&out);
    assert!(stderr(&out).contains(why), "{}", describe(&out));
    assert_eq!(snapshot(sandbox), before, "{}", describe(&out));
}

#[test]
fn a_restore_refuses_a_file_that_is_not_a_twotier_book_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let target = sandbox.file("book.db");
    demo(&sandbox, &target, &[]);
    let garbage = sandbox.file("garbage.db");
    std::fs::write(&garbage, b"hello, not a database at all").unwrap();
    assert_restore_refused(&sandbox, &garbage, &target, "not a twotier backup");

    let foreign = sandbox.file("foreign.db");
    let conn = Connection::open(&foreign).unwrap();
    conn.execute_batch(
        "PRAGMA application_id = 1234; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
    )
    .unwrap();
    drop(conn);
    assert_restore_refused(&sandbox, &foreign, &target, "another program");

    let empty_sqlite = sandbox.file("empty.db");
    std::fs::write(&empty_sqlite, b"").unwrap();
    assert_restore_refused(&sandbox, &empty_sqlite, &target, "empty.db");

    // A twotier book with a page torn out: the integrity check refuses it.
    let torn = sandbox.file("torn.db");
    assert_success(&run_on(&sandbox, &target, &["backup", arg(&torn)]));
    let mut content = bytes(&torn);
    let page = 4096;
    let last = content.len() / page - 2;
    for b in &mut content[last * page..(last + 1) * page] {
        *b = 0xA5;
    }
    std::fs::write(&torn, &content).unwrap();
    assert_restore_refused(&sandbox, &torn, &target, "not a whole twotier book");

    let missing = sandbox.file("missing.db");
    assert_restore_refused(&sandbox, &missing, &target, "no file at");

    // A book whose last writes are in its -wal (in use, or not closed cleanly): the file alone
    // is not the whole book.
    let source = sandbox.file("source.db");
    assert_success(&run_on(&sandbox, &target, &["backup", arg(&source)]));
    let writer = Connection::open(&source).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; DELETE FROM offer_upgrades;",
        )
        .unwrap();
    let unclosed = sandbox.file("unclosed.db");
    std::fs::copy(&source, &unclosed).unwrap();
    std::fs::copy(
        sandbox.file("source.db-wal"),
        sandbox.file("unclosed.db-wal"),
    )
    .unwrap();
    drop(writer);
    std::fs::remove_file(&source).unwrap();
    assert_restore_refused(&sandbox, &unclosed, &target, "write-ahead log");

    // A good backup onto a file that is not a twotier book: that file is not replaced.
    let good = sandbox.file("good.db");
    assert_success(&run_on(&sandbox, &target, &["backup", arg(&good)]));
    let notes = sandbox.file("notes.txt");
    std::fs::write(&notes, b"my notes\n").unwrap();
    assert_restore_refused(&sandbox, &good, &notes, "not a twotier database");
    assert_restore_refused(&sandbox, &good, &foreign, "another program");
}

#[test]
fn a_restore_refuses_a_newer_schema_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let target = sandbox.file("book.db");
    demo(&sandbox, &target, &[]);
    let newer = sandbox.file("newer.db");
    assert_success(&run_on(&sandbox, &target, &["backup", arg(&newer)]));
    let conn = Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", twotier::store::SCHEMA_VERSION + 1)
        .unwrap();
    conn.close().unwrap();
    assert_restore_refused(&sandbox, &newer, &target, "newer twotier");
}

#[test]
fn a_restore_refuses_a_book_open_in_another_twotier_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let (a, target) = two_books(&sandbox);
    let copy = sandbox.file("copy.db");
    assert_success(&run_on(&sandbox, &a, &["backup", arg(&copy)]));
    let (store, _) = Store::open(&target).unwrap();
    // Let the open book's -wal and -shm settle before the snapshot.
    store
        .conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    assert_restore_refused(&sandbox, &copy, &target, "open in another twotier");
    drop(store);
    assert_success(&run_on(&sandbox, &target, &["restore", arg(&copy)]));
}

/// A small pseudo-random sequence (xorshift), seeded from the clock: random moments.
struct Moments(u64);

impl Moments {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

#[test]
fn a_backup_killed_at_random_moments_never_leaves_a_broken_file() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    demo(
        &sandbox,
        &db,
        &[
            "--resellers",
            "200",
            "--customers",
            "5000",
            "--subscriptions",
            "15000",
        ],
    );
    let file = sandbox.file("backup.db");
    let started = Instant::now();
    assert_success(&run_on(
        &sandbox,
        &db,
        &["backup", arg(&sandbox.file("timing.db"))],
    ));
    let one = started.elapsed().as_micros() as u64;
    std::fs::remove_file(sandbox.file("timing.db")).unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("moments seed {seed}, one backup {one} µs");
    let mut moments = Moments(seed);
    let mut killed = 0;
    for round in 0..20 {
        let mut child = sandbox
            .twotier()
            .args(["--db", arg(&db), "backup", arg(&file), "--force"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(moments.next_below(one * 3 / 4)));
        // SIGKILL.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        killed += usize::from(status.code().is_none());
        if file.exists() {
            let (ok, app, _) = health(&file);
            assert_eq!(ok, "ok", "round {round} ({status:?})");
            assert_eq!(app, APPLICATION_ID, "round {round}");
            assert_eq!(
                count(&file, "SELECT count(*) FROM customers"),
                5000,
                "round {round}"
            );
        }
    }
    // Kills land during the backup, not after it finished (some of them, even on a loaded
    // machine where the timing drifts).
    assert!(
        killed >= 2,
        "only {killed} of 20 backups were killed before they finished"
    );
    // The next backup removes what the killed ones left.
    let out = run_on(&sandbox, &db, &["backup", arg(&file), "--force"]);
    assert_success(&out);
    assert_whole_book(&file);
    let listing = sandbox.listing();
    assert!(
        !listing.iter().any(|n| n.contains("twotier-backup")),
        "{listing:?}\n{}",
        describe(&out)
    );
}
