//! `twotier backup` and `twotier restore`: a consistent copy of a book in use (SQLite's online
//! backup API), and putting a copy back without ever replacing a book under a running twotier.
//!
//! Both build their result in a temporary file beside the destination and rename it into place
//! only once it is whole and verified: a killed backup or restore leaves the destination as it
//! was, and the next run removes the temporary file it left.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, OpenError, SCHEMA_VERSION, Store, audit, inspect_existing};
use crate::domain::text::shown_path;

/// How long a backup waits for a source it cannot read yet (a checkpoint holding it).
const WAIT: Duration = Duration::from_secs(10);

/// What [`backup`] copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The size of the copy, in bytes.
    pub bytes: u64,
    /// The copy's schema version.
    pub schema_version: i32,
    /// An existing file at the destination was replaced (--force).
    pub replaced: bool,
    /// Temporary files of interrupted backups that were removed.
    pub removed_leftovers: Vec<PathBuf>,
}

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Where the replaced book was kept, if there was one.
    pub kept: Option<PathBuf>,
    /// The restored book's schema version (after migrating an older copy).
    pub schema_version: i32,
    /// Temporary files of interrupted restores that were removed.
    pub removed_leftovers: Vec<PathBuf>,
}

/// The temporary files: `.<NAME>.twotier-backup-<pid>.tmp` beside the destination.
const BACKUP_TAG: &str = "twotier-backup";
const RESTORE_TAG: &str = "twotier-restore";

/// Copies the book at `book` to `file` with SQLite's online backup API: one snapshot, so a
/// console writing meanwhile never makes it inconsistent (in WAL mode the copy does not block
/// it either). The copy is checked (integrity, application id, schema version) before it is
/// renamed to `file`. An existing `file` is refused unless `force`.
pub fn backup(book: &Path, file: &Path, force: bool) -> anyhow::Result<BackupReport> {
    inspect_existing(book)?;
    if file.is_dir() {
        bail!(
            "{} is a folder: name the backup file, such as {}.",
            shown_path(file),
            shown_path(&file.join("twotier-backup.db"))
        );
    }
    let exists = file.symlink_metadata().is_ok();
    if exists && same_file(book, file) {
        bail!(
            "{} is the book itself: choose another file for the backup (nothing was changed).",
            shown_path(file)
        );
    }
    if exists && !force {
        bail!(
            "{} already exists: twotier backup does not overwrite it (nothing was changed). \
             Choose another file, or add --force to replace it.",
            shown_path(file)
        );
    }
    // A book open in a twotier is not replaced by a backup under it.
    let _replacing = if exists && is_ours(file) {
        Some(super::lock_for_replacing(file)?)
    } else {
        None
    };
    let dir = folder_of(file);
    if !dir.is_dir() {
        bail!(
            "the folder {} does not exist: create it first (nothing was changed).",
            shown_path(dir)
        );
    }
    let removed_leftovers = remove_interrupted(dir, BACKUP_TAG);
    let tmp = temp_beside(file, BACKUP_TAG);
    let result = (|| -> anyhow::Result<(u64, i32)> {
        // Marks the file as a backup in progress (not a leftover) until it is renamed. Declared
        // before the connections: closed after them (closing another descriptor of a file drops
        // a connection's POSIX locks on it).
        let building = std::fs::File::create_new(&tmp)
            .with_context(|| format!("creating {}", shown_path(&tmp)))?;
        building.lock_shared()?;
        // Shared like every open twotier: `twotier demo` does not replace the book meanwhile.
        let in_use = std::fs::File::open(book)?;
        in_use.lock_shared()?;
        let source =
            Connection::open_with_flags(book, OpenFlags::SQLITE_OPEN_READ_WRITE | no_mutex())
                .with_context(|| format!("opening {}", shown_path(book)))?;
        source.busy_timeout(WAIT)?;
        let (app_id, version): (i32, i32) = source.query_row(
            "SELECT application_id, user_version FROM pragma_application_id, pragma_user_version",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if app_id != APPLICATION_ID {
            return Err(OpenError::ForeignDatabase(book.to_owned()).into());
        }
        if version > SCHEMA_VERSION {
            return Err(OpenError::NewerSchema {
                path: book.to_owned(),
                found: version,
                known: SCHEMA_VERSION,
            }
            .into());
        }
        let mut copy = Connection::open(&tmp)?;
        {
            let backup = Backup::new(&source, &mut copy)?;
            let deadline = Instant::now() + WAIT;
            // All pages in one step: one read transaction, one snapshot. Steps of a few pages
            // would start over each time the console commits.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                    _ => bail!(
                        "{} stayed busy for {} s: try again (nothing was written to {}).",
                        shown_path(book),
                        WAIT.as_secs(),
                        shown_path(file)
                    ),
                }
            }
        }
        drop(source);
        // Named after the book: a copy that fails is the book's own state, not the copy's.
        let version = verify(&copy, book)?;
        copy.close().map_err(|(_, e)| e)?;
        drop(in_use);
        sync_file(&tmp)?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(file, suffix));
        }
        std::fs::rename(&tmp, file)
            .with_context(|| format!("moving the copy to {}", shown_path(file)))?;
        drop(building);
        sync_dir(dir);
        let bytes = std::fs::metadata(file)?.len();
        Ok((bytes, version))
    })();
    if result.is_err() {
        remove_with_sidecars(&tmp);
    }
    let (bytes, schema_version) = result?;
    Ok(BackupReport {
        bytes,
        schema_version,
        replaced: exists,
        removed_leftovers,
    })
}

/// Replaces the book at `target` with the copy in `file`, after checking that `file` is a whole
/// twotier book of a schema this build knows. Refused while any twotier has `target` open. The
/// replaced book is kept as `<target>.before-restore` (an existing one is refused unless
/// `force`). The restored book gets one activity entry, by `operator` when the book knows them.
pub fn restore(
    file: &Path,
    target: &Path,
    force: bool,
    operator: &str,
) -> anyhow::Result<RestoreReport> {
    check_copy(file)?;
    let exists = target.exists();
    let kept = exists.then(|| sidecar(target, ".before-restore"));
    // Held from the checks until the restored book is in place.
    let _replacing = if exists {
        inspect_existing(target)?;
        let lock = super::lock_for_replacing(target)?;
        if let Some(kept) = &kept
            && kept.symlink_metadata().is_ok()
            && !force
        {
            bail!(
                "{} already exists (the book replaced by an earlier restore): nothing was changed. \
                 Move it away, or add --force to replace it with the book now at {}.",
                shown_path(kept),
                shown_path(target)
            );
        }
        Some(lock)
    } else {
        None
    };
    let dir = folder_of(target);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", shown_path(dir)))?;
    let removed_leftovers = remove_interrupted(dir, RESTORE_TAG);
    let tmp = temp_beside(target, RESTORE_TAG);
    let result = (|| -> anyhow::Result<i32> {
        let building = std::fs::File::create_new(&tmp)
            .with_context(|| format!("creating {}", shown_path(&tmp)))?;
        building.lock_shared()?;
        std::fs::copy(file, &tmp)
            .with_context(|| format!("copying {} to {}", shown_path(file), shown_path(&tmp)))?;
        // Checked again as copied; migrated if older; the entry written before it is in place.
        let schema_version = {
            let (mut store, _) = Store::open(&tmp)?;
            verify(store.conn(), file)?;
            if let Ok(op) = store.resolve_operator(operator) {
                store.act_as(op);
            }
            let shown = shown_path(&std::path::absolute(file).unwrap_or_else(|_| file.to_owned()));
            let before = kept
                .as_ref()
                .map(|k| format!("replaced book kept as {}", shown_path(k)));
            store.mutate(|conn, actor| {
                audit(
                    conn,
                    chrono::Utc::now(),
                    actor,
                    "Book restored",
                    &format!("from {shown}"),
                    before.as_deref(),
                    None,
                )?;
                Ok(())
            })?;
            let version = store
                .conn()
                .pragma_query_value(None, "user_version", |r| r.get::<_, i32>(0))?;
            store.close()?;
            version
        };
        sync_file(&tmp)?;
        if exists {
            keep_old(
                target,
                kept.as_deref().expect("kept is set for an existing target"),
            )?;
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(target, suffix));
        }
        std::fs::rename(&tmp, target)
            .with_context(|| format!("moving the restored book to {}", shown_path(target)))?;
        drop(building);
        sync_dir(dir);
        Ok(schema_version)
    })();
    if result.is_err() {
        remove_with_sidecars(&tmp);
    }
    Ok(RestoreReport {
        kept,
        schema_version: result?,
        removed_leftovers,
    })
}

/// Refuses `file` unless it is a twotier book this build knows, whole: its header first (without
/// opening it as a database), then read-only (immutable: nothing is written beside it) with an
/// integrity check.
fn check_copy(file: &Path) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("no file at {}: name a twotier backup.", shown_path(file));
    }
    match inspect_existing(file) {
        // A read-only copy is fine: it is only read.
        Ok(()) | Err(OpenError::ReadOnly(_)) => {}
        Err(OpenError::NotSqlite(_)) => bail!(
            "{} is not a twotier backup (it is not an SQLite file): nothing was changed.",
            shown_path(file)
        ),
        Err(OpenError::ForeignDatabase(_)) => bail!(
            "{} is an SQLite database of another program, not a twotier backup: nothing was changed.",
            shown_path(file)
        ),
        Err(e) => return Err(e.into()),
    }
    let wal = sidecar(file, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        bail!(
            "{} has a write-ahead log beside it ({}): it is a book in use, or one not closed \
             cleanly, so the file alone is not the whole book. Make a copy with `twotier backup` \
             and restore that (nothing was changed).",
            shown_path(file),
            shown_path(&wal)
        );
    }
    let conn = open_immutable(file).with_context(|| format!("opening {}", shown_path(file)))?;
    verify(&conn, file).map(|_| ())
}

/// Opens a database file read-only as immutable: nothing is written or created beside it (no
/// -wal, no -shm), and no lock is taken. Only for a file that holds all of its book (no
/// write-ahead log with content beside it) and that nothing writes meanwhile.
pub(super) fn open_immutable(file: &Path) -> anyhow::Result<Connection> {
    let absolute = std::path::absolute(file)?;
    let mut uri = String::from("file:");
    uri.push_str(
        &percent_encoding::utf8_percent_encode(
            &absolute.to_string_lossy(),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string()
        .replace("%2F", "/"),
    );
    uri.push_str("?immutable=1");
    Ok(Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | no_mutex(),
    )?)
}

/// Integrity, application id and schema version of a copy; its schema version.
fn verify(conn: &Connection, path: &Path) -> anyhow::Result<i32> {
    let not_whole = |why: String| {
        anyhow::anyhow!(
            "{} is not a whole twotier book ({why}): nothing was changed.",
            shown_path(path)
        )
    };
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check(10)")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| not_whole(format!("it cannot be read: {e}")))?;
    if integrity != ["ok"] {
        return Err(not_whole(format!(
            "integrity check: {}",
            crate::domain::text::escaped(&integrity.join("; "))
        )));
    }
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id != APPLICATION_ID || version < 1 {
        return Err(OpenError::ForeignDatabase(path.to_owned()).into());
    }
    if version > SCHEMA_VERSION {
        return Err(OpenError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: SCHEMA_VERSION,
        }
        .into());
    }
    Ok(version)
}

/// Keeps the book at `target` as `kept`: its write-ahead log folded in first (no twotier has it
/// open: the caller holds it for replacing), then a second name for the same file, so `target`
/// never stops naming a book.
fn keep_old(target: &Path, kept: &Path) -> anyhow::Result<()> {
    {
        let conn =
            Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_WRITE | no_mutex())?;
        conn.busy_timeout(WAIT)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.close().map_err(|(_, e)| e)?;
    }
    if kept.symlink_metadata().is_ok() {
        std::fs::remove_file(kept).with_context(|| format!("removing {}", shown_path(kept)))?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(kept, suffix));
    }
    if std::fs::hard_link(target, kept).is_err() {
        // A file system without hard links: a copy.
        std::fs::copy(target, kept)
            .with_context(|| format!("keeping {} as {}", shown_path(target), shown_path(kept)))?;
        sync_file(kept)?;
    }
    Ok(())
}

/// True when the file's header says it is a twotier book.
fn is_ours(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 72];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && &header[..16] == b"SQLite format 3\0"
        && i32::from_be_bytes([header[68], header[69], header[70], header[71]]) == APPLICATION_ID
}

fn no_mutex() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_NO_MUTEX
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn temp_beside(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder_of(path).join(format!(".{name}.{tag}-{}.tmp", std::process::id()))
}

/// Removes the temporary files of backups or restores that were killed: those no running one
/// holds locked. Returns what was removed.
fn remove_interrupted(dir: &Path, tag: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    let infix = format!(".{tag}-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some((_, pid)) = rest.rsplit_once(&infix) else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        // One in progress holds a shared lock on its file until it is renamed into place.
        if file.try_lock().is_err() {
            continue;
        }
        drop(file);
        remove_with_sidecars(&path);
        if path.symlink_metadata().is_err() {
            removed.push(path);
        }
    }
    removed
}

fn remove_with_sidecars(path: &Path) {
    for suffix in ["-wal", "-shm", "-journal", ""] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    }
}

fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .sync_all()
}

/// Makes a rename durable (best effort: not every platform can open a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
