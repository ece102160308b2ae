//! The end-to-end harness: the release binary in a real terminal (tmux), driven by keys, read
//! from the screen, checked in the database with `common::process::sqlite3`. A test that starts a
//! [`Session`] begins with `require!(TMUX);`: without tmux it is skipped (a failure under CI).
//!
//! Each [`Session`] starts its own tmux server (its own socket, under the test's temp folder)
//! with a 120×40 window running a small script: it notes the tty settings, prints a marker line
//! on the normal screen, runs twotier with a fresh HOME and `TWOTIER_LOG=debug` (so the log says
//! as much as it can; the secrets tests read it), writes the pid and then the exit status to
//! files, notes the tty settings again and sleeps, so the pane stays for inspection. The server
//! is killed when the session is dropped, even when the test fails. There is no display (no
//! `DISPLAY`, `WAYLAND_DISPLAY` or SSH variables), so copying goes through OSC 52 to tmux, whose
//! paste buffer [`Session::clipboard`] reads back.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// So that `use common::tmux::*;` is all a test needs for `require!(TMUX);`.
pub use super::tools::TMUX;
#[allow(unused_imports)]
pub(crate) use super::tools::require;

pub const BIN: &str = env!("CARGO_BIN_EXE_twotier");
/// Generous: the tests run in parallel on small machines.
pub const TIMEOUT: Duration = Duration::from_secs(20);
pub const POLL: Duration = Duration::from_millis(50);
pub const MARKER_BEFORE: &str = "marker-before-twotier";
pub const TARGET: &str = "e2e:0.0";

/// What the console opens on: the Dashboard, here of the default demo database.
pub const DASHBOARD: &[&str] = &["0 Dashboard", "┌ Seats by offer", "DEMO DATA"];

/// What Indirect resellers (key 1) of the default demo database shows.
pub const FIRST_SCREEN: &[&str] = &[
    "1 Indirect resellers",
    "2 Customers",
    "Indirect resellers (11)",
    "Adatum IT Services",
    "Northwind Cloud Distribution",
];

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// Variables of the test's own environment that would change what the app does.
const APP_VARIABLES: &[&str] = &[
    "TWOTIER_DB",
    "TWOTIER_CONFIG",
    "TWOTIER_LOG",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "DISPLAY",
    "WAYLAND_DISPLAY",
];

/// A tmux server with one pane running twotier. Dropping it kills the server.
pub struct Session {
    socket: String,
    pub dir: tempfile::TempDir,
}

impl Session {
    /// A temp folder (with a fake HOME in it) but nothing started yet: put files in
    /// [`Session::path`] first if the test needs them, then call [`Session::start`].
    pub fn new() -> Session {
        tmux_program();
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

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A folder for the test's own files (nothing else is written there).
    pub fn work(&self, name: &str) -> PathBuf {
        let work = self.path("work");
        std::fs::create_dir_all(&work).unwrap();
        work.join(name)
    }

    /// The database [`Session::start_demo`] uses (`--db`, in the temp folder).
    pub fn db(&self) -> PathBuf {
        self.path("t.db")
    }

    /// The log file under the fake HOME (XDG state folder).
    pub fn log(&self) -> PathBuf {
        self.path("home/.local/state/twotier/twotier.log")
    }

    /// Starts twotier on a fresh default demo database ([`Session::db`]) and waits for the first
    /// screen.
    pub fn start_demo(&self) {
        self.start(&["--db", self.db().to_str().unwrap()]);
        self.open_resellers();
    }

    /// Waits for the console to open (on the Dashboard), then goes to Indirect resellers and
    /// waits for its list ([`FIRST_SCREEN`]).
    pub fn open_resellers(&self) -> String {
        self.wait_for_text(&["0 Dashboard"]);
        self.type_text("1");
        self.wait_for_text(FIRST_SCREEN)
    }

    /// Starts twotier with these arguments in a new 120×40 tmux window.
    pub fn start(&self, args: &[&str]) {
        self.start_with_env(&[], args);
    }

    /// [`Session::start`] with these variables set for twotier (`TWOTIER_KEYRING=off`).
    pub fn start_with_env(&self, env: &[(&str, &str)], args: &[&str]) {
        let home = self.path("home");
        let exports: String = env
            .iter()
            .map(|(k, v)| format!("export {k}={}\n", quote(v)))
            .collect();
        let mut command = vec![quote(BIN)];
        command.extend(args.iter().map(|a| quote(a)));
        let script = format!(
            "export HOME={home}\n\
             unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME TWOTIER_DB TWOTIER_CONFIG\n\
             unset DISPLAY WAYLAND_DISPLAY SSH_CONNECTION SSH_TTY SSH_CLIENT\n\
             export TWOTIER_LOG=debug\n\
             {exports}\
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
        // OSC 52 from the app becomes a tmux paste buffer: what was copied can be read back.
        self.tmux_ok(&["set-option", "-s", "set-clipboard", "on"]);
    }

    /// The binary as a plain process beside the app (same HOME, same clean environment).
    pub fn cli(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        for var in APP_VARIABLES {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.path("home"))
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::null())
            .args(args)
            .output()
            .expect("running the twotier binary")
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(tmux_program());
        cmd.args(["-u", "-L", &self.socket, "-f", "/dev/null"])
            .args(args);
        for var in APP_VARIABLES.iter().chain(&["TMUX", "TMUX_PANE"]) {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.path("home"))
            .env("TMUX_TMPDIR", self.dir.path())
            .env("LANG", "C.UTF-8");
        cmd.output().expect("running tmux")
    }

    #[track_caller]
    pub fn tmux_ok(&self, args: &[&str]) -> String {
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
    pub fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", TARGET])
    }

    /// The visible screen with wrapped lines joined (for messages longer than a line).
    pub fn screen_joined(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-J", "-t", TARGET])
    }

    pub fn format(&self, format: &str) -> String {
        self.tmux_ok(&["display-message", "-p", "-t", TARGET, format])
            .trim()
            .to_owned()
    }

    /// Literal text, typed.
    pub fn type_text(&self, text: &str) {
        self.tmux_ok(&["send-keys", "-t", TARGET, "-l", "--", text]);
    }

    /// One named key ("Escape", "C-c", "Enter", "BTab", …), sent on its own.
    pub fn key(&self, key: &str) {
        self.tmux_ok(&["send-keys", "-t", TARGET, key]);
    }

    /// The same named key, `n` times (each on its own).
    pub fn keys(&self, key: &str, n: usize) {
        for _ in 0..n {
            self.key(key);
        }
    }

    /// Pastes `text` as a bracketed paste (as a terminal does when the user pastes).
    pub fn paste(&self, text: &str) {
        self.tmux_ok(&["set-buffer", "-b", "e2e-paste", "--", text]);
        self.tmux_ok(&[
            "paste-buffer",
            "-p",
            "-r",
            "-d",
            "-b",
            "e2e-paste",
            "-t",
            TARGET,
        ]);
    }

    /// twotier's exit line ("EXIT=0"), once it has exited.
    pub fn status(&self) -> Option<String> {
        std::fs::read_to_string(self.path("status"))
            .ok()
            .map(|s| s.trim().to_owned())
    }

    /// Like [`Session::wait_for`] but gives up quietly after `timeout`: `None` if `done` never held.
    pub fn try_wait_for(&self, timeout: Duration, done: impl Fn(&str) -> bool) -> Option<String> {
        let start = Instant::now();
        let mut previous: Option<String> = None;
        loop {
            let screen = self.screen();
            if done(&screen) {
                if previous.as_deref() == Some(screen.as_str()) {
                    return Some(screen);
                }
                previous = Some(screen.clone());
            } else {
                previous = None;
            }
            if start.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls the screen until `done` holds on two captures in a row that are the same (so a frame
    /// caught half-drawn does not count); panics with the last screen after [`TIMEOUT`].
    #[track_caller]
    pub fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        match self.try_wait_for(TIMEOUT, done) {
            Some(screen) => screen,
            None => panic!(
                "timed out after {TIMEOUT:?} waiting for {what}\ntwotier: {}\n--- last screen ---\n{}---",
                self.status().unwrap_or_else(|| "still running".into()),
                self.screen()
            ),
        }
    }

    #[track_caller]
    pub fn wait_for_text(&self, texts: &[&str]) -> String {
        self.wait_for(&format!("{texts:?} on the screen"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Asserts that `never` does not become true on the screen for `period` (a refused key must
    /// leave things as they are); returns the last screen.
    #[track_caller]
    pub fn assert_stays(
        &self,
        period: Duration,
        what: &str,
        never: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            assert!(!never(&screen), "{what}:\n{screen}");
            if start.elapsed() > period {
                return screen;
            }
            std::thread::sleep(POLL);
        }
    }

    /// `Escape` alone, then waits until the screen shows `what` (so the next key is not read as
    /// part of an escape sequence).
    #[track_caller]
    pub fn escape_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        self.key("Escape");
        self.wait_for(what, done)
    }

    /// The tmux paste buffer (what the last OSC 52 copy put there), once there is one.
    #[track_caller]
    pub fn clipboard(&self) -> String {
        let start = Instant::now();
        loop {
            let out = self.tmux(&["show-buffer"]);
            if out.status.success() {
                return String::from_utf8_lossy(&out.stdout).into_owned();
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "nothing reached the terminal clipboard (no tmux buffer after OSC 52)"
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits for twotier to exit and returns its exit line ("EXIT=0").
    #[track_caller]
    pub fn wait_for_exit(&self) -> String {
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
    pub fn app_pid(&self) -> u32 {
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

    /// `q` on a screen (not in a field or a dialog): twotier exits with 0 and the terminal is as
    /// it was before it started.
    #[track_caller]
    pub fn quit(&self) {
        self.type_text("q");
        assert_eq!(self.wait_for_exit(), "EXIT=0");
        self.assert_terminal_restored();
    }

    /// After twotier has exited: the terminal is as it was before it started.
    #[track_caller]
    pub fn assert_terminal_restored(&self) {
        let screen = self.wait_for("the normal screen with the shell's text", |s| {
            s.contains(MARKER_BEFORE) && s.contains("marker-after-twotier")
        });
        for app_text in ["Northwind Cloud Distribution", "┌", "└"] {
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

/// tmux, found on `PATH` once.
fn tmux_program() -> &'static PathBuf {
    static PROGRAM: OnceLock<Option<PathBuf>> = OnceLock::new();
    PROGRAM
        .get_or_init(|| super::tools::find(TMUX.program))
        .as_ref()
        .expect("tmux is not on PATH: a test that starts a Session begins with `require!(TMUX);`")
}

/// Single-quotes a word for sh.
pub fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A string literal for SQL.
pub fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The rows of the bordered table whose column header starts with `first_header`: the text
/// between the borders, trimmed, blank rows left out.
pub fn table_rows(screen: &str, first_header: &str) -> Vec<String> {
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
pub fn matching_count(screen: &str, title: &str) -> Option<usize> {
    let start = screen.find(&format!("{title} ("))? + title.len() + 2;
    let rest = &screen[start..];
    let end = rest.find(" matching)")?;
    rest[..end].parse().ok()
}

/// A line of the screen that holds all of `parts`.
pub fn line_with<'a>(screen: &'a str, parts: &[&str]) -> Option<&'a str> {
    screen.lines().find(|l| parts.iter().all(|p| l.contains(p)))
}
