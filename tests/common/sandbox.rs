//! A temp folder with a fake HOME for running the built binary: nothing of the developer's
//! home, XDG folders or TWOTIER_* settings leaks into a test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::process::{assert_success, describe};

pub const BIN: &str = env!("CARGO_BIN_EXE_twotier");

/// A temp folder holding a fake HOME and a work folder for databases.
pub struct Sandbox {
    tmp: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("twotier-cli-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir(tmp.path().join("home")).unwrap();
        std::fs::create_dir(tmp.path().join("work")).unwrap();
        Sandbox { tmp }
    }

    /// The sandbox's own folder (besides home/ and work/).
    pub fn root(&self) -> &std::path::Path {
        self.tmp.path()
    }

    pub fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    /// Where the databases of a test live (nothing else is written there).
    pub fn work(&self) -> PathBuf {
        self.tmp.path().join("work")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.work().join(name)
    }

    /// The binary with a clean environment: HOME is the fake one, no XDG or TWOTIER_* variables.
    pub fn twotier(&self) -> Command {
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

    pub fn run(&self, args: &[&str]) -> Output {
        self.twotier()
            .args(args)
            .output()
            .expect("running the twotier binary")
    }

    /// The names of the files in the work folder.
    pub fn listing(&self) -> BTreeSet<String> {
        std::fs::read_dir(self.work())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }
}

/// Runs `twotier --db DB ARGS…`.
pub fn run_on(sandbox: &Sandbox, db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    sandbox.run(&all)
}

/// Runs a command that must succeed and print one JSON value.
#[track_caller]
pub fn json_of(sandbox: &Sandbox, db: &Path, args: &[&str]) -> serde_json::Value {
    let out = run_on(sandbox, db, args);
    assert_success(&out);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?} did not print JSON ({e})\n{}", describe(&out)))
}

#[track_caller]
pub fn json_array(value: &serde_json::Value) -> &Vec<serde_json::Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a JSON array: {value:#}"))
}

/// The set of keys of a JSON object.
#[track_caller]
pub fn keys(object: &serde_json::Value) -> BTreeSet<String> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object: {object:#}"))
        .keys()
        .cloned()
        .collect()
}

pub fn key_set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[track_caller]
pub fn str_field<'a>(object: &'a serde_json::Value, key: &str) -> &'a str {
    object[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {object:#}"))
}

/// Today's date (UTC), as `date -u +%F` prints it: the CLI computes Expired against the real
/// clock, so demos whose invitation ages matter are laid out from today.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}
