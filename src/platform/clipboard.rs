//! Copying text for the user.
//!
//! With a local display we use the system clipboard through ONE long-lived `arboard::Clipboard`:
//! on X11 the owner of the clipboard serves its content to other apps from a thread that lives as
//! long as that value, so a short-lived one would empty the clipboard when dropped. Without a
//! display, or over SSH, we write OSC 52 to the terminal, which puts the text on the clipboard of
//! the machine the user actually sits at (when the terminal allows it).
//!
//! Text is sanitised first: no control character reaches either clipboard.

use std::io::Write;

use anyhow::Context;
use base64::prelude::{BASE64_STANDARD, Engine as _};
use zeroize::Zeroizing;

use super::EnvFacts;
use crate::domain::text::clean_multiline;

/// Where copied text went, for the toast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipboardKind {
    System,
    Osc52,
}

impl ClipboardKind {
    /// Words for the toast: "Copied to the …".
    pub fn label(self) -> &'static str {
        match self {
            ClipboardKind::System => "system clipboard",
            ClipboardKind::Osc52 => "terminal clipboard (OSC 52)",
        }
    }
}

/// Which path to try first. Over SSH even a forwarded X11 display is not the clipboard the user
/// pastes from; their terminal is, so OSC 52 goes through it.
pub fn choose(env: &EnvFacts) -> ClipboardKind {
    if env.has_display() && !env.over_ssh {
        ClipboardKind::System
    } else {
        ClipboardKind::Osc52
    }
}

/// The OSC 52 "set clipboard" sequence: `ESC ] 52 ; c ; <base64 of the UTF-8 text> BEL`.
///
/// Written by hand: crossterm's `CopyToClipboard` ends the sequence with ST (`ESC \`), not BEL.
/// No tmux passthrough wrapping: tmux handles OSC 52 itself (`set-clipboard`).
pub fn osc52(text: &str) -> Vec<u8> {
    let mut bytes = b"\x1b]52;c;".to_vec();
    bytes.extend_from_slice(BASE64_STANDARD.encode(text).as_bytes());
    bytes.push(0x07);
    bytes
}

/// What a secret on the terminal's clipboard is overwritten with, after the delay and on quit.
///
/// OSC 52 can't be read back, so the secret is replaced whatever the clipboard holds by then.
/// Two sequences: first a single space, because tmux (and terminals like it) ignore an empty
/// payload and would keep the secret; then an empty payload, which empties the clipboard in the
/// terminals that honour it (xterm), leaving the space elsewhere. What no sequence can reach:
/// tmux keeps earlier copies in its list of paste buffers (`choose-buffer`) until newer ones push
/// them out, and a clipboard manager or history on the user's machine may have kept the secret.
pub fn osc52_overwrite() -> Vec<u8> {
    let mut bytes = osc52(" ");
    bytes.extend_from_slice(&osc52(""));
    bytes
}

/// The app's clipboard: the system one when it could be opened, else OSC 52.
pub struct Clipboard {
    /// Created once and kept for the life of the app (see the module comment). `None`: OSC 52.
    system: Option<arboard::Clipboard>,
}

impl Clipboard {
    /// Decides from this process's environment.
    pub fn new() -> Self {
        Self::with_env(&EnvFacts::from_env())
    }

    /// Decides from `env`. Note that arboard itself connects to the display named by the process's
    /// `DISPLAY` variable; `env` only decides whether to try.
    pub fn with_env(env: &EnvFacts) -> Self {
        let system = match choose(env) {
            ClipboardKind::System => match arboard::Clipboard::new() {
                Ok(clipboard) => Some(clipboard),
                Err(e) => {
                    tracing::warn!(error = %e, "no system clipboard, using OSC 52");
                    None
                }
            },
            ClipboardKind::Osc52 => None,
        };
        Self { system }
    }

    /// The path `copy` tries first.
    pub fn kind(&self) -> ClipboardKind {
        if self.system.is_some() {
            ClipboardKind::System
        } else {
            ClipboardKind::Osc52
        }
    }

    /// Copies the sanitised `text`. When the system clipboard fails, falls back to OSC 52 written
    /// to `out` (the terminal).
    pub fn copy(&mut self, text: &str, out: &mut impl Write) -> anyhow::Result<ClipboardKind> {
        self.put(text, false, out)
    }

    /// Like [`copy`](Self::copy), and asks clipboard managers not to keep the text in their history
    /// (the `x-kde-passwordManagerHint` convention on Linux). Still take it back with
    /// [`clear_secret`](Self::clear_secret) later.
    pub fn copy_secret(
        &mut self,
        text: &str,
        out: &mut impl Write,
    ) -> anyhow::Result<ClipboardKind> {
        self.put(text, true, out)
    }

    /// Takes back a secret that [`copy_secret`](Self::copy_secret) put on the clipboard `kind`
    /// (what it returned): the system clipboard is emptied if it still holds `text`
    /// ([`clear_if_holds`](Self::clear_if_holds)); the terminal's clipboard, which can't be read
    /// back, is overwritten through `out` ([`osc52_overwrite`]), the same terminal the copy went
    /// to. Something the user copied to the terminal's clipboard since is overwritten too.
    pub fn clear_secret(&mut self, kind: ClipboardKind, text: &str, out: &mut impl Write) {
        match kind {
            ClipboardKind::System => self.clear_if_holds(text),
            ClipboardKind::Osc52 => {
                let written = out.write_all(&osc52_overwrite()).and_then(|()| out.flush());
                if let Err(e) = written {
                    // The terminal is gone: so is its clipboard, as far as we can reach it.
                    tracing::warn!(error = %e, "could not overwrite the terminal clipboard");
                }
            }
        }
    }

    /// For secrets: empties the system clipboard if it still holds exactly `text` (as copied, that
    /// is sanitised), so something the user copied since is left alone. OSC 52 cannot be read
    /// back, so there it does nothing (see [`clear_secret`](Self::clear_secret)).
    pub fn clear_if_holds(&mut self, text: &str) {
        let Some(system) = &mut self.system else {
            return;
        };
        let expected = Zeroizing::new(clean_multiline(text).into_owned());
        let holds = match system.get_text() {
            Ok(held) => *Zeroizing::new(held) == *expected,
            // Empty, not text, or owned by an app that does not answer: nothing of ours to clear.
            Err(_) => false,
        };
        if holds && let Err(e) = system.set_text("") {
            tracing::warn!(error = %e, "could not clear the clipboard");
        }
    }

    fn put(
        &mut self,
        text: &str,
        secret: bool,
        out: &mut impl Write,
    ) -> anyhow::Result<ClipboardKind> {
        // Zeroizing: the text may be a password.
        let text = Zeroizing::new(clean_multiline(text).into_owned());
        if let Some(system) = &mut self.system {
            match set_text(system, &text, secret) {
                Ok(()) => return Ok(ClipboardKind::System),
                Err(e) => tracing::warn!(error = %e, "system clipboard failed, using OSC 52"),
            }
        }
        let sequence = Zeroizing::new(osc52(&text));
        out.write_all(&sequence)
            .and_then(|()| out.flush())
            .context("writing the OSC 52 sequence to the terminal")?;
        Ok(ClipboardKind::Osc52)
    }
}

impl Default for Clipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clipboard")
            .field("kind", &self.kind())
            .finish()
    }
}

fn set_text(
    clipboard: &mut arboard::Clipboard,
    text: &str,
    secret: bool,
) -> Result<(), arboard::Error> {
    let set = clipboard.set();
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    ))]
    let set = if secret {
        arboard::SetExtLinux::exclude_from_history(set)
    } else {
        set
    };
    #[cfg(target_os = "macos")]
    let set = if secret {
        arboard::SetExtApple::exclude_from_history(set)
    } else {
        set
    };
    #[cfg(windows)]
    let set = if secret {
        arboard::SetExtWindows::exclude_from_history(set)
    } else {
        set
    };
    let _ = secret; // unused on other targets
    set.text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(display: Option<&str>, wayland: Option<&str>, over_ssh: bool) -> EnvFacts {
        EnvFacts {
            display: display.map(str::to_owned),
            wayland_display: wayland.map(str::to_owned),
            over_ssh,
            native_desktop: false,
        }
    }

    #[test]
    fn system_clipboard_only_with_a_local_display() {
        use ClipboardKind::*;
        assert_eq!(choose(&env(Some(":0"), None, false)), System);
        assert_eq!(choose(&env(None, Some("wayland-0"), false)), System);
        assert_eq!(choose(&env(None, None, false)), Osc52);
        // A forwarded X11 display over SSH is not the user's clipboard.
        assert_eq!(choose(&env(Some("localhost:10.0"), None, true)), Osc52);
        assert_eq!(choose(&env(None, None, true)), Osc52);
        let mac = EnvFacts {
            native_desktop: true,
            ..EnvFacts::default()
        };
        assert_eq!(choose(&mac), System);
    }

    #[test]
    fn labels_for_the_toast() {
        assert_eq!(ClipboardKind::System.label(), "system clipboard");
        assert_eq!(ClipboardKind::Osc52.label(), "terminal clipboard (OSC 52)");
    }

    #[test]
    fn osc52_bytes_are_exact() {
        assert_eq!(osc52("hello"), b"\x1b]52;c;aGVsbG8=\x07");
        assert_eq!(osc52(""), b"\x1b]52;c;\x07");
        assert_eq!(osc52("é"), b"\x1b]52;c;w6k=\x07");
    }

    #[test]
    fn without_a_display_copy_writes_clean_osc52() {
        let mut clipboard = Clipboard::with_env(&EnvFacts::default());
        assert_eq!(clipboard.kind(), ClipboardKind::Osc52);
        let mut out = Vec::new();
        let kind = clipboard.copy("a\x1b]0;x\x07b\r\nc", &mut out).unwrap();
        assert_eq!(kind, ClipboardKind::Osc52);
        assert_eq!(out, osc52("a\u{fffd}]0;x\u{fffd}b\nc"));
        // Nothing to read back with OSC 52: clearing does nothing and does not fail.
        clipboard.clear_if_holds("a");
        assert_eq!(format!("{clipboard:?}"), "Clipboard { kind: Osc52 }");
    }

    #[test]
    fn an_osc52_secret_is_overwritten_with_a_space_then_emptied() {
        assert_eq!(osc52_overwrite(), b"\x1b]52;c;IA==\x07\x1b]52;c;\x07");
        let mut clipboard = Clipboard::with_env(&EnvFacts::default());
        let mut out = Vec::new();
        let kind = clipboard.copy_secret("User name: a\nTemporary password: p", &mut out);
        assert_eq!(kind.unwrap(), ClipboardKind::Osc52);
        out.clear();
        clipboard.clear_secret(
            ClipboardKind::Osc52,
            "User name: a\nTemporary password: p",
            &mut out,
        );
        assert_eq!(out, osc52_overwrite());
        // The system clipboard is never overwritten blindly: with none here, nothing is written.
        out.clear();
        clipboard.clear_secret(ClipboardKind::System, "x", &mut out);
        assert!(out.is_empty());
    }
}
