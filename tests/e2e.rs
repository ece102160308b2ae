//! End to end: the release binary in a real terminal (tmux), driven by keys, read from the screen.
//!
//! Each test starts its own tmux server (its own socket, under the test's temp folder) with a
//! 120×40 window running a small script: it notes the tty settings, prints a marker line on the
//! normal screen, runs twotier (the pid is written to a file), writes twotier's exit status to a
//! file, notes the tty settings again and sleeps, so the pane stays for inspection. The server is
//! killed when the test ends, even when it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_twotier");
const TMUX: &str = "/usr/bin/tmux";
const SQLITE3: &str = "/usr/bin/sqlite3";
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
const MARKER_BEFORE: &str = "marker-before-twotier";
const TARGET: &str = "e2e:0.0";

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server with one pane running twotier. Dropping it kills the server.
struct Session {
    socket: String,
    dir: tempfile::TempDir,
}

impl Session {
    /// A temp folder (with a fake HOME in it) but nothing started yet: put files in
    /// [`Session::path`] first if the test needs them, then call [`Session::start`].
    fn new() -> Session {
        assert!(
            Path::new(TMUX).exists(),
            "these tests need tmux at {TMUX} (apt-get install tmux)"
        );
        let dir = tempfile::Builder::new()
            .prefix("twotier-e2e-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(dir.path().join("home")).unwrap();
        let socket = format!(
            "twotier-e2e-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        Session { socket, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A folder for the test's own files (nothing else is written there).
    fn work(&self, name: &str) -> PathBuf {
        let work = self.path("work");
        std::fs::create_dir_all(&work).unwrap();
        work.join(name)
    }

    /// Starts twotier with these arguments in a new 120×40 tmux window.
    fn start(&self, args: &[&str]) {
        let home = self.path("home");
        let mut command = vec![quote(BIN)];
        command.extend(args.iter().map(|a| quote(a)));
        let script = format!(
            "export HOME={home}\n\
             unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME TWOTIER_DB TWOTIER_CONFIG TWOTIER_LOG\n\
             cd {dir}\n\
             stty -g > {stty_before}\n\
             echo {MARKER_BEFORE}\n\
             sh -c 'echo $$ > \"$0\"; exec \"$@\"' {pid} {command}\n\
             echo \"EXIT=$?\" > {status}.tmp && mv {status}.tmp {status}\n\
             stty -g > {stty_after}\n\
             echo marker-after-twotier\n\
             exec sleep 600\n",
            home = quote(home.to_str().unwrap()),
            dir = quote(self.dir.path().to_str().unwrap()),
            stty_before = quote(self.path("stty.before").to_str().unwrap()),
            stty_after = quote(self.path("stty.after").to_str().unwrap()),
            pid = quote(self.path("pid").to_str().unwrap()),
            status = quote(self.path("status").to_str().unwrap()),
            command = command.join(" "),
        );
        let script_path = self.path("run.sh");
        std::fs::write(&script_path, script).unwrap();
        self.tmux_ok(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "120",
            "-y",
            "40",
            &format!("sh {}", quote(script_path.to_str().unwrap())),
        ]);
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(TMUX);
        cmd.args(["-u", "-L", &self.socket, "-f", "/dev/null"])
            .args(args);
        for var in [
            "TMUX",
            "TMUX_PANE",
            "TWOTIER_DB",
            "TWOTIER_CONFIG",
            "TWOTIER_LOG",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "XDG_STATE_HOME",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.path("home"))
            .env("TMUX_TMPDIR", self.dir.path())
            .env("LANG", "C.UTF-8");
        cmd.output().expect("running tmux")
    }

    #[track_caller]
    fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The visible screen of the pane.
    fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", TARGET])
    }

    /// The visible screen with wrapped lines joined (for messages longer than a line).
    fn screen_joined(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-J", "-t", TARGET])
    }

    fn format(&self, format: &str) -> String {
        self.tmux_ok(&["display-message", "-p", "-t", TARGET, format])
            .trim()
            .to_owned()
    }

    /// Literal text, typed.
    fn type_text(&self, text: &str) {
        self.tmux_ok(&["send-keys", "-t", TARGET, "-l", text]);
    }

    /// One named key ("Escape", "C-c", "Enter", …), sent on its own.
    fn key(&self, key: &str) {
        self.tmux_ok(&["send-keys", "-t", TARGET, key]);
    }

    /// twotier's exit line ("EXIT=0"), once it has exited.
    fn status(&self) -> Option<String> {
        std::fs::read_to_string(self.path("status"))
            .ok()
            .map(|s| s.trim().to_owned())
    }

    /// Polls the screen until `done` holds on two captures in a row that are the same (so a frame
    /// caught half-drawn does not count); panics with the last screen after [`TIMEOUT`].
    #[track_caller]
    fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut previous: Option<String> = None;
        loop {
            let screen = self.screen();
            if done(&screen) {
                if previous.as_deref() == Some(screen.as_str()) {
                    return screen;
                }
                previous = Some(screen.clone());
            } else {
                previous = None;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {what}\ntwotier: {}\n--- last screen ---\n{screen}---",
                    self.status().unwrap_or_else(|| "still running".into())
                );
            }
            std::thread::sleep(POLL);
        }
    }

    #[track_caller]
    fn wait_for_text(&self, texts: &[&str]) -> String {
        self.wait_for(&format!("{texts:?} on the screen"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits for twotier to exit and returns its exit line ("EXIT=0").
    #[track_caller]
    fn wait_for_exit(&self) -> String {
        let start = Instant::now();
        loop {
            if let Some(status) = self.status() {
                return status;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "twotier did not exit within {TIMEOUT:?}\n--- last screen ---\n{}---",
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// The pid of the twotier process (written by the script just before `exec`).
    fn app_pid(&self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(pid) = std::fs::read_to_string(self.path("pid"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return pid;
            }
            assert!(start.elapsed() < TIMEOUT, "no pid file");
            std::thread::sleep(POLL);
        }
    }

    /// After twotier has exited: the terminal is as it was before it started.
    #[track_caller]
    fn assert_terminal_restored(&self) {
        let screen = self.wait_for("the normal screen with the shell's text", |s| {
            s.contains(MARKER_BEFORE) && s.contains("marker-after-twotier")
        });
        for app_text in [
            "Indirect resellers",
            "Northwind Cloud Distribution",
            "┌",
            "└",
        ] {
            assert!(
                !screen.contains(app_text),
                "the app's frame ({app_text:?}) is still on the screen:\n{screen}"
            );
        }
        assert_eq!(
            self.format("#{alternate_on}"),
            "0",
            "the alternate screen is still on:\n{screen}"
        );
        assert_eq!(
            self.format("#{cursor_flag}"),
            "1",
            "the cursor is still hidden"
        );
        let before =
            std::fs::read_to_string(self.path("stty.before")).expect("stty settings before");
        let after = std::fs::read_to_string(self.path("stty.after")).expect("stty settings after");
        assert_eq!(
            before, after,
            "the tty settings (raw mode) were not restored"
        );
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Single-quotes a word for sh.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The rows of the bordered table whose column header starts with `first_header`: the text
/// between the borders, trimmed, blank rows left out.
fn table_rows(screen: &str, first_header: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(header) = lines
        .iter()
        .position(|l| l.starts_with(&format!("│{first_header}")))
    else {
        panic!("no table with the column {first_header:?} on the screen:\n{screen}");
    };
    lines[header + 1..]
        .iter()
        .take_while(|l| l.starts_with('│'))
        .map(|l| {
            l.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_owned()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// The number in a table title such as "Customers (3 matching)".
fn matching_count(screen: &str, title: &str) -> Option<usize> {
    let start = screen.find(&format!("{title} ("))? + title.len() + 2;
    let rest = &screen[start..];
    let end = rest.find(" matching)")?;
    rest[..end].parse().ok()
}

/// A line of the screen that holds all of `parts`.
fn line_with<'a>(screen: &'a str, parts: &[&str]) -> Option<&'a str> {
    screen.lines().find(|l| parts.iter().all(|p| l.contains(p)))
}

const FIRST_SCREEN: &[&str] = &[
    "1 Indirect resellers",
    "2 Customers",
    "Indirect resellers (11)",
    "Adatum IT Services",
    "Northwind Cloud Distribution",
];

/// The issue's flow on a fresh HOME and a fresh database: the menu and the demo resellers,
/// `2` Customers, `/` search, `?` help, `3`–`5`, and `q` quits with status 0, terminal restored.
#[test]
fn first_run_menu_customers_search_help_and_quit() {
    let s = Session::new();
    let db = s.path("t.db");
    assert!(!db.exists());
    s.start(&["--db", db.to_str().unwrap()]);

    // The first screen: the menu, the demo resellers, the provider in the header.
    let screen = s.wait_for_text(FIRST_SCREEN);
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
        // The unfiltered list showed every name with this prefix; the filter keeps exactly those.
        let rows: Vec<&String> = rows.iter().collect();
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
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.wait_for_text(FIRST_SCREEN);
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
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.wait_for_text(FIRST_SCREEN);

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
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.wait_for_text(FIRST_SCREEN);
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
    let s = Session::new();
    s.start(&["--db", s.path("t.db").to_str().unwrap()]);
    s.wait_for_text(FIRST_SCREEN);
    assert_eq!(
        s.format("#{alternate_on}"),
        "1",
        "the app does not use the alternate screen"
    );
    let pid = s.app_pid();
    let out = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
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
    let s = Session::new();
    let file = s.work("notes.txt");
    std::fs::write(&file, "hello").unwrap();
    tui_refuses(&file, &s, &["not a twotier database"]);
}

#[test]
fn tui_refuses_a_random_binary_file() {
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
    assert!(
        Path::new(SQLITE3).exists(),
        "this test needs the sqlite3 shell at {SQLITE3}"
    );
    let s = Session::new();
    let file = s.work("other.db");
    let out = Command::new(SQLITE3)
        .arg(&file)
        .arg("CREATE TABLE t(x); INSERT INTO t VALUES(1);")
        .output()
        .unwrap();
    assert!(out.status.success());
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
    assert!(
        Path::new(SQLITE3).exists(),
        "this test needs the sqlite3 shell at {SQLITE3}"
    );
    let s = Session::new();
    let db = demo_db(&s, "newer.db");
    let out = Command::new(SQLITE3)
        .arg(&db)
        .arg("PRAGMA user_version=99;")
        .output()
        .unwrap();
    assert!(out.status.success());
    tui_refuses(&db, &s, &["newer"]);
}

#[test]
fn tui_refuses_a_read_only_database() {
    use std::os::unix::fs::PermissionsExt;
    let s = Session::new();
    let db = demo_db(&s, "read-only.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    tui_refuses(&db, &s, &["read-only"]);
}
