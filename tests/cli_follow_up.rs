//! `twotier resellers follow-up PARTNER_ID [--json]`, run as a real process: the subscriptions
//! still naming a removed reseller, and the refusals for a PartnerID that has nothing to follow up.

use std::collections::BTreeSet;
use std::path::PathBuf;

mod common;
use common::process::{
    assert_refused, assert_success, describe, sqlite3, sqlite3_count, stderr, stdout,
};
use common::sandbox::{Sandbox, json_array, json_of, key_set, keys, run_on, str_field};

/// Adatum IT Services in the default demo book.
const ADATUM: &str = "5139005";

fn demo(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("t.db");
    let out = sandbox.run(&[
        "demo",
        "--db",
        db.to_str().unwrap(),
        "--as-of",
        "2026-11-01",
    ]);
    assert_success(&out);
    db
}

/// The Subscription IDs naming Adatum as partner of record or support contact.
fn naming_adatum(db: &std::path::Path) -> BTreeSet<String> {
    sqlite3(
        db,
        "SELECT s.subscription_id FROM subscriptions s JOIN resellers r
           ON r.id = s.reseller_id OR r.id = s.support_reseller_id
         WHERE r.partner_id = '5139005' GROUP BY s.id;",
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

#[test]
fn follow_up_lists_the_subscriptions_still_naming_the_removed_reseller() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    let expected = naming_adatum(&db);
    assert!(expected.len() > 2, "{expected:?}");
    assert_success(&run_on(
        &sandbox,
        &db,
        &["resellers", "remove", ADATUM, "--yes"],
    ));

    // JSON: one object per subscription, with its role(s).
    let value = json_of(&sandbox, &db, &["resellers", "follow-up", ADATUM, "--json"]);
    let rows = json_array(&value);
    let ids: BTreeSet<String> = rows
        .iter()
        .map(|r| str_field(r, "subscription_id").to_owned())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(rows.len(), expected.len());
    for r in rows {
        assert_eq!(
            keys(r),
            key_set(&[
                "customer",
                "subscription",
                "subscription_id",
                "roles",
                "partner_of_record",
                "support_contact",
                "status"
            ])
        );
        let roles: Vec<&str> = r["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            roles.contains(&"Partner of record"),
            r["partner_of_record"] == true,
            "{r:#}"
        );
        assert_eq!(
            roles.contains(&"Support contact"),
            r["support_contact"] == true,
            "{r:#}"
        );
        assert!(!roles.is_empty());
    }
    assert!(rows.iter().any(|r| r["support_contact"] == true));

    // Text: a table with the same subscriptions.
    let out = run_on(&sandbox, &db, &["resellers", "follow-up", ADATUM]);
    assert_success(&out);
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    for column in [
        "Customer",
        "Subscription",
        "Subscription ID",
        "Role",
        "Status",
    ] {
        assert!(header.contains(column), "{}", describe(&out));
    }
    assert_eq!(
        text.lines().count(),
        expected.len() + 1,
        "{}",
        describe(&out)
    );
    for id in &expected {
        assert!(
            text.contains(id.as_str()),
            "{id} missing\n{}",
            describe(&out)
        );
    }
    assert!(
        text.contains("Partner of record, Support contact") || text.contains("Support contact")
    );

    // Reassigned (by any tool): it leaves the list.
    let gone = expected.iter().next().unwrap().clone();
    sqlite3(
        &db,
        &format!(
            "UPDATE subscriptions SET reseller_id = NULL, support_reseller_id = NULL WHERE subscription_id = '{gone}';"
        ),
    );
    let value = json_of(&sandbox, &db, &["resellers", "follow-up", ADATUM, "--json"]);
    let ids: BTreeSet<String> = json_array(&value)
        .iter()
        .map(|r| str_field(r, "subscription_id").to_owned())
        .collect();
    assert_eq!(ids.len(), expected.len() - 1);
    assert!(!ids.contains(&gone));

    // All of them reassigned: nothing to follow up, said in words; JSON is an empty array.
    sqlite3(
        &db,
        "UPDATE subscriptions SET reseller_id = NULL, support_reseller_id = NULL
         WHERE reseller_id = (SELECT id FROM resellers WHERE partner_id = '5139005')
            OR support_reseller_id = (SELECT id FROM resellers WHERE partner_id = '5139005');",
    );
    let out = run_on(&sandbox, &db, &["resellers", "follow-up", ADATUM]);
    assert_success(&out);
    assert_eq!(
        stdout(&out).trim(),
        "Nothing to follow up: no subscription still names Adatum IT Services."
    );
    let value = json_of(&sandbox, &db, &["resellers", "follow-up", ADATUM, "--json"]);
    assert!(json_array(&value).is_empty());
}

#[test]
fn follow_up_refuses_an_unknown_or_never_removed_partner_id() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    let before = sqlite3_count(&db, "SELECT count(*) FROM audit_log;");
    let out = run_on(&sandbox, &db, &["resellers", "follow-up", "999"]);
    assert_refused(&out);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("No indirect reseller has PartnerID 999"),
        "{}",
        describe(&out)
    );
    assert!(stdout(&out).is_empty());
    let out = run_on(&sandbox, &db, &["resellers", "follow-up", ADATUM, "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("is active") && stderr(&out).contains("Remove partnership"),
        "{}",
        describe(&out)
    );
    assert!(stdout(&out).is_empty(), "no JSON on a refusal");
    // Usage: the PartnerID is required.
    let out = run_on(&sandbox, &db, &["resellers", "follow-up"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM audit_log;"),
        before
    );
}

#[test]
fn follow_up_needs_the_permission_to_view_resellers() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    assert_success(&run_on(
        &sandbox,
        &db,
        &["resellers", "remove", ADATUM, "--yes"],
    ));
    let upn = "bill@northwind-distribution.example";
    assert_success(&run_on(
        &sandbox,
        &db,
        &["users", "add", upn, "--role", "billing-admin"],
    ));
    let out = run_on(
        &sandbox,
        &db,
        &[
            "--operator",
            upn,
            "resellers",
            "follow-up",
            ADATUM,
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("Indirect resellers"),
        "{}",
        describe(&out)
    );
    assert!(stdout(&out).is_empty());
}
