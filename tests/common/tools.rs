//! Outside programs some tests need (tmux, Xvfb, xclip, later PostgreSQL). A test asks first,
//! with `require!(TMUX);` (or [`available`]): on a machine without the program the test is
//! skipped with one line that names it and how to install it, unless `CI` is set, where a missing
//! program is a failure so CI always runs everything. The last test binary,
//! `tests/zz_skipped_summary.rs`, sums up the skips of the run ([`summary`]).
//!
//! The skip record: cargo runs every test binary of one `cargo test` as a child of the same cargo
//! process, so that process (its pid and start time, so a recycled pid is another run) names the
//! run, and each run appends to its own file in [`record_dir`]. The summary reads only its own
//! run's file and deletes it, and deletes the files of runs whose cargo has exited (interrupted
//! with Ctrl-C, stopped by a failing test binary, or a `cargo test --test e2e` that never reaches
//! the summary). So a stale record is never reported as this run's, and two runs sharing the
//! target folder (developers side by side) do not mix or erase each other's records.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

/// A program some tests need, and the command that installs it.
#[derive(Clone, Copy, Debug)]
pub struct Tool {
    pub program: &'static str,
    pub install: &'static str,
}

/// The end-to-end tests drive the release binary in a real terminal.
pub const TMUX: Tool = Tool {
    program: "tmux",
    install: "apt-get install tmux",
};
/// A real X server, for the system clipboard.
pub const XVFB: Tool = Tool {
    program: "Xvfb",
    install: "apt-get install xvfb",
};
/// Reads the X clipboard back, as another app would.
pub const XCLIP: Tool = Tool {
    program: "xclip",
    install: "apt-get install xclip",
};
/// The SQLite shell, for a test where the shell itself is the point (none today: tests read and
/// change databases with `common::process::sqlite3`, which needs no outside program).
pub const SQLITE3: Tool = Tool {
    program: "sqlite3",
    install: "apt-get install sqlite3",
};

/// `require!(TMUX);` / `require!(XVFB, XCLIP);` first thing in a test: returns from the test
/// (skipped, see [`available`]) unless every one of these programs is here.
#[allow(unused_macros)]
macro_rules! require {
    ($($tool:expr),+ $(,)?) => {
        if !$crate::common::tools::all_available(&[$($tool),+]) {
            return;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use require;

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

/// `true` when every one of `tools` is here; each missing one is reported (see [`available`]),
/// not only the first.
#[track_caller]
pub fn all_available(tools: &[Tool]) -> bool {
    let missing: Vec<&Tool> = tools.iter().filter(|t| find(t.program).is_none()).collect();
    if in_ci() && !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|t| format!("{} ({})", t.program, t.install))
            .collect();
        // What `available` says, for all of them at once.
        let test = std::thread::current().name().unwrap_or("a test").to_owned();
        let caller = std::panic::Location::caller().file();
        panic!(
            "{} missing and CI is set, so {test} ({caller}) can't be skipped",
            names.join(" and ")
        );
    }
    let mut all = true;
    for tool in missing {
        all &= available(tool.program, tool.install);
    }
    all
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
    record(&Skip {
        program: program.to_owned(),
        install: install.to_owned(),
        file: caller.to_owned(),
        test,
    });
    false
}

/// One skipped test: a line of the record, its fields separated by tabs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub program: String,
    pub install: String,
    pub file: String,
    pub test: String,
}

impl Skip {
    fn to_line(&self) -> String {
        [&self.program, &self.install, &self.file, &self.test]
            .map(|f| f.replace(['\t', '\n'], " "))
            .join("\t")
    }

    fn from_line(line: &str) -> Option<Skip> {
        let mut fields = line.split('\t');
        let skip = Skip {
            program: fields.next()?.to_owned(),
            install: fields.next()?.to_owned(),
            file: fields.next()?.to_owned(),
            test: fields.next()?.to_owned(),
        };
        fields.next().is_none().then_some(skip)
    }
}

/// Where the skip records are: one file per `cargo test` run.
pub fn record_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests")
}

/// The skip record of this run (named after the `cargo test` process, the parent of every test
/// binary it runs).
pub fn record_file() -> PathBuf {
    record_dir().join(run_id(std::os::unix::process::parent_id()))
}

/// A process as a run: its pid and, where `/proc` tells, its start time (clock ticks since
/// boot), so that a later process given the same pid is not the same run.
fn run_id(pid: u32) -> String {
    let start = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // The fields after the command name (in parentheses, which may hold blanks): the
            // state is field 3, the start time field 22.
            let rest = &stat[stat.rfind(')')? + 1..];
            rest.split_whitespace().nth(19).map(str::to_owned)
        });
    match start {
        Some(start) => format!("{pid}-{start}"),
        None => pid.to_string(),
    }
}

fn record(skip: &Skip) {
    let _ = std::fs::create_dir_all(record_dir());
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(record_file())
    {
        // One `write` of a whole line: test threads and binaries append side by side.
        let _ = f.write_all(format!("{}\n", skip.to_line()).as_bytes());
    }
}

/// This run's skips, in the order they happened; the record is emptied (deleted), and so are
/// the records of runs that are over.
pub fn take_record() -> Vec<Skip> {
    let own = record_file();
    let skips = std::fs::read_to_string(&own)
        .unwrap_or_default()
        .lines()
        .filter_map(Skip::from_line)
        .collect();
    let _ = std::fs::remove_file(&own);
    if let Ok(entries) = std::fs::read_dir(record_dir()) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let still_running = name
                .split('-')
                .next()
                .and_then(|pid| pid.parse().ok())
                .is_some_and(|pid| run_id(pid) == name);
            if !still_running {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    skips
}

/// The end-of-run summary of `skips`: how many tests were skipped, for which programs, in which
/// files, and how to install them; or that no test was skipped.
pub fn summary(skips: &[Skip]) -> String {
    // A test: its file and its name.
    type Test<'a> = (&'a str, &'a str);
    let tests: BTreeSet<Test> = skips
        .iter()
        .map(|s| (s.file.as_str(), s.test.as_str()))
        .collect();
    if tests.is_empty() {
        return "skipped-test summary: no test was skipped\n".to_owned();
    }
    // program → (install, the tests it held back), programs in the order first seen.
    let mut order: Vec<&str> = Vec::new();
    let mut by_program: BTreeMap<&str, (&str, BTreeSet<Test>)> = BTreeMap::new();
    for s in skips {
        if !by_program.contains_key(s.program.as_str()) {
            order.push(&s.program);
        }
        by_program
            .entry(&s.program)
            .or_insert((&s.install, BTreeSet::new()))
            .1
            .insert((&s.file, &s.test));
    }
    let plural = |n: usize| if n == 1 { "test" } else { "tests" };
    let mut out = format!(
        "skipped-test summary: {} {} skipped, a program they need is missing (CI runs them all):\n",
        tests.len(),
        plural(tests.len())
    );
    for program in &order {
        let (install, held) = &by_program[program];
        let files: BTreeSet<&str> = held.iter().map(|(file, _)| *file).collect();
        out.push_str(&format!(
            "  {program}: {} {} ({}); install with: {install}\n",
            held.len(),
            plural(held.len()),
            files.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    // One command for all of them when they are all apt-get installs.
    let packages: Option<Vec<&str>> = order
        .iter()
        .map(|p| by_program[p].0.strip_prefix("apt-get install "))
        .collect();
    if let Some(packages) = packages.filter(|p| p.len() > 1) {
        out.push_str(&format!(
            "  all of them: apt-get install {}\n",
            packages.join(" ")
        ));
    }
    out
}
