//! The repros on the built binary: processes started together on one book. The loser of
//! each race is refused in words with exit 1; the book keeps its rules.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};

use common::process::{assert_success, describe, stderr};
use common::sandbox::{Sandbox, run_on};

const AVA: &str = "ava.global@northwind-distribution.example";
const ME: &str = "tester";

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Starts every command at once (as `cmd & cmd & wait` does) and waits for all.
fn together(sandbox: &Sandbox, db: &Path, commands: &[Vec<&str>]) -> Vec<Output> {
    let children: Vec<_> = commands
        .iter()
        .map(|args| {
            sandbox
                .twotier()
                .arg("--db")
                .arg(db)
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

fn book(sandbox: &Sandbox, name: &str) -> std::path::PathBuf {
    let db = sandbox.file(name);
    assert_success(&run_on(sandbox, &db, &["--operator", ME, "demo"]));
    db
}

/// Refused in words: exit 1, a sentence, no raw database error.
#[track_caller]
fn assert_refused_in_words(out: &Output, words: &[&str]) {
    assert_eq!(out.status.code(), Some(1), "{}", describe(out));
    let err = stderr(out);
    assert!(
        !err.contains("database failed") && !err.contains("constraint"),
        "{err}"
    );
    assert!(words.iter().any(|w| err.contains(w)), "{err}");
}

#[test]
fn two_global_admins_disabling_each_other_at_once_leave_one_active() {
    let sandbox = Sandbox::new();
    for round in 0..10 {
        let db = book(&sandbox, &format!("g{round}.db"));
        let outs = together(
            &sandbox,
            &db,
            &[
                vec!["--operator", AVA, "users", "disable", ME],
                vec!["--operator", ME, "users", "disable", AVA],
            ],
        );
        let active = count(
            &db,
            "SELECT count(*) FROM operators WHERE role = 'global-admin' AND disabled = 0",
        );
        assert_eq!(active, 1, "round {round}: {outs:?}");
        let lost = outs
            .iter()
            .find(|o| !o.status.success())
            .expect("one loses");
        assert_refused_in_words(lost, &["disabled", "last active Global admin"]);
    }
}

#[test]
fn the_same_upn_added_four_times_at_once_is_one_operator_and_three_refusals_in_words() {
    let sandbox = Sandbox::new();
    for round in 0..5 {
        let db = book(&sandbox, &format!("u{round}.db"));
        let add = vec![
            "--operator",
            ME,
            "users",
            "add",
            "new.agent@northwind-distribution.example",
            "--role",
            "sales-agent",
        ];
        let outs = together(&sandbox, &db, &[add.clone(), add.clone(), add.clone(), add]);
        assert_eq!(
            outs.iter().filter(|o| o.status.success()).count(),
            1,
            "{outs:?}"
        );
        for lost in outs.iter().filter(|o| !o.status.success()) {
            assert_refused_in_words(lost, &["already an operator"]);
        }
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM operators WHERE upn LIKE 'new.agent@%'"
            ),
            1
        );
    }
}

#[test]
fn one_request_accepted_twice_at_once_makes_one_reseller() {
    let sandbox = Sandbox::new();
    for round in 0..5 {
        let db = book(&sandbox, &format!("a{round}.db"));
        let token: String = {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.query_row(
                "SELECT token FROM invitations WHERE status = 'sent' ORDER BY sent_at DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        let resellers = count(&db, "SELECT count(*) FROM resellers");
        let accept = |pid: &'static str| {
            vec![
                "--operator".to_owned(),
                ME.to_owned(),
                "invitations".to_owned(),
                "accept".to_owned(),
                token.clone(),
                "--partner-id".to_owned(),
                pid.to_owned(),
                "--name".to_owned(),
                format!("Race {pid}"),
                "--country".to_owned(),
                "US".to_owned(),
            ]
        };
        let (a, b) = (accept("7100001"), accept("7100002"));
        let outs = together(
            &sandbox,
            &db,
            &[
                a.iter().map(String::as_str).collect(),
                b.iter().map(String::as_str).collect(),
            ],
        );
        assert_eq!(
            count(&db, "SELECT count(*) FROM resellers"),
            resellers + 1,
            "{outs:?}"
        );
        let lost = outs
            .iter()
            .find(|o| !o.status.success())
            .expect("one loses");
        assert_refused_in_words(lost, &["already accepted"]);
    }
}
