//! The permission matrix through the command line, run as a real process: each role's demo
//! operator (`--operator UPN`) runs one scripting command per permission the CLI exposes, on its
//! own copy of a demo database. Allowed: exit 0. Refused: exit 1, the matrix's reason on stderr,
//! the database exactly as it was. Also the users and activity commands, the operator errors, an
//! invalid `[roles]` config and the append-only activity log.
//!
//! Every test has its own temp folder with a fake HOME inside it, so nothing touches the real
//! home, and the XDG and TWOTIER_* variables are removed from the child's environment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::process::{
    assert_refused, assert_success, describe, dump, first_difference, sqlite3, sqlite3_result,
    stderr, stdout,
};
use common::sandbox::{Sandbox, json_array, json_of, key_set, keys, run_on, str_field, today};

use twotier::domain::permission::{Matrix, Permission};
use twotier::domain::role::Role;

const DOMAIN: &str = "northwind-distribution.example";

/// The demo's sent (pending) invitation, 3 days old.
const PENDING: &str = "it@alpineridge.example";
/// Adatum IT Services, an active demo reseller.
const ADATUM: &str = "5139005";

fn upn_of(role: Role) -> String {
    let name = match role {
        Role::GlobalAdmin => "ava.global",
        Role::UserAdmin => "ben.users",
        Role::AdminAgent => "chloe.agent",
        Role::SalesAgent => "dev.sales",
        Role::BillingAdmin => "eva.billing",
        Role::HelpdeskAgent => "finn.helpdesk",
    };
    format!("{name}@{DOMAIN}")
}

// ---------------------------------------------------------------------------------------------
// Running as an operator (the shared helpers are in tests/common/process.rs and sandbox.rs)
// ---------------------------------------------------------------------------------------------

/// Runs `twotier --db DB --operator UPN ARGS…`.
fn run_as(sandbox: &Sandbox, db: &Path, upn: &str, args: &[&str]) -> Output {
    let mut all = vec!["--operator", upn];
    all.extend_from_slice(args);
    run_on(sandbox, db, &all)
}

/// Runs a command that must succeed and print one JSON value.
#[track_caller]
fn json_as(sandbox: &Sandbox, db: &Path, upn: &str, args: &[&str]) -> serde_json::Value {
    let out = run_as(sandbox, db, upn, args);
    assert_success(&out);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?} did not print JSON ({e})\n{}", describe(&out)))
}

/// A small demo database laid out from today, opened once by the CLI (so a copy of it is a
/// database the CLI has already opened), with no WAL beside it.
fn template(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("template.db");
    let out = sandbox.run(&[
        "demo",
        "--db",
        db.to_str().unwrap(),
        "--resellers",
        "12",
        "--customers",
        "30",
        "--subscriptions",
        "60",
        "--as-of",
        &today(),
    ]);
    assert_success(&out);
    assert_success(&run_as(
        sandbox,
        &db,
        &upn_of(Role::GlobalAdmin),
        &["users", "list"],
    ));
    // A copy of the main file alone must hold everything.
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    if wal.exists() {
        sqlite3(&db, "PRAGMA wal_checkpoint(TRUNCATE);");
    }
    db
}

/// A fresh copy of the template.
fn copy_of(sandbox: &Sandbox, template: &Path, name: &str) -> PathBuf {
    let db = sandbox.file(name);
    std::fs::copy(template, &db).unwrap();
    db
}

fn pending_token(db: &Path) -> String {
    let token = sqlite3(
        db,
        &format!(
            "SELECT token FROM invitations WHERE recipient_email = '{PENDING}' AND status = 'sent';"
        ),
    );
    let token = token.trim().to_owned();
    assert!(
        !token.is_empty(),
        "the demo has no sent invitation to {PENDING}"
    );
    token
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// One scripting command per permission the CLI exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    ResellersList,
    InvitationsAccept,
    ResellersRemove,
    UsersAdd,
    UsersSetRole,
}

const CMDS: [Cmd; 5] = [
    Cmd::ResellersList,
    Cmd::InvitationsAccept,
    Cmd::ResellersRemove,
    Cmd::UsersAdd,
    Cmd::UsersSetRole,
];

impl Cmd {
    fn permission(self) -> Permission {
        match self {
            Cmd::ResellersList => Permission::ViewResellers,
            Cmd::InvitationsAccept => Permission::ManagePartnerships,
            Cmd::ResellersRemove => Permission::RemovePartnership,
            Cmd::UsersAdd | Cmd::UsersSetRole => Permission::ManageUsers,
        }
    }

    fn args(self, token: &str) -> Vec<String> {
        let v = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        match self {
            Cmd::ResellersList => v(&["resellers", "list"]),
            Cmd::InvitationsAccept => v(&[
                "invitations",
                "accept",
                token,
                "--partner-id",
                "7000001",
                "--name",
                "X Co",
                "--country",
                "US",
            ]),
            Cmd::ResellersRemove => v(&["resellers", "remove", ADATUM, "--yes"]),
            Cmd::UsersAdd => v(&[
                "users",
                "add",
                &format!("new.user@{DOMAIN}"),
                "--role",
                "sales-agent",
            ]),
            Cmd::UsersSetRole => v(&[
                "users",
                "set-role",
                &upn_of(Role::SalesAgent),
                "--role",
                "admin-agent",
            ]),
        }
    }

    /// What the database must show after the command succeeded (a `sqlite3` count that is 1).
    fn done_sql(self) -> Option<String> {
        match self {
            Cmd::ResellersList => None,
            Cmd::InvitationsAccept => Some(format!(
                "SELECT count(*) FROM resellers r JOIN invitations i ON i.reseller_id = r.id
                 WHERE r.partner_id = '7000001' AND r.state = 'active' AND i.status = 'accepted'
                   AND i.recipient_email = '{PENDING}';"
            )),
            Cmd::ResellersRemove => Some(format!(
                "SELECT count(*) FROM resellers WHERE partner_id = '{ADATUM}' AND state = 'removed';"
            )),
            Cmd::UsersAdd => Some(format!(
                "SELECT count(*) FROM operators WHERE upn = 'new.user@{DOMAIN}' AND role = 'sales-agent' AND disabled = 0;"
            )),
            Cmd::UsersSetRole => Some(format!(
                "SELECT count(*) FROM operators WHERE upn = '{}' AND role = 'admin-agent';",
                upn_of(Role::SalesAgent)
            )),
        }
    }
}

/// The reason a refusal must give, written out here: the permission's label, every role the
/// matrix allows (in the order of `Role::ALL`), and the operator's role.
fn expected_reason(matrix: &Matrix, role: Role, permission: Permission) -> String {
    let allowed: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| matrix.allows(*r, permission))
        .map(Role::label)
        .collect();
    let needed = match allowed.len() {
        0 => "a role no one has".to_owned(),
        1 => allowed[0].to_owned(),
        n => format!("{} or {}", allowed[..n - 1].join(", "), allowed[n - 1]),
    };
    format!(
        "{} needs {needed} (you are {}).",
        permission.label(),
        role.label()
    )
}

/// Runs one (role, command) pair on a fresh copy of the template; returns the process output
/// after checking that a refusal changed nothing and a success did its work.
fn outcome(sandbox: &Sandbox, template: &Path, role: Role, cmd: Cmd) -> Output {
    let db = copy_of(sandbox, template, &format!("{role:?}-{cmd:?}.db"));
    let token = pending_token(&db);
    let before = dump(&db);
    let args = cmd.args(&token);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_as(sandbox, &db, &upn_of(role), &args);
    let after = dump(&db);
    if out.status.success() {
        if let Some(sql) = cmd.done_sql() {
            assert_eq!(
                sqlite3(&db, &sql).trim(),
                "1",
                "{role:?} {cmd:?} exited 0 but did not do its work ({sql})\n{}",
                describe(&out)
            );
            let last = sqlite3(
                &db,
                "SELECT operator FROM audit_log ORDER BY id DESC LIMIT 1;",
            );
            assert_eq!(
                last.trim(),
                upn_of(role),
                "{role:?} {cmd:?}: the activity log names the wrong operator"
            );
        }
    } else {
        assert!(
            before == after,
            "{role:?} {cmd:?} failed but changed the database:\n{}\n{}",
            first_difference(&before, &after),
            describe(&out)
        );
    }
    out
}

#[test]
fn every_role_and_command_follows_the_default_matrix() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let matrix = Matrix::default();
    let mut failures = Vec::new();
    for role in Role::ALL {
        for cmd in CMDS {
            let permission = cmd.permission();
            let out = outcome(&sandbox, &template, role, cmd);
            if matrix.allows(role, permission) {
                if !out.status.success() {
                    failures.push(format!(
                        "{role:?} {cmd:?}: refused, the matrix allows it\n{}",
                        describe(&out)
                    ));
                }
                continue;
            }
            let want = expected_reason(&matrix, role, permission);
            let err = stderr(&out);
            if out.status.code() != Some(1) {
                failures.push(format!(
                    "{role:?} {cmd:?}: expected exit 1\n{}",
                    describe(&out)
                ));
            } else if !err.contains(&want) {
                failures.push(format!(
                    "{role:?} {cmd:?}: stderr does not say {want:?}\n{}",
                    describe(&out)
                ));
            } else if !stdout(&out).is_empty() {
                failures.push(format!(
                    "{role:?} {cmd:?}: refused but printed on stdout\n{}",
                    describe(&out)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs are wrong:\n{}",
        failures.len(),
        Role::ALL.len() * CMDS.len(),
        failures.join("\n\n")
    );
}

/// Facts of §8.7 written out, so a broken default matrix can't pass with the table.
#[test]
fn hand_checked_facts_through_the_cli() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let out = outcome(&sandbox, &template, Role::BillingAdmin, Cmd::ResellersList);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains(
            "Indirect resellers needs Global admin, User admin, Admin agent or Sales agent (you are Billing admin)."
        ),
        "{}",
        describe(&out)
    );
    let out = outcome(&sandbox, &template, Role::UserAdmin, Cmd::UsersAdd);
    assert_success(&out);
    let out = outcome(&sandbox, &template, Role::SalesAgent, Cmd::UsersSetRole);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains(
            "Managing users and roles needs Global admin or User admin (you are Sales agent)."
        ),
        "{}",
        describe(&out)
    );
    let out = outcome(
        &sandbox,
        &template,
        Role::HelpdeskAgent,
        Cmd::ResellersRemove,
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let out = outcome(
        &sandbox,
        &template,
        Role::SalesAgent,
        Cmd::InvitationsAccept,
    );
    assert_success(&out);
}

/// A `[roles]` override in the config file changes what the CLI allows.
#[test]
fn a_config_override_changes_what_the_cli_allows() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let config = sandbox.root().join("config.toml");
    std::fs::write(&config, "[roles]\nview-resellers = [\"billing-admin\"]\n").unwrap();
    let config = config.to_str().unwrap();
    let out = run_as(
        &sandbox,
        &db,
        &upn_of(Role::BillingAdmin),
        &["--config", config, "resellers", "list"],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("Adatum IT Services"),
        "{}",
        describe(&out)
    );
    let out = run_as(
        &sandbox,
        &db,
        &upn_of(Role::GlobalAdmin),
        &["--config", config, "resellers", "list"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("Indirect resellers needs Billing admin (you are Global admin)."),
        "{}",
        describe(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// users and activity
// ---------------------------------------------------------------------------------------------

#[test]
fn users_list_json_has_exactly_the_documented_fields() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let list = json_as(
        &sandbox,
        &db,
        &upn_of(Role::SalesAgent),
        &["users", "list", "--json"],
    );
    let users = json_array(&list);
    for user in users {
        assert_eq!(
            keys(user),
            key_set(&["upn", "display_name", "role", "disabled", "created_at"]),
            "{user:#}"
        );
        let role = str_field(user, "role");
        assert!(
            Role::from_key(role).is_some(),
            "role {role:?} is not a kebab-case role name in {user:#}"
        );
        assert!(user["disabled"].is_boolean(), "{user:#}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(str_field(user, "created_at")).is_ok(),
            "{user:#}"
        );
    }
    for role in Role::ALL {
        let upn = upn_of(role);
        let user = users
            .iter()
            .find(|u| u["upn"] == upn.as_str())
            .unwrap_or_else(|| panic!("{upn} is not listed: {list:#}"));
        assert_eq!(str_field(user, "role"), role.key(), "{user:#}");
        assert_eq!(user["disabled"], false, "{user:#}");
    }
    // Changes show in the list.
    let ava = upn_of(Role::GlobalAdmin);
    let dev = upn_of(Role::SalesAgent);
    assert_success(&run_as(&sandbox, &db, &ava, &["users", "disable", &dev]));
    assert_success(&run_as(
        &sandbox,
        &db,
        &ava,
        &[
            "users",
            "add",
            &format!("new.user@{DOMAIN}"),
            "--role",
            "billing-admin",
            "--name",
            "New User",
        ],
    ));
    let list = json_as(&sandbox, &db, &ava, &["users", "list", "--json"]);
    let dev_row = json_array(&list)
        .iter()
        .find(|u| u["upn"] == dev.as_str())
        .unwrap();
    assert_eq!(dev_row["disabled"], true, "{dev_row:#}");
    let new = json_array(&list)
        .iter()
        .find(|u| u["upn"] == format!("new.user@{DOMAIN}").as_str())
        .unwrap_or_else(|| panic!("the new user is not listed: {list:#}"));
    assert_eq!(new["role"], "billing-admin", "{new:#}");
    assert_eq!(new["display_name"], "New User", "{new:#}");
    // A disabled operator can't run anything.
    let before = dump(&db);
    let out = run_as(&sandbox, &db, &dev, &["users", "list"]);
    assert_refused(&out);
    assert!(stderr(&out).contains("disabled"), "{}", describe(&out));
    assert_eq!(dump(&db), before);
}

#[test]
fn activity_list_json_fields_and_the_action_filter() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let ava = upn_of(Role::GlobalAdmin);
    let token = pending_token(&db);
    assert_success(&run_as(
        &sandbox,
        &db,
        &ava,
        &[
            "invitations",
            "accept",
            &token,
            "--partner-id",
            "7000001",
            "--name",
            "X Co",
            "--country",
            "US",
        ],
    ));
    assert_success(&run_as(
        &sandbox,
        &db,
        &ava,
        &["resellers", "remove", ADATUM, "--yes"],
    ));
    assert_success(&run_as(
        &sandbox,
        &db,
        &ava,
        &[
            "users",
            "set-role",
            &upn_of(Role::SalesAgent),
            "--role",
            "admin-agent",
        ],
    ));

    // Listed as the OS user (a Global admin of the demo), without the global --operator: see
    // `the_operator_filter_of_activity_list_is_not_the_acting_operator` for why.
    let all = json_of(&sandbox, &db, &["activity", "list", "--json"]);
    let entries = json_array(&all);
    assert!(!entries.is_empty());
    for e in entries {
        assert_eq!(
            keys(e),
            key_set(&["at", "operator", "action", "target", "before", "after"]),
            "{e:#}"
        );
        assert!(
            chrono::DateTime::parse_from_rfc3339(str_field(e, "at")).is_ok(),
            "{e:#}"
        );
        for k in ["before", "after"] {
            assert!(e[k].is_null() || e[k].is_string(), "{e:#}");
        }
    }
    let role_change = entries
        .iter()
        .find(|e| e["action"] == "Role changed")
        .unwrap_or_else(|| panic!("no Role changed entry: {all:#}"));
    assert_eq!(role_change["operator"], ava.as_str(), "{role_change:#}");
    assert_eq!(
        role_change["target"],
        upn_of(Role::SalesAgent).as_str(),
        "{role_change:#}"
    );
    assert_eq!(role_change["before"], "Sales agent", "{role_change:#}");
    assert_eq!(role_change["after"], "Admin agent", "{role_change:#}");
    assert!(
        entries
            .iter()
            .any(|e| !str_field(e, "action").starts_with("Partnership")),
        "the unfiltered log has only Partnership entries: nothing to filter out"
    );
    // Newest first.
    let times: Vec<&str> = entries.iter().map(|e| str_field(e, "at")).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "not newest first");

    let filtered = json_of(
        &sandbox,
        &db,
        &["activity", "list", "--json", "--action", "Partnership"],
    );
    let filtered = json_array(&filtered);
    let actions: BTreeSet<&str> = filtered.iter().map(|e| str_field(e, "action")).collect();
    assert!(
        actions.contains("Partnership removed") && actions.contains("Partnership request accepted"),
        "{actions:?}"
    );
    for a in &actions {
        assert!(
            a.starts_with("Partnership"),
            "{a:?} slipped through the filter"
        );
    }
    let expected = entries
        .iter()
        .filter(|e| str_field(e, "action").starts_with("Partnership"))
        .count();
    assert_eq!(filtered.len(), expected);

    // The demo's own entries are there too.
    assert!(
        entries
            .iter()
            .any(|e| e["operator"] == "twotier" && e["action"] == "Demo data created"),
        "{all:#}"
    );
}

/// `activity list --operator P` filters the log by operator; the global `--operator UPN` says who
/// acts. The two must not be confused: acting as Ava lists everyone's entries, and filtering by
/// a UPN prefix is not taken for the acting operator.
#[test]
fn the_operator_filter_of_activity_list_is_not_the_acting_operator() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let ava = upn_of(Role::GlobalAdmin);
    let ben = upn_of(Role::UserAdmin);
    assert_success(&run_as(
        &sandbox,
        &db,
        &ben,
        &[
            "users",
            "add",
            &format!("new.user@{DOMAIN}"),
            "--role",
            "sales-agent",
        ],
    ));
    assert_success(&run_as(
        &sandbox,
        &db,
        &ava,
        &[
            "users",
            "set-role",
            &upn_of(Role::SalesAgent),
            "--role",
            "admin-agent",
        ],
    ));
    let mut problems = Vec::new();
    // Acting as Ava, unfiltered: every entry, not only Ava's.
    let out = run_as(&sandbox, &db, &ava, &["activity", "list", "--json"]);
    if !out.status.success() {
        problems.push(format!(
            "acting as Ava, unfiltered: failed\n{}",
            describe(&out)
        ));
    } else {
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let operators: BTreeSet<&str> = json_array(&list)
            .iter()
            .map(|e| str_field(e, "operator"))
            .collect();
        if !(operators.contains(ben.as_str()) && operators.contains("twotier")) {
            problems.push(format!(
                "`--operator {ava} activity list` lists only the entries of {operators:?}: the acting operator \
                 was taken as the activity filter"
            ));
        }
    }
    // Acting as Ava, filtering by Ben's UPN prefix.
    for args in [
        vec![
            "--operator",
            ava.as_str(),
            "activity",
            "list",
            "--json",
            "--by",
            "ben.",
        ],
        vec!["activity", "list", "--json", "--by", "ben."],
    ] {
        let out = run_on(&sandbox, &db, &args);
        if !out.status.success() {
            problems.push(format!("{args:?}: failed\n{}", describe(&out)));
            continue;
        }
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let entries = json_array(&list);
        if entries.is_empty() || entries.iter().any(|e| e["operator"] != ben.as_str()) {
            problems.push(format!("{args:?}: not exactly Ben's entries: {list:#}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// Operator and config errors
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unknown_operator_is_told_how_to_be_added_and_nothing_runs() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let before = dump(&db);
    for args in [
        vec!["resellers", "list"],
        vec!["users", "add", "x@y.example", "--role", "sales-agent"],
    ] {
        let out = run_as(&sandbox, &db, "nobody@x", &args);
        assert_refused(&out);
        let err = stderr(&out);
        assert!(err.contains("nobody@x"), "{}", describe(&out));
        assert!(err.contains("users add"), "{}", describe(&out));
        assert!(stdout(&out).is_empty(), "{}", describe(&out));
    }
    assert!(
        dump(&db) == before,
        "an unknown operator changed the database"
    );
}

#[test]
fn an_invalid_roles_override_is_a_startup_error() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let config = sandbox.root().join("config.toml");
    std::fs::write(&config, "[roles]\nplace-orders = [\"boss\"]\n").unwrap();
    let config = config.to_str().unwrap();
    let before = dump(&db);
    let missing = sandbox.file("missing.db");
    for (db, args) in [
        (&db, vec!["--config", config, "resellers", "list"]),
        (&db, vec!["--config", config, "users", "list", "--json"]),
        (&missing, vec!["--config", config, "resellers", "list"]),
    ] {
        let out = run_as(&sandbox, db, &upn_of(Role::GlobalAdmin), &args);
        assert_refused(&out);
        let err = stderr(&out);
        assert!(err.contains("roles.place-orders"), "{}", describe(&out));
        assert!(err.contains("boss"), "{}", describe(&out));
        assert!(stdout(&out).is_empty(), "{}", describe(&out));
    }
    assert!(dump(&db) == before);
    assert!(
        !missing.exists(),
        "a database was created although the config is invalid"
    );
}

// ---------------------------------------------------------------------------------------------
// The activity log is append-only
// ---------------------------------------------------------------------------------------------

#[test]
fn the_activity_log_refuses_update_and_delete() {
    let sandbox = Sandbox::new();
    let template = template(&sandbox);
    let db = copy_of(&sandbox, &template, "t.db");
    let ava = upn_of(Role::GlobalAdmin);
    for args in [
        vec!["users", "add", "x@y.example", "--role", "sales-agent"],
        vec!["users", "disable", "x@y.example"],
        vec!["resellers", "list"],
    ] {
        assert_success(&run_as(&sandbox, &db, &ava, &args));
        let before = dump(&db);
        for sql in [
            "UPDATE audit_log SET action = 'x';",
            "DELETE FROM audit_log;",
            "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);",
        ] {
            let error = match sqlite3_result(&db, sql) {
                Ok(printed) => panic!("{sql} succeeded; it printed {printed:?}"),
                Err(error) => error,
            };
            assert!(error.contains("append-only"), "{sql}: {error}");
        }
        assert!(dump(&db) == before, "the activity log changed");
    }
    let n = sqlite3(
        &db,
        "SELECT count(*) FROM audit_log WHERE operator = 'ava.global@northwind-distribution.example';",
    );
    assert_eq!(n.trim(), "2");
}
