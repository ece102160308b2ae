//! Hostile text in what the command line quotes back: a path given with `--db`, `--config` or
//! `--out`, a HOME folder, an email or a role typed as an argument. Whatever it holds (ESC, BEL,
//! backspace, CR, the 8-bit CSI U+009B, a bidi override, a zero-width space), the bytes twotier
//! writes to stdout and stderr never carry it raw: the message shows it as a visible escape such as
//! `\u{1b}`. Paths that are not UTF-8 are refused in words, never with a panic.
//!
//! Every case runs the built binary in its own sandbox (a fake HOME, no TWOTIER_* variables) and
//! checks the raw bytes of its output, not a lossy decoding of them.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::process::{assert_success, describe};
use common::sandbox::Sandbox;

const OPERATOR: &str = "tester@example.com";

/// A hostile fragment and the visible escape a message must show in its place.
struct Hostile {
    name: &'static str,
    text: &'static str,
    escape: &'static str,
}

const fn hostile(name: &'static str, text: &'static str, escape: &'static str) -> Hostile {
    Hostile { name, text, escape }
}

const CORPUS: [Hostile; 8] = [
    hostile("OSC title", "\u{1b}]0;pwned\u{7}", "\\u{1b}]0;pwned\\u{7}"),
    hostile("CSI clear screen", "\u{1b}[2J", "\\u{1b}[2J"),
    hostile("BEL", "\u{7}", "\\u{7}"),
    hostile("backspace", "\u{8}", "\\u{8}"),
    hostile("CR", "\r", "\\u{d}"),
    hostile("C1 CSI", "\u{9b}", "\\u{9b}"),
    hostile("RLO", "\u{202e}", "\\u{202e}"),
    hostile("zero-width space", "\u{200b}", "\\u{200b}"),
];

/// The first thing in `bytes` a terminal would act on or a reader would be fooled by: a C0
/// control other than tab and line feed, DEL, or the UTF-8 of a C1 control, a bidi embedding,
/// override or isolate, a zero-width character or a byte-order mark.
fn first_hostile(bytes: &[u8]) -> Option<String> {
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, 0x00..=0x08 | 0x0b..=0x1f | 0x7f) {
            return Some(format!("byte {b:#04x} at offset {i}"));
        }
        let rest = &bytes[i..];
        let hostile_char = match rest {
            [0xc2, 0x80..=0x9f, ..] => Some(2),
            [0xe2, 0x80, 0xaa..=0xae, ..] => Some(3),
            [0xe2, 0x81, 0xa6..=0xa9, ..] => Some(3),
            [0xe2, 0x80, 0x8b..=0x8d, ..] => Some(3),
            [0xef, 0xbb, 0xbf, ..] => Some(3),
            _ => None,
        };
        if let Some(len) = hostile_char {
            return Some(format!(
                "the UTF-8 bytes {:02x?} at offset {i}",
                &rest[..len]
            ));
        }
    }
    None
}

/// What one run must show: the output carries nothing hostile and does show `escape`.
struct Case {
    what: String,
    out: Output,
    escape: &'static str,
}

impl Case {
    fn new(what: impl Into<String>, out: Output, escape: &'static str) -> Case {
        Case {
            what: what.into(),
            out,
            escape,
        }
    }

    /// Why this run is wrong, if it is.
    fn problem(&self) -> Option<String> {
        let code = self.out.status.code();
        if code.is_none() || code == Some(101) {
            return Some("crashed (a signal or a panic)".to_owned());
        }
        for (stream, bytes) in [("stdout", &self.out.stdout), ("stderr", &self.out.stderr)] {
            if let Some(found) = first_hostile(bytes) {
                return Some(format!("{stream} holds {found}"));
            }
        }
        let shown = [&self.out.stdout, &self.out.stderr]
            .iter()
            .any(|bytes| String::from_utf8_lossy(bytes).contains(self.escape));
        (!shown).then(|| format!("the output does not show {:?}", self.escape))
    }
}

/// Fails with every wrong case at once, each with its output.
#[track_caller]
fn check(cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            c.problem()
                .map(|why| format!("{}: {why}\n{}", c.what, describe(&c.out)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Runs the binary in the sandbox with these arguments (any bytes).
fn run(sandbox: &Sandbox, args: &[&OsStr]) -> Output {
    sandbox
        .twotier()
        .args(args)
        .output()
        .expect("running the twotier binary")
}

fn os(text: &str) -> &OsStr {
    OsStr::new(text)
}

/// A folder in the work folder whose name holds the hostile text.
fn hostile_dir(sandbox: &Sandbox, h: &Hostile) -> PathBuf {
    let dir = sandbox.file(&format!("data{}dir", h.text));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A plain file in the work folder: a path "inside" it can't be created or read, even by root.
fn plain_file(sandbox: &Sandbox) -> PathBuf {
    let file = sandbox.file("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    file
}

/// A small twotier database with `OPERATOR` as its Global admin.
fn demo_db(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("twotier.db");
    let out = sandbox.run(&[
        "--db",
        db.to_str().unwrap(),
        "--operator",
        OPERATOR,
        "demo",
        "--resellers",
        "2",
        "--customers",
        "3",
        "--subscriptions",
        "3",
    ]);
    assert_success(&out);
    db
}

/// `--db DB --operator OPERATOR ARGS…`
fn on_db(sandbox: &Sandbox, db: &Path, args: &[&OsStr]) -> Output {
    let mut all: Vec<&OsStr> = vec![os("--db"), db.as_os_str(), os("--operator"), os(OPERATOR)];
    all.extend_from_slice(args);
    run(sandbox, &all)
}

/// The UPNs of `users list --json`.
fn operators(sandbox: &Sandbox, db: &Path) -> Vec<String> {
    let out = on_db(sandbox, db, &[os("users"), os("list"), os("--json")]);
    assert_success(&out);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    list.iter()
        .map(|o| o["upn"].as_str().unwrap().to_owned())
        .collect()
}

/// Text as a TOML basic string's contents: every non-printable-ASCII character as `\uXXXX`.
fn toml_escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c.to_string(),
            _ => format!("\\u{:04X}", c as u32),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// --db
// ---------------------------------------------------------------------------------------------

/// A file that is not SQLite, in a folder with a hostile name: refused, the path escaped.
#[test]
fn db_that_is_not_sqlite_in_a_hostile_folder() {
    let sandbox = Sandbox::new();
    let mut cases = Vec::new();
    for h in &CORPUS {
        let db = hostile_dir(&sandbox, h).join("notes.db");
        std::fs::write(&db, "hello, not a database").unwrap();
        let out = run(
            &sandbox,
            &[os("--db"), db.as_os_str(), os("users"), os("list")],
        );
        cases.push(Case::new(
            format!("--db {} (not SQLite)", h.name),
            out,
            h.escape,
        ));
    }
    check(&cases);
}

/// A database whose folder can't be created (a plain file is in the way), the missing folder's
/// name hostile: refused, the path escaped.
#[test]
fn db_in_a_hostile_folder_that_cannot_be_created() {
    let sandbox = Sandbox::new();
    let file = plain_file(&sandbox);
    let mut cases = Vec::new();
    for h in &CORPUS {
        let db = file.join(format!("new{}", h.text)).join("twotier.db");
        let out = run(
            &sandbox,
            &[os("--db"), db.as_os_str(), os("users"), os("list")],
        );
        cases.push(Case::new(
            format!("--db {} (no folder)", h.name),
            out,
            h.escape,
        ));
    }
    check(&cases);
}

// ---------------------------------------------------------------------------------------------
// --config
// ---------------------------------------------------------------------------------------------

/// A config file that can't be read: one whose folder does not exist (a file is in the way), and a
/// folder given as the config file, each with a hostile name.
#[test]
fn config_that_cannot_be_read() {
    let sandbox = Sandbox::new();
    let file = plain_file(&sandbox);
    let mut cases = Vec::new();
    for h in &CORPUS {
        let missing = file.join(format!("config{}.toml", h.text));
        let out = run(
            &sandbox,
            &[os("--config"), missing.as_os_str(), os("users"), os("list")],
        );
        cases.push(Case::new(
            format!("--config {} (does not exist)", h.name),
            out,
            h.escape,
        ));
        let folder = hostile_dir(&sandbox, h);
        let out = run(
            &sandbox,
            &[os("--config"), folder.as_os_str(), os("users"), os("list")],
        );
        cases.push(Case::new(
            format!("--config {} (a folder)", h.name),
            out,
            h.escape,
        ));
    }
    check(&cases);
}

/// A config file with a TOML error: its name hostile, or the hostile text in the file itself (a
/// raw control character on the line the message quotes, an unknown key, an unknown permission).
#[test]
fn config_with_a_toml_error() {
    let sandbox = Sandbox::new();
    let mut cases = Vec::new();
    for h in &CORPUS {
        let named = hostile_dir(&sandbox, h).join("config.toml");
        std::fs::write(&named, "operater = \"ava@example.com\"\n").unwrap();
        let out = run(
            &sandbox,
            &[os("--config"), named.as_os_str(), os("users"), os("list")],
        );
        cases.push(Case::new(
            format!("--config {} (TOML error)", h.name),
            out,
            h.escape,
        ));

        let contents = [
            (
                "raw on the line the message quotes",
                format!("operator = \"ava@example.com\" {}x\n", h.text),
            ),
            ("unknown key", format!("\"{}\" = 1\n", toml_escaped(h.text))),
            (
                "unknown permission",
                format!("[roles]\n\"{}\" = []\n", toml_escaped(h.text)),
            ),
        ];
        for (i, (what, text)) in contents.into_iter().enumerate() {
            let path = sandbox.file(&format!("config-{i}.toml"));
            std::fs::write(&path, text).unwrap();
            let out = run(
                &sandbox,
                &[os("--config"), path.as_os_str(), os("users"), os("list")],
            );
            cases.push(Case::new(
                format!("config file {} ({what})", h.name),
                out,
                h.escape,
            ));
        }
    }
    check(&cases);
}

// ---------------------------------------------------------------------------------------------
// export --out
// ---------------------------------------------------------------------------------------------

/// `export --out` into a folder that does not exist (its name hostile), and to a path that names
/// no file: refused, the path escaped.
#[test]
fn export_out_that_cannot_be_written() {
    let sandbox = Sandbox::new();
    let db = demo_db(&sandbox);
    let mut cases = Vec::new();
    for h in &CORPUS {
        let missing = sandbox
            .file(&format!("missing{}", h.text))
            .join("customers.csv");
        let out = on_db(
            &sandbox,
            &db,
            &[
                os("export"),
                os("customers"),
                os("--format"),
                os("csv"),
                os("--out"),
                missing.as_os_str(),
            ],
        );
        cases.push(Case::new(
            format!("--out {} (no folder)", h.name),
            out,
            h.escape,
        ));
        let no_name = hostile_dir(&sandbox, h).join("..");
        let out = on_db(
            &sandbox,
            &db,
            &[
                os("export"),
                os("subscriptions"),
                os("--format"),
                os("json"),
                os("--out"),
                no_name.as_os_str(),
            ],
        );
        cases.push(Case::new(
            format!("--out {} (no file name)", h.name),
            out,
            h.escape,
        ));
    }
    check(&cases);
    assert!(
        !sandbox.listing().iter().any(|n| n.contains(".tmp")),
        "{:?}",
        sandbox.listing()
    );
}

/// A successful export to a file with a hostile name says where, the name escaped.
#[test]
fn export_out_success_message() {
    let sandbox = Sandbox::new();
    let db = demo_db(&sandbox);
    let mut cases = Vec::new();
    for h in &CORPUS {
        let path = hostile_dir(&sandbox, h).join("customers.csv");
        let out = on_db(
            &sandbox,
            &db,
            &[
                os("export"),
                os("customers"),
                os("--format"),
                os("csv"),
                os("--out"),
                path.as_os_str(),
            ],
        );
        assert!(out.status.success() && path.exists(), "{}", describe(&out));
        cases.push(Case::new(
            format!("--out {} (written)", h.name),
            out,
            h.escape,
        ));
    }
    check(&cases);
}

// ---------------------------------------------------------------------------------------------
// Emails and other arguments
// ---------------------------------------------------------------------------------------------

/// `users add` with a hostile character before or after the @: refused, and the refusal shows
/// the character escaped.
#[test]
fn users_add_with_a_hostile_email() {
    let sandbox = Sandbox::new();
    let db = demo_db(&sandbox);
    let before = operators(&sandbox, &db);
    let mut cases = Vec::new();
    for h in &CORPUS {
        for (part, upn) in [
            ("name", format!("ava{}@example.com", h.text)),
            ("domain", format!("ava@exa{}mple.com", h.text)),
        ] {
            let out = on_db(
                &sandbox,
                &db,
                &[
                    os("users"),
                    os("add"),
                    os(&upn),
                    os("--role"),
                    os("sales-agent"),
                ],
            );
            cases.push(Case::new(
                format!("users add ({} in the {part})", h.name),
                out,
                h.escape,
            ));
        }
    }
    check(&cases);
    assert_eq!(operators(&sandbox, &db), before, "a refused UPN was added");
}

/// `--role` with hostile text: clap's refusal quotes the value escaped.
#[test]
fn users_add_with_a_hostile_role() {
    let sandbox = Sandbox::new();
    let db = demo_db(&sandbox);
    let mut cases = Vec::new();
    for h in &CORPUS {
        let role = format!("boss{}", h.text);
        let out = on_db(
            &sandbox,
            &db,
            &[
                os("users"),
                os("add"),
                os("ava@example.com"),
                os("--role"),
                os(&role),
            ],
        );
        cases.push(Case::new(format!("--role {}", h.name), out, h.escape));
    }
    check(&cases);
}

/// `--help` lists the files under HOME: a hostile HOME is shown escaped.
#[test]
fn help_with_a_hostile_home() {
    let sandbox = Sandbox::new();
    let mut cases = Vec::new();
    for h in &CORPUS {
        let home = hostile_dir(&sandbox, h);
        let out = sandbox
            .twotier()
            .env("HOME", &home)
            .arg("--help")
            .output()
            .expect("running the twotier binary");
        assert_success(&out);
        cases.push(Case::new(format!("--help, HOME {}", h.name), out, h.escape));
    }
    check(&cases);
}

// ---------------------------------------------------------------------------------------------
// Paths that are not UTF-8
// ---------------------------------------------------------------------------------------------

/// A path with the byte 0xff: refused in words (exit 1), the byte shown as U+FFFD, no panic.
#[test]
fn non_utf8_paths_are_refused_without_a_panic() {
    let sandbox = Sandbox::new();
    let db = demo_db(&sandbox);
    let bad = |prefix: &str| {
        let mut name = prefix.as_bytes().to_vec();
        name.extend_from_slice(b"\xff\x1b[2J");
        sandbox.work().join(OsStr::from_bytes(&name))
    };

    let folder = bad("data");
    std::fs::create_dir(&folder).unwrap();
    let not_sqlite = folder.join("notes.db");
    std::fs::write(&not_sqlite, "hello").unwrap();
    let config = folder.join("config.toml");
    std::fs::write(&config, "operater = 1\n").unwrap();
    let missing = bad("missing").join("out.csv");

    let runs = [
        (
            "--db (not SQLite)",
            run(
                &sandbox,
                &[os("--db"), not_sqlite.as_os_str(), os("users"), os("list")],
            ),
        ),
        (
            "--config (TOML error)",
            run(
                &sandbox,
                &[os("--config"), config.as_os_str(), os("users"), os("list")],
            ),
        ),
        (
            "--config (a folder)",
            run(
                &sandbox,
                &[os("--config"), folder.as_os_str(), os("users"), os("list")],
            ),
        ),
        (
            "export --out (no folder)",
            on_db(
                &sandbox,
                &db,
                &[
                    os("export"),
                    os("customers"),
                    os("--format"),
                    os("csv"),
                    os("--out"),
                    missing.as_os_str(),
                ],
            ),
        ),
    ];
    let mut cases = Vec::new();
    for (what, out) in runs {
        assert_eq!(
            out.status.code(),
            Some(1),
            "{what}: not a refusal\n{}",
            describe(&out)
        );
        assert!(
            std::str::from_utf8(&out.stderr).is_ok(),
            "{what}: stderr is not UTF-8\n{}",
            describe(&out)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains('\u{fffd}'),
            "{what}: the byte 0xff is not shown as U+FFFD\n{}",
            describe(&out)
        );
        cases.push(Case::new(
            format!("{what}, 0xff in the path"),
            out,
            "\\u{1b}[2J",
        ));
    }
    check(&cases);
}
