//! Write-through on the built binary, against the fake Partner Center on 127.0.0.1: on a
//! connected book (`[partner_center]` in the config) `customers add` signs in if it must (its
//! instructions on stderr), makes the customer in Partner Center and then in the book from the
//! answer, and prints Partner Center's temporary password, which is in no file afterwards. With
//! the server stopped it is refused in words and the book is byte for byte as it was; the CLI
//! changes a connected book can't make alone (remove partnership, record an acceptance, import)
//! are refused and change nothing.

mod common;
mod fake_partner_center;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::process::{assert_refused, assert_success, describe, dump, stderr, stdout};
use common::sandbox::{Sandbox, run_on};
use fake_partner_center::{FakePartnerCenter, TOKEN_PREFIX, USER_CODE, reseller};
use rusqlite::Connection;
use serde_json::json;

const ME: &str = "tester";
/// Adatum IT Services of the demo book: active, compliant.
const ADATUM: &str = "5139005";
const ADATUM_TENANT: &str = "3b33e682-00c3-41ee-9dd2-a548adf56438";
const DOMAIN: &str = "fabrikamrobotics.onmicrosoft.com";

/// A demo book whose Adatum IT Services the fake knows as one of the provider's resellers.
fn connected(sandbox: &Sandbox, fake: &FakePartnerCenter) -> (PathBuf, PathBuf) {
    let db = sandbox.file("book.db");
    assert_success(&run_on(
        sandbox,
        &db,
        &["--operator", ME, "demo", "--as-of", "2026-11-01"],
    ));
    let conn = Connection::open(&db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    conn.execute(
        "UPDATE resellers SET tenant_id = ?1 WHERE partner_id = ?2",
        [ADATUM_TENANT, ADATUM],
    )
    .unwrap();
    drop(conn);
    fake.with(|s| {
        s.resellers
            .push(reseller(ADATUM_TENANT, "Adatum IT Services", ADATUM, "US"))
    });
    let config = sandbox.root().join("config.toml");
    std::fs::write(&config, fake.config_section()).unwrap();
    (db, config)
}

fn description(sandbox: &Sandbox) -> PathBuf {
    let path = sandbox.root().join("fabrikam.json");
    let value = json!({
        "company_name": "Fabrikam Robotics",
        "domain_prefix": "fabrikamrobotics",
        "first_name": "Ana",
        "last_name": "Silva",
        "email": "ana@fabrikam.example",
        "address_line1": "1 Main St",
        "city": "Seattle",
        "state": "WA",
        "postal_code": "98101",
        "country": "US",
        "reseller_partner_id": ADATUM,
        "mca": {"signer_name": "Ana Silva", "signer_email": "ana@fabrikam.example", "date_agreed": "2026-10-30"},
        "subscriptions": [{"offer_id": "CFQ7TTC0LCHC", "quantity": 25}],
        "attest_partner_of_record": true
    });
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

fn run(sandbox: &Sandbox, config: &Path, db: &Path, args: &[&str]) -> Output {
    sandbox
        .twotier()
        .args([
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--operator",
            ME,
        ])
        .args(args)
        .env("TWOTIER_KEYRING", "off")
        .output()
        .expect("running the twotier binary")
}

/// Every file under the sandbox, as bytes (the book, its WAL, the log, the config).
fn every_file(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.push((path, bytes));
            }
        }
    }
    out
}

#[test]
fn customers_add_on_a_connected_book_makes_it_in_partner_center_and_prints_its_password() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let (db, config) = connected(&sandbox, &fake);
    let from = description(&sandbox);
    // Nobody checked the reseller in the book: Partner Center's answer decides, so the book's
    // "unknown, check it in Compliance" is no warning here.
    common::process::sqlite3(
        &db,
        &format!(
            "UPDATE resellers SET mpa_signed = NULL, por_valid = NULL WHERE partner_id = '{ADATUM}';"
        ),
    );

    let out = run(
        &sandbox,
        &config,
        &db,
        &["customers", "add", "--from", from.to_str().unwrap()],
    );
    assert_success(&out);
    let password = fake.with(|s| {
        s.writes
            .passwords
            .last()
            .cloned()
            .expect("Partner Center made a password")
    });
    assert_eq!(
        stdout(&out),
        format!("admin@{DOMAIN}\t{password}\n"),
        "{}",
        describe(&out)
    );
    // The sign-in's instructions went to stderr, never into the credentials on stdout.
    assert!(stderr(&out).contains(USER_CODE), "{}", describe(&out));
    assert!(
        stderr(&out).contains("in Partner Center and the book"),
        "{}",
        describe(&out)
    );
    assert!(!stderr(&out).contains(&password));
    assert!(!stderr(&out).contains("unknown"), "{}", describe(&out));

    // Made in Partner Center, for the reseller, with its order…
    let made = fake.with(|s| s.customers.last().cloned().unwrap());
    let tenant = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["companyProfile"]["domain"], DOMAIN);
    assert_eq!(made["associatedPartnerId"], ADATUM_TENANT);
    let remote_subscription = fake.with(|s| {
        s.subscription_lists[&tenant][0]["id"]
            .as_str()
            .unwrap()
            .to_ascii_lowercase()
    });
    // …and in the book from its answer.
    let conn = Connection::open(&db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let (book_tenant, admin): (String, String) = conn
        .query_row(
            "SELECT tenant_id, admin_user_name FROM customers WHERE domain = ?1",
            [DOMAIN],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (book_tenant.as_str(), admin.as_str()),
        (tenant.as_str(), format!("admin@{DOMAIN}").as_str())
    );
    let subscription: String = conn
        .query_row(
            "SELECT s.subscription_id FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE c.domain = ?1",
            [DOMAIN],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(subscription, remote_subscription);
    let after: String = conn
        .query_row("SELECT after FROM audit_log WHERE action = 'Customer created' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let create = fake
        .api_calls()
        .into_iter()
        .find(|c| c.method == "POST" && c.path == "/v1/customers")
        .unwrap();
    assert!(
        after.contains(create.correlation_id.as_deref().unwrap()),
        "{after}"
    );
    drop(conn);

    // The password and the tokens are in no file: not the book, its WAL, the log.
    for (path, bytes) in every_file(sandbox.root()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&password),
            "the password is in {}",
            path.display()
        );
        assert!(
            !text.contains(TOKEN_PREFIX),
            "a token is in {}",
            path.display()
        );
    }
}

#[test]
fn with_partner_center_unreachable_customers_add_is_refused_and_the_book_is_unchanged() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let (db, config) = connected(&sandbox, &fake);
    let from = description(&sandbox);
    drop(fake);
    let before = dump(&db);

    let out = run(
        &sandbox,
        &config,
        &db,
        &["customers", "add", "--from", from.to_str().unwrap()],
    );
    assert_refused(&out);
    let text = stderr(&out);
    assert!(text.contains("not added"), "{text}");
    assert!(text.contains("could not reach"), "{text}");
    assert!(text.contains("no local-only changes"), "{text}");
    assert_eq!(stdout(&out), "");
    assert_eq!(dump(&db), before, "the book is as it was");
}

#[test]
fn changes_a_connected_book_cannot_make_alone_are_refused_in_words() {
    let sandbox = Sandbox::new();
    let fake = FakePartnerCenter::start();
    let (db, config) = connected(&sandbox, &fake);
    let csv = sandbox.root().join("resellers.csv");
    std::fs::write(&csv, "PartnerID,Name,Country\n1234567,Contoso,US\n").unwrap();
    let before = dump(&db);
    for (args, says) in [
        (vec!["resellers", "remove", ADATUM, "--yes"], "not removed"),
        (
            vec![
                "invitations",
                "accept",
                "tok",
                "--partner-id",
                "1234567",
                "--name",
                "Contoso",
                "--country",
                "US",
            ],
            "not recorded",
        ),
        (
            vec!["import", "resellers", csv.to_str().unwrap()],
            "not imported",
        ),
    ] {
        let out = run(&sandbox, &config, &db, &args);
        assert_refused(&out);
        let text = stderr(&out);
        assert!(
            text.contains(says) && text.contains("no local-only"),
            "{args:?}: {text}"
        );
        assert!(text.contains("twotier sync"), "{args:?}: {text}");
    }
    assert_eq!(dump(&db), before);
    assert!(fake.api_calls().is_empty());
}
