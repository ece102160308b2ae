//! `twotier signin`, `signout` and `status` on the built binary, against the fake Partner Center
//! on 127.0.0.1 (the config file points `api_url` and `authority_url` at it): the code is printed,
//! the sign-in completes, and no token reaches stdout, stderr, the log or the book.

mod common;
mod fake_partner_center;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::process::{assert_refused, assert_success, describe, stderr, stdout};
use common::sandbox::Sandbox;
use fake_partner_center::{
    ACCOUNT, FakePartnerCenter, Poll, TOKEN_PREFIX, USER_CODE, VERIFICATION_URI,
};

fn config_for(sandbox: &Sandbox, fake: &FakePartnerCenter) -> PathBuf {
    let path = sandbox.root().join("config.toml");
    std::fs::write(&path, fake.config_section()).unwrap();
    path
}

fn run(sandbox: &Sandbox, config: &Path, db: &Path, args: &[&str], keyring_off: bool) -> Output {
    let mut cmd = sandbox.twotier();
    cmd.args([
        "--config",
        config.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ])
    .args(args)
    .env("TWOTIER_LOG", "debug");
    if keyring_off {
        cmd.env("TWOTIER_KEYRING", "off");
    }
    cmd.output().expect("running the twotier binary")
}

fn log_of(sandbox: &Sandbox) -> String {
    std::fs::read_to_string(sandbox.home().join(".local/state/twotier/twotier.log"))
        .unwrap_or_default()
}

/// The tokens the fake handed out (every one starts with TOKEN_PREFIX) appear nowhere.
fn assert_no_token(out: &Output, sandbox: &Sandbox, db: &Path) {
    assert!(!stdout(out).contains(TOKEN_PREFIX), "{}", describe(out));
    assert!(!stderr(out).contains(TOKEN_PREFIX), "{}", describe(out));
    assert!(
        !log_of(sandbox).contains(TOKEN_PREFIX),
        "{}",
        log_of(sandbox)
    );
    for suffix in ["", "-wal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(bytes) = std::fs::read(PathBuf::from(name)) {
            assert!(
                !bytes
                    .windows(TOKEN_PREFIX.len())
                    .any(|w| w == TOKEN_PREFIX.as_bytes()),
                "a token in the book"
            );
        }
    }
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
fn signin_prints_the_code_signs_in_and_leaks_no_token() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    fake.with(|s| s.polls = [Poll::Pending, Poll::Success].into());
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);
    let out = run(&sandbox, &config, &db, &["signin"], true);
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains(VERIFICATION_URI) && text.contains(USER_CODE) && text.contains("15 minutes"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Signed in to Partner Center as {ACCOUNT}")),
        "{text}"
    );
    assert!(
        text.contains("TWOTIER_KEYRING=off") && text.contains("lasts only while this twotier runs"),
        "{text}"
    );
    let polls = fake
        .seen()
        .iter()
        .filter(|s| s.path == "/northwind.onmicrosoft.com/oauth2/v2.0/token")
        .count();
    assert_eq!(polls, 2, "polled while pending, at the server's interval");
    assert!(
        log_of(&sandbox).contains("signed in to Partner Center"),
        "{}",
        log_of(&sandbox)
    );
    assert_no_token(&out, &sandbox, &db);
}

/// With this machine's own keyring: kept there, or said that it can't be; never a failure.
#[test]
fn signin_with_the_os_keyring_keeps_it_or_says_why_not() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);
    let out = run(&sandbox, &config, &db, &["signin"], false);
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains("kept in the OS keyring") || text.contains("no keyring is reachable"),
        "{text}"
    );
    assert_no_token(&out, &sandbox, &db);
    let status = run(&sandbox, &config, &db, &["status", "--json"], false);
    assert_success(&status);
    let json: serde_json::Value = serde_json::from_str(&stdout(&status)).unwrap();
    if text.contains("kept in the OS keyring") {
        assert_eq!(json["signed_in"], true);
        assert_eq!(json["account"], ACCOUNT);
        let out = run(&sandbox, &config, &db, &["signout"], false);
        assert!(stdout(&out).contains("Signed out"), "{}", describe(&out));
        let json: serde_json::Value = serde_json::from_str(&stdout(&run(
            &sandbox,
            &config,
            &db,
            &["status", "--json"],
            false,
        )))
        .unwrap();
        assert_eq!(json["signed_in"], false);
    }
    assert_no_token(&status, &sandbox, &db);
}

#[test]
fn a_declined_or_expired_sign_in_fails_in_words() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let config = config_for(&sandbox, &fake);
    let db = book(&sandbox);
    fake.with(|s| s.polls = [Poll::Denied].into());
    let out = run(&sandbox, &config, &db, &["signin"], true);
    assert_refused(&out);
    assert!(stderr(&out).contains("declined"), "{}", describe(&out));
    fake.with(|s| s.polls = [Poll::Expired].into());
    let out = run(&sandbox, &config, &db, &["signin"], true);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("expired") && stderr(&out).contains("twotier signin"),
        "{}",
        describe(&out)
    );
    // The server gone: its address, in words.
    let url = fake.url();
    drop(fake);
    let out = run(&sandbox, &config, &db, &["signin"], true);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("could not reach") && stderr(&out).contains(&url),
        "{}",
        describe(&out)
    );
}

#[test]
fn status_says_offline_without_the_section_and_the_tenant_with_it() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let empty = sandbox.root().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let out = run(&sandbox, &empty, &db, &["status"], true);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Partner Center: offline"),
        "{}",
        describe(&out)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(
        &sandbox,
        &empty,
        &db,
        &["status", "--json"],
        true,
    )))
    .unwrap();
    assert_eq!(json["mode"], "offline");
    assert_eq!(json["last_sync"], serde_json::Value::Null);
    assert_eq!(json["pending_changes"], 0);
    // Sign-in needs the section, and says where it goes.
    let out = run(&sandbox, &empty, &db, &["signin"], true);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("offline") && stderr(&out).contains("[partner_center]"),
        "{}",
        describe(&out)
    );

    let fake = FakePartnerCenter::start();
    let config = config_for(&sandbox, &fake);
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(
        &sandbox,
        &config,
        &db,
        &["status", "--json"],
        true,
    )))
    .unwrap();
    assert_eq!(json["mode"], "partner_center");
    assert_eq!(json["tenant"], "northwind.onmicrosoft.com");
    assert_eq!(json["signed_in"], serde_json::Value::Null);
    assert!(
        json["keyring_problem"]
            .as_str()
            .unwrap()
            .contains("TWOTIER_KEYRING=off")
    );
    assert_eq!(json["last_sync"], serde_json::Value::Null);
    assert_eq!(json["pending_changes"], 0);
    let text = stdout(&run(&sandbox, &config, &db, &["status"], true));
    assert!(
        text.contains("tenant northwind.onmicrosoft.com") && text.contains("Last sync: never"),
        "{text}"
    );
    let out = run(&sandbox, &config, &db, &["signout"], true);
    assert_success(&out);
    assert!(
        stdout(&out).contains("nothing to remove"),
        "{}",
        describe(&out)
    );
    assert!(fake.seen().is_empty(), "status and signout call nobody");
}

#[test]
fn a_bad_partner_center_section_names_its_key() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let config = sandbox.root().join("bad.toml");
    std::fs::write(
        &config,
        "[partner_center]\ntenant = \"northwind.onmicrosoft.com\"\nclient_id = \"my-app\"\n",
    )
    .unwrap();
    let out = run(&sandbox, &config, &db, &["status"], true);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("partner_center.client_id"),
        "{}",
        describe(&out)
    );
}
