//! Outside programs some tests need (tmux, sqlite3, Xvfb, xclip, PostgreSQL). A test asks
//! [`available`] first: on a machine without the program the test is skipped with one line that
//! names it and how to install it, unless `CI` is set, where a missing program is a failure so CI
//! always runs everything.

use std::io::Write;
use std::path::PathBuf;

/// Finds `program` on `PATH` (or takes it as a path when it has a `/`).
pub fn find(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// True when CI is running the suite (`CI` set to anything but empty, `0` or `false`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// `true` when `program` is here. When it is missing: under CI the test fails; otherwise one
/// line goes to the terminal (past the test harness's capture) and to the skip record that the
/// last test binary sums up, and the caller returns early.
#[track_caller]
pub fn available(program: &str, install: &str) -> bool {
    if find(program).is_some() {
        return true;
    }
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let caller = std::panic::Location::caller().file();
    assert!(
        !in_ci(),
        "{program} is missing and CI is set, so {test} ({caller}) can't be skipped: {install}"
    );
    let line =
        format!("skipped {test} ({caller}): {program} is missing; install it with: {install}");
    // Written to the process's stderr directly: libtest captures only `print!`/`eprint!`.
    let _ = writeln!(std::io::stderr(), "{line}");
    record(&line);
    false
}

/// Where skips of this build's test run are noted, for the summary at the end.
pub fn record_file() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.txt")
}

fn record(line: &str) {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(record_file())
    {
        let _ = writeln!(f, "{line}");
    }
}
