//! Books on disk through the built binary: concurrent first use, `twotier demo` never replacing a
//! book in use, leftovers of killed demo builds, and rows another tool wrote with invalid UTF-8.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::process::{assert_refused, assert_success, describe, stderr, stdout};
use common::sandbox::{Sandbox, run_on};
use twotier::store::Store;

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn demo(sandbox: &Sandbox, db: &Path) -> Output {
    run_on(sandbox, db, &["demo", "--as-of", "2026-11-01"])
}

#[test]
fn four_commands_started_together_on_a_new_path_refuse_and_create_nothing() {
    // Scripts never make a book (the console's first run does, under one write lock: see
    // tests/store_races.rs); together on a missing path, each says so and nothing appears.
    let sandbox = Sandbox::new();
    let db = sandbox.file("new/twotier.db");
    let children: Vec<_> = ["resellers", "customers", "users", "activity"]
        .iter()
        .map(|what| {
            sandbox
                .twotier()
                .args(["--db", db.to_str().unwrap(), what, "list", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        assert!(
            stderr(&out).contains("no twotier database at"),
            "{}",
            describe(&out)
        );
    }
    assert!(!db.parent().unwrap().exists());
}

#[test]
fn demo_refuses_to_replace_a_real_book_unless_forced() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    // A real book: its provider is not the demo's.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE provider SET is_demo = 0, company_name = 'Contoso Distribution';
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    let before = bytes(&db);
    let out = demo(&sandbox, &db);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("holds a real book"),
        "{}",
        describe(&out)
    );
    assert!(stderr(&out).contains("--force"), "{}", describe(&out));
    assert_eq!(
        bytes(&db),
        before,
        "the real book is byte for byte as it was"
    );
    let out = run_on(&sandbox, &db, &["demo", "--as-of", "2026-11-01", "--force"]);
    assert_success(&out);
    assert_eq!(count(&db, "SELECT is_demo FROM provider"), 1);
}

#[test]
fn demo_refuses_to_replace_a_book_that_is_open_and_leaves_it_unchanged() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    // Another twotier has the book open (a console's store worker holds it the same way).
    let (open, _) = Store::open(&db).unwrap();
    open.conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let before = bytes(&db);
    let out = demo(&sandbox, &db);
    assert_refused(&out);
    assert!(
        stderr(&out).contains("is open in another twotier"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        bytes(&db),
        before,
        "the open book is byte for byte as it was"
    );
    drop(open);
    assert_success(&demo(&sandbox, &db));
}

#[test]
fn a_killed_demo_build_leaves_nothing_behind_after_the_next_run() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("big.db");
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(sandbox.work())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".twotier-demo-"))
            .collect()
    };
    for delay in [150, 300, 600] {
        let mut child = sandbox
            .twotier()
            .args(["--db", db.to_str().unwrap(), "demo", "--customers", "20000"])
            .args(["--subscriptions", "60000"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(!leftovers().is_empty(), "the kills interrupted a build");
    let out = demo(&sandbox, &db);
    assert_success(&out);
    assert!(
        stdout(&out).contains("left by an interrupted twotier demo"),
        "{}",
        describe(&out)
    );
    assert_eq!(leftovers(), Vec::<String>::new());
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), 60);
}

#[test]
fn a_build_in_progress_is_not_taken_for_a_leftover() {
    let sandbox = Sandbox::new();
    let (a, b) = (sandbox.file("a.db"), sandbox.file("b.db"));
    let slow = sandbox
        .twotier()
        .args(["--db", a.to_str().unwrap(), "demo", "--customers", "20000"])
        .args(["--subscriptions", "60000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until its temporary file exists, then run a second build in the same folder.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_dir(sandbox.work())
        .unwrap()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".twotier-demo-")
        })
    {
        assert!(Instant::now() < deadline, "the slow build never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = demo(&sandbox, &b);
    assert_success(&out);
    assert!(!stdout(&out).contains("interrupted"), "{}", describe(&out));
    let slow = slow.wait_with_output().unwrap();
    assert_success(&slow);
    assert_eq!(count(&a, "SELECT count(*) FROM customers"), 20000);
}

#[test]
fn a_row_with_invalid_utf8_is_shown_with_replacement_characters_and_the_list_stays() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        // The search index's triggers call twotier's fold function.
        twotier::store::search::register(&conn).unwrap();
        // As another tool or a sync could write it: bytes that are not UTF-8, in several lists.
        conn.execute_batch(
            "UPDATE customers SET company_name = CAST(X'4272616B656EFF20436F' AS TEXT)
               WHERE id = (SELECT min(id) FROM customers);
             UPDATE resellers SET name = CAST(X'4261C0AF6420526573656C6C6572' AS TEXT)
               WHERE id = (SELECT min(id) FROM resellers WHERE state = 'active');",
        )
        .unwrap();
    }
    for (args, all) in [
        (&["customers", "list", "--json"][..], 60),
        (&["resellers", "list", "--json", "--all"][..], 12),
        (&["subscriptions", "list", "--json"][..], 150),
    ] {
        let out = run_on(&sandbox, &db, args);
        assert_success(&out);
        let text = stdout(&out);
        let value: serde_json::Value = serde_json::from_str(&text)
            .or_else(|_| {
                serde_json::from_str(&format!("[{}]", text.lines().collect::<Vec<_>>().join(",")))
            })
            .unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
        let list = value.as_array().unwrap();
        assert_eq!(list.len(), all, "{args:?}: the whole list is there");
        assert!(
            text.contains('\u{fffd}'),
            "{args:?}: the damaged text is marked"
        );
    }
    let out = run_on(&sandbox, &db, &["customers", "list"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Braken\u{fffd} Co"),
        "{}",
        describe(&out)
    );
}

/// The bytes and the modification time of a file: "unchanged" means both.
fn fingerprint(path: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        bytes(path),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// A file's content in a form short enough for a failure message: its length and a hash.
type Content = (usize, u64);

fn content(bytes: &[u8]) -> Content {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    (bytes.len(), hasher.finish())
}

/// Every file and folder under the work folder (names relative to it), with each file's content
/// and mtime.
fn work_tree(sandbox: &Sandbox) -> Vec<(String, Content, std::time::SystemTime)> {
    let mut found = Vec::new();
    let mut folders = vec![sandbox.work()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            let name = path
                .strip_prefix(sandbox.work())
                .unwrap()
                .display()
                .to_string();
            if path.is_dir() {
                found.push((format!("{name}/"), (0, 0), std::time::UNIX_EPOCH));
                folders.push(path);
            } else {
                let (bytes, mtime) = fingerprint(&path);
                found.push((name, content(&bytes), mtime));
            }
        }
    }
    found.sort();
    found
}

/// The import cases (FILE is an existing, well-formed CSV: only the book is missing).
const IMPORT_CASES: &[&[&str]] = &[
    &["import", "resellers", "FILE"],
    &["import", "customers", "FILE", "--dry-run"],
    &["import", "subscriptions", "FILE", "--json"],
];

#[test]
fn every_scripting_command_given_a_missing_book_refuses_and_creates_no_file_or_folder() {
    let sandbox = Sandbox::new();
    // Inputs a command reads exist, so the missing book is the only thing wrong.
    let csv = sandbox.file("customers.csv");
    std::fs::write(
        &csv,
        "Microsoft ID,Company name,Primary domain name,Relationship\n\
         8f3b1c52-2c4e-4a5e-9a36-1f0e1c1a2b3c,Fabrikam,fabrikam.onmicrosoft.com,Reseller\n",
    )
    .unwrap();
    let customer = sandbox.file("customer.json");
    std::fs::write(&customer, "{}").unwrap();
    let (csv, customer) = (csv.to_str().unwrap(), customer.to_str().unwrap());
    let out_file = sandbox.file("out.json");
    let copy = sandbox.file("copy.db");
    let (out_file, copy) = (out_file.to_str().unwrap(), copy.to_str().unwrap());

    let mut cases: Vec<Vec<&str>> = [
        &["resellers", "list", "--json"][..],
        &["resellers", "remove", "5139005", "--yes"],
        &["resellers", "follow-up", "5139005"],
        &["customers", "list"],
        &["customers", "add", "--from", customer],
        &["subscriptions", "list", "--json"],
        &["users", "list"],
        &["users", "add", "x@y.example", "--role", "sales-agent"],
        &["users", "disable", "x@y.example"],
        &["users", "enable", "x@y.example"],
        &["users", "set-role", "x@y.example", "--role", "user-admin"],
        &["activity", "list"],
        &["invitations", "list"],
        &[
            "invitations",
            "accept",
            "tok",
            "--partner-id",
            "1234567",
            "--name",
            "Fabrikam",
            "--country",
            "US",
        ],
        &["export", "customers", "--format", "csv"],
        &["export", "resellers", "--format", "json"],
        &[
            "export",
            "subscriptions",
            "--format",
            "json",
            "--out",
            out_file,
        ],
        &["backup", copy],
    ]
    .iter()
    .map(|c| c.to_vec())
    .collect();
    for case in IMPORT_CASES {
        cases.push(
            case.iter()
                .map(|a| if *a == "FILE" { csv } else { a })
                .collect(),
        );
    }

    let before = work_tree(&sandbox);
    let db = sandbox.file("typo/new.db");
    for args in &cases {
        let out = run_on(&sandbox, &db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{}", describe(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("no twotier database at {}", db.display())),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("twotier init --db") && err.contains("twotier demo --db"),
            "{args:?} says how to make one: {err}"
        );
        assert!(stdout(&out).is_empty(), "{args:?} printed {}", stdout(&out));
        assert_eq!(
            work_tree(&sandbox),
            before,
            "{args:?} created or changed a file"
        );
    }

    // The same for a path from TWOTIER_DB or the config file.
    let out = sandbox
        .twotier()
        .env("TWOTIER_DB", &db)
        .args(["customers", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("no twotier database at"),
        "{}",
        describe(&out)
    );
    let config = sandbox.root().join("config.toml");
    std::fs::write(&config, format!("db = {:?}\n", db.to_str().unwrap())).unwrap();
    let out = sandbox.run(&["--config", config.to_str().unwrap(), "users", "list"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("no twotier database at"),
        "{}",
        describe(&out)
    );
    assert_eq!(work_tree(&sandbox), before);

    // A restore into a missing folder with a backup that is not there makes no folder either.
    let out = run_on(&sandbox, &db, &["restore", copy]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains("no file at"), "{}", describe(&out));
    assert_eq!(work_tree(&sandbox), before);
}

#[test]
fn without_any_book_a_scripting_command_says_how_to_make_one_and_creates_nothing() {
    let sandbox = Sandbox::new();
    let data = sandbox.home().join(".local/share/twotier");
    for args in [&["customers", "list"][..], &["backup", "copy.db"]] {
        let out = sandbox.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{}", describe(&out));
        let err = stderr(&out);
        assert!(err.contains("no twotier database yet"), "{err}");
        assert!(err.contains("twotier init"), "{err}");
        assert!(
            err.contains(&data.join("demo.db").display().to_string()),
            "{err}"
        );
        assert!(!data.exists(), "{args:?} made the data folder");
        assert!(sandbox.listing().is_empty(), "{:?}", sandbox.listing());
    }
}

#[test]
fn the_demo_is_demo_db_in_the_data_folder_marked_in_the_book_and_scripts_prefer_your_own() {
    let sandbox = Sandbox::new();
    let xdata = sandbox.root().join("xdata");
    let xconfig = sandbox.root().join("xconfig");
    let run = |args: &[&str]| {
        sandbox
            .twotier()
            .env("XDG_DATA_HOME", &xdata)
            .env("XDG_CONFIG_HOME", &xconfig)
            .args(args)
            .output()
            .unwrap()
    };
    let help = stdout(&run(&["--help"]));
    let (demo_db, own_db) = (
        xdata.join("twotier/demo.db"),
        xdata.join("twotier/twotier.db"),
    );
    for (what, path) in [("demo", &demo_db), ("database", &own_db)] {
        assert!(
            help.lines().any(
                |l| l.trim_start().starts_with(what) && l.contains(&path.display().to_string())
            ),
            "--help does not list the {what} file {}:\n{help}",
            path.display()
        );
    }
    let out = run(&["demo", "--as-of", "2026-11-01"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains(&demo_db.display().to_string()),
        "{}",
        describe(&out)
    );
    assert!(demo_db.is_file());
    assert!(!own_db.exists(), "twotier demo made twotier.db");
    assert!(!sandbox.home().join(".local/share").exists());
    // Marked in the database itself, not by its name or its rows.
    assert_eq!(count(&demo_db, "SELECT is_demo FROM provider"), 1);
    let renamed = sandbox.file("renamed.db");
    std::fs::copy(&demo_db, &renamed).unwrap();
    assert_eq!(count(&renamed, "SELECT is_demo FROM provider"), 1);

    // Without --db, scripts read the demo while there is no book of your own...
    let out = run(&["resellers", "list", "--json"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Adatum IT Services"),
        "{}",
        describe(&out)
    );
    // ...and your own book once `twotier init` made it.
    let out = run(&[
        "init",
        "--company",
        "Contoso Distribution",
        "--partner-id",
        "1234567",
        "--tenant-id",
        "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1",
        "--country",
        "US",
        "--admin",
        "ava@contoso.example",
    ]);
    assert_success(&out);
    assert_eq!(count(&own_db, "SELECT is_demo FROM provider"), 0);
    let out = run(&[
        "--operator",
        "ava@contoso.example",
        "resellers",
        "list",
        "--json",
    ]);
    assert_success(&out);
    assert_eq!(stdout(&out).trim(), "[]", "{}", describe(&out));
    // `twotier demo` again rewrites demo.db only, even with your book named in the config file.
    std::fs::create_dir_all(xconfig.join("twotier")).unwrap();
    std::fs::write(
        xconfig.join("twotier/config.toml"),
        format!("db = {:?}\n", own_db.to_str().unwrap()),
    )
    .unwrap();
    let own = fingerprint(&own_db);
    let out = run(&["demo", "--as-of", "2026-11-02"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains(&demo_db.display().to_string()),
        "{}",
        describe(&out)
    );
    assert_eq!(fingerprint(&own_db), own, "twotier demo touched your book");
}

#[test]
fn demo_refuses_a_book_made_by_init_byte_for_byte_and_mtime_unless_forced() {
    let sandbox = Sandbox::new();
    let db = sandbox.file("own.db");
    assert_success(&run_on(
        &sandbox,
        &db,
        &[
            "init",
            "--company",
            "Contoso Distribution",
            "--partner-id",
            "1234567",
            "--tenant-id",
            "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1",
            "--country",
            "US",
            "--admin",
            "ava@contoso.example",
        ],
    ));
    // Modification times a refusal would move are visibly different from the book's.
    std::thread::sleep(Duration::from_millis(20));
    let before = work_tree(&sandbox);
    for args in [&["demo"][..], &["demo", "--customers", "5", "--seed", "7"]] {
        let out = run_on(&sandbox, &db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{}", describe(&out));
        let err = stderr(&out);
        assert!(err.contains("holds a real book"), "{err}");
        assert!(
            err.contains("--force") && err.contains("nothing was changed"),
            "{err}"
        );
        assert!(stdout(&out).is_empty(), "{}", describe(&out));
        assert_eq!(work_tree(&sandbox), before, "{args:?} changed a file");
    }
    let out = run_on(&sandbox, &db, &["demo", "--force", "--as-of", "2026-11-01"]);
    assert_success(&out);
    assert_eq!(count(&db, "SELECT is_demo FROM provider"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), 60);
}

#[test]
fn an_empty_file_is_not_a_book_a_script_fills() {
    let sandbox = Sandbox::new();
    let empty = sandbox.file("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let before = work_tree(&sandbox);
    for args in [
        &["customers", "list"][..],
        &["users", "add", "x@y.example", "--role", "sales-agent"],
    ] {
        let out = run_on(&sandbox, &empty, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}\n{}", describe(&out));
        assert!(
            stderr(&out).contains("no twotier database at")
                && stderr(&out).contains("an empty file"),
            "{}",
            describe(&out)
        );
        assert_eq!(
            work_tree(&sandbox),
            before,
            "{args:?} wrote to the empty file"
        );
    }
    // Nor is an empty file at the default path taken for your book: scripts and the console
    // use the demo book beside it.
    let data = sandbox.home().join(".local/share/twotier");
    assert_success(&sandbox.run(&["demo", "--as-of", "2026-11-01"]));
    std::fs::write(data.join("twotier.db"), b"").unwrap();
    let out = sandbox.run(&["resellers", "list", "--json"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Adatum IT Services"),
        "{}",
        describe(&out)
    );
    assert_eq!(bytes(&data.join("twotier.db")), b"");
}

#[test]
fn demo_reads_a_real_book_left_in_its_write_ahead_log_and_refuses_it() {
    // A book whose last writes are only in its -wal (the process that wrote them was killed
    // before a checkpoint): the main file alone still looks like the demo it started as.
    let sandbox = Sandbox::new();
    let db = sandbox.file("book.db");
    assert_success(&demo(&sandbox, &db));
    let writer = rusqlite::Connection::open(&db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&writer).unwrap();
    writer
        .execute_batch(
            "PRAGMA wal_autocheckpoint = 0;
             UPDATE provider SET is_demo = 0, company_name = 'Contoso Distribution';",
        )
        .unwrap();
    let crashed = sandbox.file("crashed.db");
    std::fs::copy(&db, &crashed).unwrap();
    std::fs::copy(sandbox.file("book.db-wal"), sandbox.file("crashed.db-wal")).unwrap();
    drop(writer);
    assert!(!bytes(&sandbox.file("crashed.db-wal")).is_empty());
    let main_file = fingerprint(&crashed);
    let out = run_on(&sandbox, &crashed, &["demo"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("holds a real book"),
        "{}",
        describe(&out)
    );
    assert_eq!(fingerprint(&crashed), main_file);
    assert_eq!(
        count(
            &crashed,
            "SELECT company_name = 'Contoso Distribution' FROM provider"
        ),
        1
    );
}
