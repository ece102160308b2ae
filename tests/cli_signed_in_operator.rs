//! Signed in to Partner Center (a sign-in kept in the OS keyring), the CLI acts as the
//! signed-in account, not as `--operator`: an account that is no active operator of the book is
//! refused in words that say who adds it; once added, its changes are recorded under its name.
//! Where no keyring is reachable nothing can be kept, and the test says so and stops.

mod common;
mod fake_partner_center;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::process::{assert_refused, assert_success, describe, sqlite3_count, stdout};
use common::sandbox::Sandbox;
use fake_partner_center::{ACCOUNT, FakePartnerCenter, TENANT};

const ADMIN: &str = "ava.global@northwind-distribution.example";

struct Cli<'a> {
    sandbox: &'a Sandbox,
    config: PathBuf,
    db: PathBuf,
}

impl Cli<'_> {
    fn run(&self, args: &[&str]) -> Output {
        self.sandbox
            .twotier()
            .args(["--config", path(&self.config), "--db", path(&self.db)])
            .args(args)
            .output()
            .expect("running the twotier binary")
    }
}

/// The sign-in is removed from the keyring however the test ends.
impl Drop for Cli<'_> {
    fn drop(&mut self) {
        let _ = self.run(&["signout"]);
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn signed_in_the_cli_acts_as_the_account_not_as_the_operator_flag() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let config = sandbox.root().join("config.toml");
    // A tenant of its own: this test's keyring entry is no other test's.
    let tenant = format!("operator-{}.onmicrosoft.com", std::process::id());
    std::fs::write(&config, fake.config_section().replace(TENANT, &tenant)).unwrap();
    let db = sandbox.file("book.db");
    assert_success(&sandbox.run(&[
        "--db",
        path(&db),
        "demo",
        "--resellers",
        "2",
        "--customers",
        "3",
        "--subscriptions",
        "3",
    ]));
    let cli = Cli {
        sandbox: &sandbox,
        config,
        db: db.clone(),
    };
    let out = cli.run(&["signin"]);
    assert_success(&out);
    if !stdout(&out).contains("kept in the OS keyring") {
        println!(
            "skipped: no OS keyring keeps a sign-in here ({})",
            stdout(&out).trim()
        );
        return;
    }

    // The demo's Global admin named with --operator does not count: the account is refused.
    let out = cli.run(&["--operator", ADMIN, "users", "list"]);
    assert_refused(&out);
    assert!(
        describe(&out).contains(&format!(
            "{ACCOUNT} (signed in to Partner Center) is not an operator of this book; a Global admin adds them with `twotier users add"
        )),
        "{}",
        describe(&out)
    );

    // Signed out, the Global admin adds the account as a User admin.
    assert_success(&cli.run(&["signout"]));
    assert_success(&cli.run(&[
        "--operator",
        ADMIN,
        "users",
        "add",
        ACCOUNT,
        "--role",
        "user-admin",
    ]));
    assert!(stdout(&cli.run(&["signin"])).contains("kept in the OS keyring"));

    // Signed in again: what it does is recorded under the account, not under --operator.
    assert_success(&cli.run(&[
        "--operator",
        ADMIN,
        "users",
        "add",
        "zed@northwind-distribution.example",
        "--role",
        "sales-agent",
    ]));
    assert_eq!(
        sqlite3_count(
            &db,
            &format!(
                "SELECT count(*) FROM audit_log WHERE operator = '{ACCOUNT}' AND target = 'zed@northwind-distribution.example'"
            )
        ),
        1
    );
}
