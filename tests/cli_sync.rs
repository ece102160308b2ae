//! `twotier sync` on the built binary against the fake Partner Center on 127.0.0.1: with no
//! sign-in kept (`TWOTIER_KEYRING=off`) it signs in itself and pulls every page; `status` then
//! reads the last sync from the book; a sync killed while a page is in flight keeps the pages
//! before it, and the next one continues from the cursor. The next sync is incremental (the
//! audit records), `--full` forces a full one, both said by the report and by `status`; a sync
//! killed in the subscriptions phase keeps its committed batches and the next continues.

mod common;
mod fake_partner_center;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::process::{assert_refused, assert_success, describe, sqlite3_count, stdout};
use common::sandbox::Sandbox;
use fake_partner_center::{FakePartnerCenter, Fault, TOKEN_PREFIX, USER_CODE};

fn config_for(sandbox: &Sandbox, fake: &FakePartnerCenter) -> PathBuf {
    let path = sandbox.root().join("config.toml");
    std::fs::write(&path, fake.config_section()).unwrap();
    path
}

fn command(sandbox: &Sandbox, config: &Path, db: &Path, args: &[&str]) -> Command {
    let mut cmd = sandbox.twotier();
    cmd.args([
        "--config",
        config.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ])
    .args(args)
    .env("TWOTIER_KEYRING", "off")
    // One request per customer's subscriptions: the fake takes them faster than Partner Center.
    .env("TWOTIER_PC_REQUESTS_PER_MINUTE", "100000");
    cmd
}

fn run(sandbox: &Sandbox, config: &Path, db: &Path, args: &[&str]) -> Output {
    command(sandbox, config, db, args)
        .output()
        .expect("running the twotier binary")
}

fn book(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("book.db");
    assert_success(&sandbox.run(&[
        "--db",
        db.to_str().unwrap(),
        "demo",
        "--resellers",
        "2",
        "--customers",
        "3",
        "--subscriptions",
        "3",
    ]));
    db
}

#[test]
fn sync_signs_in_itself_pulls_every_page_and_status_shows_the_last_sync() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    fake.add_customers(1200);
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);

    let out = run(&sandbox, &config, &db, &["status"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Last sync: never"),
        "{}",
        describe(&out)
    );

    let out = run(&sandbox, &config, &db, &["sync"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.contains(USER_CODE), "signed in itself: {text}");
    // The demo's Blue Yonder has the PartnerID of the documented First Up Consultants: the
    // same partner, renamed and given its tenant ID; the demo's other reseller is not listed.
    assert!(
        text.contains("Indirect resellers: 1 new, 1 changed, 0 unchanged, 1 marked removed."),
        "{text}"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM resellers WHERE partner_id = '4847383' AND name = 'First Up Consultants' AND state = 'active'"
        ),
        1
    );
    assert!(
        text.contains("Customers, page 3 (the last): 200 new"),
        "{text}"
    );
    assert!(
        text.contains("customers 1200 new, 0 changed, 0 unchanged, 3 marked removed over 3 pages"),
        "the demo's own customers are not in Partner Center: {text}"
    );
    assert!(!text.contains(TOKEN_PREFIX), "{text}");
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM customers WHERE removed_at IS NULL"
        ),
        1200
    );

    let out = run(&sandbox, &config, &db, &["status", "--json"]);
    assert_success(&out);
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(status["last_sync"].as_str().is_some(), "{status}");
    assert_eq!(status["sync_unfinished"], false);
    assert_eq!(status["last_sync_kind"], "full");
    assert!(text.contains("a full sync"), "{text}");

    // The next sync asks the audit records what changed (nothing): no customer list.
    let before = fake.api_calls().len();
    let out = run(&sandbox, &config, &db, &["sync"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.contains("an incremental sync"), "{text}");
    assert!(text.contains("0 changed customers fetched again"), "{text}");
    let calls = fake.api_calls();
    assert!(calls[before..].iter().any(|c| c.path == "/v1/auditrecords"));
    assert!(calls[before..].iter().all(|c| c.path != "/v1/customers"));
    let out = run(&sandbox, &config, &db, &["status"]);
    assert!(stdout(&out).contains(", incremental"), "{}", describe(&out));
    // --full: the customer list again.
    let out = run(&sandbox, &config, &db, &["sync", "--full"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.contains("a full sync"), "{text}");
    assert!(
        text.contains("customers 0 new, 0 changed, 1200 unchanged over 3 pages"),
        "{text}"
    );

    // Offline: no section, no sync, in words.
    let offline = sandbox.root().join("offline.toml");
    std::fs::write(&offline, "").unwrap();
    let out = run(&sandbox, &offline, &db, &["sync"]);
    assert_refused(&out);
    assert!(
        describe(&out).contains("no [partner_center] section"),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_sync_killed_mid_page_keeps_what_it_committed_and_the_next_continues() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    fake.add_customers(1200);
    // The profile, the resellers and page 1 answer; page 2 hangs until the process is killed.
    fake.with(|s| {
        s.faults = [
            Fault::Pass,
            Fault::Pass,
            Fault::Pass,
            Fault::Stall { ms: 4000 },
        ]
        .into();
    });
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);

    let mut child = command(&sandbox, &config, &db, &["sync"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let asked_page_two = || {
        fake.api_calls()
            .iter()
            .filter(|c| c.path == "/v1/customers")
            .count()
            >= 2
    };
    let started = Instant::now();
    while !asked_page_two() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "page 2 was never asked"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Page 1 is in the book, and the cursor of page 2.
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM customers WHERE domain LIKE 'customer%.onmicrosoft.com'"
        ),
        500
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM sync_state WHERE phase = 'customers' AND continuation IS NOT NULL"
        ),
        1
    );
    let out = run(&sandbox, &config, &db, &["status"]);
    assert!(
        stdout(&out).contains("stopped halfway"),
        "{}",
        describe(&out)
    );

    let out = run(&sandbox, &config, &db, &["sync"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.contains("Continued the sync"), "{text}");
    assert!(text.contains("over 2 pages"), "{text}");
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM customers WHERE domain LIKE 'customer%.onmicrosoft.com'"
        ),
        1200
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM sync_state WHERE phase = 'idle' AND last_sync_at IS NOT NULL"
        ),
        1
    );
}

#[test]
fn a_sync_killed_in_the_subscriptions_phase_keeps_its_batches_and_the_next_continues() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    fake.add_customers(200);
    // The profile, the resellers, the one page of customers and the first batch's 50 lists
    // answer; then one list hangs (its batch can't commit) until the process is killed.
    fake.with(|s| {
        s.subscriptions_per_customer = 2;
        s.faults = std::iter::repeat_n(Fault::Pass, 3 + 50)
            .chain([Fault::Stall { ms: 20_000 }])
            .collect();
    });
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);
    let mut child = command(&sandbox, &config, &db, &["sync"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while fake
        .api_calls()
        .iter()
        .filter(|c| c.path.ends_with("/subscriptions"))
        .count()
        < 58
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the second batch was never asked"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let pulled = "SELECT count(*) FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                   WHERE c.domain LIKE 'customer%.onmicrosoft.com'";
    assert_eq!(
        sqlite3_count(&db, pulled),
        100,
        "the first batch of 50 customers"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM sync_state WHERE phase = 'subscriptions' AND after_customer > 0"
        ),
        1
    );

    let out = run(&sandbox, &config, &db, &["sync"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.contains("Continuing a full sync"), "{text}");
    assert!(text.contains("subscriptions 300 new"), "{text}");
    assert_eq!(sqlite3_count(&db, pulled), 400);
}

#[test]
fn a_request_noted_with_its_partner_is_accepted_by_the_sync_that_finds_that_partner() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);
    let list = run(&sandbox, &config, &db, &["invitations", "list", "--json"]);
    assert_success(&list);
    let list: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    let sent = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "sent")
        .expect("the demo has a Sent request")
        .clone();
    let token = sent["token"].as_str().unwrap();
    let recipient = sent["recipient"].as_str().unwrap();
    let out = run(&sandbox, &config, &db, &["invitations", "expect", token]);
    assert_refused(&out);
    assert!(
        describe(&out).contains("PartnerID, its tenant ID, or both"),
        "{}",
        describe(&out)
    );
    // ReleCloud, in the fake's relationships list.
    let out = run(
        &sandbox,
        &config,
        &db,
        &["invitations", "expect", token, "--partner-id", "4847433"],
    );
    assert_success(&out);

    let out = run(&sandbox, &config, &db, &["sync"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "The partnership request to {recipient} was accepted"
        )),
        "{text}"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            &format!(
                "SELECT count(*) FROM invitations i JOIN resellers r ON r.id = i.reseller_id
                  WHERE i.token = '{token}' AND i.status = 'accepted' AND r.partner_id = '4847433'"
            )
        ),
        1
    );
}
