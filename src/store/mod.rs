//! The only place with SQL. A [`Store`] owns one SQLite connection; the TUI reaches it only
//! through the [`worker`] thread, the CLI calls it directly.

pub mod backup;
pub mod catalog;
pub mod counters;
pub mod customer_account;
pub mod customers;
pub mod dashboard;
pub mod demo;
pub mod export;
pub mod follow_up;
pub mod import;
pub mod init;
pub mod invitations;
pub mod key;
pub mod list;
mod list_rows;
mod list_types;
pub mod operators;
pub mod provider;
pub mod record;
pub mod renewals;
pub mod resellers;
mod schema;
pub mod search;
pub mod subscriptions;
pub mod sync;
mod sync_rows;
pub mod sync_subscriptions;
pub mod sync_types;
mod time;
mod values;
pub mod worker;
mod worker_task;
pub mod write_through;

pub use time::{db_time, parse_db_time};

pub use values::{opt_text, text};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use crate::domain::operator::Operator;
use crate::domain::permission::{Matrix, Permission};

/// Marks a SQLite file as ours (`PRAGMA application_id`, the bytes "twtr").
pub const APPLICATION_ID: i32 = 0x7477_7472;

use schema::MIGRATIONS;
pub use schema::SCHEMA_VERSION;

/// Why a database file could not be opened. Each message says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{} is not a twotier database (it is not an SQLite file). Choose another file with --db.", crate::domain::text::shown_path(.0))]
    NotSqlite(PathBuf),
    #[error("{} is an SQLite database of another program, not twotier's. twotier left it untouched; choose another file with --db.", crate::domain::text::shown_path(.0))]
    ForeignDatabase(PathBuf),
    #[error("{} is read-only. twotier needs to write to its database: make the file writable or choose another with --db.", crate::domain::text::shown_path(.0))]
    ReadOnly(PathBuf),
    #[error("{} was written by a newer twotier (schema version {found}; this build knows up to {known}). Upgrade twotier; the file was left untouched.", crate::domain::text::shown_path(.path))]
    NewerSchema {
        path: PathBuf,
        found: i32,
        known: i32,
    },
    #[error("cannot create the folder for {}: {source}", crate::domain::text::shown_path(.path))]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is open in another twotier (a console or a script): close it there first; nothing was changed.", crate::domain::text::shown_path(.0))]
    InUse(PathBuf),
    // SQLite's message, escaped and not chained as a source: it may quote the path raw.
    #[error("cannot open {}: {}", crate::domain::text::shown_path(.path), crate::domain::text::escaped(&.error.to_string()))]
    Sqlite {
        path: PathBuf,
        error: rusqlite::Error,
    },
}

/// A twotier database connection, and who is acting through it.
pub struct Store {
    conn: Connection,
    actor: Option<Operator>,
    settings: Settings,
    /// A shared advisory lock on the book's file for as long as it is open, so `twotier demo`
    /// can tell the book is in use and never replaces it under a console. Declared after `conn`:
    /// it is closed after the connection (closing another descriptor of a file would drop the
    /// connection's own POSIX locks on it).
    _in_use: std::fs::File,
}

/// What the config file says about the store's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// A partnership request unanswered this many days is Expired.
    pub invitation_expiry_days: u32,
    /// Overrides the provider's invitation base URL.
    pub invitation_base_url: Option<String>,
    /// Who may do what.
    pub matrix: Matrix,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            invitation_expiry_days: 30,
            invitation_base_url: None,
            matrix: Matrix::default(),
        }
    }
}

/// Why a command changed nothing: a rule said no (in words for the operator), or the database
/// failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Shorthand for a refusal.
pub fn refuse<T>(message: impl Into<String>) -> CommandResult<T> {
    Err(CommandError::Refused(message.into()))
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .finish()
    }
}

/// What [`Store::open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A new or empty file: the schema was created and nothing else is in it yet.
    Created,
    /// An existing twotier database (migrated forward if it was older).
    Existing,
}

impl Store {
    /// Opens (or creates) the database at `path`. A file that is not ours, is read-only or has a
    /// newer schema is refused before anything is written to it.
    pub fn open(path: &Path) -> Result<(Store, Opened), OpenError> {
        let store = Store::connect(path)?;
        let opened = store.prepare_schema(path)?;
        Ok((store, opened))
    }

    /// Like [`Store::open`], and a book with nothing in it yet is filled by `fill` under the same
    /// write lock: processes that start together on a new path make one book, never two halves.
    pub fn open_or_fill(
        path: &Path,
        fill: impl FnOnce(&Store) -> anyhow::Result<()>,
    ) -> anyhow::Result<(Store, Opened)> {
        let store = Store::connect(path)?;
        let opened = {
            store.begin_immediate().map_err(|e| sqlite_error(path, e))?;
            let open = OpenTransaction(&store.conn);
            let opened = store.prepare_schema(path)?;
            if opened == Opened::Created {
                fill(&store)?;
            }
            open.commit().map_err(|e| sqlite_error(path, e))?;
            opened
        };
        Ok((store, opened))
    }

    /// The connection with twotier's settings, after the file's header was checked.
    fn connect(path: &Path) -> Result<Store, OpenError> {
        // A book replaced (`twotier demo`) while we waited for its lock: open the new file.
        for _ in 0..5 {
            if let Some(store) = Store::try_connect(path)? {
                return Ok(store);
            }
        }
        Err(OpenError::InUse(path.to_owned()))
    }

    fn try_connect(path: &Path) -> Result<Option<Store>, OpenError> {
        let sqlite = |e| sqlite_error(path, e);
        let exists = path.exists();
        if exists {
            inspect_existing(path)?;
        } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| OpenError::CreateDir {
                path: path.to_owned(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(sqlite)?;
        let in_use = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
        if let Err(std::fs::TryLockError::WouldBlock) = in_use.try_lock_shared() {
            // Held exclusively only by a `twotier demo` that is replacing this file.
            in_use.lock_shared().map_err(|e| io_error(path, e))?;
            if !same_file(&in_use, path) {
                return Ok(None);
            }
        }
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        // Migration 0008's triggers fold the searched text through this function.
        search::register(&conn).map_err(sqlite)?;
        // A new file switched to WAL by several processes at once: SQLite may answer busy
        // without waiting, so wait here.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match conn.execute_batch("PRAGMA journal_mode = WAL;") {
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => break other.map_err(sqlite)?,
            }
        }
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(sqlite)?;
        Ok(Some(Store {
            conn,
            actor: None,
            settings: Settings::default(),
            _in_use: in_use,
        }))
    }

    /// Checks the schema version and migrates, holding the write lock from before the version is
    /// read until the new schema is committed, so two processes never both create it.
    fn prepare_schema(&self, path: &Path) -> Result<Opened, OpenError> {
        let sqlite = |e| sqlite_error(path, e);
        let outer = !self.conn.is_autocommit();
        if !outer {
            self.begin_immediate().map_err(sqlite)?;
        }
        let open = OpenTransaction(&self.conn);
        let before = self.schema_version().map_err(sqlite)?;
        // The header said otherwise, but a newer version may sit in the WAL, not yet checkpointed.
        if before > SCHEMA_VERSION {
            return Err(OpenError::NewerSchema {
                path: path.to_owned(),
                found: before,
                known: SCHEMA_VERSION,
            });
        }
        self.migrate(before).map_err(sqlite)?;
        let opened = if before == 0 || !self.has_provider().map_err(sqlite)? {
            Opened::Created
        } else {
            Opened::Existing
        };
        if outer {
            std::mem::forget(open);
        } else {
            open.commit().map_err(sqlite)?;
        }
        Ok(opened)
    }

    fn begin_immediate(&self) -> rusqlite::Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")
    }

    fn schema_version(&self) -> rusqlite::Result<i32> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
    }

    /// Applies the schema steps after `current`, inside the caller's transaction.
    fn migrate(&self, current: i32) -> rusqlite::Result<()> {
        if current as usize >= MIGRATIONS.len() {
            return Ok(());
        }
        for (index, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            self.conn.execute_batch(step)?;
            tracing::info!(version = index + 1, "applied schema migration");
        }
        self.conn
            .pragma_update(None, "application_id", APPLICATION_ID)?;
        self.conn
            .pragma_update(None, "user_version", SCHEMA_VERSION)
    }

    fn has_provider(&self) -> rusqlite::Result<bool> {
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM provider)", [], |r| r.get(0))
    }

    /// Acts as this operator from now on: mutations are recorded under their name.
    pub fn act_as(&mut self, operator: Operator) {
        self.actor = Some(operator);
    }

    pub fn actor(&self) -> Option<&Operator> {
        self.actor.as_ref()
    }

    pub fn configure(&mut self, settings: Settings) {
        self.settings = settings;
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Refuses, saying which roles may, unless the acting operator's role has `permission`.
    /// Without an acting operator (building a demo database) everything is allowed.
    pub fn require(&self, permission: Permission) -> CommandResult<()> {
        let Some(role) = self.actor_role_now()? else {
            return Ok(());
        };
        match self.settings.matrix.refusal(role, permission) {
            Some(why) => refuse(why),
            None => Ok(()),
        }
    }

    /// The acting operator's role as the database has it now (a role changed or an account
    /// disabled in another session counts at once); `None` without an acting operator.
    pub fn actor_role_now(&self) -> CommandResult<Option<crate::domain::role::Role>> {
        let Some(actor) = &self.actor else {
            return Ok(None);
        };
        let current: Option<(String, bool)> = self
            .conn
            .query_row(
                "SELECT role, disabled FROM operators WHERE id = ?1",
                [actor.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match current {
            Some((_, true)) | None => refuse(format!(
                "The account {} is disabled: ask a Global admin or User admin.",
                actor.upn
            )),
            Some((role, false)) => Ok(Some(
                crate::domain::role::Role::from_key(&role).unwrap_or(actor.role),
            )),
        }
    }

    /// Runs one command in a `BEGIN IMMEDIATE` transaction: its permission check, the rules it
    /// reads and its writes all see the same state, and no other process can change that state
    /// between the check and the write (check-then-act). All of it is committed, or none. Nested
    /// calls join the transaction already open.
    pub fn transact<T>(&self, f: impl FnOnce(&Store) -> CommandResult<T>) -> CommandResult<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        // Waits for the write lock (busy timeout); a writer that would have to upgrade a read
        // transaction could be refused at once instead.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let open = OpenTransaction(&self.conn);
        // The crash tests read these two lines to know where a kill landed.
        tracing::debug!("write transaction begun");
        let value = f(self)?;
        open.commit()?;
        tracing::debug!("write transaction committed");
        Ok(value)
    }

    /// [`Store::transact`] for a write that needs only the connection and the acting operator.
    pub fn mutate<T>(
        &self,
        f: impl FnOnce(&Connection, Option<&Operator>) -> CommandResult<T>,
    ) -> CommandResult<T> {
        self.transact(|s| f(&s.conn, s.actor.as_ref()))
    }

    /// For building a new database in a temporary file: no journal, no syncs, a large page
    /// cache. A crash leaves a broken temporary file, which is thrown away, never a database in use.
    pub fn bulk_load(&mut self) -> rusqlite::Result<()> {
        self.conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -524288;
             PRAGMA temp_store = MEMORY;",
        )
    }

    /// Back to the settings of a database in use (WAL, normal syncs).
    pub fn finish_bulk_load(&mut self) -> rusqlite::Result<()> {
        self.conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA journal_mode = WAL;
             PRAGMA cache_size = -2000;",
        )
    }

    /// Closes the connection (checkpointing the WAL into the database file).
    pub fn close(self) -> rusqlite::Result<()> {
        self.conn.close().map_err(|(_, e)| e)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// How long a command waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

fn sqlite_error(path: &Path, source: rusqlite::Error) -> OpenError {
    OpenError::Sqlite {
        path: path.to_owned(),
        error: source,
    }
}

fn io_error(path: &Path, e: std::io::Error) -> OpenError {
    OpenError::Sqlite {
        path: path.to_owned(),
        error: rusqlite::Error::InvalidPath(e.to_string().into()),
    }
}

/// True when `path` still names the file `file` has open.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Holds `path` for replacing it: refused while any twotier has the book open. The lock is
/// released when the returned file is dropped (after the new book was renamed into place).
pub fn lock_for_replacing(path: &Path) -> Result<std::fs::File, OpenError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(OpenError::InUse(path.to_owned())),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error(path, e)),
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A transaction begun by [`Store::transact`]: rolled back when dropped uncommitted (an error
/// or a panic inside the command).
struct OpenTransaction<'a>(&'a Connection);

impl OpenTransaction<'_> {
    fn commit(self) -> rusqlite::Result<()> {
        let result = self.0.execute_batch("COMMIT");
        if result.is_ok() {
            std::mem::forget(self);
        }
        result
    }
}

impl Drop for OpenTransaction<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("ROLLBACK");
        }
    }
}

/// Looks at an existing file's header without opening it as a database, so a file we refuse
/// stays byte-for-byte as it was and gets no `-wal`/`-shm` files beside it (SQLite creates those
/// even for a read-only connection to a WAL database).
pub fn inspect_existing(path: &Path) -> Result<(), OpenError> {
    use std::io::Read;
    let io_error = |e: std::io::Error| OpenError::Sqlite {
        path: path.to_owned(),
        error: rusqlite::Error::InvalidPath(e.to_string().into()),
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.permissions().readonly() {
        return Err(OpenError::ReadOnly(path.to_owned()));
    }
    if meta.len() == 0 {
        return Ok(());
    }
    // The 100-byte database header: https://www.sqlite.org/fileformat.html#the_database_header
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    if file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(OpenError::NotSqlite(path.to_owned()));
    }
    let be = |at: usize| {
        i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let (schema_cookie, version, application_id) = (be(40), be(60), be(68));
    let empty = schema_cookie == 0 && version == 0 && application_id == 0;
    if application_id != APPLICATION_ID && !empty {
        return Err(OpenError::ForeignDatabase(path.to_owned()));
    }
    if version > SCHEMA_VERSION {
        return Err(OpenError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Appends one entry to the activity log, inside the caller's transaction.
pub fn audit(
    tx: &Connection,
    at: DateTime<Utc>,
    operator: Option<&Operator>,
    action: &str,
    target: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, operator_id, operator, action, target, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        db_time(at),
        operator.map(|o| o.id),
        operator.map_or("twotier", |o| o.upn.as_str()),
        action,
        target,
        before,
        after
    ])?;
    Ok(())
}
