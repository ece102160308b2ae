//! End to end, the console and its terminal: signals at rest restore the terminal and exit with
//! 128 + the signal; a terminal that goes away (the tmux server killed: the pty is gone) ends the
//! process within a second, with or without a SIGHUP; Ctrl-C on the Confirmation asks before the
//! temporary password is lost. The release binary in tmux (harness: `tests/common/tmux.rs`).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::tmux::*;
use common::wizard::walk_to_review;

/// How long the process may take to go once its terminal is gone (the goal is one second).
const GONE_WITHIN: Duration = Duration::from_secs(2);

/// Sends `signal` ("TERM", "HUP", "INT") to the process with `kill`.
#[track_caller]
fn kill(pid: u32, signal: &str) {
    // The shell's built-in kill: /bin/kill (procps) is not on every machine.
    let out = Command::new("sh")
        .args(["-c", &format!("kill -{signal} {pid}")])
        .output()
        .expect("running kill");
    assert!(
        out.status.success(),
        "kill -{signal} {pid} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The process runs: /proc has it, and it is not a zombie waiting to be reaped.
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // "pid (comm) S …": the state follows the command name's closing parenthesis.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_none_or(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// CPU time the process has used so far, in clock ticks (utime + stime), if it still exists.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Waits until the process is gone; panics (after killing it, so nothing is left behind) if it
/// is still there after [`GONE_WITHIN`]. Returns how long it took.
#[track_caller]
fn assert_gone(pid: u32, what: &str) -> Duration {
    let start = Instant::now();
    let first_ticks = cpu_ticks(pid);
    while alive(pid) {
        if start.elapsed() > GONE_WITHIN {
            let used = cpu_ticks(pid)
                .zip(first_ticks)
                .map(|(now, then)| now.saturating_sub(then));
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .output();
            panic!(
                "twotier (pid {pid}) still runs {GONE_WITHIN:?} after {what}; it used {used:?} \
                 clock ticks of CPU in that time (about 100 a second is one core spinning)"
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    start.elapsed()
}

/// The log, once it records how the console ended; it must not record a panic.
#[track_caller]
fn log_of_the_end(s: &Session) -> String {
    let start = Instant::now();
    loop {
        let log = std::fs::read_to_string(s.log()).unwrap_or_default();
        if log.contains("the console ends") {
            assert!(
                !log.contains("panic"),
                "twotier panicked on the way out:\n{log}"
            );
            return log;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the log does not say how the console ended:\n{log}"
        );
        std::thread::sleep(POLL);
    }
}

/// At rest on the first screen, `signal` ends twotier with `status`, the terminal restored.
fn signal_at_rest(signal: &str, status: &str) {
    let s = Session::new();
    s.start_demo();
    assert_eq!(
        s.format("#{alternate_on}"),
        "1",
        "the app does not use the alternate screen"
    );
    let pid = s.app_pid();
    kill(pid, signal);
    assert_eq!(
        s.wait_for_exit(),
        status,
        "the exit status after SIG{signal}"
    );
    s.assert_terminal_restored();
    log_of_the_end(&s);
}

#[test]
fn sigterm_at_rest_restores_the_terminal_and_exits_143() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    signal_at_rest("TERM", "EXIT=143");
}

#[test]
fn sighup_at_rest_restores_the_terminal_and_exits_129() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    signal_at_rest("HUP", "EXIT=129");
}

#[test]
fn sigint_at_rest_restores_the_terminal_and_exits_130() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    signal_at_rest("INT", "EXIT=130");
}

/// The tmux server killed under the running console, as the harness runs it: the shell around
/// twotier gets the hangup and exits, and the kernel sends SIGHUP on to twotier. The process is
/// gone within two seconds and does not panic writing to the dead terminal.
#[test]
fn killing_the_tmux_server_ends_the_console() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    let s = Session::new();
    s.start_demo();
    let pid = s.app_pid();
    assert!(alive(pid), "no twotier process {pid}");
    s.tmux_ok(&["kill-server"]);
    let took = assert_gone(pid, "the tmux server was killed");
    let log = log_of_the_end(&s);
    assert!(
        log.contains("end=Signal(1)") || log.contains("end=TerminalLost"),
        "the log does not say the terminal hung up:\n{log}"
    );
    eprintln!("killing the tmux server: twotier gone after {took:?}");
}

/// The pty goes away and no SIGHUP comes (the shell around twotier ignores the hangup, so the
/// kernel does not pass it on): twotier sees only end of file or EIO on its terminal. It ends
/// within two seconds, with status 129 (as SIGHUP), without panicking on the dead terminal.
#[test]
fn a_lost_terminal_without_sighup_ends_the_console_with_129() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    let s = Session::new();
    let p = |name: &str| quote(s.path(name).to_str().unwrap());
    // The harness's script, but the shell survives the hangup to write the status, and ends
    // there (nothing is left running).
    let script = format!(
        "trap '' HUP\n\
         export HOME={home}\n\
         unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME TWOTIER_DB TWOTIER_CONFIG\n\
         unset DISPLAY WAYLAND_DISPLAY SSH_CONNECTION SSH_TTY SSH_CLIENT\n\
         export TWOTIER_LOG=debug\n\
         cd {dir}\n\
         sh -c 'echo $$ > \"$0\"; exec \"$@\"' {pid} {bin} --db {db}\n\
         echo \"EXIT=$?\" > {status}.tmp && mv {status}.tmp {status}\n",
        home = p("home"),
        dir = quote(s.dir.path().to_str().unwrap()),
        pid = p("pid"),
        bin = quote(BIN),
        db = quote(s.db().to_str().unwrap()),
        status = p("status"),
    );
    std::fs::write(s.path("run-ignoring-hup.sh"), script).unwrap();
    s.tmux_ok(&[
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "120",
        "-y",
        "40",
        &format!("sh {}", p("run-ignoring-hup.sh")),
    ]);
    s.open_resellers();
    let pid = s.app_pid();
    s.tmux_ok(&["kill-server"]);
    let took = assert_gone(pid, "its terminal went away");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.status() {
            break status;
        }
        assert!(start.elapsed() < TIMEOUT, "the shell wrote no exit status");
        std::thread::sleep(POLL);
    };
    assert_eq!(status, "EXIT=129", "the exit status with the terminal gone");
    let log = log_of_the_end(&s);
    assert!(
        log.contains("end=TerminalLost"),
        "the log does not say the terminal was lost:\n{log}"
    );
    eprintln!("terminal lost without SIGHUP: twotier gone after {took:?}, {status}");
}

/// Add new customer through to the Confirmation, then Ctrl-C: it asks (the password can't be seen
/// again) and twotier keeps running; `n` goes back to the credentials; Ctrl-C twice quits with
/// status 0 (Ctrl-C is a key in raw mode, not SIGINT), the terminal restored.
#[test]
fn ctrl_c_on_the_confirmation_asks_before_the_password_is_lost() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    let s = Session::new();
    s.start_demo();
    walk_to_review(&s);
    s.key("C-s");
    let on_confirmation = |sc: &str| {
        sc.contains("┌ Confirmation") && line_with(sc, &["Temporary password"]).is_some()
    };
    s.wait_for("the Confirmation with the credentials", on_confirmation);

    // Ctrl-C: asks; twotier keeps running.
    s.key("C-c");
    s.wait_for_text(&["can't see this password again", "Ctrl-C again quits"]);
    assert_eq!(s.status(), None, "the first Ctrl-C ended twotier");
    // n: back to the credentials.
    s.type_text("n");
    s.wait_for("back on the Confirmation", |sc| {
        on_confirmation(sc) && !sc.contains("Ctrl-C again quits")
    });
    assert_eq!(s.status(), None, "No ended twotier");
    // Ctrl-C, Ctrl-C: quits, status 0.
    s.key("C-c");
    s.wait_for_text(&["Ctrl-C again quits"]);
    s.key("C-c");
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    s.assert_terminal_restored();
}

/// A signal right after Ctrl-S on Review, while the order is being written: the terminal is
/// restored, the status is 128 + the signal, and the book holds the whole customer or nothing.
fn signal_during_submit(signal: &str, status: &str) {
    let s = Session::new();
    s.start_demo();
    walk_to_review(&s);
    let pid = s.app_pid();
    s.key("C-s");
    kill(pid, signal);
    assert_eq!(
        s.wait_for_exit(),
        status,
        "the exit status after SIG{signal}"
    );
    s.assert_terminal_restored();
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let customer = one("SELECT count(*) FROM customers WHERE company_name = 'Fabrikam Robotics'");
    let subscriptions = one(
        "SELECT count(*) FROM subscriptions s JOIN customers c ON c.id = s.customer_id
          WHERE c.company_name = 'Fabrikam Robotics'",
    );
    let audit = one("SELECT count(*) FROM audit_log WHERE action = 'Customer created'");
    assert!(
        matches!((customer, subscriptions, audit), (1, 1, 1) | (0, 0, 0)),
        "half a customer after SIG{signal}: {customer} customer, {subscriptions} subscriptions, {audit} entries"
    );
    eprintln!(
        "SIG{signal} during submit: customer {}",
        if customer == 1 {
            "written"
        } else {
            "not written"
        }
    );
}

#[test]
fn sigterm_during_a_submit_restores_the_terminal_and_leaves_the_book_whole() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    signal_during_submit("TERM", "EXIT=143");
}

#[test]
fn sighup_during_a_submit_restores_the_terminal_and_leaves_the_book_whole() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    signal_during_submit("HUP", "EXIT=129");
}

#[test]
fn sigint_during_a_submit_restores_the_terminal_and_leaves_the_book_whole() {
    if !common::tools::available("tmux", "apt-get install tmux") {
        return;
    }
    signal_during_submit("INT", "EXIT=130");
}
