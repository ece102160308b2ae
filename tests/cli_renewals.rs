//! `twotier subscriptions renewals [--within Nd] [--reseller ID] [--as-of DATE] [--json]`, run as
//! the real binary on a demo book; the expected rows come from SQL on the database.

use std::path::{Path, PathBuf};

mod common;
use common::process::{assert_refused, assert_success, describe, sqlite3, stderr, stdout};
use common::sandbox::{Sandbox, json_array, json_of, key_set, keys, run_on, str_field};

/// Adatum IT Services in the default demo book.
const ADATUM: &str = "5139005";
const AS_OF: &str = "2026-11-01";

const KEYS: [&str; 12] = [
    "group",
    "commitment_end_date",
    "days_left",
    "auto_renew",
    "quantity",
    "subscription",
    "subscription_id",
    "customer",
    "reseller",
    "reseller_partner_id",
    "reseller_removed",
    "status",
];

/// A demo book from 2026-11-01 with two subscriptions overdue (by 1 and 40 days) and one
/// cancelled.
fn demo(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("t.db");
    assert_success(&sandbox.run(&["demo", "--db", db.to_str().unwrap(), "--as-of", AS_OF]));
    sqlite3(
        &db,
        "UPDATE subscriptions SET status = 'active', commitment_end_date = '2026-10-31' WHERE id = 1;
         UPDATE subscriptions SET status = 'active', commitment_end_date = '2026-09-22' WHERE id = 2;
         UPDATE subscriptions SET status = 'deleted', commitment_end_date = '2026-11-03' WHERE id = 3;",
    );
    db
}

/// The Subscription IDs the list should hold, in its order.
fn expected(db: &Path, last_day: &str, reseller: Option<&str>) -> Vec<String> {
    let by = reseller.map_or(String::new(), |p| {
        format!("AND reseller_id = (SELECT id FROM resellers WHERE partner_id = '{p}')")
    });
    sqlite3(
        db,
        &format!(
            "SELECT subscription_id FROM subscriptions
             WHERE removed_at IS NULL AND status IN ('active', 'pending', 'suspended')
               AND commitment_end_date <= '{last_day}' {by}
             ORDER BY commitment_end_date, id;"
        ),
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

fn renewals(sandbox: &Sandbox, db: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["subscriptions", "renewals", "--as-of", AS_OF, "--json"];
    args.extend_from_slice(extra);
    json_array(&json_of(sandbox, db, &args)).clone()
}

#[test]
fn json_lists_the_window_by_end_date_with_named_fields_and_groups() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    let rows = renewals(&sandbox, &db, &[]);
    let ids: Vec<String> = rows
        .iter()
        .map(|r| str_field(r, "subscription_id").to_owned())
        .collect();
    assert_eq!(ids, expected(&db, "2027-01-30", None), "default: 90 days");
    for row in &rows {
        assert_eq!(keys(row), key_set(&KEYS));
    }
    // Overdue first, with negative days; then the groups in order.
    assert_eq!(str_field(&rows[0], "group"), "overdue");
    assert_eq!(rows[0]["days_left"], -40);
    assert_eq!(str_field(&rows[1], "group"), "overdue");
    assert_eq!(rows[1]["days_left"], -1);
    let groups: Vec<&str> = rows.iter().map(|r| str_field(r, "group")).collect();
    let mut sorted = groups.clone();
    sorted.sort_by_key(|g| {
        [
            "overdue",
            "within_30_days",
            "within_60_days",
            "within_90_days",
        ]
        .iter()
        .position(|x| x == g)
    });
    assert_eq!(groups, sorted);
    for g in ["within_30_days", "within_60_days", "within_90_days"] {
        assert!(groups.contains(&g), "{g}: {groups:?}");
    }
    // Each row's days and group agree with its date.
    for row in &rows {
        let days = row["days_left"].as_i64().unwrap();
        let group = match days {
            ..0 => "overdue",
            0..=30 => "within_30_days",
            31..=60 => "within_60_days",
            _ => "within_90_days",
        };
        assert_eq!(str_field(row, "group"), group, "{row:#}");
        assert!(days <= 90);
    }
    // The cancelled one is not there.
    let cancelled = sqlite3(
        &db,
        "SELECT subscription_id FROM subscriptions WHERE id = 3;",
    );
    assert!(!ids.contains(&cancelled.trim().to_owned()));
}

#[test]
fn within_narrows_the_window_and_overdue_ones_stay() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    let rows = renewals(&sandbox, &db, &["--within", "30d"]);
    let ids: Vec<String> = rows
        .iter()
        .map(|r| str_field(r, "subscription_id").to_owned())
        .collect();
    assert_eq!(ids, expected(&db, "2026-12-01", None));
    assert_eq!(str_field(&rows[0], "group"), "overdue");
    let zero = renewals(&sandbox, &db, &["--within", "0d"]);
    assert!(zero.iter().all(|r| r["days_left"].as_i64().unwrap() <= 0));
    assert_eq!(zero.len(), expected(&db, AS_OF, None).len());
}

#[test]
fn reseller_narrows_to_the_subscriptions_crediting_it() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    let rows = renewals(&sandbox, &db, &["--reseller", ADATUM]);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| str_field(r, "reseller_partner_id") == ADATUM)
    );
    let ids: Vec<String> = rows
        .iter()
        .map(|r| str_field(r, "subscription_id").to_owned())
        .collect();
    assert_eq!(ids, expected(&db, "2027-01-30", Some(ADATUM)));

    let unknown = run_on(
        &sandbox,
        &db,
        &["subscriptions", "renewals", "--reseller", "99999"],
    );
    assert_refused(&unknown);
    assert!(
        stderr(&unknown).contains("No indirect reseller (active or removed) has PartnerID 99999"),
        "{}",
        describe(&unknown)
    );
    assert!(stdout(&unknown).is_empty());
}

#[test]
fn the_table_names_the_group_of_every_row() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    let out = run_on(
        &sandbox,
        &db,
        &["subscriptions", "renewals", "--as-of", AS_OF],
    );
    assert_success(&out);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Group"), "{text}");
    for header in [
        "Commitment ends",
        "Days",
        "Auto-renew",
        "Seats",
        "Subscription",
        "Customer",
        "Reseller",
    ] {
        assert!(lines[0].contains(header), "{header}: {}", lines[0]);
    }
    assert!(lines[1].starts_with("Overdue"), "{text}");
    assert!(lines[1].contains("40 days overdue"), "{}", lines[1]);
    assert!(lines[2].contains("1 day overdue"), "{}", lines[2]);
    assert!(
        text.contains("0–30 days") && text.contains("61–90 days"),
        "{text}"
    );
    assert_eq!(lines.len() - 1, expected(&db, "2027-01-30", None).len());
}

#[test]
fn a_bad_within_is_a_usage_error_and_help_says_overdue_is_always_in() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    for bad in ["30", "thirty", "-3d", "3.5d", "1w"] {
        let within = format!("--within={bad}");
        let out = run_on(&sandbox, &db, &["subscriptions", "renewals", &within]);
        assert_eq!(out.status.code(), Some(2), "{bad}\n{}", describe(&out));
        assert!(
            stderr(&out).contains("write it as 30d"),
            "{}",
            describe(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    let help = sandbox.run(&["subscriptions", "renewals", "--help"]);
    assert_success(&help);
    let text = stdout(&help);
    assert!(text.contains("overdue ones"), "{text}");
    assert!(text.contains("always included"), "{text}");
    assert!(text.contains("[default: 90d]"), "{text}");
}

#[test]
fn an_empty_window_says_so() {
    let sandbox = Sandbox::new();
    let db = demo(&sandbox);
    sqlite3(&db, "UPDATE subscriptions SET status = 'expired';");
    let out = run_on(
        &sandbox,
        &db,
        &["subscriptions", "renewals", "--as-of", AS_OF],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("No subscription renews or expires within 90 days of 2026-11-01")
    );
    assert_eq!(renewals(&sandbox, &db, &[]).len(), 0);
}
