//! A temp folder with a fake HOME for running the built binary: nothing of the developer's
//! home, XDG folders or TWOTIER_* settings leaks into a test.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

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

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
