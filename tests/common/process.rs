//! Finished processes and the `sqlite3` shell: what the CLI and end-to-end tests check with.

use std::path::Path;
use std::process::{Command, Output};

pub const SQLITE3: &str = "/usr/bin/sqlite3";

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit status, stdout and stderr of a finished process, for failure messages.
pub fn describe(out: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        stdout(out),
        stderr(out)
    )
}

#[track_caller]
pub fn assert_success(out: &Output) {
    assert!(out.status.success(), "expected success\n{}", describe(out));
}

/// A refusal: an ordinary non-zero exit (not a crash by signal, not clap's usage error 2).
#[track_caller]
pub fn assert_refused(out: &Output) {
    match out.status.code() {
        Some(code) if code != 0 && code != 2 => {}
        _ => panic!(
            "expected a refusal (non-zero exit, not a usage error)\n{}",
            describe(out)
        ),
    }
}

/// Runs the `sqlite3` shell on `db` and returns its output, whether it succeeded or not.
#[track_caller]
pub fn sqlite3_raw(db: &Path, sql: &str) -> Output {
    assert!(
        Path::new(SQLITE3).exists(),
        "these tests need the sqlite3 shell at {SQLITE3} (apt-get install sqlite3)"
    );
    Command::new(SQLITE3)
        .arg(db)
        .arg(sql)
        .output()
        .expect("running sqlite3")
}

/// Runs the `sqlite3` shell on `db` (fine while the app runs: WAL) and returns what it printed,
/// trimmed; fails the test clearly if it fails.
#[track_caller]
pub fn sqlite3(db: &Path, sql: &str) -> String {
    let out = sqlite3_raw(db, sql);
    assert!(
        out.status.success(),
        "sqlite3 {} {sql:?} failed\n{}",
        db.display(),
        describe(&out)
    );
    stdout(&out).trim().to_owned()
}

/// A query that prints one number.
#[track_caller]
pub fn sqlite3_count(db: &Path, sql: &str) -> i64 {
    let text = sqlite3(db, sql);
    text.parse()
        .unwrap_or_else(|_| panic!("sqlite3 {sql:?} printed {text:?}, not a number"))
}

/// The whole database as SQL text, to compare before and after a refused command.
pub fn dump(db: &Path) -> String {
    sqlite3(db, ".dump")
}

/// The first line where two dumps differ, for a readable failure.
pub fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!(
        "one is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}
