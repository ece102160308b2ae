//! The system clipboard on a real X server (Xvfb), read back with xclip.
//!
//! Its own test binary, with a single test: arboard finds the X server through the process's
//! `DISPLAY` variable, which is set here before any other thread of this process could read it.
//! CI installs the tools: `apt-get install -y xvfb xclip`. Without them the test is skipped, and
//! says so, except under CI (`CI` set), where it fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// Only the tools module of `common`, not all of it.
#[path = "common/tools.rs"]
#[allow(dead_code)]
mod tools;

use twotier::platform::EnvFacts;
use twotier::platform::clipboard::{Clipboard, ClipboardKind};

/// Kills and reaps the X server when the test ends, pass or fail.
struct Xvfb {
    child: Child,
    display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM, so Xvfb removes its socket and lock file (SIGKILL leaves them in /tmp). The
        // shell's built-in `kill`: no extra crate, and /bin/kill is not on every image.
        let _ = Command::new("sh")
            .args(["-c", &format!("kill -TERM {}", self.child.id())])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A display number nobody uses: derived from our process id, skipping taken ones.
fn free_display() -> u32 {
    let start = 200 + std::process::id() % 5000;
    (start..start + 100)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number")
}

fn start_xvfb(n: u32, log: &Path) -> Xvfb {
    let display = format!(":{n}");
    let child = Command::new("Xvfb")
        .args([display.as_str(), "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("starting Xvfb");
    let mut xvfb = Xvfb { child, display };
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        let log = || std::fs::read_to_string(log).unwrap_or_default();
        if let Some(status) = xvfb.child.try_wait().unwrap() {
            panic!("Xvfb {} exited ({status}):\n{}", xvfb.display, log());
        }
        assert!(
            Instant::now() < deadline,
            "Xvfb {} did not create {} within 10 s:\n{}",
            xvfb.display,
            socket.display(),
            log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    xvfb
}

/// What the CLIPBOARD selection holds, as another app sees it ("" when nothing).
fn xclip_read(display: &str) -> String {
    let output = Command::new("xclip")
        .args(["-o", "-selection", "clipboard", "-display", display])
        .stdin(Stdio::null())
        .output()
        .expect("running xclip -o");
    // xclip exits 1 ("target STRING not available") when the selection is empty or unowned.
    String::from_utf8(output.stdout).expect("UTF-8 from xclip")
}

/// Another app takes the clipboard (xclip forks a server that lives until the X server goes).
fn xclip_write(display: &str, text: &str) {
    let mut child = Command::new("xclip")
        .args(["-i", "-selection", "clipboard", "-display", display])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("running xclip -i");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn system_clipboard_copy_read_back_and_clear() {
    if !tools::all_available(&[tools::XVFB, tools::XCLIP]) {
        return;
    }
    let n = free_display();
    let display = format!(":{n}");
    // SAFETY: this binary holds only this test, and nothing has started a thread that reads the
    // environment yet (libtest's main thread only waits for this test). arboard reads DISPLAY.
    unsafe {
        std::env::set_var("DISPLAY", &display);
        std::env::remove_var("WAYLAND_DISPLAY");
    }
    let tmp = tempfile::tempdir().unwrap();
    // Declared before the clipboard, so dropped after it: arboard lets go of a live server.
    let xvfb = start_xvfb(n, &tmp.path().join("xvfb.log"));

    let mut clipboard = Clipboard::with_env(&EnvFacts {
        display: Some(display.clone()),
        ..EnvFacts::default()
    });
    assert_eq!(clipboard.kind(), ClipboardKind::System, "arboard connects");

    let text = "Partnership request — ünïcode";
    let mut out = Vec::new();
    assert_eq!(
        clipboard.copy(text, &mut out).unwrap(),
        ClipboardKind::System
    );
    assert!(out.is_empty(), "no OSC 52 when the system clipboard works");
    assert_eq!(xclip_read(&xvfb.display), text);

    // Sanitised before it reaches the clipboard.
    clipboard.copy("a\x1b[31mb\r\nc", &mut out).unwrap();
    assert_eq!(xclip_read(&xvfb.display), "a\u{fffd}[31mb\nc");

    // A secret: cleared only while the clipboard still holds it.
    let secret = "Tmp-Pa55word!";
    clipboard.copy_secret(secret, &mut out).unwrap();
    assert_eq!(xclip_read(&xvfb.display), secret);
    clipboard.clear_if_holds("something else");
    assert_eq!(xclip_read(&xvfb.display), secret, "not ours to clear");
    clipboard.clear_if_holds(secret);
    assert_eq!(xclip_read(&xvfb.display), "", "the secret is gone");

    // The user copied something else since: left alone.
    clipboard.copy(secret, &mut out).unwrap();
    xclip_write(&xvfb.display, "copied by the user");
    // xclip serves the selection from a forked child: it owns it a moment after `wait` returns.
    let start = std::time::Instant::now();
    while xclip_read(&xvfb.display) != "copied by the user" && start.elapsed().as_secs() < 5 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(xclip_read(&xvfb.display), "copied by the user");
    clipboard.clear_if_holds(secret);
    assert_eq!(xclip_read(&xvfb.display), "copied by the user");
    assert!(out.is_empty());

    drop(clipboard);
    drop(xvfb);
}
