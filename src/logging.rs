//! Logs go to a file, never to the terminal the TUI draws on.

use std::path::Path;
use std::sync::Mutex;

/// Starts logging to `path` (appending). `TWOTIER_LOG` sets the level filter (default `info`).
/// Logging is best effort: if the file cannot be opened the app runs without it.
pub fn init(path: &Path) -> Result<(), std::io::Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let level = std::env::var("TWOTIER_LOG")
        .ok()
        .and_then(|v| v.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
    Ok(())
}
