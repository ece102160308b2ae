//! The command line, run as a real process: `--help`, `demo`, and the refusals that must leave a
//! file that is not ours (or that we may not write) exactly as it was.
//!
//! Every test has its own temp folder with a fake HOME inside it, so nothing touches the real
//! home, and the XDG and TWOTIER_* variables are removed from the child's environment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;
use common::process::{
    assert_refused, assert_success, describe, dump, first_difference, sqlite3, stderr, stdout,
};
use common::sandbox::{Sandbox, json_array, json_of, key_set, keys, run_on, str_field, today};

/// `PRAGMA application_id` of a twotier database: the ASCII bytes "twtr" (= 1953985650).
const APPLICATION_ID: i64 = 0x7477_7472;

fn sqlite3_value(db: &Path, sql: &str) -> i64 {
    let text = sqlite3(db, sql);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("sqlite3 {sql:?} printed {text:?}, not a number"))
}

fn count(db: &Path, table: &str) -> i64 {
    sqlite3_value(db, &format!("SELECT count(*) FROM {table};"))
}

/// The 4-byte big-endian field of the SQLite header at `offset` (60: user_version, 68: application_id).
fn header_field(db: &Path, offset: usize) -> u32 {
    let bytes = std::fs::read(db).unwrap();
    assert!(
        bytes.len() >= 100,
        "{} is too short for an SQLite header",
        db.display()
    );
    u32::from_be_bytes(bytes[offset..offset + 4].try_into().unwrap())
}

fn demo_args<'a>(
    db: &'a str,
    resellers: &'a str,
    customers: &'a str,
    subscriptions: &'a str,
) -> Vec<&'a str> {
    vec![
        "demo",
        "--db",
        db,
        "--resellers",
        resellers,
        "--customers",
        customers,
        "--subscriptions",
        subscriptions,
        "--seed",
        "7",
        "--as-of",
        "2026-01-15",
        "--operator",
        "tester@example.com",
    ]
}

/// Makes a twotier database with `demo` (closed, so it has no WAL).
fn make_demo_db(sandbox: &Sandbox, name: &str) -> PathBuf {
    let db = sandbox.file(name);
    let out = sandbox.run(&demo_args(db.to_str().unwrap(), "5", "20", "40"));
    assert_success(&out);
    assert!(db.exists(), "demo did not create {}", db.display());
    db
}

/// 8 KiB of pseudo-random bytes (xorshift; no dependency needed).
fn random_bytes(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// The three kinds of files that are not twotier databases, created in the work folder.
fn not_twotier_files(sandbox: &Sandbox) -> Vec<PathBuf> {
    let text = sandbox.file("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let binary = sandbox.file("random.bin");
    std::fs::write(&binary, random_bytes(8192, 0x9E37_79B9_7F4A_7C15)).unwrap();
    let foreign = sandbox.file("other.db");
    sqlite3(&foreign, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    assert!(!sandbox.file("other.db-wal").exists() && !sandbox.file("other.db-journal").exists());
    vec![text, binary, foreign]
}

/// The message says the file is not twotier's: "is not a twotier database" for a file that is not
/// SQLite at all, "…of another program, not twotier's" for another program's SQLite database.
fn says_not_twotier(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("not a twotier database") || m.contains("not twotier's")
}

// ---------------------------------------------------------------------------------------------
// 1. --help
// ---------------------------------------------------------------------------------------------

#[test]
fn help_lists_the_files_and_the_demo_subcommand() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["--help"]);
    assert_success(&out);
    let text = stdout(&out);
    let home = sandbox.home();
    let files = text
        .split_once("Files:")
        .unwrap_or_else(|| panic!("no \"Files:\" section in --help:\n{text}"))
        .1;
    for (what, path) in [
        ("database", home.join(".local/share/twotier/twotier.db")),
        ("config", home.join(".config/twotier/config.toml")),
        ("log", home.join(".local/state/twotier/twotier.log")),
    ] {
        let path = path.display().to_string();
        assert!(
            files
                .lines()
                .any(|l| l.trim_start().starts_with(what) && l.contains(&path)),
            "--help does not list the {what} file {path} under Files:\n{text}"
        );
    }
    let before_files = text.split_once("Files:").unwrap().0;
    assert!(
        before_files
            .lines()
            .any(|l| l.trim_start().starts_with("demo ")),
        "--help does not list the demo subcommand:\n{text}"
    );
}

#[test]
fn help_follows_the_xdg_folders() {
    let sandbox = Sandbox::new();
    let home = sandbox.home();
    let out = sandbox
        .twotier()
        .env("XDG_DATA_HOME", home.join("xdata"))
        .env("XDG_CONFIG_HOME", home.join("xconfig"))
        .env("XDG_STATE_HOME", home.join("xstate"))
        .arg("--help")
        .output()
        .unwrap();
    assert_success(&out);
    let text = stdout(&out);
    let files = text
        .split_once("Files:")
        .unwrap_or_else(|| panic!("no \"Files:\" section in --help:\n{text}"))
        .1;
    for path in [
        home.join("xdata/twotier/twotier.db"),
        home.join("xconfig/twotier/config.toml"),
        home.join("xstate/twotier/twotier.log"),
    ] {
        let path = path.display().to_string();
        assert!(
            files.contains(&path),
            "--help does not list {path} under Files:\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. demo: counts, header, determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_creates_a_database_of_the_requested_size() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("t.db");
    let out = sandbox.run(&demo_args(db.to_str().unwrap(), "20", "100", "300"));
    assert_success(&out);
    let text = stdout(&out);
    let created = text
        .lines()
        .find(|l| l.starts_with("Created "))
        .unwrap_or_else(|| panic!("no \"Created …\" line\n{}", describe(&out)));
    assert!(
        created.contains(db.to_str().unwrap()),
        "the Created line does not name the file: {created}"
    );
    for n in ["20 resellers", "100 customers", "300 subscriptions"] {
        assert!(
            created.contains(n),
            "the Created line does not say {n:?}: {created}"
        );
    }

    assert_eq!(count(&db, "resellers"), 20);
    assert_eq!(count(&db, "customers"), 100);
    assert_eq!(count(&db, "subscriptions"), 300);
    assert_eq!(sqlite3_value(&db, "PRAGMA application_id;"), APPLICATION_ID);
    assert_eq!(
        sqlite3_value(&db, "PRAGMA user_version;"),
        i64::from(twotier::store::SCHEMA_VERSION)
    );
    assert_eq!(sqlite3(&db, "PRAGMA journal_mode;").trim(), "wal");
    // The same, read from the file's header: "twtr" at offset 68, the schema version at offset 60.
    assert_eq!(&std::fs::read(&db).unwrap()[68..72], b"twtr");
    assert_eq!(header_field(&db, 60), twotier::store::SCHEMA_VERSION as u32);
}

#[test]
fn demo_is_deterministic() {
    let sandbox = Sandbox::new();
    let a = sandbox.file("a.db");
    let b = sandbox.file("b.db");
    let c = sandbox.file("c.db");
    assert_success(&sandbox.run(&demo_args(a.to_str().unwrap(), "20", "100", "300")));
    // A moment later: nothing may depend on the clock.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_success(&sandbox.run(&demo_args(b.to_str().unwrap(), "20", "100", "300")));

    let tables = ".dump resellers customers subscriptions offers";
    let dump_a = sqlite3(&a, tables);
    let dump_b = sqlite3(&b, tables);
    for table in ["resellers", "customers", "subscriptions", "offers"] {
        assert!(
            dump_a.contains(&format!("INSERT INTO {table} VALUES")),
            "the dump of {} has no rows of {table}:\n{}",
            a.display(),
            &dump_a[..dump_a.len().min(2000)]
        );
    }
    assert!(
        dump_a == dump_b,
        "the same demo command gave different tables:\n{}",
        first_difference(&dump_a, &dump_b)
    );
    // With the same operator, everything else (operators, audit log, invitations…) is equal too.
    let (full_a, full_b) = (sqlite3(&a, ".dump"), sqlite3(&b, ".dump"));
    assert!(
        full_a == full_b,
        "the same demo command gave different databases:\n{}",
        first_difference(&full_a, &full_b)
    );

    // And the comparison can tell: another seed gives other data.
    let mut args = demo_args(c.to_str().unwrap(), "20", "100", "300");
    let seed = args.iter().position(|a| *a == "--seed").unwrap() + 1;
    args[seed] = "8";
    assert_success(&sandbox.run(&args));
    assert_ne!(
        sqlite3(&c, tables),
        dump_a,
        "seed 8 gave the same data as seed 7"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. demo recreates in place and cleans up
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_recreates_an_existing_database_and_leaves_no_temp_files() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("t.db");
    let path = db.to_str().unwrap();
    assert_success(&sandbox.run(&demo_args(path, "20", "100", "300")));
    assert_eq!(
        sandbox.listing(),
        BTreeSet::from(["t.db".to_owned()]),
        "files left beside the new database"
    );
    assert_eq!(count(&db, "customers"), 100);

    let out = sandbox.run(&demo_args(path, "5", "30", "60"));
    assert_success(&out);
    assert!(
        stdout(&out).lines().any(|l| l.starts_with("Created ")),
        "no \"Created …\" line\n{}",
        describe(&out)
    );
    assert_eq!(count(&db, "resellers"), 5);
    assert_eq!(count(&db, "customers"), 30);
    assert_eq!(count(&db, "subscriptions"), 60);
    assert_eq!(sqlite3_value(&db, "PRAGMA application_id;"), APPLICATION_ID);
    assert_eq!(
        sqlite3_value(&db, "PRAGMA user_version;"),
        i64::from(twotier::store::SCHEMA_VERSION)
    );
    assert_eq!(
        sandbox.listing(),
        BTreeSet::from(["t.db".to_owned()]),
        "files (-wal, -shm, .twotier-demo-*) left beside the recreated database"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Files that are not twotier databases are refused and left alone
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_refuses_files_that_are_not_twotier_databases() {
    let sandbox = Sandbox::new();
    for file in not_twotier_files(&sandbox) {
        let before = std::fs::read(&file).unwrap();
        let out = sandbox.run(&["demo", "--db", file.to_str().unwrap(), "--resellers", "3"]);
        assert_refused(&out);
        let err = stderr(&out);
        assert!(
            err.contains(file.to_str().unwrap()),
            "the message does not name {}\n{}",
            file.display(),
            describe(&out)
        );
        assert!(
            says_not_twotier(&err),
            "the message does not say it is not a twotier database\n{}",
            describe(&out)
        );
        assert!(
            std::fs::read(&file).unwrap() == before,
            "{} was changed",
            file.display()
        );
    }
    // The foreign database still holds its one row, and nothing else.
    let foreign = sandbox.file("other.db");
    assert_eq!(sqlite3(&foreign, "SELECT x FROM t;").trim(), "1");
    assert_eq!(count(&foreign, "sqlite_schema"), 1);
}

/// The TUI invocation checks for a terminal before it opens the database, so a plain process
/// gets "needs a terminal" and the file is not even looked at. (tests/e2e.rs checks the TUI's
/// refusal of these files inside tmux.)
#[test]
fn tui_without_a_terminal_does_not_touch_a_foreign_file() {
    let sandbox = Sandbox::new();
    for file in not_twotier_files(&sandbox) {
        let before = std::fs::read(&file).unwrap();
        let out = sandbox.run(&["--db", file.to_str().unwrap()]);
        assert_refused(&out);
        assert!(
            std::fs::read(&file).unwrap() == before,
            "{} was changed",
            file.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. A database of a newer twotier
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_refuses_a_database_of_a_newer_twotier() {
    let sandbox = Sandbox::new();
    let db = make_demo_db(&sandbox, "t.db");
    sqlite3(&db, "PRAGMA user_version=99;");
    assert!(
        !sandbox.file("t.db-wal").exists(),
        "setting user_version left a WAL: the test cannot compare bytes"
    );
    assert_eq!(
        header_field(&db, 60),
        99,
        "user_version 99 did not reach the file"
    );
    let before = std::fs::read(&db).unwrap();

    let out = sandbox.run(&["demo", "--db", db.to_str().unwrap()]);
    assert_refused(&out);
    let err = stderr(&out);
    assert!(
        err.contains(db.to_str().unwrap()),
        "the message does not name the file\n{}",
        describe(&out)
    );
    assert!(
        err.contains("newer"),
        "the message does not say the file is from a newer twotier\n{}",
        describe(&out)
    );
    assert!(
        std::fs::read(&db).unwrap() == before,
        "{} was changed",
        db.display()
    );
    assert_eq!(sqlite3_value(&db, "PRAGMA user_version;"), 99);
}

// ---------------------------------------------------------------------------------------------
// 6. A read-only database
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_refuses_a_read_only_database() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let db = make_demo_db(&sandbox, "t.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();

    let out = sandbox.run(&["demo", "--db", db.to_str().unwrap(), "--customers", "3"]);
    assert_refused(&out);
    let err = stderr(&out);
    assert!(
        err.contains(db.to_str().unwrap()),
        "the message does not name the file\n{}",
        describe(&out)
    );
    assert!(
        err.contains("read-only"),
        "the message does not say the file is read-only\n{}",
        describe(&out)
    );
    assert!(
        std::fs::read(&db).unwrap() == before,
        "{} was changed",
        db.display()
    );
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o444,
        "the file's mode was changed"
    );
    assert_eq!(
        count(&db, "customers"),
        20,
        "the read-only database was replaced"
    );
}

/// A refused file is left alone, and so is its folder: no `-wal`, `-shm`, `-journal` or temp
/// files appear beside it.
#[test]
fn a_refused_database_gets_no_files_beside_it() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let mut cases = not_twotier_files(&sandbox);
    let newer = make_demo_db(&sandbox, "newer.db");
    sqlite3(&newer, "PRAGMA user_version=99;");
    cases.push(newer);
    let read_only = make_demo_db(&sandbox, "read-only.db");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    cases.push(read_only);

    let mut problems = Vec::new();
    for file in &cases {
        let before = sandbox.listing();
        let out = sandbox.run(&["demo", "--db", file.to_str().unwrap()]);
        assert_refused(&out);
        let after = sandbox.listing();
        let new: Vec<_> = after.difference(&before).cloned().collect();
        if !new.is_empty() {
            problems.push(format!("refusing {} left {new:?}", file.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 7. Invalid config files
// ---------------------------------------------------------------------------------------------

#[test]
fn an_invalid_config_file_is_refused_naming_the_file_and_the_key() {
    let sandbox = Sandbox::new();
    let cases = [
        ("typo.toml", "operater = \"x\"\n", "operater"),
        (
            "type.toml",
            "[invitations]\nexpiry_days = \"soon\"\n",
            "expiry_days",
        ),
    ];
    for (name, text, key) in cases {
        let config = sandbox.root().join(name);
        std::fs::write(&config, text).unwrap();
        let db = sandbox.file("t.db");
        let config_arg = config.to_str().unwrap();
        // Through `demo`, and through the TUI invocation (the config is read before anything else).
        for args in [
            vec!["--config", config_arg, "demo", "--db", db.to_str().unwrap()],
            vec!["--config", config_arg, "--db", db.to_str().unwrap()],
        ] {
            let out = sandbox.run(&args);
            assert_refused(&out);
            let err = stderr(&out);
            assert!(
                err.contains(config_arg),
                "the message does not name {config_arg}\n{}",
                describe(&out)
            );
            assert!(
                err.contains(key),
                "the message does not name the key {key}\n{}",
                describe(&out)
            );
            assert!(
                !db.exists(),
                "a database was created although the config is invalid ({args:?})"
            );
        }
        // The same file through TWOTIER_CONFIG.
        let out = sandbox
            .twotier()
            .env("TWOTIER_CONFIG", &config)
            .args(["demo", "--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        assert_refused(&out);
        assert!(
            stderr(&out).contains(config_arg) && stderr(&out).contains(key),
            "{}",
            describe(&out)
        );
        assert_eq!(
            std::fs::read_to_string(&config).unwrap(),
            text,
            "twotier changed its config file"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 8. The TUI needs a terminal
// ---------------------------------------------------------------------------------------------

#[test]
fn the_console_without_a_terminal_says_it_needs_one() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("t.db");
    // stdout is a pipe (and stdin /dev/null).
    let out = sandbox.run(&["--db", db.to_str().unwrap()]);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("needs a terminal"),
        "{}",
        describe(&out)
    );
    assert!(
        stdout(&out).is_empty(),
        "something was drawn on stdout\n{}",
        describe(&out)
    );
    assert!(
        !db.exists(),
        "the database was created although the console could not start"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Scripting: resellers and invitations
// ---------------------------------------------------------------------------------------------

/// A default-sized demo database (12 resellers, one of them removed; 7 invitations) laid out
/// from `as_of`, made by the demo operator = the OS user, who the scripting commands act as.
fn default_demo(sandbox: &Sandbox, name: &str, as_of: &str) -> PathBuf {
    let db = sandbox.file(name);
    let out = sandbox.run(&["demo", "--db", db.to_str().unwrap(), "--as-of", as_of]);
    assert_success(&out);
    db
}

#[track_caller]
fn assert_rfc3339(object: &serde_json::Value, key: &str) {
    let text = str_field(object, key);
    assert!(
        chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "{key} = {text:?} is not an RFC 3339 time in {object:#}"
    );
}

/// The JSON object of the list whose `key` is `value`.
#[track_caller]
fn find_by<'a>(list: &'a serde_json::Value, key: &str, value: &str) -> &'a serde_json::Value {
    json_array(list)
        .iter()
        .find(|o| o[key].as_str() == Some(value))
        .unwrap_or_else(|| panic!("no object with {key} = {value:?} in {list:#}"))
}

/// The token of the demo invitation sent to `recipient`.
#[track_caller]
fn token_of(sandbox: &Sandbox, db: &Path, recipient: &str) -> String {
    let list = json_of(sandbox, db, &["invitations", "list", "--json"]);
    str_field(find_by(&list, "recipient", recipient), "token").to_owned()
}

/// A plain table as the CLI prints it: the column names (split at runs of 2+ spaces in the
/// header) and each row cut at the header's column offsets, trimmed.
fn parse_table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let mut starts = Vec::new();
    let mut names = Vec::new();
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' {
            let start = i;
            while i < chars.len()
                && !(chars[i] == ' ' && chars.get(i + 1).is_none_or(|c| *c == ' '))
            {
                i += 1;
            }
            starts.push(start);
            names.push(chars[start..i].iter().collect::<String>());
        } else {
            i += 1;
        }
    }
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<char> = line.chars().collect();
            (0..starts.len())
                .map(|c| {
                    let from = starts[c].min(cells.len());
                    let to = starts
                        .get(c + 1)
                        .copied()
                        .unwrap_or(cells.len())
                        .min(cells.len());
                    cells[from..to].iter().collect::<String>().trim().to_owned()
                })
                .collect()
        })
        .collect();
    (names, rows)
}

const RESELLER_FIELDS: &[&str] = &[
    "name",
    "partner_id",
    "location",
    "tenant_id",
    "state",
    "mpa_signed",
    "por_valid",
    "customers",
    "since",
    "removed_at",
];

const INVITATION_FIELDS: &[&str] = &[
    "recipient",
    "status",
    "sent_by",
    "sent_at",
    "age_days",
    "delivery",
    "link",
    "token",
    "reseller",
    "resent_count",
];

/// A GUID as Partner Center writes a tenant ID: 8-4-4-4-12 lowercase hex digits.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

#[test]
fn resellers_list_prints_the_active_resellers_as_a_table() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", "2026-11-01");

    let out = run_on(&sandbox, &db, &["resellers", "list"]);
    assert_success(&out);
    let text = stdout(&out);
    let (header, rows) = parse_table(&text);
    assert_eq!(
        header,
        [
            "Name",
            "PartnerID (MPN ID)",
            "Location",
            "Status",
            "Customers",
            "Since"
        ],
        "the header of resellers list:\n{text}"
    );
    assert_eq!(rows.len(), 11, "12 demo resellers, one removed:\n{text}");
    assert!(
        !text.contains("Woodgrove Systems"),
        "the removed reseller is listed without --all:\n{text}"
    );
    let adatum = rows
        .iter()
        .find(|r| r[0] == "Adatum IT Services")
        .unwrap_or_else(|| panic!("no Adatum IT Services row:\n{text}"));
    assert_eq!(adatum[1], "5139005", "{text}");
    assert_eq!(adatum[2], "US", "{text}");
    assert!(adatum[3].starts_with("Active"), "{text}");
    for row in &rows {
        assert!(
            row[1].chars().all(|c| c.is_ascii_digit()) && !row[1].is_empty(),
            "PartnerID column of {row:?}:\n{text}"
        );
        assert_eq!(row[2].len(), 2, "Location column of {row:?}:\n{text}");
        assert!(row[3].starts_with("Active"), "Status of {row:?}:\n{text}");
        assert!(
            row[4].parse::<u32>().is_ok(),
            "Customers column of {row:?}:\n{text}"
        );
        assert!(
            chrono::NaiveDate::parse_from_str(&row[5], "%Y-%m-%d").is_ok(),
            "Since column of {row:?}:\n{text}"
        );
    }
    let mut names: Vec<&String> = rows.iter().map(|r| &r[0]).collect();
    let listed = names.clone();
    names.sort_by_key(|n| n.to_lowercase());
    assert_eq!(listed, names, "not sorted by name:\n{text}");

    // --all: the removed partnership too, as Removed.
    let out = run_on(&sandbox, &db, &["resellers", "list", "--all"]);
    assert_success(&out);
    let text = stdout(&out);
    let (_, rows) = parse_table(&text);
    assert_eq!(rows.len(), 12, "--all lists every reseller:\n{text}");
    let woodgrove = rows
        .iter()
        .find(|r| r[0] == "Woodgrove Systems")
        .unwrap_or_else(|| panic!("--all does not list Woodgrove Systems:\n{text}"));
    assert_eq!(woodgrove[3], "Removed", "{text}");
    assert_eq!(
        rows.iter().filter(|r| r[3] == "Removed").count(),
        1,
        "{text}"
    );
}

#[test]
fn resellers_list_json_has_exactly_the_documented_fields() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", "2026-11-01");
    let expected = key_set(RESELLER_FIELDS);

    for (args, n) in [
        (vec!["resellers", "list", "--json"], 11),
        (vec!["resellers", "list", "--json", "--all"], 12),
    ] {
        let list = json_of(&sandbox, &db, &args);
        let rows = json_array(&list);
        assert_eq!(rows.len(), n, "{args:?}: {list:#}");
        for r in rows {
            assert_eq!(keys(r), expected, "{args:?}: the fields of {r:#}");
            for key in ["name", "partner_id", "location", "state"] {
                str_field(r, key);
            }
            assert!(
                // null: Unknown, nobody has checked it yet.
                (r["mpa_signed"].is_boolean() || r["mpa_signed"].is_null())
                    && (r["por_valid"].is_boolean() || r["por_valid"].is_null()),
                "{r:#}"
            );
            assert!(
                r["customers"].is_u64(),
                "customers is not an integer: {r:#}"
            );
            assert_rfc3339(r, "since");
            let state = str_field(r, "state");
            assert!(state == "active" || state == "removed", "{r:#}");
            if state == "removed" {
                assert_rfc3339(r, "removed_at");
            } else {
                assert!(r["removed_at"].is_null(), "{r:#}");
            }
            assert!(
                r["tenant_id"].is_null() || r["tenant_id"].as_str().is_some_and(is_guid),
                "tenant_id is neither null nor a GUID: {r:#}"
            );
            assert!(
                !str_field(r, "partner_id").is_empty()
                    && str_field(r, "partner_id")
                        .chars()
                        .all(|c| c.is_ascii_digit()),
                "{r:#}"
            );
        }
        let removed: Vec<&str> = rows
            .iter()
            .filter(|r| r["state"] == "removed")
            .map(|r| str_field(r, "name"))
            .collect();
        if n == 12 {
            assert_eq!(removed, ["Woodgrove Systems"], "{list:#}");
        } else {
            assert!(removed.is_empty(), "{list:#}");
        }
    }
    let list = json_of(&sandbox, &db, &["resellers", "list", "--json"]);
    let adatum = find_by(&list, "name", "Adatum IT Services");
    assert_eq!(adatum["partner_id"], "5139005");
    assert_eq!(adatum["location"], "US");
    assert_eq!(adatum["state"], "active");
    assert_eq!(
        adatum["customers"].as_i64().unwrap(),
        sqlite3_value(
            &db,
            "SELECT count(*) FROM customers c JOIN resellers r ON r.id = c.reseller_id WHERE r.partner_id = '5139005';"
        ),
        "{adatum:#}"
    );
    let fourth = find_by(&list, "name", "Fourth Coffee Technologies");
    assert_eq!(fourth["mpa_signed"], false, "{fourth:#}");
}

/// A scripting command never makes a book: on a missing path it says how to make one (the full
/// table, every command and `backup`, is in tests/cli_books.rs).
#[test]
fn a_scripting_command_on_a_missing_database_is_an_error_and_creates_nothing() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("typo/new.db");
    for args in [
        &["resellers", "list", "--json"][..],
        &["customers", "list"][..],
        &["subscriptions", "list"][..],
        &["users", "list"][..],
        &["activity", "list"][..],
        &["invitations", "list"][..],
        &["export", "customers", "--format", "csv"][..],
        &["users", "add", "x@y.example", "--role", "sales-agent"][..],
    ] {
        let out = run_on(&sandbox, &db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{}", describe(&out));
        let err = stderr(&out);
        assert!(err.contains("no twotier database at"), "{err}");
        assert!(
            err.contains("twotier demo --db"),
            "says how to make one: {err}"
        );
        assert!(stdout(&out).is_empty(), "no rows: {}", stdout(&out));
        assert!(!db.parent().unwrap().exists(), "{args:?} created a folder");
    }
}

/// A draft discarded after its link was copied shows as Discarded, with how it left, in the
/// JSON and in the table.
#[test]
fn invitations_list_shows_a_discarded_request_and_its_delivery() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "d.db", &today());
    {
        let (mut store, _) = twotier::store::Store::open(&db).unwrap();
        let upn: String = store
            .conn()
            .query_row(
                "SELECT upn FROM operators WHERE role = 'global-admin' ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let operator = store.resolve_operator(&upn).unwrap();
        store.act_as(operator);
        let to = twotier::domain::ids::Email::parse("gone@fabrikam.example").unwrap();
        let draft = store.prepare_invitation(&to).unwrap();
        store
            .record_discarded(
                &draft,
                twotier::domain::invitation::Delivery::CopiedToClipboard,
                chrono::Utc::now(),
            )
            .unwrap();
    }
    let list = json_of(&sandbox, &db, &["invitations", "list", "--json"]);
    let gone = find_by(&list, "recipient", "gone@fabrikam.example");
    assert_eq!(gone["status"], "discarded", "{gone:#}");
    assert_eq!(gone["delivery"], "copied-to-clipboard", "{gone:#}");
    let out = run_on(&sandbox, &db, &["invitations", "list"]);
    assert_success(&out);
    let (_, table) = parse_table(&stdout(&out));
    let row = table
        .iter()
        .find(|r| r[0] == "gone@fabrikam.example")
        .expect("the discarded request is listed");
    assert_eq!(row[1], "Discarded (copied to clipboard)");
}

#[test]
fn invitations_list_json_and_table() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", &today());
    let list = json_of(&sandbox, &db, &["invitations", "list", "--json"]);
    let rows = json_array(&list);
    assert_eq!(rows.len(), 7, "the demo ledger: {list:#}");
    let expected = key_set(INVITATION_FIELDS);
    let mut statuses = BTreeSet::new();
    for i in rows {
        assert_eq!(keys(i), expected, "the fields of {i:#}");
        for key in [
            "recipient",
            "status",
            "sent_by",
            "delivery",
            "link",
            "token",
        ] {
            str_field(i, key);
        }
        assert_rfc3339(i, "sent_at");
        assert!(i["age_days"].is_u64(), "age_days: {i:#}");
        assert!(i["resent_count"].is_u64(), "resent_count: {i:#}");
        let status = str_field(i, "status");
        assert!(
            ["sent", "accepted", "expired", "revoked"].contains(&status),
            "status {status:?} is not one of the kebab-case statuses: {i:#}"
        );
        statuses.insert(status.to_owned());
        assert!(
            [
                "opened-in-email",
                "copied-to-clipboard",
                "eml-draft",
                "none"
            ]
            .contains(&str_field(i, "delivery")),
            "{i:#}"
        );
        let (link, token) = (str_field(i, "link"), str_field(i, "token"));
        assert!(!token.is_empty(), "{i:#}");
        assert!(
            link.contains(&format!("token={token}")),
            "the link does not carry its token: {i:#}"
        );
        assert!(link.contains("partnerId="), "{i:#}");
        if status == "accepted" {
            assert!(i["reseller"].is_string(), "{i:#}");
        } else {
            assert!(i["reseller"].is_null(), "{i:#}");
        }
    }
    assert_eq!(
        statuses,
        key_set(&["sent", "accepted", "expired", "revoked"]),
        "{list:#}"
    );
    let summit = find_by(&list, "recipient", "hello@summitmsp.example");
    assert_eq!(summit["status"], "expired", "{summit:#}");
    assert_eq!(summit["age_days"], 45, "{summit:#}");
    let alpine = find_by(&list, "recipient", "it@alpineridge.example");
    assert_eq!(alpine["status"], "sent", "{alpine:#}");
    assert_eq!(alpine["age_days"], 3, "{alpine:#}");
    assert_eq!(
        find_by(&list, "recipient", "ops@oldharbor.example")["status"],
        "revoked"
    );
    // Newest first.
    let sent_at: Vec<&str> = rows.iter().map(|i| str_field(i, "sent_at")).collect();
    let mut sorted = sent_at.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(sent_at, sorted, "not newest first");

    let out = run_on(&sandbox, &db, &["invitations", "list"]);
    assert_success(&out);
    let text = stdout(&out);
    let (header, table) = parse_table(&text);
    assert_eq!(
        header,
        ["Recipient", "Status", "Sent by", "Sent at (UTC)", "Link"],
        "{text}"
    );
    assert_eq!(table.len(), 7, "{text}");
    for i in rows {
        let row = table
            .iter()
            .find(|r| r[0] == str_field(i, "recipient"))
            .unwrap_or_else(|| panic!("no row for {i:#}\n{text}"));
        let label = match str_field(i, "status") {
            "sent" => "Sent",
            "accepted" => "Accepted",
            "expired" => "Expired",
            _ => "Revoked",
        };
        assert_eq!(row[1], label, "{text}");
        assert_eq!(row[4], str_field(i, "link"), "{text}");
    }
}

#[test]
fn invitations_accept_by_token_and_by_link() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", &today());
    let token = token_of(&sandbox, &db, "it@alpineridge.example");

    let out = run_on(
        &sandbox,
        &db,
        &[
            "invitations",
            "accept",
            &token,
            "--partner-id",
            "7654321",
            "--name",
            "Contoso Partners",
            "--country",
            "us",
        ],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("Contoso Partners"),
        "{}",
        describe(&out)
    );
    let resellers = json_of(&sandbox, &db, &["resellers", "list", "--json"]);
    assert_eq!(json_array(&resellers).len(), 12, "{resellers:#}");
    let contoso = find_by(&resellers, "name", "Contoso Partners");
    assert_eq!(contoso["partner_id"], "7654321", "{contoso:#}");
    assert_eq!(contoso["location"], "US", "{contoso:#}");
    assert_eq!(contoso["state"], "active", "{contoso:#}");
    assert_eq!(contoso["customers"], 0, "{contoso:#}");
    assert!(contoso["removed_at"].is_null(), "{contoso:#}");
    let invitations = json_of(&sandbox, &db, &["invitations", "list", "--json"]);
    let accepted = find_by(&invitations, "token", &token);
    assert_eq!(accepted["status"], "accepted", "{accepted:#}");
    assert_eq!(accepted["reseller"], "Contoso Partners", "{accepted:#}");
    assert_eq!(accepted["recipient"], "it@alpineridge.example");

    // The whole link instead of the token, with a tenant ID.
    let other = find_by(
        &invitations,
        "recipient",
        "partners@cascade-networks.example",
    );
    assert_eq!(other["status"], "sent", "{other:#}");
    let link = str_field(other, "link").to_owned();
    let token2 = str_field(other, "token").to_owned();
    let out = run_on(
        &sandbox,
        &db,
        &[
            "invitations",
            "accept",
            &link,
            "--partner-id",
            "7654322",
            "--name",
            "Fabrikam Resale",
            "--country",
            "CA",
            "--tenant-id",
            "6F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B",
        ],
    );
    assert_success(&out);
    let resellers = json_of(&sandbox, &db, &["resellers", "list", "--json"]);
    let fabrikam = find_by(&resellers, "name", "Fabrikam Resale");
    assert_eq!(fabrikam["partner_id"], "7654322", "{fabrikam:#}");
    assert_eq!(fabrikam["location"], "CA", "{fabrikam:#}");
    assert_eq!(
        fabrikam["tenant_id"], "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "{fabrikam:#}"
    );
    let invitations = json_of(&sandbox, &db, &["invitations", "list", "--json"]);
    let accepted = find_by(&invitations, "token", &token2);
    assert_eq!(accepted["status"], "accepted", "{accepted:#}");
    assert_eq!(accepted["reseller"], "Fabrikam Resale", "{accepted:#}");

    // Both are on record.
    let actions = sqlite3(&db, "SELECT action || ' | ' || target FROM audit_log;");
    for expected in [
        "Partnership request accepted | it@alpineridge.example",
        "Reseller added | Contoso Partners (7654321)",
        "Partnership request accepted | partners@cascade-networks.example",
        "Reseller added | Fabrikam Resale (7654322)",
    ] {
        assert!(
            actions.lines().any(|l| l == expected),
            "no activity log entry {expected:?}:\n{actions}"
        );
    }
}

/// An acceptance that must be refused: non-zero exit (not a usage error), `says` on stderr, and
/// the database exactly as it was.
#[track_caller]
fn assert_accept_refused(sandbox: &Sandbox, db: &Path, token: &str, fields: &[&str], says: &str) {
    let before = dump(db);
    let mut args = vec!["invitations", "accept", token];
    args.extend_from_slice(fields);
    let out = run_on(sandbox, db, &args);
    assert_refused(&out);
    let err = stderr(&out);
    assert!(
        err.to_lowercase().contains(&says.to_lowercase()),
        "accepting {args:?}: stderr does not say {says:?}\n{}",
        describe(&out)
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "raw control characters on stderr\n{}",
        describe(&out)
    );
    assert!(
        dump(db) == before,
        "a refused acceptance ({args:?}) changed the database:\n{}",
        first_difference(&before, &dump(db))
    );
}

const CONTOSO: &[&str] = &[
    "--partner-id",
    "7654321",
    "--name",
    "Contoso Partners",
    "--country",
    "US",
];

#[test]
fn invitations_accept_refusals_change_nothing() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", &today());
    let sent = token_of(&sandbox, &db, "partners@cascade-networks.example");
    let expired = token_of(&sandbox, &db, "hello@summitmsp.example");
    let revoked = token_of(&sandbox, &db, "ops@oldharbor.example");
    let accepted = token_of(&sandbox, &db, "partners+5139005@reseller.example");
    let adatum_tenant = sqlite3(
        &db,
        "SELECT tenant_id FROM resellers WHERE partner_id = '5139005';",
    )
    .trim()
    .to_owned();

    assert_accept_refused(
        &sandbox,
        &db,
        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        CONTOSO,
        "No partnership request has the token",
    );
    assert_accept_refused(&sandbox, &db, &expired, CONTOSO, "expired");
    assert_accept_refused(&sandbox, &db, &revoked, CONTOSO, "revoked");
    assert_accept_refused(&sandbox, &db, &accepted, CONTOSO, "already accepted");
    let with = |partner_id: &'static str, name: &'static str, country: &'static str| {
        vec![
            "--partner-id",
            partner_id,
            "--name",
            name,
            "--country",
            country,
        ]
    };
    assert_accept_refused(
        &sandbox,
        &db,
        &sent,
        &with("4120357", "Contoso Partners", "US"),
        "your own PartnerID",
    );
    assert_accept_refused(
        &sandbox,
        &db,
        &sent,
        &with("5139005", "Contoso Partners", "US"),
        "already belongs",
    );
    assert_accept_refused(
        &sandbox,
        &db,
        &sent,
        &with("12ab", "Contoso Partners", "US"),
        "--partner-id",
    );
    assert_accept_refused(
        &sandbox,
        &db,
        &sent,
        &with("12345678901", "Contoso Partners", "US"),
        "--partner-id",
    );
    assert_accept_refused(
        &sandbox,
        &db,
        &sent,
        &with("7654321", "Contoso Partners", "XX"),
        "--country",
    );
    let mut tenant = with("7654321", "Contoso Partners", "US");
    tenant.extend(["--tenant-id", "nope"]);
    assert_accept_refused(&sandbox, &db, &sent, &tenant, "--tenant-id");
    let mut taken = with("7654321", "Contoso Partners", "US");
    taken.extend(["--tenant-id", &adatum_tenant]);
    assert_accept_refused(&sandbox, &db, &sent, &taken, "already belongs");
    for name in ["Evil\u{1b}Corp", "Evil\u{202e}Corp", "Evil\u{7}Corp", "  "] {
        assert_accept_refused(&sandbox, &db, &sent, &with("7654321", name, "US"), "name");
    }

    // And the token still works afterwards: nothing was used up.
    let out = run_on(
        &sandbox,
        &db,
        &[&["invitations", "accept", &sent], CONTOSO].concat(),
    );
    assert_success(&out);
}

#[test]
fn resellers_remove_needs_yes_and_keeps_the_customers() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", "2026-11-01");
    let customers_sql = "SELECT count(*) FROM customers c JOIN resellers r ON r.id = c.reseller_id WHERE r.partner_id = '5139005';";
    let customers = sqlite3_value(&db, customers_sql);
    assert!(customers > 0, "Adatum has no demo customers");
    let por = sqlite3_value(
        &db,
        "SELECT count(*) FROM subscriptions s JOIN resellers r ON r.id = s.reseller_id WHERE r.partner_id = '5139005';",
    );
    let support = sqlite3_value(
        &db,
        "SELECT count(*) FROM subscriptions s JOIN resellers r ON r.id = s.support_reseller_id WHERE r.partner_id = '5139005';",
    );
    // Open once so that the "before" dump is of a database the CLI has already opened.
    json_of(&sandbox, &db, &["resellers", "list", "--json"]);

    // Without --yes: refused, says so, shows the impact, changes nothing.
    let before = dump(&db);
    let out = run_on(&sandbox, &db, &["resellers", "remove", "5139005"]);
    assert_refused(&out);
    let err = stderr(&out);
    assert!(err.contains("--yes"), "{}", describe(&out));
    for n in [
        format!("{customers} customers"),
        format!("{por} subscriptions"),
        format!("{support} as support contact"),
    ] {
        assert!(
            err.contains(&n),
            "the impact {n:?} is not shown\n{}",
            describe(&out)
        );
    }
    assert!(
        dump(&db) == before,
        "remove without --yes changed the database"
    );

    // With --yes.
    let out = run_on(&sandbox, &db, &["resellers", "remove", "5139005", "--yes"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains("Kept") && text.contains(&format!("{customers} customers")),
        "{}",
        describe(&out)
    );
    let out = run_on(&sandbox, &db, &["resellers", "list"]);
    assert_success(&out);
    assert!(
        !stdout(&out).contains("Adatum IT Services"),
        "{}",
        describe(&out)
    );
    assert_eq!(parse_table(&stdout(&out)).1.len(), 10, "{}", describe(&out));
    let out = run_on(&sandbox, &db, &["resellers", "list", "--all"]);
    assert_success(&out);
    let (_, rows) = parse_table(&stdout(&out));
    let adatum = rows
        .iter()
        .find(|r| r[0] == "Adatum IT Services")
        .unwrap_or_else(|| panic!("--all does not list Adatum\n{}", describe(&out)));
    assert_eq!(adatum[3], "Removed");
    let all = json_of(&sandbox, &db, &["resellers", "list", "--json", "--all"]);
    let adatum = find_by(&all, "partner_id", "5139005");
    assert_eq!(adatum["state"], "removed", "{adatum:#}");
    assert_rfc3339(adatum, "removed_at");
    assert_eq!(adatum["customers"].as_i64(), Some(customers), "{adatum:#}");

    // Its customers and subscriptions keep it.
    assert_eq!(sqlite3_value(&db, customers_sql), customers);
    assert_eq!(
        sqlite3_value(
            &db,
            "SELECT count(*) FROM subscriptions s JOIN resellers r ON r.id = s.reseller_id WHERE r.partner_id = '5139005';"
        ),
        por
    );
    let actions = sqlite3(&db, "SELECT action FROM audit_log;");
    assert!(
        actions.lines().any(|a| a == "Partnership removed"),
        "no \"Partnership removed\" in the activity log:\n{actions}"
    );

    // Again: nothing to remove.
    let before = dump(&db);
    let out = run_on(&sandbox, &db, &["resellers", "remove", "5139005", "--yes"]);
    assert_refused(&out);
    assert!(
        stderr(&out).to_lowercase().contains("no active"),
        "{}",
        describe(&out)
    );
    assert!(dump(&db) == before, "a second remove changed the database");
}

/// Text from the database reaches stdout without terminal control: no ESC, BEL, bidi override
/// or zero-width characters, in the table or in JSON.
#[test]
fn scripting_output_is_sanitised() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", &today());
    sqlite3(
        &db,
        "UPDATE resellers SET name = 'Evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(8238) || 'Corp' || char(8203) || char(27) || '[31m' WHERE partner_id = '4847383';
         UPDATE invitations SET recipient_email = 'x' || char(27) || ']0;pwned' || char(7) || char(8238) || '@evil.example' || char(8203) WHERE recipient_email = 'it@alpineridge.example';",
    );
    let bad = |text: &[u8]| -> Vec<String> {
        let s = String::from_utf8_lossy(text);
        let mut found = Vec::new();
        for (c, what) in [
            ('\u{1b}', "ESC"),
            ('\u{7}', "BEL"),
            ('\u{9b}', "CSI"),
            ('\u{202e}', "U+202E"),
            ('\u{200b}', "U+200B"),
        ] {
            if s.contains(c) {
                found.push(what.to_owned());
            }
        }
        found
    };
    for args in [
        vec!["resellers", "list"],
        vec!["resellers", "list", "--all"],
        vec!["resellers", "list", "--json"],
        vec!["invitations", "list"],
        vec!["invitations", "list", "--json"],
    ] {
        let out = run_on(&sandbox, &db, &args);
        assert_success(&out);
        let found = bad(&out.stdout);
        assert!(
            found.is_empty(),
            "{args:?} printed {found:?}\n{}",
            describe(&out)
        );
        let text = stdout(&out);
        assert!(
            text.contains("Evil") || text.contains("evil.example"),
            "the hostile row is not listed by {args:?}\n{}",
            describe(&out)
        );
    }
    let list = json_of(&sandbox, &db, &["resellers", "list", "--json"]);
    let evil = find_by(&list, "partner_id", "4847383");
    let name = str_field(evil, "name");
    assert!(
        name.starts_with("Evil") && name.contains("Corp"),
        "the name lost its text: {name:?}"
    );
    assert!(
        !name.chars().any(char::is_control),
        "control characters in {name:?}"
    );
}

/// A PartnerID typed on the command line is echoed in the refusal; it must not carry terminal
/// control either.
#[test]
fn resellers_remove_does_not_echo_control_characters() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", "2026-11-01");
    let before = dump(&db);
    let out = run_on(
        &sandbox,
        &db,
        &["resellers", "remove", "5139005\u{1b}]0;pwned\u{7}", "--yes"],
    );
    assert_refused(&out);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{7}'),
        "the refusal echoes raw control characters: {all:?}"
    );
    assert!(dump(&db) == before);
}

#[test]
fn a_configured_expiry_refuses_an_older_invitation() {
    let sandbox = Sandbox::new();
    let db = default_demo(&sandbox, "t.db", &today());
    let token = token_of(&sandbox, &db, "it@alpineridge.example");
    let invitations = json_of(&sandbox, &db, &["invitations", "list", "--json"]);
    assert_eq!(
        find_by(&invitations, "token", &token)["status"],
        "sent",
        "3 days old is Sent with the default 30 days"
    );

    let config = sandbox.root().join("config.toml");
    std::fs::write(&config, "[invitations]\nexpiry_days = 1\n").unwrap();
    let config = config.to_str().unwrap();
    let invitations = json_of(
        &sandbox,
        &db,
        &["--config", config, "invitations", "list", "--json"],
    );
    assert_eq!(
        find_by(&invitations, "token", &token)["status"],
        "expired",
        "3 days old with expiry_days = 1: {invitations:#}"
    );
    let before = dump(&db);
    let out = run_on(
        &sandbox,
        &db,
        &[
            &["--config", config, "invitations", "accept", &token],
            CONTOSO,
        ]
        .concat(),
    );
    assert_refused(&out);
    assert!(stderr(&out).contains("expired"), "{}", describe(&out));
    assert!(
        dump(&db) == before,
        "the refused acceptance changed the database"
    );
    let resellers = json_of(&sandbox, &db, &["resellers", "list", "--json"]);
    assert!(
        json_array(&resellers)
            .iter()
            .all(|r| r["name"] != "Contoso Partners"),
        "{resellers:#}"
    );
}
