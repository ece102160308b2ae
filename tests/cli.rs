//! The command line, run as a real process: `--help`, `demo`, and the refusals that must leave a
//! file that is not ours (or that we may not write) exactly as it was.
//!
//! Every test has its own temp folder with a fake HOME inside it, so nothing touches the real
//! home, and the XDG and TWOTIER_* variables are removed from the child's environment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_twotier");
const SQLITE3: &str = "/usr/bin/sqlite3";

/// `PRAGMA application_id` of a twotier database: the ASCII bytes "twtr" (= 1953985650).
const APPLICATION_ID: i64 = 0x7477_7472;

/// A temp folder holding a fake HOME and a work folder for databases.
struct Sandbox {
    tmp: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("twotier-cli-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(tmp.path().join("home")).unwrap();
        std::fs::create_dir(tmp.path().join("work")).unwrap();
        Sandbox { tmp }
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    /// Where the databases of a test live (nothing else is written there).
    fn work(&self) -> PathBuf {
        self.tmp.path().join("work")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.work().join(name)
    }

    /// The binary with a clean environment: HOME is the fake one, no XDG or TWOTIER_* variables.
    fn twotier(&self) -> Command {
        let mut cmd = Command::new(BIN);
        for var in [
            "TWOTIER_DB",
            "TWOTIER_CONFIG",
            "TWOTIER_LOG",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
            "XDG_RUNTIME_DIR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.home())
            .current_dir(self.work())
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.twotier()
            .args(args)
            .output()
            .expect("running the twotier binary")
    }

    /// The names of the files in the work folder.
    fn listing(&self) -> BTreeSet<String> {
        std::fs::read_dir(self.work())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        stdout(out),
        stderr(out)
    )
}

#[track_caller]
fn assert_success(out: &Output) {
    assert!(out.status.success(), "expected success\n{}", describe(out));
}

/// A refusal: an ordinary non-zero exit (not a crash by signal, not clap's usage error 2).
#[track_caller]
fn assert_refused(out: &Output) {
    match out.status.code() {
        Some(code) if code != 0 && code != 2 => {}
        _ => panic!(
            "expected a refusal (non-zero exit, not a usage error)\n{}",
            describe(out)
        ),
    }
}

/// Runs the `sqlite3` shell on `db`; fails the test clearly if it is missing or fails.
fn sqlite3(db: &Path, sql: &str) -> String {
    assert!(
        Path::new(SQLITE3).exists(),
        "these tests need the sqlite3 shell at {SQLITE3} (apt-get install sqlite3)"
    );
    let out = Command::new(SQLITE3)
        .arg(db)
        .arg(sql)
        .output()
        .expect("running sqlite3");
    assert!(
        out.status.success(),
        "sqlite3 {} {sql:?} failed\n{}",
        db.display(),
        describe(&out)
    );
    stdout(&out)
}

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
    assert_eq!(sqlite3_value(&db, "PRAGMA user_version;"), 1);
    assert_eq!(sqlite3(&db, "PRAGMA journal_mode;").trim(), "wal");
    // The same, read from the file's header: "twtr" at offset 68, schema version 1 at offset 60.
    assert_eq!(&std::fs::read(&db).unwrap()[68..72], b"twtr");
    assert_eq!(header_field(&db, 60), 1);
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

fn first_difference(a: &str, b: &str) -> String {
    for (i, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
        if la != lb {
            return format!("line {}:\n  first:  {la}\n  second: {lb}", i + 1);
        }
    }
    format!(
        "one dump is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
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
    assert_eq!(sqlite3_value(&db, "PRAGMA user_version;"), 1);
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
        "the sqlite3 shell left a WAL: the test cannot compare bytes"
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
        let config = sandbox.tmp.path().join(name);
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
