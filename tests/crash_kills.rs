//! Crashes lose nothing: the release binary is killed with SIGKILL at random moments (seeded,
//! reproducible) during each kind of multi-row write the CLI offers, and after every kill the
//! book is checked: `PRAGMA integrity_check` is ok, `PRAGMA foreign_key_check` is empty, and the
//! write is all or nothing.
//!
//! Where a kill landed is read from the debug log, which the store writes synchronously around
//! each write transaction ("write transaction begun" / "committed"): a kill between the two hit
//! the transaction. `TWOTIER_KILL_SEED=N` replays a run; `TWOTIER_KILLS=N` changes the count
//! per kind (default 200).

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::process::assert_success;
use common::sandbox::{Sandbox, run_on};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

const ME: &str = "tester";

fn kills() -> usize {
    std::env::var("TWOTIER_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn seed() -> u64 {
    std::env::var("TWOTIER_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261203)
}

/// Where a kill landed.
#[derive(Debug, Default)]
struct Tally {
    kills: usize,
    before_transaction: usize,
    mid_transaction: usize,
    after_commit: usize,
    committed: usize,
    rolled_back: usize,
}

fn one(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The book after a kill: whole, and its foreign keys hold.
#[track_caller]
fn assert_consistent(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let mut fk = conn.prepare("PRAGMA foreign_key_check").unwrap();
    let problems = fk.query_map([], |_| Ok(())).unwrap().count();
    assert_eq!(problems, 0, "foreign_key_check found {problems} rows");
    drop(fk);
    conn
}

fn remove_book(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// A demo book (the default one, as of today) to copy before each kill.
fn template(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("template.db");
    assert_success(&run_on(sandbox, &db, &["--operator", ME, "demo"]));
    // One file, no WAL beside it: a plain copy is the whole book.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(conn);
    db
}

fn log_of(sandbox: &Sandbox) -> PathBuf {
    sandbox.home().join(".local/state/twotier/twotier.log")
}

/// Runs the command on a fresh copy of a demo book and kills it after a random delay, `kills()`
/// times. `args_for` makes the command from the book; `check` sees the book after each kill
/// (and the number of activity entries the write added) and says whether the write is there,
/// asserting that it is there whole or not at all.
fn kill_during(
    name: &str,
    span_percent: u64,
    args_for: impl Fn(&Connection) -> Vec<String>,
    check: impl Fn(&Connection, i64) -> bool,
) -> Tally {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let (args, audits_before) = {
        let conn = Connection::open(&template).unwrap();
        (
            args_for(&conn),
            one(&conn, "SELECT count(*) FROM audit_log"),
        )
    };
    let added = |c: &Connection| one(c, "SELECT count(*) FROM audit_log") - audits_before;
    let db = sandbox.file("book.db");
    let run = |log: bool| {
        remove_book(&db);
        std::fs::copy(&template, &db).unwrap();
        let mut cmd = sandbox.twotier();
        if log {
            cmd.env("TWOTIER_LOG", "debug");
        }
        cmd.arg("--db").arg(&db).args(&args);
        cmd
    };
    // How long the write takes when nothing kills it (the fastest of three, logging as below):
    // the kills spread over 0..span_percent % of that.
    let mut full = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let out = run(true).output().unwrap();
        full = full.min(started.elapsed());
        assert_success(&out);
    }
    let conn = assert_consistent(&db);
    assert!(check(&conn, added(&conn)), "{name}: the write is there");
    let mut rng = ChaCha8Rng::seed_from_u64(seed() ^ name.len() as u64);
    let mut tally = Tally::default();
    let span = (full.as_micros() as u64 * span_percent / 100).max(1);
    for i in 0..kills() {
        let mut cmd = run(true);
        let log = log_of(&sandbox);
        let _ = std::fs::remove_file(&log);
        let delay = Duration::from_micros(rng.random_range(0..span));
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        let (begun, committed) = (
            log.contains("write transaction begun"),
            log.contains("write transaction committed"),
        );
        if status.code().is_none() {
            tally.kills += 1;
            match (begun, committed) {
                (false, _) => tally.before_transaction += 1,
                (true, false) => tally.mid_transaction += 1,
                (true, true) => tally.after_commit += 1,
            }
        }
        let conn = assert_consistent(&db);
        let there = check(&conn, added(&conn));
        if there {
            tally.committed += 1;
        } else {
            tally.rolled_back += 1;
        }
        // A demo build commits into its temporary file, renamed over the book afterwards.
        if committed && name != "demo" {
            assert!(
                there,
                "{name} #{i}: logged as committed but not in the book"
            );
        }
    }
    eprintln!(
        "{name}: {tally:?} (seed {}, the write alone took {full:?})",
        seed()
    );
    // On a loaded machine the timing drifts; a quarter of the runs killed still covers every
    // phase (the tally says which were hit).
    assert!(
        tally.kills >= kills() / 4,
        "{name}: at least a quarter of the runs were killed: {tally:?}"
    );
    tally
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

#[test]
fn killing_an_acceptance_leaves_it_whole_or_not_at_all() {
    let token_of = |c: &Connection| -> String {
        c.query_row(
            "SELECT token FROM invitations WHERE status = 'sent' ORDER BY sent_at DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let tally = kill_during(
        "accept",
        110,
        |c| {
            let token = token_of(c);
            strings(&[
                "--operator",
                ME,
                "invitations",
                "accept",
                &token,
                "--partner-id",
                "7100001",
                "--name",
                "Kill Test Partners",
                "--country",
                "US",
            ])
        },
        |c, audits| {
            let accepted = one(
                c,
                "SELECT count(*) FROM invitations WHERE status = 'accepted' AND accepted_at IS NOT NULL AND reseller_id = (SELECT id FROM resellers WHERE partner_id = '7100001')",
            );
            let resellers = one(
                c,
                "SELECT count(*) FROM resellers WHERE partner_id = '7100001'",
            );
            match (accepted, resellers, audits) {
                (1, 1, 2) => true,
                (0, 0, 0) => false,
                other => panic!("half an acceptance: {other:?}"),
            }
        },
    );
    assert!(tally.mid_transaction + tally.after_commit > 0, "{tally:?}");
}

#[test]
fn killing_a_partnership_removal_leaves_it_whole_or_not_at_all() {
    kill_during(
        "remove",
        110,
        |_| strings(&["--operator", ME, "resellers", "remove", "5139005", "--yes"]),
        |c, audits| {
            let state: String = c
                .query_row(
                    "SELECT state FROM resellers WHERE partner_id = '5139005'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            match (state.as_str(), audits) {
                ("removed", 1) => true,
                ("active", 0) => false,
                other => panic!("half a removal: {other:?}"),
            }
        },
    );
}

#[test]
fn killing_a_role_change_leaves_it_whole_or_not_at_all() {
    kill_during(
        "set-role",
        110,
        |_| {
            strings(&[
                "--operator",
                ME,
                "users",
                "set-role",
                "dev.sales@northwind-distribution.example",
                "--role",
                "admin-agent",
            ])
        },
        |c, audits| {
            let role: String = c
                .query_row(
                    "SELECT role FROM operators WHERE upn = 'dev.sales@northwind-distribution.example'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            match (role.as_str(), audits) {
                ("admin-agent", 1) => true,
                ("sales-agent", 0) => false,
                other => panic!("half a role change: {other:?}"),
            }
        },
    );
}

#[test]
fn killing_a_demo_build_leaves_the_old_book_or_the_whole_new_one() {
    let tally = kill_during(
        "demo",
        // Long enough past the end that some kills come after the rename, on a busy machine too.
        200,
        |_| {
            strings(&[
                "demo",
                "--customers",
                "3000",
                "--subscriptions",
                "9000",
                "--as-of",
                "2026-11-01",
            ])
        },
        |c, _| match (
            one(c, "SELECT count(*) FROM customers"),
            one(c, "SELECT count(*) FROM subscriptions"),
        ) {
            (3000, 9000) => true,
            (60, 150) => false,
            other => panic!("half a demo: {other:?}"),
        },
    );
    assert!(tally.rolled_back > 0 && tally.committed > 0, "{tally:?}");
}

#[test]
fn killing_a_customer_creation_leaves_it_whole_or_not_at_all() {
    // The description lives outside the sandbox `kill_during` makes; kept until the end.
    let dir = tempfile::tempdir().unwrap();
    let description = dir.path().join("killtest.json");
    let json = serde_json::json!({
        "company_name": "Kill Test Robotics",
        "domain_prefix": "killtest",
        "first_name": "Ana",
        "last_name": "Silva",
        "email": "ana@killtest.example",
        "address_line1": "1 Main St",
        "city": "Seattle",
        "country": "US",
        "reseller_partner_id": "5139005",
        "mca": {"signer_name": "Ana Silva", "signer_email": "ana@killtest.example", "date_agreed": "2026-10-30"},
        "subscriptions": [
            {"offer_id": "CFQ7TTC0LCHC", "quantity": 25},
            {"offer_id": "CFQ7TTC0LF8Q", "quantity": 10, "term": "P3Y", "billing_cycle": "triennial"}
        ],
        "attest_partner_of_record": true
    });
    std::fs::write(&description, json.to_string()).unwrap();
    const TABLES: [&str; 4] = ["customers", "orders", "order_line_items", "subscriptions"];
    let totals = |c: &Connection| TABLES.map(|t| one(c, &format!("SELECT count(*) FROM {t}")));
    // The template's rows, read when the command is made: a row anywhere beyond them is the
    // write's, whatever it points at.
    let before = std::cell::Cell::new([0; 4]);
    let tally = kill_during(
        "customers-add",
        110,
        |c| {
            before.set(totals(c));
            strings(&[
                "--operator",
                ME,
                "customers",
                "add",
                "--from",
                description.to_str().unwrap(),
            ])
        },
        |c, audits| {
            let now = totals(c);
            let added: Vec<i64> = now.iter().zip(before.get()).map(|(n, b)| n - b).collect();
            let mine = one(
                c,
                "SELECT count(*) FROM customers c
                 JOIN orders o ON o.customer_id = c.id
                 JOIN order_line_items i ON i.order_id = o.id
                 JOIN subscriptions s ON s.id = i.subscription_id AND s.customer_id = c.id
                 WHERE c.domain = 'killtest.onmicrosoft.com'",
            );
            match (added.as_slice(), mine, audits) {
                ([1, 1, 2, 2], 2, 1) => true,
                ([0, 0, 0, 0], 0, 0) => false,
                other => panic!("half a customer: {other:?}"),
            }
        },
    );
    assert!(tally.mid_transaction > 0, "{tally:?}");
}
