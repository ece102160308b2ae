//! End to end, Indirect resellers and the app shell: the release binary in a real terminal
//! (tmux), driven by keys, read from the screen. The harness is `tests/common/tmux.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::process::{describe, sqlite3, sqlite3_count};
use common::tmux::*;

/// The issue's flow on a fresh HOME and a fresh database: the menu and the demo resellers,
/// `2` Customers, `/` search, `?` help, `3`–`5`, and `q` quits with status 0, terminal restored.
#[test]
fn first_run_menu_customers_search_help_and_quit() {
    require!(TMUX);
    let s = Session::new();
    let db = s.path("t.db");
    assert!(!db.exists());
    s.start(&["--db", db.to_str().unwrap()]);

    // The first screen: the menu, the demo resellers, the provider in the header.
    let screen = s.open_resellers();
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("Northwind Cloud Distribution"),
        "the header is not the first line:\n{screen}"
    );

    // 2: Customers.
    s.type_text("2");
    let screen = s.wait_for_text(&["Customers (60)", "Company name"]);
    let all_rows = table_rows(&screen, "Company name");
    assert!(all_rows.len() >= 10, "too few customers listed:\n{screen}");
    let first_word = all_rows[0].split_whitespace().next().unwrap().to_owned();
    // A prefix of the first word; the whole word when the prefix could also be a Microsoft ID
    // (a GUID), which the search matches too.
    let short: String = first_word.chars().take(3).collect();
    let prefix = if short.chars().all(|c| c.is_ascii_hexdigit()) {
        first_word.clone()
    } else {
        short
    };
    let starts = |row: &str| row.to_lowercase().starts_with(&prefix.to_lowercase());
    let expected: Vec<&String> = all_rows.iter().filter(|r| starts(r)).collect();

    // /: search as you type.
    s.type_text("/");
    s.wait_for_text(&["Search:"]);
    s.type_text(&prefix);
    let screen = s.wait_for(&format!("Customers filtered by {prefix:?}"), |screen| {
        screen.contains("matching)") && screen.contains(&format!("Search: {prefix}"))
    });
    let n = matching_count(&screen, "Customers")
        .unwrap_or_else(|| panic!("no \"(N matching)\" title:\n{screen}"));
    let rows = table_rows(&screen, "Company name");
    assert!(
        (1..60).contains(&n),
        "{n} customers match {prefix:?}:\n{screen}"
    );
    assert_eq!(
        rows.len(),
        n,
        "the title says {n} matching but {} rows are listed:\n{screen}",
        rows.len()
    );
    for row in &rows {
        assert!(
            starts(row),
            "the row {row:?} does not start with {prefix:?}:\n{screen}"
        );
    }
    if expected.len() < all_rows.len() {
        // The unfiltered list showed every name with this prefix; the filter keeps exactly those
        // (by company name: the columns follow the rows shown, so the spacing differs).
        let company = |row: &String| row.split("  ").next().unwrap_or_default().trim().to_owned();
        let rows: Vec<String> = rows.iter().map(company).collect();
        let expected: Vec<String> = expected.iter().map(|r| company(r)).collect();
        assert_eq!(
            rows, expected,
            "the filter did not keep exactly the customers starting with {prefix:?}"
        );
    }

    // Escape alone clears the search.
    s.key("Escape");
    s.wait_for("the search cleared and the whole list back", |s| {
        s.contains("Customers (60)")
            && !s.contains("Search:")
            && !s.contains("matching")
            && table_rows(s, "Company name") == all_rows
    });

    // ?: help; Escape closes it.
    s.type_text("?");
    s.wait_for_text(&["Help:", "To accomplish this"]);
    s.key("Escape");
    s.wait_for("the help to close", |s| {
        !s.contains("Help:") && !s.contains("To accomplish this") && s.contains("Customers (60)")
    });

    // 3, 4, 5.
    s.type_text("3");
    let screen = s.wait_for("the Company profile", |s| {
        s.contains("┌ Company profile")
            && line_with(s, &["PartnerID (MPN ID)", "4120357"]).is_some()
    });
    assert!(
        !screen.contains("Customers (60)"),
        "the Customers list is still drawn on the Company profile:\n{screen}"
    );
    s.type_text("4");
    s.wait_for("the Activity log with the demo entry", |s| {
        s.contains("┌ Activity log")
            && s.lines()
                .any(|l| l.starts_with('│') && l.contains("Demo data created"))
    });
    s.type_text("5");
    s.wait_for("the Users with a Global admin", |s| {
        s.contains("┌ Users")
            && s.lines()
                .any(|l| l.starts_with('│') && l.contains("Global admin"))
    });

    // q quits with status 0 and gives the terminal back.
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    s.assert_terminal_restored();
    assert!(db.exists(), "the database was not created at --db");
}

/// A label and its value must not run together ("PartnerID (MPN ID)4120357").
#[test]
fn company_profile_separates_labels_from_values() {
    require!(TMUX);
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.open_resellers();
    s.type_text("3");
    let screen = s.wait_for("the Company profile", |s| {
        s.contains("┌ Company profile") && s.contains("Tenant ID")
    });
    for (label, value) in [
        ("Company", "Northwind Cloud Distribution"),
        ("PartnerID (MPN ID)", "4120357"),
        ("Country", "US"),
    ] {
        let line = line_with(&screen, &[label, value])
            .unwrap_or_else(|| panic!("no line with {label} {value}:\n{screen}"));
        let between = line
            .split_once(label)
            .unwrap()
            .1
            .split_once(value)
            .map(|(gap, _)| gap)
            .unwrap_or("");
        assert!(
            !between.is_empty() && between.chars().all(char::is_whitespace),
            "{label:?} and {value:?} are not separated by blanks in {line:?}"
        );
    }
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
}

#[test]
fn too_small_terminal_asks_for_more_room_and_recovers() {
    require!(TMUX);
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.open_resellers();

    s.tmux_ok(&["resize-window", "-t", "e2e", "-x", "50", "-y", "12"]);
    let screen = s.wait_for_text(&["too small"]);
    assert!(
        !screen.contains("Adatum IT Services"),
        "the list is still drawn at 50×12:\n{screen}"
    );

    s.tmux_ok(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    s.wait_for("the list drawn again at 120×40", |screen| {
        FIRST_SCREEN.iter().all(|t| screen.contains(t)) && !screen.contains("too small")
    });

    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    s.assert_terminal_restored();
}

#[test]
fn ctrl_c_quits_from_the_search_field() {
    require!(TMUX);
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.open_resellers();
    s.type_text("/");
    s.wait_for_text(&["Search:"]);
    s.type_text("Ad");
    s.wait_for_text(&["Search: Ad", "matching)"]);
    // In the field, q is text, not a command.
    s.type_text("q");
    s.wait_for_text(&["Search: Adq"]);
    assert_eq!(
        s.status(),
        None,
        "typing q in the search field ended the app"
    );

    s.key("C-c");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    s.assert_terminal_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    require!(TMUX);
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.open_resellers();
    assert_eq!(
        s.format("#{alternate_on}"),
        "1",
        "the app does not use the alternate screen"
    );
    let pid = s.app_pid();
    // The shell's built-in `kill`: /bin/kill (procps) is not on every machine.
    let out = Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .output()
        .expect("running kill");
    assert!(
        out.status.success(),
        "kill -TERM {pid} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = s.wait_for_exit();
    s.assert_terminal_restored();
    eprintln!("after SIGTERM: {status}");
}

/// The TUI refuses a file it must not open: the message names the file, the exit is non-zero,
/// the terminal was never taken over, and the file is byte-for-byte as it was.
fn tui_refuses(file: &Path, s: &Session, says: &[&str]) {
    let before = std::fs::read(file).unwrap();
    let listing = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let folder = file.parent().unwrap();
    let files_before = listing(folder);
    s.start(&["--db", file.to_str().unwrap()]);
    let status = s.wait_for_exit();
    assert_ne!(status, "EXIT=0", "twotier accepted {}", file.display());
    let screen = s.wait_for("the error message", |screen| {
        screen.contains(MARKER_BEFORE) && screen.contains("marker-after-twotier")
    });
    let joined = s.screen_joined();
    let message = joined
        .lines()
        .find(|l| l.contains("twotier:"))
        .unwrap_or_else(|| panic!("no error message on the screen:\n{screen}"));
    assert!(
        message.contains(file.to_str().unwrap()),
        "the message does not name {}: {message}",
        file.display()
    );
    for text in says {
        assert!(
            message.contains(text),
            "the message does not say {text:?}: {message}"
        );
    }
    assert_eq!(s.format("#{alternate_on}"), "0");
    assert!(
        std::fs::read(file).unwrap() == before,
        "{} was changed",
        file.display()
    );
    assert_eq!(
        listing(folder),
        files_before,
        "files appeared beside {}",
        file.display()
    );
}

#[test]
fn tui_refuses_a_text_file() {
    require!(TMUX);
    let s = Session::new();
    let file = s.work("notes.txt");
    std::fs::write(&file, "hello").unwrap();
    tui_refuses(&file, &s, &["not a twotier database"]);
}

#[test]
fn tui_refuses_a_random_binary_file() {
    require!(TMUX);
    let s = Session::new();
    let file = s.work("random.bin");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    std::fs::write(&file, bytes).unwrap();
    tui_refuses(&file, &s, &["not a twotier database"]);
}

#[test]
fn tui_refuses_another_programs_sqlite_database() {
    require!(TMUX);
    let s = Session::new();
    let file = s.work("other.db");
    sqlite3(&file, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    tui_refuses(&file, &s, &["not twotier"]);
}

/// Makes a twotier database with `demo` (closed, so it has no WAL).
fn demo_db(s: &Session, name: &str) -> PathBuf {
    let db = s.work(name);
    let out = Command::new(BIN)
        .args([
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--resellers",
            "3",
            "--customers",
            "5",
            "--subscriptions",
            "5",
        ])
        .env("HOME", s.path("home"))
        .env_remove("TWOTIER_CONFIG")
        .env_remove("TWOTIER_DB")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

#[test]
fn tui_refuses_a_database_of_a_newer_twotier() {
    require!(TMUX);
    let s = Session::new();
    let db = demo_db(&s, "newer.db");
    sqlite3(&db, "PRAGMA user_version=99;");
    tui_refuses(&db, &s, &["newer"]);
}

#[test]
fn tui_refuses_a_read_only_database() {
    require!(TMUX);
    use std::os::unix::fs::PermissionsExt;
    let s = Session::new();
    let db = demo_db(&s, "read-only.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    tui_refuses(&db, &s, &["read-only"]);
}

// ---------------------------------------------------------------------------------------------
// Indirect resellers: request a partnership, the invitations ledger, acceptance, removal
// ---------------------------------------------------------------------------------------------

const CONTOSO_EMAIL: &str = "partners@contoso.example";

impl Session {
    /// `twotier --db DB invitations list --json`, parsed.
    #[track_caller]
    fn invitations_json(&self, db: &Path) -> Vec<serde_json::Value> {
        self.list_json(db, &["invitations", "list", "--json"])
    }

    /// `twotier --db DB resellers list --json [--all]`, parsed.
    #[track_caller]
    fn resellers_json(&self, db: &Path, all: bool) -> Vec<serde_json::Value> {
        let mut args = vec!["resellers", "list", "--json"];
        if all {
            args.push("--all");
        }
        self.list_json(db, &args)
    }

    /// `twotier --db DB <command>`, which must succeed and print a JSON array.
    #[track_caller]
    fn list_json(&self, db: &Path, command: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["--db", db.to_str().unwrap()];
        args.extend(command);
        let out = self.cli(&args);
        assert!(
            out.status.success(),
            "{command:?} failed\n{}",
            describe(&out)
        );
        let value: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{command:?} did not print JSON ({e})\n{}", describe(&out)));
        value.as_array().expect("a JSON array").clone()
    }

    /// `r` on the resellers list, the email typed into the form, Enter: the Draft email is open.
    /// Returns the invitation token shown in the draft's link.
    #[track_caller]
    fn open_draft(&self, email: &str) -> String {
        self.type_text("r");
        self.wait_for_text(&["Request a partnership", "Reseller's email"]);
        self.type_text(email);
        self.wait_for(&format!("{email} in the form"), |s| {
            line_with(s, &["Reseller's email", email]).is_some()
        });
        self.key("Enter");
        let screen = self.wait_for("the Draft email with the personalized link", |s| {
            s.contains("Draft email")
                && line_with(s, &["To", email]).is_some()
                && line_with(s, &["Subject", "Partnership request from Northwind"]).is_some()
                && s.contains("partnerId=")
                && token_on(s).is_some_and(|t| t.len() == 32)
        });
        token_on(&screen).unwrap()
    }
}

/// The token of the first `token=` on the screen.
fn token_on(screen: &str) -> Option<String> {
    let at = screen.find("token=")? + "token=".len();
    let token: String = screen[at..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (!token.is_empty()).then_some(token)
}

/// The invitation sent to `recipient`, from the CLI's JSON.
fn invitation_to<'a>(
    list: &'a [serde_json::Value],
    recipient: &str,
) -> Option<&'a serde_json::Value> {
    list.iter().find(|i| i["recipient"] == recipient)
}

/// A default-sized demo database (12 resellers, 7 invitations), laid out from today.
fn default_demo_db(s: &Session, name: &str) -> PathBuf {
    let db = s.work(name);
    let out = s.cli(&["demo", "--db", db.to_str().unwrap()]);
    assert!(out.status.success(), "demo failed\n{}", describe(&out));
    db
}

/// The issue's end-to-end flow: request → copy → Done → accept by CLI → listed → remove → gone.
#[test]
fn request_copy_done_accept_by_cli_listed_remove_gone() {
    require!(TMUX);
    let s = Session::new();
    let db = s.path("t.db");
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();

    // r: Request a partnership → the Draft email.
    let token = s.open_draft(CONTOSO_EMAIL);

    // c: Copy to clipboard (OSC 52, no display here).
    s.type_text("c");
    s.wait_for_text(&["Copied to clipboard"]);
    let copied = s.clipboard();
    assert!(
        copied.starts_with(&format!("To: {CONTOSO_EMAIL}\n"))
            && copied.contains("Subject: Partnership request from Northwind Cloud Distribution")
            && copied.contains(&format!("&token={token}")),
        "the clipboard does not hold the whole message with the link:\n{copied}"
    );

    // Enter: Done records it as Sent.
    s.key("Enter");
    s.wait_for("the draft closed and the request recorded", |sc| {
        sc.contains("recorded as Sent") && !sc.contains("Draft email")
    });

    // i: the ledger lists it as Sent.
    s.type_text("i");
    s.wait_for("the request in the Invitations ledger", |sc| {
        sc.contains("┌ Invitations")
            && line_with(sc, &[CONTOSO_EMAIL, "Sent", "Copied to clipboard"]).is_some()
    });

    // The reseller accepted; the operator records it from a script, the app still running.
    let list = s.invitations_json(&db);
    let recorded = invitation_to(&list, CONTOSO_EMAIL)
        .unwrap_or_else(|| panic!("the CLI does not list {CONTOSO_EMAIL}: {list:#?}"));
    assert_eq!(recorded["status"], "sent", "{recorded:#}");
    assert_eq!(recorded["delivery"], "copied-to-clipboard", "{recorded:#}");
    assert_eq!(
        recorded["token"],
        token.as_str(),
        "the recorded token is not the one in the draft's link"
    );
    let out = s.cli(&[
        "--db",
        db.to_str().unwrap(),
        "invitations",
        "accept",
        &token,
        "--partner-id",
        "7654321",
        "--name",
        "Contoso Partners",
        "--country",
        "US",
    ]);
    assert!(out.status.success(), "accept failed\n{}", describe(&out));

    // Ctrl-R: the ledger shows it Accepted.
    s.key("C-r");
    s.wait_for("the request shown as Accepted", |sc| {
        line_with(sc, &[CONTOSO_EMAIL, "Accepted", "Contoso"]).is_some()
    });

    // 1, Ctrl-R: the reseller is listed, Active.
    s.type_text("1");
    s.wait_for_text(&["┌ Indirect resellers"]);
    s.key("C-r");
    s.wait_for("Contoso Partners in the list", |sc| {
        line_with(sc, &["Contoso Partners", "7654321", "US", "Active"]).is_some()
            && sc.contains("Indirect resellers (12)")
    });

    // Select it: / Contoso, Enter keeps the filter; it is the first (only) row.
    s.type_text("/");
    s.wait_for_text(&["Search:"]);
    s.type_text("Contoso");
    let screen = s.wait_for("the filter on Contoso", |sc| {
        sc.contains("(1 matching)") && sc.contains("Search: Contoso")
    });
    // (Toasts are drawn inside the table's frame: count the rows of resellers only.)
    let rows: Vec<String> = table_rows(&screen, "Name")
        .into_iter()
        .filter(|r| r.contains("Active"))
        .collect();
    assert!(
        rows.len() == 1 && rows[0].starts_with("Contoso Partners"),
        "not only Contoso Partners listed:\n{screen}"
    );
    s.key("Enter");
    s.wait_for("the footer of the list (filter kept)", |sc| {
        sc.contains("(1 matching)") && sc.contains("x Remove partnership")
    });

    // x: the confirmation with the Important notice and the impact.
    s.type_text("x");
    let confirm = s.wait_for("the Remove partnership confirmation", |sc| {
        sc.contains("Remove partnership")
            && sc.contains("Remove the partnership with Contoso Partners?")
            && sc.contains("Customers associated to the indirect reseller will not be removed")
            && sc.contains("These stay as they are")
    });
    assert!(
        confirm.contains("0 customers associated with this reseller"),
        "the impact preview is missing:\n{confirm}"
    );

    // y: removed; the row is gone.
    s.type_text("y");
    s.wait_for("the partnership removed and the row gone", |sc| {
        sc.contains("Partnership with Contoso Partners removed")
            && line_with(sc, &["Contoso Partners", "7654321"]).is_none()
            && sc.contains("(0 matching)")
    });
    s.key("Escape");
    let screen = s.wait_for("the whole list back", |sc| {
        sc.contains("Indirect resellers (11)") && !sc.contains("Search:")
    });
    assert!(
        !screen.contains("7654321"),
        "Contoso Partners is still listed:\n{screen}"
    );

    // q quits with status 0.
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    s.assert_terminal_restored();

    let active = s.resellers_json(&db, false);
    assert!(
        active.iter().all(|r| r["partner_id"] != "7654321"),
        "still active: {active:#?}"
    );
    let all = s.resellers_json(&db, true);
    let contoso = all
        .iter()
        .find(|r| r["partner_id"] == "7654321")
        .unwrap_or_else(|| panic!("--all does not list Contoso Partners: {all:#?}"));
    assert_eq!(contoso["state"], "removed");
    assert_eq!(contoso["name"], "Contoso Partners");
    let list = s.invitations_json(&db);
    let accepted = invitation_to(&list, CONTOSO_EMAIL).unwrap();
    assert_eq!(accepted["status"], "accepted", "{accepted:#}");
    assert_eq!(accepted["reseller"], "Contoso Partners", "{accepted:#}");
    let actions = sqlite3(&db, "SELECT action FROM audit_log ORDER BY id;");
    for action in [
        "Partnership requested",
        "Partnership request accepted",
        "Reseller added",
        "Partnership removed",
    ] {
        assert!(
            actions.lines().any(|a| a == action),
            "no {action:?} in the activity log:\n{actions}"
        );
    }
}

/// Esc on the Draft email discards it: nothing is recorded.
#[test]
fn esc_on_the_draft_records_nothing() {
    require!(TMUX);
    let s = Session::new();
    let db = default_demo_db(&s, "t.db");
    let before = sqlite3_count(&db, "SELECT count(*) FROM invitations;");
    let audit_before = sqlite3_count(&db, "SELECT count(*) FROM audit_log;");
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();

    s.open_draft(CONTOSO_EMAIL);
    s.key("Escape");
    s.wait_for("the draft discarded, the list back", |sc| {
        !sc.contains("Draft email")
            && !sc.contains("┌ Request a partnership")
            && sc.contains("Indirect resellers (11)")
    });
    s.assert_stays(Duration::from_millis(500), "something was recorded", |sc| {
        sc.contains("recorded as Sent")
    });

    s.type_text("i");
    let screen = s.wait_for("the Invitations ledger", |sc| {
        sc.contains("┌ Invitations") && sc.contains("it@alpineridge.example")
    });
    assert!(
        !screen.contains(CONTOSO_EMAIL),
        "the discarded draft is in the ledger:\n{screen}"
    );

    s.type_text("1");
    s.wait_for_text(&["Indirect resellers (11)"]);
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM invitations;"),
        before,
        "Esc recorded an invitation"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            &format!("SELECT count(*) FROM invitations WHERE recipient_email = '{CONTOSO_EMAIL}';")
        ),
        0
    );
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM audit_log;"),
        audit_before,
        "Esc wrote to the activity log"
    );
}

/// `e`, then the link in the body is altered: Done is refused with the reason, nothing is
/// recorded; put back, Done records the request with the link intact.
#[test]
fn done_is_refused_when_the_link_was_altered() {
    require!(TMUX);
    let s = Session::new();
    let db = default_demo_db(&s, "t.db");
    let before = sqlite3_count(&db, "SELECT count(*) FROM invitations;");
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();
    let token = s.open_draft(CONTOSO_EMAIL);

    // e: edit. The link is the 9th line of the body; cut the last 3 characters of the token.
    s.type_text("e");
    s.wait_for_text(&["Body (editing"]);
    for _ in 0..8 {
        s.key("Down");
    }
    s.key("End");
    for _ in 0..3 {
        s.key("BSpace");
    }
    // The whole token stays on screen once: on the draft's Link line, no longer in the body.
    s.wait_for("the token cut short in the body", |sc| {
        sc.contains("Link     ") && sc.matches(token.as_str()).count() == 1
    });

    // Esc: stop editing → the reason is shown at once.
    s.key("Escape");
    s.wait_for("the reason shown after editing", |sc| {
        sc.contains("Draft email")
            && !sc.contains("Body (editing")
            && sc.contains("must include the personalized link")
    });

    // Enter (Done) is refused: the draft stays, nothing recorded.
    s.key("Enter");
    let screen = s.assert_stays(
        Duration::from_millis(1000),
        "Done was accepted with an altered link",
        |sc| sc.contains("recorded as Sent") || !sc.contains("Draft email"),
    );
    assert!(
        screen.contains("must include the personalized link"),
        "the reason is not shown after Done:\n{screen}"
    );
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM invitations;"),
        before,
        "an invitation with an altered link was recorded"
    );

    // Put the 3 characters back: Done records it.
    s.type_text("e");
    s.wait_for_text(&["Body (editing"]);
    s.type_text(&token[token.len() - 3..]);
    s.key("Escape");
    s.wait_for("the link whole again, the reason gone", |sc| {
        sc.contains(&format!("token={token}"))
            && !sc.contains("must include the personalized link")
            && !sc.contains("Body (editing")
    });
    s.key("Enter");
    s.wait_for_text(&["recorded as Sent"]);
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");

    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM invitations;"),
        before + 1
    );
    let body = sqlite3(
        &db,
        &format!("SELECT body FROM invitations WHERE recipient_email = '{CONTOSO_EMAIL}';"),
    );
    let link = sqlite3(
        &db,
        &format!("SELECT link FROM invitations WHERE recipient_email = '{CONTOSO_EMAIL}';"),
    );
    assert!(link.ends_with(&format!("token={token}")), "{link}");
    assert!(
        body.contains(&link),
        "the recorded body lost the link:\n{body}"
    );
}

/// When Done is refused because the link was altered, the reason says "Put it back:" followed by
/// the link: the whole link must be readable on the screen, or the operator cannot put it back.
#[test]
fn the_refusal_shows_the_whole_link_to_put_back() {
    require!(TMUX);
    let s = Session::new();
    let db = default_demo_db(&s, "t.db");
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();
    let token = s.open_draft(CONTOSO_EMAIL);
    s.type_text("e");
    s.wait_for_text(&["Body (editing"]);
    for _ in 0..8 {
        s.key("Down");
    }
    s.key("End");
    for _ in 0..3 {
        s.key("BSpace");
    }
    // The whole token stays on screen once: on the draft's Link line, no longer in the body.
    s.wait_for("the token cut short in the body", |sc| {
        sc.matches(token.as_str()).count() == 1
    });
    s.key("Escape");
    let screen = s.wait_for("the reason shown", |sc| {
        sc.contains("must include the personalized link") && !sc.contains("Body (editing")
    });
    // The body holds the cut token only, so the second whole token on screen (after the Link
    // line's) is the reason's link.
    assert!(
        screen.matches(token.as_str()).count() == 2,
        "the reason does not show the whole link to put back (token {token}):\n{screen}"
    );
    s.key("Escape");
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
}

/// Writes `$HOME/.config/twotier/config.toml` with a `mail_command` that records its arguments,
/// one per line, in `work/mail-args.txt`. Returns that file.
fn recording_mail_command(s: &Session) -> PathBuf {
    let record = s.work("mail-args.txt");
    let script = s.work("record.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> {}; done\n",
            quote(record.to_str().unwrap())
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config_dir = s.path("home").join(".config/twotier");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        format!("mail_command = {}\n", toml_string(script.to_str().unwrap())),
    )
    .unwrap();
    record
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `o` hands an RFC 6068 `mailto:` URL to the configured `mail_command`; Done records the
/// request as opened in email.
#[test]
fn open_in_email_uses_the_configured_mail_command() {
    require!(TMUX);
    let s = Session::new();
    let record = recording_mail_command(&s);
    let db = s.path("t.db");
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();
    let token = s.open_draft(CONTOSO_EMAIL);

    s.type_text("o");
    s.wait_for_text(&["Opened in email"]);
    let start = Instant::now();
    let args = loop {
        if let Ok(text) = std::fs::read_to_string(&record)
            && text.ends_with('\n')
        {
            break text;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the mail_command was not run (no {})",
            record.display()
        );
        std::thread::sleep(POLL);
    };
    let lines: Vec<&str> = args.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "the mail_command got more than the URL: {lines:?}"
    );
    let url = lines[0];
    assert!(
        url.starts_with(&format!(
            "mailto:{CONTOSO_EMAIL}?subject=Partnership%20request%20from%20Northwind%20Cloud%20Distribution&body="
        )),
        "not the RFC 6068 mailto: URL of the draft: {url}"
    );
    assert!(
        url.contains(&format!("token%3D{token}")),
        "the body in the URL lacks the personalized link: {url}"
    );
    assert!(
        url.contains("%0D%0A") && !url.contains(' ') && !url.contains('\n'),
        "the body is not percent-encoded with CRLF line breaks: {url}"
    );

    s.key("Enter");
    s.wait_for("the request recorded", |sc| {
        sc.contains("recorded as Sent") && !sc.contains("Draft email")
    });
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");

    let list = s.invitations_json(&db);
    let sent = invitation_to(&list, CONTOSO_EMAIL)
        .unwrap_or_else(|| panic!("{CONTOSO_EMAIL} was not recorded: {list:#?}"));
    assert_eq!(sent["delivery"], "opened-in-email", "{sent:#}");
    assert_eq!(sent["status"], "sent", "{sent:#}");
    assert_eq!(sent["token"], token.as_str(), "{sent:#}");
}

/// The toasts of `c` and `o` say how the email left ("…OSC 52", "Opened in email with …"): they
/// must be readable while the Draft email is still open, since that is where the keys are pressed.
#[test]
fn draft_toasts_are_visible_over_the_draft() {
    require!(TMUX);
    let s = Session::new();
    recording_mail_command(&s);
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.open_resellers();
    s.open_draft(CONTOSO_EMAIL);

    let mut problems = Vec::new();
    s.type_text("c");
    if s.try_wait_for(Duration::from_secs(3), |sc| {
        sc.contains("Draft email") && sc.contains("OSC 52")
    })
    .is_none()
    {
        problems.push(format!(
            "after c, no toast saying OSC 52 was used is visible over the draft:\n{}",
            s.screen()
        ));
    }
    s.type_text("o");
    if s.try_wait_for(Duration::from_secs(3), |sc| {
        sc.contains("Draft email") && sc.contains("Opened in email with")
    })
    .is_none()
    {
        problems.push(format!(
            "after o, no toast \"Opened in email with …\" is visible over the draft:\n{}",
            s.screen()
        ));
    }
    // The link left twotier: Esc asks, and Yes records it as Discarded.
    s.key("Escape");
    s.wait_for_text(&["Discard the draft", "The link has left twotier"]);
    s.type_text("y");
    s.wait_for_text(&["its link is on record as Discarded"]);
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

const INJECTED_TITLE: &str = "pwned";

/// Names and addresses from the database, and pasted text, never reach the terminal as control
/// sequences: the pane's title stays, the screen is not cleared, no escape is echoed.
#[test]
fn hostile_text_in_the_database_and_in_a_paste_stays_inert() {
    require!(TMUX);
    let s = Session::new();
    let db = default_demo_db(&s, "t.db");
    sqlite3(
        &db,
        "UPDATE resellers SET name = 'Evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(27) || ']2;pwned' || char(27) || char(92) || char(8238) || 'Corp' || char(8203) WHERE partner_id = '4847383';
         UPDATE invitations SET recipient_email = 'x' || char(27) || ']0;pwned' || char(7) || '@evil.example' WHERE recipient_email = 'it@alpineridge.example';",
    );
    s.start(&["--db", db.to_str().unwrap()]);
    s.wait_for_text(&["0 Dashboard"]);
    s.type_text("1");
    s.wait_for_text(&["Indirect resellers (11)", "Adatum IT Services"]);
    let screen = s.wait_for("the hostile name listed", |sc| {
        sc.lines()
            .any(|l| l.starts_with('│') && l.contains("Evil") && l.contains("4847383"))
    });
    let check = |when: &str| {
        let title = s.format("#{pane_title}");
        assert_ne!(
            title, INJECTED_TITLE,
            "{when}: the pane title was set by injected text"
        );
        assert!(
            !title.contains(INJECTED_TITLE),
            "{when}: the pane title was set by injected text: {title:?}"
        );
        let raw = s.tmux_ok(&["capture-pane", "-p", "-e", "-t", TARGET]);
        assert!(
            !raw.contains("\u{1b}]") && !raw.contains('\u{7}'),
            "{when}: OSC sequences or BEL on the screen: {raw:?}"
        );
        assert!(
            !raw.contains('\u{202e}') && !raw.contains('\u{200b}'),
            "{when}: bidi override or zero-width space on the screen"
        );
    };
    check("the resellers list");
    assert!(
        screen.contains("Adatum IT Services") && screen.contains("Wide World Integrators"),
        "the list was cleared by the injected text:\n{screen}"
    );

    // The invitations ledger, with a hostile recipient.
    s.type_text("i");
    s.wait_for("the ledger with the hostile recipient", |sc| {
        sc.contains("┌ Invitations") && sc.contains("evil.example")
    });
    check("the invitations ledger");

    // A hostile paste into the email field: the controls are defused and the address refused.
    s.type_text("1");
    s.wait_for_text(&["┌ Indirect resellers"]);
    s.type_text("r");
    s.wait_for_text(&["Request a partnership", "Reseller's email"]);
    s.paste("a\u{1b}]0;pwned\u{7}b\u{1}@contoso.example");
    s.wait_for("the pasted address in the field", |sc| {
        line_with(sc, &["Reseller's email", "@contoso.example"]).is_some()
    });
    check("the pasted email");
    s.key("Enter");
    s.assert_stays(
        Duration::from_millis(800),
        "an address with control characters opened a draft",
        |sc| sc.contains("Draft email"),
    );
    check("after Enter on the pasted email");
    s.key("Escape");
    // Escape and q typed together read as Alt-q: wait for the form to close first.
    s.wait_for("the request form closed", |sc| {
        !sc.contains("Reseller's email")
    });
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM invitations WHERE recipient_email LIKE '%contoso%';"
        ),
        0
    );
}

/// A 10 kB paste into the body (with an escape sequence in it) is kept, defused, and recorded.
#[test]
fn a_ten_kilobyte_body_is_pasted_and_recorded() {
    require!(TMUX);
    let s = Session::new();
    let db = default_demo_db(&s, "t.db");
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();
    let token = s.open_draft(CONTOSO_EMAIL);

    s.type_text("e");
    s.wait_for_text(&["Body (editing"]);
    let mut text = String::from("Dear partner \u{1b}]0;pwned\u{7}\u{1b}[2J,\n");
    let mut n = 0;
    while text.len() < 10_240 {
        n += 1;
        text.push_str(&format!(
            "Line {n:04}: we look forward to serving our common customers together.\n"
        ));
    }
    s.paste(&text);
    let last = format!("Line {n:04}: we look forward");
    s.wait_for("the end of the pasted text in the body", |sc| {
        sc.contains(&last)
    });
    s.key("Escape");
    s.wait_for("editing stopped, no problem shown", |sc| {
        sc.contains("Draft email")
            && !sc.contains("Body (editing")
            && !sc.contains("must include the personalized link")
    });
    assert_ne!(s.format("#{pane_title}"), INJECTED_TITLE);
    s.key("Enter");
    s.wait_for("the request recorded", |sc| {
        sc.contains("recorded as Sent") && !sc.contains("Draft email")
    });
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");

    let filter = format!("FROM invitations WHERE recipient_email = '{CONTOSO_EMAIL}'");
    let length = sqlite3_count(&db, &format!("SELECT length(body) {filter};"));
    assert!(length > 10_240, "the recorded body has {length} characters");
    assert_eq!(
        sqlite3_count(
            &db,
            &format!("SELECT instr(body, char(27)) + instr(body, char(7)) {filter};")
        ),
        0,
        "control characters were recorded in the body"
    );
    let body = sqlite3(&db, &format!("SELECT body {filter};"));
    assert!(
        body.contains(&format!("Line {n:04}:")),
        "the paste was cut short"
    );
    assert!(
        body.contains(&format!("&token={token}")),
        "the recorded body lost the link"
    );
}

/// The footer is drawn from the keymap so that it never disagrees with what a key does: where it
/// offers `q quit`, `q` must quit.
#[test]
fn q_on_the_invitations_screen_does_what_the_footer_says() {
    require!(TMUX);
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.open_resellers();
    s.type_text("i");
    let screen = s.wait_for("the Invitations ledger", |sc| {
        sc.contains("┌ Invitations") && sc.contains("it@alpineridge.example")
    });
    let footer = screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_owned();
    s.type_text("q");
    if footer.contains("q quit") {
        let start = Instant::now();
        while s.status().is_none() && start.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(POLL);
        }
        assert_eq!(
            s.status().as_deref(),
            Some("EXIT=0"),
            "the Invitations footer says \"q quit\" ({footer:?}) but q did not quit:\n{}",
            s.screen()
        );
        s.assert_terminal_restored();
    }
}

/// Issue 5: a Sales agent tries to set a designated support contact and is told why not; nothing
/// changes.
#[test]
fn a_sales_agent_is_told_why_not_to_set_a_support_contact() {
    require!(TMUX);
    let s = Session::new();
    let db = s.path("t.db");
    s.start(&[
        "--db",
        db.to_str().unwrap(),
        "--operator",
        "dev.sales@northwind-distribution.example",
    ]);
    s.wait_for("the Sales agent's console", |sc| {
        sc.contains("Sales agent") && sc.contains("Adatum IT Services")
    });
    s.type_text("2");
    s.wait_for("Customers", |sc| sc.contains("┌ Customers (60)"));
    s.key("Enter");
    s.wait_for("the customer's subscriptions", |sc| {
        sc.contains("Subscriptions of")
    });
    s.key("Enter");
    s.wait_for("Subscription details", |sc| {
        sc.contains("Subscription details:")
    });
    for _ in 0..4 {
        s.key("Tab");
    }
    s.wait_for("the support contact row focused", |sc| {
        sc.contains("› Designated support contact")
    });
    s.key("Enter");
    let screen = s.wait_for("the reason", |sc| {
        sc.contains("Designated support contact needs Global admin, Admin agent or Helpdesk agent (you are Sales agent).")
    });
    assert!(
        !screen.contains("Name or PartnerID:"),
        "no picker opened:\n{screen}"
    );
    s.key("Escape");
    s.wait_for("details closed", |sc| !sc.contains("Subscription details:"));
    s.type_text("q");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    let changed = sqlite3(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'Subscription changed';",
    );
    assert_eq!(changed, "0");
}
