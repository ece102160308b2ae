//! Side effects at the edge: the clipboard (`clipboard`) and handing an email to the user's mail
//! app (`mail`).
//!
//! These modules talk to the world outside the process (X11, the terminal, child processes, files).
//! Every decision they make is a small pure function of an [`EnvFacts`] snapshot or of its inputs,
//! so it is unit-tested without that world.

pub mod clipboard;
pub mod mail;

/// What the environment says about where we run, read once so that decisions stay pure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvFacts {
    /// `DISPLAY` (X11), when set and not empty.
    pub display: Option<String>,
    /// `WAYLAND_DISPLAY`, when set and not empty.
    pub wayland_display: Option<String>,
    /// `SSH_CONNECTION` or `SSH_TTY` is set: the user sits at another machine.
    pub over_ssh: bool,
    /// The OS always has a desktop without a display variable (macOS, Windows).
    pub native_desktop: bool,
}

impl EnvFacts {
    /// A snapshot of this process's environment.
    pub fn from_env() -> Self {
        // An empty variable means "unset" to X11 and Wayland clients too.
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(|v| v.to_string_lossy().into_owned())
        };
        Self {
            display: var("DISPLAY"),
            wayland_display: var("WAYLAND_DISPLAY"),
            over_ssh: var("SSH_CONNECTION").is_some() || var("SSH_TTY").is_some(),
            native_desktop: cfg!(any(target_os = "macos", windows)),
        }
    }

    /// A graphical session is reachable: a display variable, or an OS that always has one.
    pub fn has_display(&self) -> bool {
        self.native_desktop || self.display.is_some() || self.wayland_display.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_variable_or_a_native_desktop_counts_as_a_display() {
        assert!(!EnvFacts::default().has_display());
        let x11 = EnvFacts {
            display: Some(":0".into()),
            ..EnvFacts::default()
        };
        let wayland = EnvFacts {
            wayland_display: Some("wayland-0".into()),
            ..EnvFacts::default()
        };
        let mac = EnvFacts {
            native_desktop: true,
            ..EnvFacts::default()
        };
        assert!(x11.has_display() && wayland.has_display() && mac.has_display());
    }
}
