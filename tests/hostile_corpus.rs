//! One corpus of hostile strings (ESC, CSI, OSC 0/8/52, BEL, backspace, CR and the other C0
//! controls, DEL, C1 controls in UTF-8, bidi overrides and isolates, zero-width characters, 10 kB,
//! invalid UTF-8, SQL- and formula-looking text), pushed through every input path that needs no
//! terminal, with every output checked as raw bytes:
//!
//! - database rows, as a sync or an import would write them (rusqlite straight into a demo book,
//!   invalid UTF-8 through `CAST(X'…' AS TEXT)`) → every list (table and `--json`) and every export
//!   (CSV and JSON): no raw control, C1, bidi or zero-width character; JSON parses and its decoded
//!   strings are clean too; CSV parses as RFC 4180 and no cell starts a formula; SQL text is
//!   stored and shown verbatim, and no table changes;
//! - command-line arguments (any bytes, as Unix allows) → stdout and stderr of the refusals;
//! - config values (`operator`, `db`, `mail_command`, `invitations.base_url`) → stdout and stderr;
//! - the clipboard: OSC 52 payloads are base64 of sanitised text, nothing else;
//! - `.eml` drafts and `mailto:` URLs: no header injection, no raw control byte.
//!
//! The console (tmux) side of the same corpus is `tests/e2e_hostile.rs`, which borrows this file's
//! corpus and checks (`#[path = "hostile_corpus.rs"] mod hostile_corpus;`); the tests below run
//! only in this file's own binary (see [`own_binary`]).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use chrono::{TimeZone, Utc};
use rusqlite::Connection;
use twotier::domain::text::{clean, clean_multiline};
use twotier::platform::EnvFacts;
use twotier::platform::clipboard::{Clipboard, ClipboardKind, osc52, osc52_overwrite};
use twotier::platform::mail::{Draft, Openers, eml, mailto_url, open_in_email_with};

pub const BIN: &str = env!("CARGO_BIN_EXE_twotier");
/// The Global admin of every book here (never renamed by the poisoning).
pub const OPERATOR: &str = "tester@northwind-distribution.example";
/// The day the demo books are laid out from.
pub const AS_OF: &str = "2026-11-01";

/// True in this file's own test binary, false where another test file borrows the corpus: the
/// tests of this file start with `if !own_binary() { return; }`, so they run once.
pub fn own_binary() -> bool {
    module_path!() == "hostile_corpus"
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// A hostile string: a name for messages and its bytes (not always UTF-8).
#[derive(Clone, Debug)]
pub struct Hostile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

impl Hostile {
    fn text(name: &'static str, text: &str) -> Hostile {
        Hostile {
            name,
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// The text, when it is UTF-8 (most input paths take nothing else).
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    /// What a reader of the bytes sees: invalid UTF-8 as U+FFFD.
    pub fn lossy(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// What the app shows in one line: the lossy text, sanitised.
    pub fn shown(&self) -> String {
        clean(&self.lossy()).into_owned()
    }
}

/// More than 10 kB of text, every 18 bytes a title OSC, a bidi override, a zero-width space and
/// the 8-bit CSI.
pub fn ten_kb() -> String {
    let mut text = String::from("10kB ");
    while text.len() < 10 * 1024 {
        text.push_str("\u{1b}]0;t\u{7}x\u{202e}y\u{200b}\u{9b}z ");
    }
    text
}

/// Every hostile string, UTF-8 or not. The first 22 are UTF-8 ([`utf8_corpus`]).
pub fn corpus() -> Vec<Hostile> {
    let mut corpus = vec![
        Hostile::text("OSC 0 title", "Title\u{1b}]0;pwned-title\u{7}Co"),
        Hostile::text("OSC 52 clipboard", "Clip\u{1b}]52;c;cHduZWQ=\u{7}Co"),
        Hostile::text(
            "OSC 8 hyperlink",
            "\u{1b}]8;;https://evil.example/\u{1b}\\Link me\u{1b}]8;;\u{1b}\\",
        ),
        Hostile::text("CSI", "Csi\u{1b}[2J\u{1b}[31mred\u{1b}[0m\u{1b}[1;1HCo"),
        Hostile::text("BEL", "Ding\u{7}dong"),
        Hostile::text("backspace", "Abc\u{8}\u{8}\u{8}XYZ"),
        Hostile::text("CR", "Real\rFake"),
        Hostile::text(
            "C0 and DEL",
            "Nul\u{0}vt\u{b}ff\u{c}so\u{e}us\u{1f}del\u{7f}end",
        ),
        Hostile::text("C1", "C1csi\u{9b}31m osc\u{9d}0;x\u{9c} nel\u{85}end"),
        Hostile::text(
            "bidi",
            "Bidi\u{202e}moc.elgoog\u{202c} \u{2066}iso\u{2069} \u{202a}\u{202b}\u{202d}\u{200e}\u{200f}\u{61c}end",
        ),
        Hostile::text(
            "zero-width",
            "Ze\u{200b}r\u{200c}o\u{200d}w\u{2060}i\u{feff}d\u{180e}th",
        ),
        Hostile::text("10 kB", &ten_kb()),
        Hostile::text("SQL drop", "Robert'); DROP TABLE customers;--"),
        Hostile::text("SQL or", "Or' OR '1'='1"),
        Hostile::text("LIKE wildcards", "%_\\%"),
        Hostile::text("formula =", "=HYPERLINK(\"https://evil.example\",\"ok\")"),
        Hostile::text("formula +", "+1+1"),
        Hostile::text("formula -", "-2-2"),
        Hostile::text("formula @", "@SUM(A1:A2)"),
        Hostile::text("tab formula", "\t=1+1"),
        Hostile::text("line breaks", "Line1\nline2\r\nline3"),
        Hostile::text("bracketed paste end", "Paste\u{1b}[201~typed"),
    ];
    corpus.extend(invalid_utf8());
    corpus
}

/// Bytes that are not UTF-8: only a database row (or a path, or an argument) can hold them.
pub fn invalid_utf8() -> Vec<Hostile> {
    let bytes = |name: &'static str, bytes: &[u8]| Hostile {
        name,
        bytes: bytes.to_vec(),
    };
    vec![
        bytes("invalid UTF-8", b"Bad\xff\xfe name"),
        bytes("raw 8-bit CSI byte", b"Raw\x9b31m csi"),
        bytes("overlong ESC", b"Overlong\xc0\x9b[2J"),
        bytes("truncated then OSC", b"Cut\xe2\x80\x1b]0;x\x07end"),
        bytes("surrogate", b"Sur\xed\xa0\x80rogate"),
    ]
}

/// The corpus entries that are UTF-8.
pub fn utf8_corpus() -> Vec<(&'static str, String)> {
    corpus()
        .into_iter()
        .filter_map(|h| h.as_str().map(|t| (h.name, t.to_owned())))
        .collect()
}

/// Short hostile fragments for columns with a length limit (a PartnerID, a country code).
pub const SHORT: [&[u8]; 10] = [
    b"\x1b[",
    b"\x07\x08",
    b"\r\n",
    "\u{9b}1".as_bytes(),
    "\u{202e}X".as_bytes(),
    "\u{200b}X".as_bytes(),
    "\u{feff}X".as_bytes(),
    b"\x7f\x1b",
    b"\xff\xfe",
    b"\x9bX",
];

// ---------------------------------------------------------------------------------------------
// The checks on raw bytes

/// What an output may hold besides printable text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allow {
    /// Line feeds only (tables, JSON, messages).
    Lf,
    /// CRLF record ends (RFC 4180 CSV): a CR only right before an LF.
    Crlf,
}

/// The first thing in `bytes` a terminal would act on or a reader be fooled by: a C0 control
/// (other than LF, and CR before LF when allowed), DEL, bytes that are not UTF-8, or the UTF-8 of
/// a C1 control, a bidi embedding, override, isolate or mark, a zero-width character or a BOM.
pub fn first_hostile(bytes: &[u8], allow: Allow) -> Option<String> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Some(format!("bytes that are not UTF-8 ({e})"));
    }
    for (i, &b) in bytes.iter().enumerate() {
        let allowed =
            b == b'\n' || (b == b'\r' && allow == Allow::Crlf && bytes.get(i + 1) == Some(&b'\n'));
        if !allowed && matches!(b, 0x00..=0x1f | 0x7f) {
            return Some(format!(
                "the byte {b:#04x} at offset {i}{}",
                context(bytes, i)
            ));
        }
        let rest = &bytes[i..];
        let len = match rest {
            // U+0080..U+009F
            [0xc2, 0x80..=0x9f, ..] => 2,
            // U+061C
            [0xd8, 0x9c, ..] => 2,
            // U+180E
            [0xe1, 0xa0, 0x8e, ..] => 3,
            // U+200B..U+200F, U+202A..U+202E
            [0xe2, 0x80, 0x8b..=0x8f | 0xaa..=0xae, ..] => 3,
            // U+2060, U+2066..U+2069
            [0xe2, 0x81, 0xa0 | 0xa6..=0xa9, ..] => 3,
            // U+FEFF
            [0xef, 0xbb, 0xbf, ..] => 3,
            _ => continue,
        };
        return Some(format!(
            "the UTF-8 bytes {:02x?} at offset {i}{}",
            &rest[..len],
            context(bytes, i)
        ));
    }
    None
}

fn context(bytes: &[u8], at: usize) -> String {
    let start = at.saturating_sub(40);
    let end = (at + 40).min(bytes.len());
    format!(
        " (around: {:?})",
        String::from_utf8_lossy(&bytes[start..end])
    )
}

/// The first character of decoded text (a JSON string, a CSV cell) that must never be there.
pub fn first_hostile_char(text: &str, allow_newline: bool) -> Option<char> {
    text.chars().find(|&c| {
        (c != '\n' || !allow_newline)
            && (c.is_control()
                || matches!(c,
                    '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}'
                    | '\u{2060}' | '\u{feff}' | '\u{061c}' | '\u{180e}'))
    })
}

// ---------------------------------------------------------------------------------------------
// Books and the binary

/// A temp folder with a fake HOME and a work folder; the binary runs with nothing of the
/// developer's environment.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("twotier-hostile-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(dir.path().join("home")).unwrap();
        std::fs::create_dir(dir.path().join("work")).unwrap();
        Sandbox { dir }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join("work").join(name)
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        for var in [
            "TWOTIER_DB",
            "TWOTIER_CONFIG",
            "TWOTIER_LOG",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
            "DISPLAY",
            "WAYLAND_DISPLAY",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.home())
            .current_dir(self.dir.path().join("work"))
            .stdin(Stdio::null());
        cmd
    }

    /// `twotier ARGS…` (any bytes).
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.command()
            .args(args)
            .output()
            .expect("running the twotier binary")
    }

    /// `twotier --db DB --operator OPERATOR ARGS…`.
    pub fn on(&self, db: &Path, args: &[&str]) -> Output {
        let mut all: Vec<&OsStr> = vec![
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("--operator"),
            OsStr::new(OPERATOR),
        ];
        all.extend(args.iter().map(OsStr::new));
        self.run(&all)
    }

    /// A default-sized demo book (12 resellers, 60 customers, 150 subscriptions, 7 invitations)
    /// with [`OPERATOR`] as its Global admin, laid out from [`AS_OF`].
    pub fn demo(&self, name: &str) -> PathBuf {
        let db = self.file(name);
        let out = self.on(&db, &["demo", "--as-of", AS_OF]);
        assert!(out.status.success(), "demo failed\n{}", describe(&out));
        db
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

/// Exit status, stdout and stderr (lossy) of a finished process, for failure messages.
pub fn describe(out: &Output) -> String {
    let cut = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let mut shown: String = text.chars().take(3000).collect();
        if text.chars().count() > 3000 {
            shown.push('…');
        }
        shown
    };
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        cut(&out.stdout),
        cut(&out.stderr)
    )
}

/// Killed by a signal, or a Rust panic (101).
pub fn crashed(out: &Output) -> bool {
    matches!(out.status.code(), None | Some(101))
}

/// The rows of every table of a book, by table name.
pub fn table_counts(db: &Path) -> BTreeMap<String, i64> {
    let conn = Connection::open(db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// The ids of a table, in order.
fn ids(conn: &Connection, table: &str) -> Vec<i64> {
    conn.prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Sets `column` of row `id` to these bytes, as TEXT (a blob cast, so any bytes go in as they are).
#[track_caller]
fn set(conn: &Connection, table: &str, column: &str, id: i64, bytes: &[u8]) {
    conn.execute(
        &format!("UPDATE {table} SET {column} = CAST(?1 AS TEXT) WHERE id = ?2"),
        rusqlite::params![bytes, id],
    )
    .unwrap_or_else(|e| {
        panic!(
            "UPDATE {table}.{column} of row {id} to {:?}: {e}",
            String::from_utf8_lossy(bytes)
        )
    });
}

fn with_suffix(bytes: &[u8], suffix: &str) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out.extend_from_slice(suffix.as_bytes());
    out
}

/// Writes the corpus into the text columns the lists, the exports and the console show, as a sync
/// or an import would write them (no validation, any bytes): row k of a table gets entry
/// k mod the corpus size, unique columns with the row's id appended, columns with a length limit
/// short fragments ([`SHORT`]) after the row's id. The activity log, which refuses updates, gets
/// one new entry per corpus entry. Returns what each list must show: for every corpus entry, the
/// sanitised text it holds in customers' names (and the other full-text columns).
pub fn poison_book(db: &Path) {
    let corpus = corpus();
    let n = corpus.len();
    let mut conn = Connection::open(db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let tx = conn.transaction().unwrap();
    let pick = |k: usize| &corpus[k % n].bytes;
    let short = |k: usize| SHORT[k % SHORT.len()];

    for (k, id) in ids(&tx, "customers").into_iter().enumerate() {
        let h = pick(k);
        for column in [
            "company_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "registration_number",
            "mca_signer_name",
            "mca_signer_email",
            "admin_user_name",
        ] {
            set(&tx, "customers", column, id, h);
        }
        set(
            &tx,
            "customers",
            "tenant_id",
            id,
            &with_suffix(h, &format!("-t{id}")),
        );
        set(
            &tx,
            "customers",
            "domain",
            id,
            &with_suffix(h, &format!("-d{id}")),
        );
    }
    for (k, id) in ids(&tx, "resellers").into_iter().enumerate() {
        // Shifted, so a reseller's name differs from its customers' names.
        let h = pick(k + 3);
        set(&tx, "resellers", "name", id, h);
        set(&tx, "resellers", "email", id, h);
        set(
            &tx,
            "resellers",
            "tenant_id",
            id,
            &with_suffix(h, &format!("-r{id}")),
        );
        let mut partner_id = id.to_string().into_bytes();
        partner_id.extend_from_slice(short(k));
        set(&tx, "resellers", "partner_id", id, &partner_id);
        set(&tx, "resellers", "location", id, short(k + 1));
    }
    for (k, id) in ids(&tx, "operators").into_iter().enumerate() {
        set(&tx, "operators", "display_name", id, pick(k + 5));
        let upn: String = tx
            .query_row("SELECT upn FROM operators WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        if upn != OPERATOR {
            set(
                &tx,
                "operators",
                "upn",
                id,
                &with_suffix(pick(k + 5), &format!("-u{id}@x.example")),
            );
        }
    }
    for (k, id) in ids(&tx, "invitations").into_iter().enumerate() {
        let h = pick(k + 7);
        set(&tx, "invitations", "recipient_email", id, h);
        set(&tx, "invitations", "subject", id, h);
        set(&tx, "invitations", "body", id, h);
        set(
            &tx,
            "invitations",
            "link",
            id,
            &with_suffix(b"https://x.example/?", &String::from_utf8_lossy(h)),
        );
    }
    for (k, id) in ids(&tx, "subscriptions").into_iter().enumerate() {
        let h = pick(k + 9);
        set(&tx, "subscriptions", "friendly_name", id, h);
        set(&tx, "subscriptions", "billing_cycle", id, h);
        set(
            &tx,
            "subscriptions",
            "subscription_id",
            id,
            &with_suffix(h, &format!("-s{id}")),
        );
    }
    let offers: Vec<String> = tx
        .prepare("SELECT id FROM offers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (k, offer) in offers.iter().enumerate() {
        let h = with_suffix(pick(k + 11), &format!(" #{k}"));
        tx.execute(
            "UPDATE offers SET name = CAST(?1 AS TEXT), category = CAST(?1 AS TEXT) WHERE id = ?2",
            rusqlite::params![h, offer],
        )
        .unwrap();
    }
    for (column, k) in [
        ("company_name", 0),
        ("csp_region", 1),
        ("website", 2),
        ("support_email", 3),
        ("support_phone", 4),
        ("regions_served", 5),
        ("listing_profile", 20),
        ("tenant_id", 8),
    ] {
        set(&tx, "provider", column, 1, pick(k));
    }
    set(&tx, "provider", "partner_id", 1, b"4120357\x07\x1b[");
    set(&tx, "provider", "country", 1, b"\x1b[");
    for (k, h) in corpus.iter().enumerate() {
        tx.execute(
            "INSERT INTO audit_log (at, operator, action, target, before, after)
             VALUES (?1, CAST(?2 AS TEXT), CAST(?3 AS TEXT), CAST(?4 AS TEXT), CAST(?5 AS TEXT), CAST(?6 AS TEXT))",
            rusqlite::params![
                format!("2026-11-01T00:{:02}:00Z", k % 60),
                h.bytes,
                h.bytes,
                h.bytes,
                pick(k + 1),
                pick(k + 2),
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180) and JSON

/// Parses RFC 4180 strictly: records end with CRLF, a quoted field may hold anything, its quotes
/// doubled. `Err` says what is wrong.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    if !matches!(chars.peek(), None | Some(',') | Some('\r')) {
                        return Err(format!(
                            "text after a closing quote in record {}",
                            records.len() + 1
                        ));
                    }
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => {
                return Err(format!(
                    "a quote inside an unquoted field in record {}",
                    records.len() + 1
                ));
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' => {
                if chars.next() != Some('\n') {
                    return Err(format!("a CR without LF in record {}", records.len() + 1));
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                was_quoted = false;
            }
            '\n' => return Err(format!("a bare LF in record {}", records.len() + 1)),
            c => field.push(c),
        }
    }
    if quoted {
        return Err("an unterminated quoted field".into());
    }
    if !field.is_empty() || !record.is_empty() {
        return Err("the last record has no CRLF".into());
    }
    Ok(records)
}

/// Every string in a JSON value (keys too), with where it is.
pub fn json_strings(value: &serde_json::Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(s) => out.push((at.to_owned(), s.clone())),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json_strings(item, &format!("{at}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                out.push((format!("{at} (key)"), key.clone()));
                json_strings(item, &format!("{at}.{key}"), out);
            }
        }
        _ => {}
    }
}

/// The values of `field` in a JSON array of objects.
pub fn json_field(value: &serde_json::Value, field: &str) -> BTreeSet<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item[field].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The tests

/// Every list and export command, with and without JSON.
const READS: &[&[&str]] = &[
    &["resellers", "list"],
    &["resellers", "list", "--all"],
    &["resellers", "list", "--json"],
    &["resellers", "list", "--all", "--json"],
    &["customers", "list"],
    &["customers", "list", "--json"],
    &["subscriptions", "list"],
    &["subscriptions", "list", "--json"],
    &["users", "list"],
    &["users", "list", "--json"],
    &["activity", "list"],
    &["activity", "list", "--json"],
    &["invitations", "list"],
    &["invitations", "list", "--json"],
    &["export", "customers", "--format", "csv"],
    &["export", "customers", "--format", "json"],
    &["export", "subscriptions", "--format", "csv"],
    &["export", "subscriptions", "--format", "json"],
];

/// What is wrong with one read's output, if anything.
fn read_problems(args: &[&str], out: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    if !out.status.success() {
        problems.push(format!(
            "did not succeed ({})",
            if crashed(out) { "crashed" } else { "refused" }
        ));
        return problems;
    }
    let csv = args.contains(&"csv");
    let json = args.contains(&"--json") || args.contains(&"json");
    let allow = if csv { Allow::Crlf } else { Allow::Lf };
    if let Some(found) = first_hostile(&out.stdout, allow) {
        problems.push(format!("stdout holds {found}"));
    }
    if let Some(found) = first_hostile(&out.stderr, Allow::Lf) {
        problems.push(format!("stderr holds {found}"));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    if json {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => {
                let mut strings = Vec::new();
                json_strings(&value, "$", &mut strings);
                for (at, s) in strings {
                    if let Some(c) = first_hostile_char(&s, false) {
                        problems.push(format!("the JSON string at {at} holds {c:?}: {s:?}"));
                        break;
                    }
                }
            }
            Err(e) => problems.push(format!("stdout is not JSON: {e}")),
        }
    }
    if csv {
        match parse_csv(&text) {
            Ok(records) => {
                let width = records.first().map_or(0, Vec::len);
                for (i, record) in records.iter().enumerate() {
                    if record.len() != width {
                        problems.push(format!(
                            "record {i} has {} cells, the header {width}",
                            record.len()
                        ));
                    }
                    for cell in record {
                        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                            problems.push(format!("record {i}: a cell starts a formula: {cell:?}"));
                        }
                        if let Some(c) = first_hostile_char(cell, false) {
                            problems.push(format!("record {i}: a cell holds {c:?}: {cell:?}"));
                        }
                    }
                }
            }
            Err(e) => problems.push(format!("stdout is not RFC 4180 CSV: {e}")),
        }
    }
    problems
}

/// Database rows → every list and export: clean bytes, JSON that parses to clean strings, RFC 4180
/// CSV with no formula cells; the SQL-looking and formula-looking names shown as they were
/// stored; no table changed by any of it.
#[test]
fn hostile_rows_reach_every_list_and_export_only_sanitised() {
    if !own_binary() {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.demo("hostile.db");
    poison_book(&db);
    let before = table_counts(&db);

    let mut failures = Vec::new();
    let mut outputs = BTreeMap::new();
    for args in READS {
        let out = sandbox.on(&db, args);
        for problem in read_problems(args, &out) {
            failures.push(format!("twotier {}: {problem}", args.join(" ")));
        }
        outputs.insert(args.join(" "), out);
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Every entry reached the outputs, sanitised (so the checks above saw it), and what was
    // stored as SQL or a formula is shown as it is, not run.
    let json = |command: &str| -> serde_json::Value {
        serde_json::from_slice(&outputs[command].stdout).unwrap()
    };
    let customers = json_field(&json("customers list --json"), "company_name");
    let exported = json_field(&json("export customers --format json"), "company_name");
    let resellers = json_field(&json("resellers list --json"), "name");
    let users = json_field(&json("users list --json"), "display_name");
    let targets = json_field(&json("activity list --json"), "target");
    let recipients = json_field(&json("invitations list --json"), "recipient");
    for h in corpus() {
        let shown = h.shown();
        for (what, values) in [
            ("customers list --json company_name", &customers),
            ("export customers --format json company_name", &exported),
            ("activity list --json target", &targets),
        ] {
            assert!(
                values.iter().any(|v| v == &shown || v == shown.trim()),
                "{}: {what} does not show {shown:?} (the sanitised entry); it has {values:?}",
                h.name
            );
        }
    }
    assert!(
        !resellers.is_empty() && !users.is_empty() && !recipients.is_empty(),
        "empty lists"
    );
    for sql in [
        "Robert'); DROP TABLE customers;--",
        "Or' OR '1'='1",
        "%_\\%",
    ] {
        assert!(
            customers.contains(sql),
            "{sql:?} is not shown verbatim: {customers:?}"
        );
    }
    let csv = String::from_utf8(outputs["export customers --format csv"].stdout.clone()).unwrap();
    let records = parse_csv(&csv).unwrap();
    let names: BTreeSet<&str> = records.iter().skip(1).map(|r| r[1].as_str()).collect();
    for formula in [
        "=HYPERLINK(\"https://evil.example\",\"ok\")",
        "+1+1",
        "-2-2",
        "@SUM(A1:A2)",
    ] {
        assert!(
            names.contains(format!("'{formula}").as_str()),
            "the formula {formula:?} is not neutralised with a leading ' in the CSV: {names:?}"
        );
    }
    assert_eq!(
        table_counts(&db),
        before,
        "reading the lists changed the book"
    );
}

/// Writes hostile text into the time columns of one row of each table (and one activity log
/// entry): what a sync that writes its own dates, or a damaged one, would leave.
pub fn poison_times(db: &Path) {
    let conn = Connection::open(db).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let h = "2026-11-01\u{1b}]0;pwned\u{7}\u{202e}".as_bytes();
    for (table, column) in [
        ("customers", "created_at"),
        ("subscriptions", "created_at"),
        ("subscriptions", "term_started_at"),
        ("subscriptions", "commitment_end_date"),
        ("resellers", "established_at"),
        ("operators", "created_at"),
        ("invitations", "sent_at"),
    ] {
        let id: i64 = conn
            .query_row(&format!("SELECT min(id) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        set(&conn, table, column, id, h);
    }
    conn.execute(
        "INSERT INTO audit_log (at, operator, action, target) VALUES (CAST(?1 AS TEXT), 'a', 'b', 'c')",
        [h],
    )
    .unwrap();
}

/// Hostile text in the time columns: every list and export either shows the book or refuses in
/// words; nothing crashes and nothing raw reaches stdout or stderr.
#[test]
fn hostile_timestamps_never_crash_a_list_nor_reach_the_output() {
    if !own_binary() {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.demo("times.db");
    poison_times(&db);
    let mut failures = Vec::new();
    for args in READS {
        let out = sandbox.on(&db, args);
        let what = format!("twotier {}", args.join(" "));
        if crashed(&out) {
            failures.push(format!("{what}: crashed\n{}", describe(&out)));
        }
        let allow = if args.contains(&"csv") {
            Allow::Crlf
        } else {
            Allow::Lf
        };
        for (stream, bytes, allow) in [
            ("stdout", &out.stdout, allow),
            ("stderr", &out.stderr, Allow::Lf),
        ] {
            if let Some(found) = first_hostile(bytes, allow) {
                failures.push(format!("{what}: {stream} holds {found}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A defect this corpus found, fixed: one row with a time
/// that does not parse makes every list and export of its table fail as a whole ("Conversion
/// error from type Text at index: 0, premature end of input"), where a name that is not UTF-8 only
/// shows U+FFFD in its row.
#[test]
fn one_hostile_timestamp_does_not_fail_the_whole_list() {
    if !own_binary() {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.demo("times.db");
    poison_times(&db);
    let failed: Vec<String> = READS
        .iter()
        .filter_map(|args| {
            let out = sandbox.on(&db, args);
            (!out.status.success()).then(|| {
                format!(
                    "twotier {}: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr).trim()
                )
            })
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} reads fail:\n{}",
        failed.len(),
        READS.len(),
        failed.join("\n")
    );
}

/// The CLI's arguments: every UTF-8 entry (and bytes that are not UTF-8, which Unix arguments may
/// hold) as an operator, a PartnerID, a UPN, a token, a name, a country and a number. Nothing
/// crashes, nothing raw reaches stdout or stderr, and the SQL-looking ones run no SQL.
#[test]
fn hostile_arguments_are_refused_or_escaped() {
    if !own_binary() {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.demo("args.db");
    let before = table_counts(&db);
    let token: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT token FROM invitations WHERE status = 'sent' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let dbo = db.as_os_str();
    let mut failures = Vec::new();
    let mut ran = 0;
    for h in corpus() {
        // A NUL can't be in an argument at all.
        if h.bytes.contains(&0) {
            continue;
        }
        let arg = OsStr::from_bytes(&h.bytes);
        let os = |s: &'static str| OsStr::new(s);
        let runs: Vec<Vec<&OsStr>> = vec![
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                arg,
                os("users"),
                os("list"),
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("customers"),
                os("list"),
                os("--reseller"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("subscriptions"),
                os("list"),
                os("--json"),
                os("--reseller"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("resellers"),
                os("remove"),
                os("--yes"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("users"),
                os("add"),
                os("--role"),
                os("user-admin"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("users"),
                os("add"),
                os("--role"),
                arg,
                os("new@x.example"),
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("users"),
                os("disable"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("users"),
                os("set-role"),
                os("--role"),
                os("sales-agent"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("invitations"),
                os("accept"),
                arg,
                os("--partner-id"),
                os("7654321"),
                os("--name"),
                os("Contoso"),
                os("--country"),
                os("US"),
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("invitations"),
                os("accept"),
                OsStr::new(&token),
                os("--partner-id"),
                arg,
                os("--name"),
                os("Contoso"),
                os("--country"),
                os("US"),
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("invitations"),
                os("accept"),
                OsStr::new(&token),
                os("--partner-id"),
                os("7654321"),
                os("--name"),
                os("Contoso"),
                os("--country"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("activity"),
                os("list"),
                os("--limit"),
                arg,
            ],
            vec![
                os("--db"),
                dbo,
                os("--operator"),
                os(OPERATOR),
                os("export"),
                os("customers"),
                os("--format"),
                arg,
            ],
        ];
        for args in runs {
            ran += 1;
            let out = sandbox.run(&args);
            let shown: Vec<String> = args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let what = format!("{} with twotier {}", h.name, shown.join(" ").escape_debug());
            if crashed(&out) {
                failures.push(format!("{what}: crashed\n{}", describe(&out)));
            }
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                if let Some(found) = first_hostile(bytes, Allow::Lf) {
                    failures.push(format!("{what}: {stream} holds {found}"));
                }
            }
        }
    }
    assert!(ran > 300, "only {ran} runs");
    assert!(
        failures.is_empty(),
        "{} of {ran} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        table_counts(&db),
        before,
        "a hostile argument changed the book"
    );
}

/// A TOML basic string holding `text` (every character escaped that TOML would not take raw).
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Config values: every UTF-8 entry as `operator`, `db`, `mail_command` and
/// `invitations.base_url`, on a book and on a path with no book. Each is refused or used; nothing
/// crashes and nothing raw reaches stdout or stderr.
#[test]
fn hostile_config_values_are_refused_or_escaped() {
    if !own_binary() {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.demo("config.db");
    let before = table_counts(&db);
    let mut failures = Vec::new();
    let mut ran = 0;
    for (i, (name, text)) in utf8_corpus().into_iter().enumerate() {
        let dir = sandbox.file(&format!("config-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let fresh = dir.join("fresh.db");
        let configs = [
            (
                "operator on the book",
                format!(
                    "operator = {}\ndb = {}\n",
                    toml_string(&text),
                    toml_string(db.to_str().unwrap())
                ),
            ),
            (
                "operator on a new book",
                format!(
                    "operator = {}\ndb = {}\n",
                    toml_string(&text),
                    toml_string(fresh.to_str().unwrap())
                ),
            ),
            (
                "db",
                format!(
                    "operator = {}\ndb = {}\n",
                    toml_string(OPERATOR),
                    toml_string(&format!("{}/{text}.db", dir.display()))
                ),
            ),
            (
                "mail_command",
                format!(
                    "operator = {}\ndb = {}\nmail_command = {}\n",
                    toml_string(OPERATOR),
                    toml_string(db.to_str().unwrap()),
                    toml_string(&text)
                ),
            ),
            (
                "invitations.base_url",
                format!(
                    "operator = {}\ndb = {}\n[invitations]\nbase_url = {}\n",
                    toml_string(OPERATOR),
                    toml_string(db.to_str().unwrap()),
                    toml_string(&format!("https://x.example/{text}"))
                ),
            ),
            // Raw in the file, not escaped: TOML refuses it, the message quotes the line.
            ("raw in the file", format!("operator = \"{text}\"\n")),
        ];
        for (what, config) in configs {
            let file = dir.join(format!("{}.toml", what.replace(' ', "-")));
            std::fs::write(&file, &config).unwrap();
            for args in [&["users", "list"][..], &["invitations", "list", "--json"]] {
                ran += 1;
                let out = sandbox
                    .command()
                    .arg("--config")
                    .arg(&file)
                    .args(args)
                    .output()
                    .unwrap();
                let label = format!("{name}: config {what}, twotier {}", args.join(" "));
                if crashed(&out) {
                    failures.push(format!("{label}: crashed\n{}", describe(&out)));
                }
                for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                    if let Some(found) = first_hostile(bytes, Allow::Lf) {
                        failures.push(format!("{label}: {stream} holds {found}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        table_counts(&db),
        before,
        "a hostile config value changed the book"
    );
}

/// Splits OSC 52 sequences out of `bytes`: each payload, or why the bytes are not only
/// `ESC ] 52 ; c ; <base64> BEL` sequences.
pub fn osc52_payloads(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut payloads = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix(b"\x1b]52;c;") else {
            return Err(format!(
                "not an OSC 52 sequence: {:?}",
                String::from_utf8_lossy(rest)
            ));
        };
        let Some(end) = after.iter().position(|&b| b == 0x07) else {
            return Err("an OSC 52 sequence without its BEL".into());
        };
        let b64 = &after[..end];
        if let Some(b) = b64
            .iter()
            .find(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
        {
            return Err(format!("the byte {b:#04x} in an OSC 52 payload"));
        }
        payloads.push(
            BASE64_STANDARD
                .decode(b64)
                .map_err(|e| format!("an OSC 52 payload that is not base64: {e}"))?,
        );
        rest = &after[end + 1..];
    }
    Ok(payloads)
}

/// OSC 52, for every UTF-8 entry copied as text and as a secret: exactly one sequence, its payload
/// base64 of the sanitised text (line breaks kept), no raw byte besides; taking a secret back
/// writes the overwrite and nothing else.
#[test]
fn osc52_payloads_are_base64_of_sanitised_text_only() {
    if !own_binary() {
        return;
    }
    let mut clipboard = Clipboard::with_env(&EnvFacts::default());
    assert_eq!(clipboard.kind(), ClipboardKind::Osc52);
    for (name, text) in utf8_corpus() {
        for secret in [false, true] {
            let mut out = Vec::new();
            let kind = if secret {
                clipboard.copy_secret(&text, &mut out)
            } else {
                clipboard.copy(&text, &mut out)
            };
            assert_eq!(kind.unwrap(), ClipboardKind::Osc52, "{name}");
            let payloads = osc52_payloads(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(payloads.len(), 1, "{name}: {} sequences", payloads.len());
            let copied = String::from_utf8(payloads[0].clone())
                .unwrap_or_else(|e| panic!("{name}: the payload is not UTF-8: {e}"));
            assert_eq!(copied, clean_multiline(&text), "{name}");
            assert_eq!(
                first_hostile_char(&copied, true),
                None,
                "{name}: {copied:?}"
            );
            assert_eq!(out, osc52(&copied), "{name}");
            if secret {
                let mut overwrite = Vec::new();
                clipboard.clear_secret(ClipboardKind::Osc52, &text, &mut overwrite);
                let payloads = osc52_payloads(&overwrite).unwrap();
                assert_eq!(payloads, [b" ".to_vec(), Vec::new()], "{name}");
                assert_eq!(overwrite, osc52_overwrite());
            }
        }
    }
}

/// The header lines of an `.eml` message (before the blank line), and its body.
fn eml_parts(message: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let split = message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no blank line after the headers");
    let headers = message[..split + 2]
        .strip_suffix(b"\n")
        .unwrap()
        .split(|&b| b == b'\n')
        .collect();
    (headers, &message[split + 4..])
}

/// What is wrong with an `.eml` message made from hostile text: header lines other than the eight
/// it writes (injection) or folded words, bare CR or LF, raw control bytes anywhere, and (when
/// `body` is given) a body that is not the sanitised one.
pub fn eml_problems(message: &[u8], body: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(found) = first_hostile(message, Allow::Crlf) {
        problems.push(format!("holds {found}"));
    }
    let (headers, rest) = eml_parts(message);
    let mut names = Vec::new();
    for line in &headers {
        let Some(line) = line.strip_suffix(b"\r") else {
            problems.push(format!(
                "a header line without CRLF: {:?}",
                String::from_utf8_lossy(line)
            ));
            continue;
        };
        if line.starts_with(b" ") {
            // A folded encoded word of the subject or the From's name, or the From's address
            // folded after its encoded name (`" <upn>"`, one word).
            let word = line.starts_with(b" =?UTF-8?B?") && line.ends_with(b"?=");
            let address =
                line.starts_with(b" <") && line.ends_with(b">") && !line[1..].contains(&b' ');
            if !(word || address) {
                problems.push(format!(
                    "a continuation line that is not an encoded word: {:?}",
                    String::from_utf8_lossy(line)
                ));
            }
            continue;
        }
        match line.iter().position(|&b| b == b':') {
            Some(colon) => names.push(String::from_utf8_lossy(&line[..colon]).into_owned()),
            None => problems.push(format!(
                "a header line without a name: {:?}",
                String::from_utf8_lossy(line)
            )),
        }
    }
    let expected = [
        "From",
        "To",
        "Subject",
        "Date",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "X-Unsent",
    ];
    if names != expected {
        problems.push(format!("the headers are {names:?}, not {expected:?}"));
    }
    if let Some(body) = body {
        let sent_body = String::from_utf8_lossy(rest).replace("\r\n", "\n");
        let cleaned = clean_multiline(body);
        let expected_body: String = cleaned.lines().map(|l| format!("{l}\n")).collect();
        if sent_body != expected_body {
            problems.push(format!("the body is {sent_body:?}, not {expected_body:?}"));
        }
    }
    problems
}

/// `.eml` drafts and `mailto:` URLs with every UTF-8 entry as the recipient, the sender, the
/// subject and the body: the eight headers and no more (no `Bcc:` injection), CRLF only as line
/// ends, no raw control byte, the body sanitised; the URL all printable ASCII. Also through
/// `open_in_email_with` with no mail app: the saved file's bytes.
#[test]
fn eml_drafts_and_mailto_urls_hold_no_raw_control_bytes() {
    if !own_binary() {
        return;
    }
    let date = Utc.with_ymd_and_hms(2026, 11, 1, 9, 30, 0).unwrap();
    let injection = "partner@x.example\r\nBcc: spy@evil.example\r\n\r\nInjected body";
    let mut failures = Vec::new();
    let mut texts = utf8_corpus();
    texts.push(("header injection", injection.to_owned()));
    for (name, text) in &texts {
        let drafts = [
            (
                "recipient",
                Draft {
                    to: text.clone(),
                    subject: "Partnership".into(),
                    body: "Hello".into(),
                },
                "ava@x.example",
            ),
            (
                "subject",
                Draft {
                    to: "p@x.example".into(),
                    subject: text.clone(),
                    body: "Hello".into(),
                },
                "ava@x.example",
            ),
            (
                "body",
                Draft {
                    to: "p@x.example".into(),
                    subject: "Partnership".into(),
                    body: text.clone(),
                },
                "ava@x.example",
            ),
            (
                "sender",
                Draft {
                    to: "p@x.example".into(),
                    subject: "Partnership".into(),
                    body: "Hello".into(),
                },
                text.as_str(),
            ),
        ];
        for (field, draft, from) in drafts {
            let message = eml(&draft, from, date);
            for problem in eml_problems(message.as_bytes(), Some(&draft.body)) {
                failures.push(format!("{name} as the {field}: eml {problem}"));
            }
            let url = mailto_url(&draft);
            if let Some(c) = url.chars().find(|c| !c.is_ascii_graphic()) {
                failures.push(format!(
                    "{name} as the {field}: the mailto: URL holds {c:?}: {url}"
                ));
            }
        }
    }
    // Saved by `open_in_email_with` when no mail app opens: the file on disk.
    let dir = tempfile::tempdir().unwrap();
    let hostile = ten_kb();
    let draft = Draft {
        to: injection.into(),
        subject: format!("Partnership {}", corpus()[0].lossy()),
        body: format!("{hostile}\n{}", corpus()[6].lossy()),
    };
    let openers = Openers {
        mail_command: None,
        system: None,
    };
    let delivery = open_in_email_with(
        &draft,
        &openers,
        dir.path(),
        "ava\u{1b}]0;x\u{7}@x.example",
        date,
    )
    .unwrap();
    let saved = match delivery {
        twotier::platform::mail::Delivery::EmlDraft(path) => std::fs::read(path).unwrap(),
        other => panic!("not saved as .eml: {other:?}"),
    };
    for problem in eml_problems(&saved, Some(&draft.body)) {
        failures.push(format!("the saved draft {problem}"));
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
