//! The hostile corpus of `tests/hostile_corpus.rs` in the console: the release binary in tmux
//! (`tests/common/tmux.rs`), every raw byte it writes to the terminal captured with
//! `tmux pipe-pane -o` and checked.
//!
//! - A poisoned book (the corpus written into the rows, as a sync or an import would) and a clean
//!   one are walked with the same keys: every screen (1–5), Invitations, Compliance, help, a
//!   customer expanded, Subscription details, the reseller filter, and hostile text typed
//!   (`send-keys -l`) and pasted (bracketed paste) into the `/` search, Request a partnership's
//!   email field and Add new customer's company name. The poisoned run writes no OSC, no BEL, no
//!   C1, bidi or zero-width character, none of the corpus's escape sequences, and no kind of
//!   sequence the clean run does not write (the app itself draws with CSI sequences).
//! - A Draft email from the poisoned book, its body edited with pasted hostile text: the OSC 52
//!   copy holds only base64 of clean text, the `.eml` saved when `mail_command` (hostile here)
//!   can't start has its eight headers and no raw control byte.
//! - The temporary password copied through OSC 52 (no display here) is overwritten on the
//!   terminal's clipboard 30 s later while the console runs, and when the console quits sooner.

mod common;
#[path = "hostile_corpus.rs"]
mod hostile_corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::tmux::*;
use common::wizard::walk_to_review;
use hostile_corpus::{
    Allow, OPERATOR, Sandbox, corpus, eml_problems, first_hostile, first_hostile_char,
    osc52_payloads, poison_book, utf8_corpus,
};

// ---------------------------------------------------------------------------------------------
// The raw bytes of the terminal

/// Starts capturing every byte the pane's program writes to `file` (appended).
fn capture(s: &Session, file: &Path) {
    s.tmux_ok(&[
        "pipe-pane",
        "-o",
        "-t",
        TARGET,
        &format!("cat >> {}", quote(file.to_str().unwrap())),
    ]);
}

/// The captured bytes the app wrote: after the shell's marker line (when the capture started
/// before it) and before the shell's line after the app.
fn app_bytes(file: &Path) -> Vec<u8> {
    let raw = std::fs::read(file).unwrap_or_default();
    let find = |needle: &[u8]| raw.windows(needle.len()).position(|w| w == needle);
    let start = find(MARKER_BEFORE.as_bytes())
        .map(|at| {
            at + raw[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(0, |n| n + 1)
        })
        .unwrap_or(0);
    let end = find(b"marker-after-twotier").unwrap_or(raw.len());
    raw[start..end.max(start)].to_vec()
}

/// What the terminal was sent: each kind of sequence and control byte with how often, the
/// OSC 52 payloads, and what must never be there.
#[derive(Debug, Default)]
struct Scan {
    /// "CSI ?nh", "CSI n;nH", "ESC 7", "C0 0x0d", … (digit runs as n).
    classes: BTreeMap<String, usize>,
    osc52: Vec<Vec<u8>>,
    problems: Vec<String>,
}

fn around(bytes: &[u8], at: usize) -> String {
    let start = at.saturating_sub(30);
    let end = (at + 50).min(bytes.len());
    format!("{:?}", String::from_utf8_lossy(&bytes[start..end]))
}

/// Reads terminal output: CSI sequences, OSC (only `ESC ] 52 ; c ; base64 BEL` is allowed, and
/// only with `allow_osc52`), other escapes, C0 controls, and UTF-8 text, in which a C1 control, a
/// bidi or zero-width character, or bytes that are not UTF-8 are problems. A BEL, DCS, APC, PM or
/// SOS is always a problem.
fn scan(bytes: &[u8], allow_osc52: bool) -> Scan {
    fn count(scan: &mut Scan, class: String) {
        *scan.classes.entry(class).or_default() += 1;
    }
    let mut scan = Scan::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x1b {
            match bytes.get(i + 1) {
                Some(b'[') => {
                    let mut j = i + 2;
                    let mut class = String::from("CSI ");
                    let mut digits = false;
                    while let Some(&p) = bytes.get(j) {
                        if p.is_ascii_digit() {
                            if !digits {
                                class.push('n');
                            }
                            digits = true;
                        } else if (0x20..=0x3f).contains(&p) {
                            digits = false;
                            class.push(p as char);
                        } else {
                            break;
                        }
                        j += 1;
                    }
                    match bytes.get(j) {
                        Some(&f) if (0x40..=0x7e).contains(&f) => {
                            class.push(f as char);
                            count(&mut scan, class);
                            i = j + 1;
                        }
                        _ => {
                            scan.problems.push(format!(
                                "a broken CSI sequence at {i}: {}",
                                around(bytes, i)
                            ));
                            i = j;
                        }
                    }
                }
                Some(b']') => {
                    let body = &bytes[i + 2..];
                    let end = body
                        .iter()
                        .enumerate()
                        .find(|&(k, &c)| {
                            c == 0x07 || (c == 0x1b && body.get(k + 1) == Some(&b'\\'))
                        })
                        .map(|(k, &c)| (k, if c == 0x07 { 1 } else { 2 }));
                    let Some((len, terminator)) = end else {
                        scan.problems
                            .push(format!("an unterminated OSC at {i}: {}", around(bytes, i)));
                        break;
                    };
                    let sequence = &bytes[i..i + 2 + len + terminator];
                    match osc52_payloads(sequence) {
                        Ok(payloads) if allow_osc52 => {
                            count(&mut scan, "OSC 52".into());
                            scan.osc52.extend(payloads);
                        }
                        _ => scan.problems.push(format!(
                            "an OSC sequence at {i}: {:?}",
                            String::from_utf8_lossy(&sequence[..sequence.len().min(80)])
                        )),
                    }
                    i += sequence.len();
                }
                Some(&c @ (b'P' | b'^' | b'_' | b'X')) => {
                    scan.problems.push(format!(
                        "a string sequence ESC {} at {i}: {}",
                        c as char,
                        around(bytes, i)
                    ));
                    i += 2;
                }
                Some(&c @ (b'(' | b')' | b'#' | b'%')) => {
                    let next = bytes.get(i + 2).copied().unwrap_or(b'?');
                    count(&mut scan, format!("ESC {}{}", c as char, next as char));
                    i += 3;
                }
                Some(&c) => {
                    count(&mut scan, format!("ESC {:?}", c as char));
                    i += 2;
                }
                None => {
                    scan.problems.push("a lone ESC at the end".into());
                    i += 1;
                }
            }
            continue;
        }
        if b < 0x20 || b == 0x7f {
            if b == 0x07 {
                scan.problems
                    .push(format!("a BEL at {i}: {}", around(bytes, i)));
            }
            count(&mut scan, format!("C0 {b:#04x}"));
            i += 1;
            continue;
        }
        // Text: one UTF-8 character.
        let len = match b {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        let decoded = bytes
            .get(i..i + len.max(1))
            .and_then(|c| std::str::from_utf8(c).ok())
            .filter(|_| len > 0);
        match decoded {
            Some(c) => {
                if let Some(bad) = first_hostile_char(c, false) {
                    scan.problems.push(format!(
                        "the character {bad:?} at {i}: {}",
                        around(bytes, i)
                    ));
                }
                i += len;
            }
            None => {
                scan.problems.push(format!(
                    "bytes that are not UTF-8 at {i}: {}",
                    around(bytes, i)
                ));
                i += 1;
            }
        }
    }
    scan
}

/// The corpus's own escape sequences, with the text that follows them: never in the output as
/// they are (the app's drawing can't write these).
fn injected_sequences() -> Vec<&'static [u8]> {
    vec![
        b"\x1b]0;pwned",
        b"\x1b]52;c;cHduZWQ=",
        b"\x1b]8;;https://evil",
        b"\x1b[2J\x1b[31mred",
        b"\x1b[31mred",
        b"\x1b[1;1HCo",
        b"\x1b[201~typed",
        b"\x1b]0;t\x07",
        b"\x9b31m",
    ]
}

// ---------------------------------------------------------------------------------------------
// Walking the console

/// What the walk types and pastes into the fields.
struct Texts {
    /// Typed with `send-keys -l` (no C0 controls: tmux would send those as keys).
    typed: Vec<String>,
    /// Pasted as bracketed pastes.
    pasted: Vec<String>,
}

impl Texts {
    fn plain() -> Texts {
        Texts {
            typed: vec!["Fabrikam".into(), "not an email".into()],
            pasted: vec!["Contoso Ltd".into(), " x@".into()],
        }
    }

    /// The printable-but-hostile entries typed; every UTF-8 entry pasted.
    fn hostile() -> Texts {
        let typed = utf8_corpus()
            .into_iter()
            .filter(|(_, t)| t.len() < 200 && !t.chars().any(|c| c < ' ' || c == '\u{7f}'))
            .map(|(_, t)| t)
            .collect();
        Texts {
            typed,
            pasted: pastable(),
        }
    }

    fn enter_into(&self, s: &Session, field: &str) {
        for text in &self.typed {
            type_literally(s, text);
        }
        for text in &self.pasted {
            s.paste(text);
        }
        s.wait_for(&format!("the text in {field}"), |sc| sc.contains(field));
    }
}

/// Every UTF-8 entry, for a paste: a NUL can't be in a tmux argument, so it is left out.
fn pastable() -> Vec<String> {
    utf8_corpus()
        .into_iter()
        .map(|(_, t)| t.replace('\0', ""))
        .collect()
}

/// Types `text` as it is, even when it starts with `-` (which `Session::type_text` would hand
/// to tmux as a flag).
fn type_literally(s: &Session, text: &str) {
    s.tmux_ok(&["send-keys", "-t", TARGET, "-l", "--", text]);
}

/// The screen until it holds `title`, after `key`.
#[track_caller]
fn go(s: &Session, key: &str, title: &str) {
    s.type_text(key);
    s.wait_for_text(&[title]);
}

/// `Escape`, then waits until `gone` is off the screen.
#[track_caller]
fn close(s: &Session, gone: &str) {
    s.key("Escape");
    s.wait_for(&format!("{gone} closed"), |sc| !sc.contains(gone));
}

/// Resizes the window (no client is attached, so tmux takes the size as given).
fn resize(s: &Session, width: u16) {
    s.tmux_ok(&[
        "resize-window",
        "-t",
        "e2e",
        "-x",
        &width.to_string(),
        "-y",
        "40",
    ]);
    s.wait_for(&format!("the frame redrawn {width} wide"), |sc| {
        sc.lines()
            .nth(2)
            .is_some_and(|l| l.starts_with('┌') && l.chars().count() == usize::from(width))
    });
}

/// Starts the console on `db` with `args`, captures its output into `file`, forces two full
/// redraws (so the first frame, drawn before the capture began, is captured too), and walks every
/// screen with `texts` in the three fields; then quits. Returns the bytes the app wrote.
fn walk(s: &Session, db: &Path, file: &Path, texts: &Texts) -> Vec<u8> {
    s.start(&["--db", db.to_str().unwrap(), "--operator", OPERATOR]);
    capture(s, file);
    s.wait_for_text(&["0 Dashboard"]);
    s.type_text("1");
    s.wait_for_text(&["1 Indirect resellers", "┌ Indirect resellers (11)"]);
    resize(s, 119);
    resize(s, 120);

    go(s, "2", "┌ Customers (60)");
    go(s, "3", "┌ Company profile");
    go(s, "4", "┌ Activity log (");
    go(s, "5", "┌ Users (7)");
    go(s, "0", "┌ Seats by offer");
    go(s, "1", "┌ Indirect resellers (11)");
    go(s, "i", "┌ Invitations · partnership requests (7)");
    close(s, "┌ Invitations");
    go(s, "c", "┌ Compliance: ");
    close(s, "┌ Compliance");
    go(s, "?", "┌ Help: Indirect resellers");
    close(s, "┌ Help");

    go(s, "2", "┌ Customers (60)");
    s.key("Right");
    s.wait_for_text(&["┌ Subscriptions of "]);
    s.key("Tab");
    s.key("Enter");
    s.wait_for_text(&["┌ Subscription details: "]);
    close(s, "┌ Subscription details");
    s.key("Tab");
    go(s, "f", "┌ Filter by indirect reseller");
    close(s, "┌ Filter by indirect reseller");

    // `/`: the search, typed and pasted.
    go(s, "/", "Search:");
    texts.enter_into(s, "Search:");
    s.key("Escape");
    s.wait_for("the search cleared", |sc| {
        !sc.contains("Search:") && sc.contains("┌ Customers (60)")
    });

    // Request a partnership: the reseller's email.
    go(s, "1", "┌ Indirect resellers (11)");
    go(s, "r", "┌ Request a partnership");
    texts.enter_into(s, "Reseller's email");
    close(s, "┌ Request a partnership");

    // Add new customer: the company name; Esc asks, y cancels.
    go(s, "n", "┌ Add new customer");
    texts.enter_into(s, "›Company name");
    s.key("Escape");
    s.wait_for_text(&["┌ Cancel", "Cancel the entire operation"]);
    s.type_text("y");
    s.wait_for("the wizard cancelled", |sc| {
        !sc.contains("┌ Add new customer") && sc.contains("┌ Indirect resellers (11)")
    });

    s.quit();
    app_bytes(file)
}

/// A demo book beside the session, poisoned or not.
fn book(sandbox: &Sandbox, name: &str, poisoned: bool) -> PathBuf {
    let db = sandbox.demo(name);
    if poisoned {
        poison_book(&db);
    }
    db
}

/// The classes one scan has and the other does not.
fn extra(of: &Scan, over: &Scan) -> Vec<String> {
    of.classes
        .keys()
        .filter(|k| !over.classes.contains_key(*k))
        .map(|k| format!("{k} ({}×)", of.classes[k]))
        .collect()
}

/// Poisoned rows on every screen and hostile text typed and pasted into every kind of field:
/// nothing the terminal would act on reaches it.
#[test]
fn console_draws_hostile_rows_and_typed_text_without_raw_controls() {
    require!(TMUX);
    let sandbox = Sandbox::new();
    let clean_db = book(&sandbox, "clean.db", false);
    let hostile_db = book(&sandbox, "hostile.db", true);
    let (clean, hostile) = std::thread::scope(|scope| {
        let clean = scope.spawn(|| {
            let s = Session::new();
            walk(&s, &clean_db, &s.work("clean.out"), &Texts::plain())
        });
        let hostile = scope.spawn(|| {
            let s = Session::new();
            walk(&s, &hostile_db, &s.work("hostile.out"), &Texts::hostile())
        });
        (clean.join().unwrap(), hostile.join().unwrap())
    });
    let clean_scan = scan(&clean, false);
    assert!(
        clean_scan.problems.is_empty(),
        "the clean run already writes what the check forbids (is the check wrong?):\n{}",
        clean_scan.problems.join("\n")
    );
    let text = String::from_utf8_lossy(&hostile);
    for drawn in ["pwned-title", "DROP TABLE customers", "evil.example"] {
        assert!(
            text.contains(drawn),
            "the capture never shows {drawn:?}: were the poisoned rows drawn, was it captured? ({} bytes)",
            hostile.len()
        );
    }
    let hostile_scan = scan(&hostile, false);
    let mut failures = hostile_scan.problems.clone();
    let extra = extra(&hostile_scan, &clean_scan);
    if !extra.is_empty() {
        failures.push(format!(
            "sequences the clean run never writes: {extra:?}\nclean: {:?}\nhostile: {:?}",
            clean_scan.classes, hostile_scan.classes
        ));
    }
    for sequence in injected_sequences() {
        if let Some(at) = hostile.windows(sequence.len()).position(|w| w == sequence) {
            failures.push(format!(
                "the corpus's {:?} as it is at {at}",
                String::from_utf8_lossy(sequence)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems in the {} bytes the console wrote:\n{}",
        failures.len(),
        hostile.len(),
        failures.join("\n")
    );
}

/// The scanner itself, on bytes with one of each thing it must find, and on what ratatui draws.
#[test]
fn the_scan_finds_each_kind_of_raw_control() {
    let drawn = b"\x1b[?1049h\x1b[1;1H\x1b[38;5;9mName\x1b[0m \xe2\x94\x82\xef\xbf\xbd";
    let clean = scan(drawn, false);
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    assert_eq!(
        clean.classes.keys().collect::<Vec<_>>(),
        ["CSI ?nh", "CSI n;n;nm", "CSI n;nH", "CSI nm"]
    );
    for (what, bytes) in [
        ("OSC 0", &b"a\x1b]0;x\x07b"[..]),
        ("OSC 8 with ST", b"\x1b]8;;https://e\x1b\\l\x1b]8;;\x1b\\"),
        ("OSC 52 where not allowed", b"\x1b]52;c;aGk=\x07"),
        ("BEL", b"ding\x07"),
        ("C1 CSI", "a\u{9b}31m".as_bytes()),
        ("raw 0x9b", b"a\x9b31m"),
        ("RLO", "a\u{202e}b".as_bytes()),
        ("zero-width", "a\u{200b}b".as_bytes()),
        ("BOM", "\u{feff}".as_bytes()),
        ("DCS", b"\x1bPq\x1b\\"),
        ("unterminated OSC", b"\x1b]0;title"),
    ] {
        assert!(!scan(bytes, false).problems.is_empty(), "{what} not found");
    }
    let copied = scan(b"\x1b]52;c;aGk=\x07", true);
    assert!(copied.problems.is_empty() && copied.osc52 == [b"hi".to_vec()]);
    // A class the clean run lacks shows up.
    let erase = scan(b"\x1b[2J", false);
    assert_eq!(extra(&erase, &clean), ["CSI nJ (1\u{d7})"]);
}

/// A config file with `mail_command` a program that can't start (its path hostile).
fn hostile_mail_config(s: &Session) -> PathBuf {
    let config = s.work("config.toml");
    std::fs::write(
        &config,
        "mail_command = \"/nonexistent\\u001b]0;pwned\\u0007\\u202e/mail\"\n",
    )
    .unwrap();
    config
}

/// The `.eml` files twotier saved under the session's HOME.
fn drafts(s: &Session) -> Vec<PathBuf> {
    let dir = s.path("home/.local/share/twotier/drafts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// A Draft email from a poisoned book (the provider's name, PartnerID and support contacts are
/// in its subject and body), its body edited with every UTF-8 entry pasted: Copy puts only base64
/// of clean text in OSC 52 (and tmux's buffer holds clean text); Open in email, with a
/// `mail_command` that can't start, saves an `.eml` with its eight headers and no raw control
/// byte; Done records it; the console wrote nothing raw meanwhile.
#[test]
fn draft_email_from_hostile_rows_copies_and_saves_only_clean_text() {
    require!(TMUX);
    let sandbox = Sandbox::new();
    let db = book(&sandbox, "hostile.db", true);
    let s = Session::new();
    let config = hostile_mail_config(&s);
    let file = s.work("draft.out");
    s.start(&[
        "--db",
        db.to_str().unwrap(),
        "--operator",
        OPERATOR,
        "--config",
        config.to_str().unwrap(),
    ]);
    capture(&s, &file);
    s.wait_for_text(&["0 Dashboard"]);
    s.type_text("1");
    s.wait_for_text(&["┌ Indirect resellers (11)"]);

    go(&s, "r", "┌ Request a partnership");
    s.type_text("partner@contoso.example");
    s.key("Enter");
    s.wait_for_text(&["┌ Draft email", "partnerId=", "pwned-title"]);
    // e: edit the body; every entry pasted at the top; Esc: done editing.
    s.type_text("e");
    for text in pastable() {
        s.paste(&text);
    }
    s.paste("\nMarker line\n");
    s.wait_for_text(&["Marker line"]);
    s.key("Escape");
    s.wait_for_text(&["o Open in email"]);

    // c: OSC 52.
    s.type_text("c");
    s.wait_for_text(&["Copied to clipboard: terminal clipboard (OSC 52)"]);
    let buffer = s.clipboard();
    assert!(
        buffer.contains("pwned-title") && buffer.contains("Marker line"),
        "the clipboard does not hold the draft:\n{buffer:?}"
    );
    assert_eq!(
        first_hostile_char(&buffer, true),
        None,
        "tmux's buffer holds a raw control: {buffer:?}"
    );

    // o: the mail command can't start, no opener without a display: an .eml draft.
    s.type_text("o");
    s.wait_for_text(&["No email app could be opened: saved the draft as"]);
    let saved = drafts(&s);
    assert_eq!(saved.len(), 1, "one draft saved: {saved:?}");
    let message = std::fs::read(&saved[0]).unwrap();
    let problems = eml_problems(&message, None);
    assert!(
        problems.is_empty(),
        "the saved draft:\n{}\n---\n{}",
        problems.join("\n"),
        String::from_utf8_lossy(&message)
    );
    let body = String::from_utf8_lossy(&message);
    // From: the operator's display name and UPN, not the OS account.
    let head = body.split("\r\n\r\n").next().unwrap().replace("\r\n ", " ");
    let from = head.lines().find(|l| l.starts_with("From: ")).unwrap();
    assert!(
        from.ends_with(&format!(" <{OPERATOR}>"))
            && (from.starts_with("From: \"") || from.starts_with("From: =?UTF-8?B?")),
        "From is not the operator's name and UPN: {from:?}"
    );
    assert!(
        body.contains("Marker line") && body.contains("pwned-title"),
        "the draft lacks the edited body: {body}"
    );

    // Enter: Done, recorded.
    s.key("Enter");
    s.wait_for_text(&["recorded as Sent"]);
    s.quit();

    let bytes = app_bytes(&file);
    let scanned = scan(&bytes, true);
    assert!(
        scanned.problems.is_empty(),
        "{} problems in what the console wrote:\n{}",
        scanned.problems.len(),
        scanned.problems.join("\n")
    );
    assert_eq!(scanned.osc52.len(), 1, "one OSC 52 copy");
    let copied = String::from_utf8(scanned.osc52[0].clone()).expect("the OSC 52 payload is UTF-8");
    assert_eq!(first_hostile_char(&copied, true), None, "{copied:?}");
    assert_eq!(copied, buffer, "tmux's buffer is not what OSC 52 carried");
    for sequence in injected_sequences() {
        assert!(
            !bytes.windows(sequence.len()).any(|w| w == sequence),
            "the console wrote the corpus's {:?} as it is",
            String::from_utf8_lossy(sequence)
        );
    }
    // The stored request is clean too.
    let out = s.cli(&[
        "--db",
        db.to_str().unwrap(),
        "--operator",
        OPERATOR,
        "invitations",
        "list",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(first_hostile(&out.stdout, Allow::Lf), None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("partner@contoso.example"));
    // Every corpus entry has a name: the checks above saw all of them.
    assert!(corpus().len() > 20);
}

/// A defect this corpus found, fixed: the console refusing a `--db` path it can't open (here longer than
/// the OS allows) quotes the path escaped, then SQLite's message, which holds the path raw: the
/// path's OSC 0 retitles the terminal. `src/store/mod.rs`, `StoreError::Sqlite` shows `{source}`
/// as it is.
#[test]
fn an_unopenable_hostile_db_path_does_not_retitle_the_terminal() {
    require!(TMUX);
    let s = Session::new();
    let long = format!(
        "{}/a\u{1b}]0;pwned-path\u{7}{}.db",
        s.dir.path().display(),
        "0".repeat(4100)
    );
    s.start(&["--db", &long]);
    assert_eq!(s.wait_for_exit(), "EXIT=1");
    let said = s.screen_joined();
    assert!(
        said.contains("unable to open database file") && said.contains("\\u{1b}]0;pwned-path"),
        "the refusal shows the path escaped:\n{said}"
    );
    assert_ne!(
        s.format("#{pane_title}"),
        "pwned-path",
        "the message retitled the terminal"
    );
}

// ---------------------------------------------------------------------------------------------
// The temporary password on the terminal's clipboard

/// From a fresh demo console: Add new customer walked and submitted, the Confirmation's `c`:
/// the user name and password go through OSC 52 into tmux's buffer. Returns the password.
fn copy_credentials(s: &Session) -> String {
    walk_to_review(s);
    s.key("C-s");
    let screen = s.wait_for("the Confirmation with the credentials", |sc| {
        sc.contains("┌ Confirmation") && line_with(sc, &["Temporary password"]).is_some()
    });
    let password = line_with(&screen, &["Temporary password"])
        .and_then(|l| l.split_once("Temporary password"))
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(password.chars().count(), 16, "no password on:\n{screen}");
    s.type_text("c");
    s.wait_for_text(&["User name and password copied"]);
    let held = s.clipboard();
    assert!(
        held.contains(&password),
        "the password is not on the terminal's clipboard: {held:?}"
    );
    password
}

/// The overwrite the app writes through OSC 52: a space, then an empty payload.
const OVERWRITE: &[u8] = b"\x1b]52;c;IA==\x07\x1b]52;c;\x07";

/// The issue: the terminal's clipboard still held the user name and password 32 s after the copy
/// (the app "cleared" it with an empty OSC 52 payload, which tmux ignores). Now, while the console
/// runs on the Confirmation, 30 s after the copy the secret is overwritten through the same OSC 52
/// path: tmux's buffer (what a paste gives, and what tmux hands on to the outer terminal) no longer
/// holds it. Waits the real 30 s: the delay is not configurable.
#[test]
fn osc52_credentials_are_overwritten_30_s_after_the_copy() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let file = s.work("clipboard.out");
    capture(&s, &file);
    let password = copy_credentials(&s);
    let copied = Instant::now();

    let deadline = Duration::from_secs(38);
    let overwritten = loop {
        let held = s.clipboard();
        if !held.contains(&password) {
            break copied.elapsed();
        }
        assert!(
            copied.elapsed() < deadline,
            "{deadline:?} after the copy the terminal's clipboard still holds the password: {held:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(
        overwritten >= Duration::from_secs(25),
        "the clipboard was overwritten after {overwritten:?}, long before the 30 s"
    );
    assert_eq!(s.status(), None, "the console is still running");
    let screen = s.screen();
    assert!(
        screen.contains("┌ Confirmation"),
        "still on the Confirmation:\n{screen}"
    );
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.windows(OVERWRITE.len()).any(|w| w == OVERWRITE),
        "no OSC 52 overwrite in what the console wrote"
    );
    // Leaving: Done asks, y; then q.
    s.key("Enter");
    s.wait_for_text(&["You can't see this password again"]);
    s.type_text("y");
    s.wait_for_text(&["┌ Indirect resellers (11)"]);
    s.quit();
}

/// Quitting less than 30 s after the copy overwrites the terminal's clipboard on the way out.
#[test]
fn osc52_credentials_are_overwritten_when_the_console_quits() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let password = copy_credentials(&s);
    let copied = Instant::now();
    s.key("Enter");
    s.wait_for_text(&["You can't see this password again"]);
    s.type_text("y");
    s.wait_for_text(&["┌ Indirect resellers (11)"]);
    s.quit();
    assert!(
        copied.elapsed() < Duration::from_secs(25),
        "too slow to tell quitting from the timer"
    );
    let held = s.clipboard();
    assert!(
        !held.contains(&password),
        "after quitting, the terminal's clipboard still holds the password: {held:?}"
    );
}
