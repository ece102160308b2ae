//! The console and four scripts writing to one book at once, for 30 s: no write is lost, none is
//! made twice, every write has its activity log entry, no lock or database error reaches anyone,
//! and the console lists the new rows on its next reload. The harness is `tests/common/tmux.rs`.
//!
//! The book is a default demo (`twotier demo --operator tester`) plus partnership requests for
//! the partnerships script to accept (the CLI can't make requests; the console's Request a
//! partnership takes seconds a request, so they are laid in with rusqlite before anything
//! starts). The console runs in tmux as tester (Global admin) on the Users screen. Then, together:
//!
//! - three scripts (as ava, Global admin; ben, User admin; tester, Global admin) each loop over
//!   their own operators `race-wK-NNNN`: `users add`, `users set-role`, `users disable` and, for
//!   every other one, `users enable`; every fourth turn all three add the same `shared-NNNN`, so
//!   one of them wins and the others are refused in words ("… is already an operator.");
//! - the fourth (as chloe, Admin agent) records acceptances (`invitations accept`: a new
//!   reseller, the request Accepted, two log entries), removes every other new reseller
//!   (`resellers remove --yes`), and now and then accepts or removes one again, which is refused
//!   in words;
//! - the console toggles Finn (`d` with the cursor on his row), adds users (`a`), and reloads
//!   (`Ctrl-R`).
//!
//! Each script stops after 30 s (or a bounded number of turns) and counts what it saw: each
//! success, each expected refusal, and anything else as an error. Then the book must hold
//! exactly what the successes say (operators, resellers, requests), the activity log exactly one
//! entry per write made since the start (who, what, to what), `PRAGMA integrity_check` must say
//! ok, and no stderr may mention a lock, busy, or the database failing.
//!
//! The console's reloads: after each of its own writes (which reload the list where the cursor
//! is) the cursor must still be on Finn; after the scripts, a row the console has not seen is
//! counted on entering Users again (cursor still on Finn) and on Ctrl-R (a run of the book's
//! rows in order, the cursor on the same row). The scripts' UPNs all sort after Finn's row; the
//! two tests at the end cover Ctrl-R and a row added just before the cursor's row.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::process::{describe, stderr, stdout};
use common::tmux::*;

/// How long the scripts write.
const RUN: Duration = Duration::from_secs(30);
/// A script stops after this many turns even if time is left (a bound, not the expected count).
const MAX_TURNS: usize = 5_000;
/// Partnership requests laid in for the partnerships script (more than it gets through in 30 s).
const SEEDED_REQUESTS: usize = 2_000;

const AVA: &str = "ava.global@northwind-distribution.example";
const BEN: &str = "ben.users@northwind-distribution.example";
const CHLOE: &str = "chloe.agent@northwind-distribution.example";
const FINN: &str = "finn.helpdesk@northwind-distribution.example";
const TESTER: &str = "tester";
const DOMAIN: &str = "northwind-distribution.example";

/// What no stderr may contain (lower-cased): SQLite's lock errors, the CLI's "the database
/// failed", a panic.
const FORBIDDEN: &[&str] = &[
    "locked",
    "busy",
    "database",
    "sqlite",
    "panick",
    "error",
    "constraint",
];

/// An activity log entry: operator, action, target.
type Entry = (String, String, String);

/// What a set of writes must have left in the book.
#[derive(Default)]
struct Book {
    /// UPN → (role key, disabled).
    users: BTreeMap<String, (String, bool)>,
    /// PartnerID → (name, state).
    resellers: BTreeMap<String, (String, String)>,
    /// Token → status.
    requests: BTreeMap<String, String>,
    log: Vec<Entry>,
}

impl Book {
    fn entry(&mut self, operator: &str, action: &str, target: &str) {
        self.log
            .push((operator.to_owned(), action.to_owned(), target.to_owned()));
    }

    /// Adds `other`'s rows; two writers never make the same row.
    #[track_caller]
    fn merge(&mut self, other: Book) {
        for (upn, v) in other.users {
            assert!(self.users.insert(upn.clone(), v).is_none(), "{upn} twice");
        }
        for (pid, v) in other.resellers {
            assert!(
                self.resellers.insert(pid.clone(), v).is_none(),
                "{pid} twice"
            );
        }
        for (token, v) in other.requests {
            assert!(
                self.requests.insert(token.clone(), v).is_none(),
                "{token} twice"
            );
        }
        self.log.extend(other.log);
    }
}

/// How a command ended, when it ended as expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    Refused,
}

/// How a command must end: a success whose stdout starts with these words, a refusal with
/// these words on stderr, or either.
#[derive(Debug, Clone, Copy)]
enum Expect<'w> {
    Done(&'w str),
    Refused(&'w str),
    Either(&'w str, &'w str),
}

/// One script: its operator, what it saw, what its successes wrote.
struct Script<'a> {
    s: &'a Session,
    name: String,
    operator: &'static str,
    commands: usize,
    done: BTreeMap<&'static str, usize>,
    refused: BTreeMap<&'static str, usize>,
    errors: Vec<String>,
    elapsed: Duration,
    book: Book,
    /// `shared-NNNN` UPN → (successes, refusals) seen by this script.
    shared: BTreeMap<String, (usize, usize)>,
}

impl<'a> Script<'a> {
    fn new(s: &'a Session, name: &str, operator: &'static str) -> Script<'a> {
        Script {
            s,
            name: name.to_owned(),
            operator,
            commands: 0,
            done: BTreeMap::new(),
            refused: BTreeMap::new(),
            errors: Vec::new(),
            elapsed: Duration::ZERO,
            book: Book::default(),
            shared: BTreeMap::new(),
        }
    }

    /// Runs `twotier --db BOOK --operator OP ARGS…` and checks it ended as `expect` says: a
    /// success is exit 0, stdout starting with its words and nothing on stderr; a refusal is
    /// exit 1 with its words on stderr. Anything else is an error, noted; `None` then, and the
    /// script stops.
    fn run(&mut self, kind: &'static str, args: &[&str], expect: Expect) -> Option<Outcome> {
        let db = self.s.db();
        let mut all = vec!["--db", db.to_str().unwrap(), "--operator", self.operator];
        all.extend_from_slice(args);
        let out = self.s.cli(&all);
        self.commands += 1;
        let err = stderr(&out);
        let lower = err.to_lowercase();
        let (said, refusal) = match expect {
            Expect::Done(said) => (Some(said), None),
            Expect::Refused(words) => (None, Some(words)),
            Expect::Either(said, words) => (Some(said), Some(words)),
        };
        let outcome = if let Some(word) = FORBIDDEN.iter().find(|w| lower.contains(*w)) {
            Err(format!("{word:?} on stderr"))
        } else {
            match out.status.code() {
                Some(0) if err.is_empty() && said.is_some_and(|w| stdout(&out).starts_with(w)) => {
                    Ok(Outcome::Done)
                }
                Some(1) if refusal.is_some_and(|w| err.contains(w)) => Ok(Outcome::Refused),
                _ => Err(format!("expected {expect:?}")),
            }
        };
        match outcome {
            Ok(Outcome::Done) => *self.done.entry(kind).or_default() += 1,
            Ok(Outcome::Refused) => *self.refused.entry(kind).or_default() += 1,
            Err(why) => {
                self.errors.push(format!(
                    "{}: twotier {}: {why}\n{}",
                    self.name,
                    all.join(" "),
                    describe(&out)
                ));
                return None;
            }
        }
        outcome.ok()
    }

    /// `users add` of this script's own operator, its role change, disable, and every other
    /// turn enable; every fourth turn, the `shared-` operator all three user scripts add.
    fn users_turn(&mut self, k: usize, i: usize, role: &str) -> Option<()> {
        let op = self.operator;
        let upn = format!("race-w{k}-{i:04}@{DOMAIN}");
        self.run(
            "users add",
            &["users", "add", &upn, "--role", "sales-agent"],
            Expect::Done(&format!("Added {upn} as Sales agent.")),
        )?;
        self.book
            .users
            .insert(upn.clone(), ("sales-agent".into(), false));
        self.book.entry(op, "Operator added", &upn);
        self.run(
            "users set-role",
            &["users", "set-role", &upn, "--role", role],
            Expect::Done(&format!("{upn} is now ")),
        )?;
        self.book.users.get_mut(&upn).unwrap().0 = role.to_owned();
        self.book.entry(op, "Role changed", &upn);
        self.run(
            "users disable",
            &["users", "disable", &upn],
            Expect::Done(&format!("Disabled {upn}.")),
        )?;
        self.book.users.get_mut(&upn).unwrap().1 = true;
        self.book.entry(op, "Operator disabled", &upn);
        if i.is_multiple_of(2) {
            self.run(
                "users enable",
                &["users", "enable", &upn],
                Expect::Done(&format!("Enabled {upn}.")),
            )?;
            self.book.users.get_mut(&upn).unwrap().1 = false;
            self.book.entry(op, "Operator enabled", &upn);
        }
        if i.is_multiple_of(4) {
            let shared = format!("shared-{:04}@{DOMAIN}", i / 4);
            let outcome = self.run(
                "users add (shared)",
                &["users", "add", &shared, "--role", "sales-agent"],
                Expect::Either(
                    &format!("Added {shared} as Sales agent."),
                    &format!("{shared} is already an operator."),
                ),
            )?;
            let seen = self.shared.entry(shared.clone()).or_default();
            if outcome == Outcome::Done {
                seen.0 += 1;
                self.book
                    .users
                    .insert(shared.clone(), ("sales-agent".into(), false));
                self.book.entry(op, "Operator added", &shared);
            } else {
                seen.1 += 1;
            }
        }
        Some(())
    }

    /// Records the acceptance of request `i` (a new reseller), removes every other one, and
    /// every tenth turn tries both again (refused in words).
    fn partnerships_turn(&mut self, i: usize, token: &str, recipient: &str) -> Option<()> {
        let op = self.operator;
        let pid = (7_100_000 + i).to_string();
        let name = format!("Race Partner {i:04}");
        let target = format!("{name} ({pid})");
        let accept = [
            "invitations",
            "accept",
            token,
            "--partner-id",
            &pid,
            "--name",
            &name,
            "--country",
            "US",
        ];
        self.run(
            "invitations accept",
            &accept,
            Expect::Done(&format!("Recorded: {name} (PartnerID {pid}) accepted")),
        )?;
        self.book
            .resellers
            .insert(pid.clone(), (name.clone(), "active".into()));
        self.book
            .requests
            .insert(token.to_owned(), "accepted".into());
        self.book
            .entry(op, "Partnership request accepted", recipient);
        self.book.entry(op, "Reseller added", &target);
        if i % 2 == 1 {
            self.run(
                "resellers remove",
                &["resellers", "remove", &pid, "--yes"],
                Expect::Done(&format!("Partnership with PartnerID {pid} removed.")),
            )?;
            self.book.resellers.get_mut(&pid).unwrap().1 = "removed".into();
            self.book.entry(op, "Partnership removed", &target);
        }
        if i % 10 == 1 {
            self.run(
                "invitations accept (again)",
                &accept,
                Expect::Refused("It was already accepted."),
            )?;
            self.run(
                "resellers remove (again)",
                &["resellers", "remove", &pid, "--yes"],
                Expect::Refused(&format!("No active indirect reseller has PartnerID {pid}.")),
            )?;
        }
        Some(())
    }

    fn summary(&self) -> String {
        let list = |m: &BTreeMap<&str, usize>| {
            m.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let writes: usize = self.done.values().sum();
        format!(
            "{} as {}: {} commands in {:.1} s ({:.0}/s): {writes} writes ({}); {} refusals in words ({}); {} errors",
            self.name,
            self.operator,
            self.commands,
            self.elapsed.as_secs_f64(),
            self.commands as f64 / self.elapsed.as_secs_f64().max(0.001),
            list(&self.done),
            self.refused.values().sum::<usize>(),
            list(&self.refused),
            self.errors.len()
        )
    }
}

/// A capture of the pane with its attributes (`capture-pane -e`), and its plain text.
struct Capture {
    raw: String,
    text: String,
}

impl Capture {
    /// The line of the row drawn reversed (the list's selection).
    fn selected_line(&self) -> Option<usize> {
        self.raw.lines().position(|line| {
            line.find('│').is_some_and(|at| {
                strip_ansi(&line[..at]).trim().is_empty()
                    && reversed_at_start(&line[at + '│'.len_utf8()..])
            })
        })
    }

    /// The selected row: its text between the borders.
    fn selected(&self) -> Option<String> {
        let line = self.text.lines().nth(self.selected_line()?)?;
        Some(
            line.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_owned(),
        )
    }

    /// The UPN of the selected row.
    fn selected_upn(&self) -> Option<String> {
        self.selected()
            .and_then(|r| r.split_whitespace().next().map(str::to_owned))
    }

    /// N in the title "Users (N)".
    fn users_count(&self) -> Option<usize> {
        let at = self.text.find("Users (")? + "Users (".len();
        let rest = &self.text[at..];
        rest[..rest.find(')')?].parse().ok()
    }

    /// Finn's row.
    fn finn(&self) -> Option<&str> {
        self.text
            .lines()
            .find(|l| l.starts_with(&format!("│{FINN}")))
    }

    /// The UPNs of the rows listed, top to bottom.
    fn upns(&self) -> Vec<String> {
        table_rows(&self.text, "User (UPN)")
            .iter()
            .filter_map(|r| r.split_whitespace().next().map(str::to_owned))
            .collect()
    }
}

/// True when the escape sequences right at the start of `text` turn on reverse video.
fn reversed_at_start(text: &str) -> bool {
    let mut rest = text;
    while let Some(seq) = rest.strip_prefix("\u{1b}[") {
        let Some(end) = seq.find(|c: char| ('@'..='~').contains(&c)) else {
            return false;
        };
        if seq[end..].starts_with('m') && seq[..end].split(';').any(|p| p == "7") {
            return true;
        }
        rest = &seq[end + 1..];
    }
    false
}

/// The text without its escape sequences (tmux writes only CSI ones).
fn strip_ansi(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

fn capture(s: &Session) -> Capture {
    let raw = s.tmux_ok(&["capture-pane", "-p", "-e", "-t", TARGET]);
    let text = strip_ansi(&raw);
    Capture { raw, text }
}

/// Fails at once on an error dialog or words of a database problem.
#[track_caller]
fn assert_no_error(c: &Capture) {
    let lower = c.text.to_lowercase();
    for word in [
        " failed", "not done", "locked", "busy", "database", "sqlite",
    ] {
        assert!(
            !lower.contains(word),
            "the console shows {word:?}:\n{}",
            c.text
        );
    }
}

/// Polls until `done` holds on two same captures in a row; fails on an error dialog, or with
/// the last screen after [`TIMEOUT`].
#[track_caller]
fn settle(s: &Session, what: &str, done: impl Fn(&Capture) -> bool) -> Capture {
    let start = Instant::now();
    let mut previous: Option<String> = None;
    loop {
        let c = capture(s);
        assert_no_error(&c);
        if done(&c) {
            if previous.as_deref() == Some(c.raw.as_str()) {
                return c;
            }
            previous = Some(c.raw.clone());
        } else {
            previous = None;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "timed out after {TIMEOUT:?} waiting for {what}\n--- last screen ---\n{}---",
            c.text
        );
        std::thread::sleep(POLL);
    }
}

/// Moves the cursor (↑/↓, one row at a time) onto Finn's row, which is on the screen.
#[track_caller]
fn cursor_to_finn(s: &Session) -> Capture {
    for _ in 0..100 {
        let c = settle(s, "the Users list", |c| {
            c.finn().is_some() && c.selected().is_some()
        });
        if c.selected_upn().as_deref() == Some(FINN) {
            return c;
        }
        let finn = c
            .text
            .lines()
            .position(|l| l.starts_with(&format!("│{FINN}")));
        let selected = c.selected();
        let key = if c.selected_line() < finn {
            "Down"
        } else {
            "Up"
        };
        s.key(key);
        settle(s, "the cursor moved", |n| n.selected() != selected);
    }
    panic!("the cursor never reached {FINN}:\n{}", capture(s).text);
}

/// `d` with the cursor on Finn: his status flips, the cursor stays on his row.
#[track_caller]
fn toggle_finn(s: &Session, disable: bool) {
    s.type_text("d");
    let status = if disable { "Disabled" } else { "Active" };
    let c = settle(s, &format!("Finn {status}"), |c| {
        c.finn().is_some_and(|l| l.contains(status))
    });
    assert_eq!(
        c.selected_upn().as_deref(),
        Some(FINN),
        "the cursor left Finn's row after its own write:\n{}",
        c.text
    );
}

/// `a`, the UPN, Enter: the user is added (the toast says so), the cursor stays on Finn.
#[track_caller]
fn add_user_in_console(s: &Session, upn: &str) {
    s.type_text("a");
    settle(s, "the Add user form", |c| {
        c.text.contains("Add user") && c.text.contains("User (UPN)")
    });
    s.type_text(upn);
    settle(s, "the UPN typed", |c| {
        line_with(&c.text, &["User (UPN)", upn]).is_some()
    });
    s.key("Enter");
    let c = settle(s, "the user added", |c| {
        !c.text.contains("Add user") && c.text.contains(&format!("{upn} added as Sales agent"))
    });
    assert_eq!(
        c.selected_upn().as_deref(),
        Some(FINN),
        "the cursor left Finn's row after adding a user:\n{}",
        c.text
    );
}

/// Ctrl-R: waits for the reload (its toast, then a still screen) and returns the screen.
#[track_caller]
fn ctrl_r(s: &Session) -> Capture {
    s.key("C-r");
    settle(s, "the Users refreshed toast", |c| {
        c.text.contains("Users refreshed")
    });
    std::thread::sleep(Duration::from_millis(300));
    settle(s, "the reloaded list", |c| c.selected().is_some())
}

fn query_rows(db: &Path, sql: &str) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                Ok(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => String::new(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    v => v.as_str().unwrap_or_default().to_owned(),
                })
            })
            .collect::<rusqlite::Result<Vec<String>>>()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn query_count(db: &Path, sql: &str) -> usize {
    query_rows(db, sql)[0][0].parse().unwrap()
}

/// The book's operators, resellers and requests as a [`Book`] (the log left empty).
fn read_book(db: &Path) -> Book {
    let mut book = Book::default();
    for r in query_rows(db, "SELECT upn, role, disabled FROM operators") {
        book.users.insert(r[0].clone(), (r[1].clone(), r[2] == "1"));
    }
    for r in query_rows(db, "SELECT partner_id, name, state FROM resellers") {
        let clash = book
            .resellers
            .insert(r[0].clone(), (r[1].clone(), r[2].clone()));
        assert!(clash.is_none(), "two resellers with PartnerID {}", r[0]);
    }
    for r in query_rows(db, "SELECT token, status FROM invitations") {
        book.requests.insert(r[0].clone(), r[1].clone());
    }
    book
}

/// Partnership requests, Sent now, for the partnerships script: recipient and token.
fn seed_requests(db: &Path, n: usize) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let tx = conn.transaction().unwrap();
    let (subject, body, link, by): (String, String, String, i64) = tx
        .query_row(
            "SELECT subject, body, link, sent_by FROM invitations ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let base = &link[..link.find("token=").unwrap() + "token=".len()];
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for i in 0..n {
        let token = format!("racerequest{i:021}");
        let recipient = format!("race-{i:04}@partners.example");
        let own = format!("{base}{token}");
        tx.execute(
            "INSERT INTO invitations (token, recipient_email, subject, body, link, delivery, status, sent_by, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'copied-to-clipboard', 'sent', ?6, ?7)",
            rusqlite::params![token, recipient, subject, body.replace(&link, &own), own, by, now],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// The requests the CLI lists as Sent (acceptable now): token and recipient, the demo's first.
fn sent_requests(s: &Session) -> Vec<(String, String)> {
    let db = s.db();
    let out = s.cli(&[
        "--db",
        db.to_str().unwrap(),
        "--operator",
        TESTER,
        "invitations",
        "list",
        "--json",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut sent: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "sent")
        .map(|i| {
            (
                i["token"].as_str().unwrap().to_owned(),
                i["recipient"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    sent.sort_by_key(|(_, recipient)| (recipient.starts_with("race-"), recipient.clone()));
    sent
}

/// A CLI write the test itself makes (not one of the scripts): it must succeed, quietly.
#[track_caller]
fn cli_write(s: &Session, operator: &str, args: &[&str]) {
    let db = s.db();
    let mut all = vec!["--db", db.to_str().unwrap(), "--operator", operator];
    all.extend_from_slice(args);
    let out = s.cli(&all);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{all:?}\n{}",
        describe(&out)
    );
}

/// The entries of `a` not in `b` (as multisets), for a readable failure.
fn missing(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let mut left: BTreeMap<&Entry, usize> = BTreeMap::new();
    for e in b {
        *left.entry(e).or_default() += 1;
    }
    let mut out = Vec::new();
    for e in a {
        match left.get_mut(e) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(e.clone()),
        }
    }
    out
}

/// The differences between two maps, for a readable failure.
fn map_diff<V: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: &BTreeMap<String, V>,
    found: &BTreeMap<String, V>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in expected {
        match found.get(k) {
            None => out.push(format!("{what} {k}: lost (expected {v:?})")),
            Some(f) if f != v => out.push(format!("{what} {k}: {f:?}, expected {v:?}")),
            _ => {}
        }
    }
    for (k, v) in found {
        if !expected.contains_key(k) {
            out.push(format!(
                "{what} {k}: {v:?} is in the book, made by no success"
            ));
        }
    }
    out
}

/// The issue's test: the console and four scripts write to one book at once for 30 s.
#[test]
fn the_console_and_four_scripts_write_one_book_for_30_s_and_nothing_is_lost() {
    require!(TMUX);
    let s = Session::new();
    let db = s.db();
    cli_write(&s, TESTER, &["demo"]);
    seed_requests(&db, SEEDED_REQUESTS);
    let requests = sent_requests(&s);
    assert_eq!(
        requests.len(),
        SEEDED_REQUESTS + 2,
        "the demo has two Sent requests"
    );
    // The book as it was, and the last log entry before the race.
    let mut expected = read_book(&db);
    let baseline = query_count(&db, "SELECT coalesce(max(id), 0) FROM audit_log");

    // The console, on Users, the cursor on Finn.
    s.start(&["--db", db.to_str().unwrap(), "--operator", TESTER]);
    s.open_resellers();
    s.type_text("5");
    s.wait_for_text(&["Users (7)", FINN]);
    cursor_to_finn(&s);

    let barrier = Barrier::new(5);
    let finished = AtomicUsize::new(0);
    let mut console = Book::default();
    let mut finn_disabled = false;
    let (mut toggles, mut adds, mut reloads, mut kept) = (0, 0, 0, 0);
    let mut moved_to: BTreeMap<String, usize> = BTreeMap::new();
    let started = Instant::now();
    let scripts: Vec<Script> = std::thread::scope(|scope| {
        let user_scripts = [
            (AVA, "helpdesk-agent"),
            (BEN, "billing-admin"),
            (TESTER, "admin-agent"),
        ];
        let mut handles = Vec::new();
        for (k, (operator, role)) in user_scripts.into_iter().enumerate() {
            let (s, barrier, finished) = (&s, &barrier, &finished);
            handles.push(scope.spawn(move || {
                let mut script = Script::new(s, &format!("users script {k}"), operator);
                barrier.wait();
                let start = Instant::now();
                for i in 0..MAX_TURNS {
                    if start.elapsed() >= RUN || script.users_turn(k, i, role).is_none() {
                        break;
                    }
                }
                script.elapsed = start.elapsed();
                finished.fetch_add(1, Ordering::SeqCst);
                script
            }));
        }
        let (session, barrier, finished, requests) = (&s, &barrier, &finished, &requests);
        handles.push(scope.spawn(move || {
            let mut script = Script::new(session, "partnerships script", CHLOE);
            barrier.wait();
            let start = Instant::now();
            for (i, (token, recipient)) in requests.iter().enumerate().take(MAX_TURNS) {
                if start.elapsed() >= RUN || script.partnerships_turn(i, token, recipient).is_none()
                {
                    break;
                }
            }
            script.elapsed = start.elapsed();
            finished.fetch_add(1, Ordering::SeqCst);
            script
        }));

        // Meanwhile the console writes and reloads, until the scripts are done.
        barrier.wait();
        let mut shown = 7;
        while finished.load(Ordering::SeqCst) < 4 {
            assert!(started.elapsed() < RUN * 3, "the scripts did not stop");
            finn_disabled = !finn_disabled;
            toggle_finn(&s, finn_disabled);
            toggles += 1;
            console.entry(
                TESTER,
                if finn_disabled {
                    "Operator disabled"
                } else {
                    "Operator enabled"
                },
                FINN,
            );
            if toggles % 2 == 1 {
                adds += 1;
                let upn = format!("console-{adds:03}@{DOMAIN}");
                add_user_in_console(&s, &upn);
                console
                    .users
                    .insert(upn.clone(), ("sales-agent".into(), false));
                console.entry(TESTER, "Operator added", &upn);
            }
            let c = ctrl_r(&s);
            reloads += 1;
            let n = c.users_count().expect("a count in the title");
            assert!(
                n >= shown,
                "Users went from {shown} to {n} on a reload:\n{}",
                c.text
            );
            shown = n;
            match c.selected_upn() {
                Some(upn) if upn == FINN => kept += 1,
                other => *moved_to.entry(other.unwrap_or_default()).or_default() += 1,
            }
            cursor_to_finn(&s);
        }
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let race = started.elapsed();

    // The figures.
    for script in &scripts {
        eprintln!("{}", script.summary());
    }
    let total_writes: usize = scripts.iter().map(|w| w.done.values().sum::<usize>()).sum();
    let total_refusals: usize = scripts
        .iter()
        .map(|w| w.refused.values().sum::<usize>())
        .sum();
    let total_commands: usize = scripts.iter().map(|w| w.commands).sum();
    eprintln!(
        "console as {TESTER}: {} writes ({toggles} disable/enable of Finn, {adds} users added), \
         {reloads} Ctrl-R (cursor kept on Finn {kept}, moved to {moved_to:?})",
        toggles + adds
    );
    eprintln!(
        "total: {total_commands} script commands, {} writes ({total_writes} by scripts), \
         {total_refusals} refusals in words, {} errors, {:.1} s",
        total_writes + toggles + adds,
        scripts.iter().map(|w| w.errors.len()).sum::<usize>(),
        race.as_secs_f64()
    );

    // No errors, only the expected refusals, and every script did real work.
    let errors: Vec<&String> = scripts.iter().flat_map(|w| &w.errors).collect();
    assert!(
        errors.is_empty(),
        "errors:\n{}",
        errors
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for script in &scripts {
        assert!(
            script.done.values().sum::<usize>() >= 20,
            "{} barely wrote: {}",
            script.name,
            script.summary()
        );
    }
    // Each shared operator: one success among the three user scripts, the others refused.
    let mut shared: BTreeMap<&String, (usize, usize)> = BTreeMap::new();
    for script in &scripts {
        for (upn, (ok, no)) in &script.shared {
            let seen = shared.entry(upn).or_default();
            seen.0 += ok;
            seen.1 += no;
        }
    }
    for (upn, (ok, no)) in &shared {
        assert_eq!(*ok, 1, "{upn} was added {ok} times ({no} refusals)");
    }

    // After the scripts: a write the console has not seen, then the screen left and entered
    // again: the new rows are counted, the cursor still on Finn.
    cursor_to_finn(&s);
    cli_write(
        &s,
        AVA,
        &[
            "users",
            "add",
            &format!("late-1@{DOMAIN}"),
            "--role",
            "sales-agent",
        ],
    );
    console
        .users
        .insert(format!("late-1@{DOMAIN}"), ("sales-agent".into(), false));
    console.entry(AVA, "Operator added", &format!("late-1@{DOMAIN}"));
    let users = query_count(&db, "SELECT count(*) FROM operators");
    s.type_text("4");
    s.wait_for_text(&["┌ Activity log"]);
    s.type_text("5");
    let title = format!("Users ({users})");
    let c = settle(&s, &title, |c| {
        c.text.contains(&title) && c.finn().is_some()
    });
    assert_eq!(
        c.selected_upn().as_deref(),
        Some(FINN),
        "entering Users again lost the cursor:\n{}",
        c.text
    );

    // And one more, then Ctrl-R: the new count, the rows from the top as the book has them.
    cli_write(
        &s,
        AVA,
        &[
            "users",
            "add",
            &format!("late-2@{DOMAIN}"),
            "--role",
            "sales-agent",
        ],
    );
    console
        .users
        .insert(format!("late-2@{DOMAIN}"), ("sales-agent".into(), false));
    console.entry(AVA, "Operator added", &format!("late-2@{DOMAIN}"));
    let before = cursor_to_finn(&s).selected().unwrap();
    let users = query_count(&db, "SELECT count(*) FROM operators");
    s.key("C-r");
    let title = format!("Users ({users})");
    let c = settle(&s, &title, |c| {
        c.text.contains(&title) && c.selected().is_some()
    });
    let listed = c.upns();
    let book_order: Vec<String> = query_rows(&db, "SELECT upn FROM operators ORDER BY upn, id")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let start = book_order
        .iter()
        .position(|u| Some(u) == listed.first())
        .expect("the first listed row is in the book");
    assert!(
        listed.len() >= 10 && listed[..] == book_order[start..start + listed.len()],
        "the reloaded rows are not a run of the book's rows in order:\nlisted: {listed:?}"
    );
    let after = c.selected().unwrap();
    assert_eq!(
        after.split_whitespace().next(),
        before.split_whitespace().next(),
        "Ctrl-R keeps the cursor on its row"
    );
    eprintln!(
        "final Ctrl-R: {title}; cursor before on {:?}, after on {:?}",
        before.split_whitespace().next().unwrap_or_default(),
        after.split_whitespace().next().unwrap_or_default()
    );
    s.quit();

    // The book holds exactly what the successes say.
    if let Some(finn) = expected.users.get_mut(FINN) {
        finn.1 = finn_disabled;
    }
    let mut writes = Book::default();
    for script in scripts {
        writes.merge(script.book);
    }
    writes.merge(console);
    // What the writes made or changed, over the book as it was.
    expected.users.extend(writes.users);
    expected.resellers.extend(writes.resellers);
    expected.requests.extend(writes.requests);
    expected.log = writes.log;
    let found = read_book(&db);
    let mut diff = map_diff("operator", &expected.users, &found.users);
    diff.extend(map_diff("reseller", &expected.resellers, &found.resellers));
    diff.extend(map_diff("request", &expected.requests, &found.requests));
    assert!(
        diff.is_empty(),
        "the book is not what the writes made:\n{}",
        diff.join("\n")
    );

    // One log entry per write, no other.
    let log: Vec<Entry> = query_rows(
        &db,
        &format!(
            "SELECT operator, action, target FROM audit_log WHERE id > {baseline} ORDER BY id"
        ),
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
    .collect();
    let lost = missing(&expected.log, &log);
    let extra = missing(&log, &expected.log);
    assert!(
        lost.is_empty() && extra.is_empty(),
        "the activity log does not have one entry per write:\nmissing: {lost:?}\nextra: {extra:?}"
    );
    eprintln!("activity log: {} new entries, one per write", log.len());

    // The file is whole.
    assert_eq!(
        query_rows(&db, "PRAGMA integrity_check"),
        vec![vec!["ok".to_owned()]]
    );
    assert!(query_rows(&db, "PRAGMA foreign_key_check").is_empty());

    // And the log (every process writes to the one under the fake HOME; the console at debug
    // level) has no warning or error and says nothing of locks.
    let log_text = std::fs::read_to_string(s.log()).unwrap_or_default();
    let bad: Vec<&str> = log_text
        .lines()
        .filter(|l| {
            let level = l.split_whitespace().nth(1).unwrap_or_default();
            let l = l.to_lowercase();
            matches!(level, "WARN" | "ERROR") || l.contains("locked") || l.contains("busy")
        })
        .collect();
    eprintln!(
        "log: {} lines, {} warnings, errors or lock messages",
        log_text.lines().count(),
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "the log has warnings, errors or lock messages:\n{}",
        bad.join("\n")
    );
}

/// A demo book, the console on Users, the cursor on Dev (the fourth row).
fn console_on_dev(s: &Session) {
    cli_write(s, TESTER, &["demo"]);
    s.start(&["--db", s.db().to_str().unwrap(), "--operator", TESTER]);
    s.open_resellers();
    s.type_text("5");
    s.wait_for_text(&["Users (7)", "dev.sales@"]);
    s.keys("Down", 3);
    settle(s, "the cursor on Dev", |c| {
        c.selected_upn()
            .is_some_and(|u| u.starts_with("dev.sales@"))
    });
}

/// The issue's "without losing the cursor", for Ctrl-R: the cursor stays on its row when other
/// rows arrive (Ctrl-R once reloaded from the top and put the cursor on the first row).
#[test]
fn ctrl_r_keeps_the_cursor_on_its_row_while_a_script_adds_users() {
    require!(TMUX);
    let s = Session::new();
    console_on_dev(&s);
    for upn in [
        "aaron@contoso.example",
        "zoe@contoso.example",
        "eli@contoso.example",
    ] {
        cli_write(&s, AVA, &["users", "add", upn, "--role", "sales-agent"]);
    }
    s.key("C-r");
    let c = settle(&s, "Users (10)", |c| {
        c.text.contains("Users (10)") && c.text.contains("zoe@")
    });
    assert!(
        c.selected_upn()
            .is_some_and(|u| u.starts_with("dev.sales@")),
        "Ctrl-R moved the cursor from Dev to {:?}:\n{}",
        c.selected_upn(),
        c.text
    );
}

/// The same for the reload on entering a screen again (and after the console's own writes,
/// which reload the same way): a row another process added just before the cursor's row must
/// not take the cursor (the reload once started after the row before the selection, and so
/// selected the new row).
#[test]
fn a_row_added_just_before_the_cursor_does_not_take_it_on_reload() {
    require!(TMUX);
    let s = Session::new();
    console_on_dev(&s);
    cli_write(
        &s,
        AVA,
        &[
            "users",
            "add",
            "da@contoso.example",
            "--role",
            "sales-agent",
        ],
    );
    s.type_text("4");
    s.wait_for_text(&["┌ Activity log"]);
    s.type_text("5");
    let c = settle(&s, "Users (8)", |c| {
        c.text.contains("Users (8)") && c.text.contains("da@contoso")
    });
    assert!(
        c.selected_upn()
            .is_some_and(|u| u.starts_with("dev.sales@")),
        "the reload moved the cursor from Dev to {:?}:\n{}",
        c.selected_upn(),
        c.text
    );
}
