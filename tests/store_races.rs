//! Check-then-act under concurrency: two connections to one real SQLite file, started together
//! on a barrier, many rounds. Every rule that reads state and then writes must hold when another
//! process writes in between; the loser is refused in words, never by a constraint error.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use common::{OPERATOR, TestDb, now};
use twotier::domain::ids::{Country, Email, PartnerId};
use twotier::domain::invitation::Delivery;
use twotier::domain::role::Role;
use twotier::store::invitations::Acceptance;
use twotier::store::{CommandError, CommandResult, Store};

const ROUNDS: usize = 20;
const AVA: &str = "ava.global@northwind-distribution.example";

/// A second connection to the same file, acting as `upn`.
fn connect(path: &Path, upn: &str) -> Store {
    let (mut store, _) = Store::open(path).unwrap();
    let op = store.resolve_operator(upn).unwrap();
    store.act_as(op);
    store
}

/// One job of a race: who does it, and what.
type Job<T> = (&'static str, Box<dyn FnOnce(&mut Store) -> T + Send>);

/// Runs each closure on its own thread and connection, all released at the same moment.
fn at_once<T: Send + 'static>(path: &Path, jobs: Vec<Job<T>>) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|(upn, job)| {
            let (path, barrier) = (PathBuf::from(path), barrier.clone());
            std::thread::spawn(move || {
                let mut store = connect(&path, upn);
                barrier.wait();
                job(&mut store)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A refusal's words; panics on success or on a database error (which would be raw to the user).
fn refusal<T: std::fmt::Debug>(result: &CommandResult<T>) -> &str {
    match result {
        Err(CommandError::Refused(why)) => why,
        other => panic!("expected a refusal in words, got {other:?}"),
    }
}

fn active_global_admins(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT count(*) FROM operators WHERE role = 'global-admin' AND disabled = 0",
    )
}

#[test]
fn two_global_admins_disabling_each_other_leave_one() {
    for round in 0..ROUNDS {
        let db = TestDb::default_demo();
        assert_eq!(
            active_global_admins(&db),
            2,
            "the demo has two Global admins"
        );
        let results = at_once(
            &db.path,
            vec![
                (
                    AVA,
                    Box::new(|s: &mut Store| s.set_operator_disabled(OPERATOR, true, now())),
                ),
                (
                    OPERATOR,
                    Box::new(|s: &mut Store| s.set_operator_disabled(AVA, true, now())),
                ),
            ],
        );
        assert_eq!(active_global_admins(&db), 1, "round {round}: {results:?}");
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "round {round}"
        );
        let lost = results.iter().find(|r| r.is_err()).unwrap();
        let why = refusal(lost);
        assert!(
            why.contains("disabled") || why.contains("last active Global admin"),
            "{why}"
        );
    }
}

#[test]
fn two_global_admins_demoting_each_other_leave_one() {
    for round in 0..ROUNDS {
        let db = TestDb::default_demo();
        let results = at_once(
            &db.path,
            vec![
                (
                    AVA,
                    Box::new(|s: &mut Store| {
                        s.set_operator_role(OPERATOR, Role::SalesAgent, now())
                    }),
                ),
                (
                    OPERATOR,
                    Box::new(|s: &mut Store| s.set_operator_role(AVA, Role::SalesAgent, now())),
                ),
            ],
        );
        assert_eq!(active_global_admins(&db), 1, "round {round}: {results:?}");
        let lost = results.iter().find(|r| r.is_err()).expect("one loses");
        let why = refusal(lost);
        assert!(
            why.contains("Only a Global admin")
                || why.contains("last active Global admin")
                || why.contains("needs Global admin"),
            "{why}"
        );
    }
}

#[test]
fn the_same_upn_added_four_times_at_once_is_added_once_and_refused_in_words_thrice() {
    for round in 0..ROUNDS {
        let db = TestDb::default_demo();
        let before = count(&db, "SELECT count(*) FROM operators");
        let jobs = (0..4)
            .map(|_| {
                let job: Job<CommandResult<i64>> = (
                    AVA,
                    Box::new(|s: &mut Store| {
                        s.add_operator(
                            "new.agent@northwind-distribution.example",
                            "",
                            Role::SalesAgent,
                            now(),
                        )
                    }),
                );
                job
            })
            .collect();
        let results = at_once(&db.path, jobs);
        assert_eq!(
            count(&db, "SELECT count(*) FROM operators"),
            before + 1,
            "round {round}"
        );
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "round {round}"
        );
        for lost in results.iter().filter(|r| r.is_err()) {
            assert!(refusal(lost).contains("already an operator"), "{lost:?}");
        }
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM audit_log WHERE action = 'Operator added' AND target LIKE 'new.agent@%'"
            ),
            1
        );
    }
}

/// Drafts and records a request as the test's operator; returns (id, token).
fn send(db: &mut TestDb, to: &str) -> (i64, String) {
    let draft = db
        .store
        .prepare_invitation(&Email::parse(to).unwrap())
        .unwrap();
    let id = db
        .store
        .record_invitation(&draft, Delivery::CopiedToClipboard, now())
        .unwrap();
    (id, draft.token)
}

fn acceptance(name: &str, partner_id: &str) -> Acceptance {
    Acceptance {
        name: name.into(),
        partner_id: PartnerId::parse(partner_id).unwrap(),
        country: Country::parse("US").unwrap(),
        tenant_id: None,
    }
}

fn acting(mut db: TestDb) -> TestDb {
    let op = db.operator();
    db.store.act_as(op);
    db
}

#[test]
fn one_request_accepted_twice_at_once_makes_one_reseller() {
    for round in 0..ROUNDS {
        let mut db = acting(TestDb::default_demo());
        let resellers = count(&db, "SELECT count(*) FROM resellers");
        let (_, token) = send(&mut db, "partners@race.example");
        let (t1, t2) = (token.clone(), token.clone());
        let results = at_once(
            &db.path,
            vec![
                (
                    AVA,
                    Box::new(move |s: &mut Store| {
                        s.accept_invitation(&t1, &acceptance("Race One", "7100001"), now())
                    }),
                ),
                (
                    OPERATOR,
                    Box::new(move |s: &mut Store| {
                        s.accept_invitation(&t2, &acceptance("Race Two", "7100002"), now())
                    }),
                ),
            ],
        );
        assert_eq!(
            count(&db, "SELECT count(*) FROM resellers"),
            resellers + 1,
            "round {round}"
        );
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "round {round}"
        );
        let lost = results.iter().find(|r| r.is_err()).unwrap();
        assert!(refusal(lost).contains("already accepted"), "{lost:?}");
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM audit_log WHERE action = 'Partnership request accepted' AND target = 'partners@race.example'"
            ),
            1
        );
    }
}

#[test]
fn revoke_and_accept_at_once_one_wins_and_the_other_is_told() {
    let mut revoked_first = 0;
    for round in 0..ROUNDS {
        let mut db = acting(TestDb::default_demo());
        let resellers = count(&db, "SELECT count(*) FROM resellers");
        let (id, token) = send(&mut db, "partners@race.example");
        let results = at_once(
            &db.path,
            vec![
                (
                    AVA,
                    Box::new(move |s: &mut Store| s.revoke_invitation(id, now()).map(|_| 0)),
                ),
                (
                    OPERATOR,
                    Box::new(move |s: &mut Store| {
                        s.accept_invitation(&token, &acceptance("Race One", "7100001"), now())
                    }),
                ),
            ],
        );
        let status: String = db
            .store
            .conn()
            .query_row("SELECT status FROM invitations WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        let added = count(&db, "SELECT count(*) FROM resellers") - resellers;
        match (&results[0], &results[1]) {
            (Ok(_), Err(_)) => {
                revoked_first += 1;
                assert_eq!((status.as_str(), added), ("revoked", 0), "round {round}");
                assert!(refusal(&results[1]).contains("revoked"));
            }
            (Err(_), Ok(_)) => {
                assert_eq!((status.as_str(), added), ("accepted", 1), "round {round}");
                assert!(refusal(&results[0]).contains("nothing to revoke"));
            }
            other => panic!("round {round}: exactly one must win: {other:?}"),
        }
    }
    eprintln!("revoke won {revoked_first} of {ROUNDS} rounds");
}

#[test]
fn send_again_and_revoke_at_once_leave_a_consistent_request() {
    for round in 0..ROUNDS {
        let mut db = acting(TestDb::default_demo());
        let (id, _) = send(&mut db, "partners@race.example");
        let results = at_once(
            &db.path,
            vec![
                (
                    AVA,
                    Box::new(move |s: &mut Store| s.revoke_invitation(id, now())),
                ),
                (
                    OPERATOR,
                    Box::new(move |s: &mut Store| {
                        s.resend_invitation(id, Delivery::CopiedToClipboard, now())
                    }),
                ),
            ],
        );
        assert!(
            results[0].is_ok(),
            "revoking a Sent or re-sent request works: {results:?}"
        );
        let (status, resent): (String, i64) = db
            .store
            .conn()
            .query_row(
                "SELECT status, resent_count FROM invitations WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(status, "revoked", "round {round}");
        // Sent again only if it happened before the revocation, never after it.
        let order: Vec<String> = {
            let mut stmt = db
                .store
                .conn()
                .prepare("SELECT action FROM audit_log WHERE target = 'partners@race.example' ORDER BY id")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            order.last().map(String::as_str),
            Some("Partnership request revoked"),
            "{order:?}"
        );
        assert_eq!(resent, i64::from(results[1].is_ok()), "round {round}");
    }
}

#[test]
fn four_processes_on_a_new_path_make_one_book_without_errors() {
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("twotier.db");
        let barrier = Arc::new(Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    twotier::open_or_seed(&path, OPERATOR).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            if let Err(e) = h.join().unwrap() {
                panic!("round {round}: {e:#}");
            }
        }
        let (store, _) = Store::open(&path).unwrap();
        let one = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(one("SELECT count(*) FROM provider"), 1);
        assert_eq!(
            one("SELECT count(*) FROM customers"),
            60,
            "round {round}: one demo, not two"
        );
        assert_eq!(
            one(
                "SELECT count(*) FROM operators WHERE upn = 'tester@northwind-distribution.example'"
            ),
            1
        );
    }
}
