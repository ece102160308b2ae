//! Finished processes, and the answers the `sqlite3` shell would give, computed in-process with
//! rusqlite (the bundled SQLite the app uses): what the CLI and end-to-end tests check with. No
//! outside program is needed to read or tamper with a test's database.

use std::path::Path;
use std::process::Output;

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::types::ValueRef;
use rusqlite::{Batch, Connection};

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit status, stdout and stderr of a finished process, for failure messages.
pub fn describe(out: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        stdout(out),
        stderr(out)
    )
}

#[track_caller]
pub fn assert_success(out: &Output) {
    assert!(out.status.success(), "expected success\n{}", describe(out));
}

/// A refusal: an ordinary non-zero exit (not a crash by signal, not clap's usage error 2).
#[track_caller]
pub fn assert_refused(out: &Output) {
    match out.status.code() {
        Some(code) if code != 0 && code != 2 => {}
        _ => panic!(
            "expected a refusal (non-zero exit, not a usage error)\n{}",
            describe(out)
        ),
    }
}

/// Runs `sql` on `db` as `sqlite3 DB SQL` would, and returns what the shell would print on
/// stdout in its default list mode (a row a line, columns between `|`, NULL as nothing), or
/// SQLite's error for the first statement that fails (the ones before it stay done, as in the
/// shell). Also `.dump [TABLE…]` (see [`dump_tables`]).
///
/// Like the shell: a fresh connection, closed before this returns (so the last one to close a
/// WAL database checkpoints it and removes the `-wal` file), a database file created when there
/// is none, foreign keys not enforced (the bundled SQLite would enforce them). Fine while the app
/// has the database open: WAL.
pub fn sqlite3_result(db: &Path, sql: &str) -> Result<String, String> {
    let conn = Connection::open(db).map_err(|e| format!("Error: {e}"))?;
    // The search index's triggers fold text through twotier's function (a plain shell can
    // read a book, but writing a searched column needs it).
    twotier::store::search::register(&conn).map_err(|e| format!("Error: {e}"))?;
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(|e| format!("Error: {e}"))?;
    if let Some(tables) = sql.trim().strip_prefix(".dump") {
        let tables: Vec<&str> = tables.split_whitespace().collect();
        return dump_conn(&conn, &tables).map_err(|e| format!("Error: {e}"));
    }
    assert!(
        !sql.trim_start().starts_with('.'),
        "only the `.dump` dot-command is supported: {sql:?}"
    );
    run_batch(&conn, sql).map_err(|e| format!("Error: {e}"))
}

fn run_batch(conn: &Connection, sql: &str) -> rusqlite::Result<String> {
    let mut out = String::new();
    let mut batch = Batch::new(conn, sql);
    while let Some(mut statement) = batch.next()? {
        let columns = statement.column_count();
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                if i > 0 {
                    out.push('|');
                }
                out.push_str(&as_text(conn, row.get_ref(i)?)?);
            }
            out.push('\n');
        }
    }
    Ok(out)
}

/// A value as the shell prints it: `sqlite3_column_text`, NULL as nothing.
fn as_text(conn: &Connection, value: ValueRef<'_>) -> rusqlite::Result<String> {
    Ok(match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        // SQLite's own rendering of a REAL ("%!.15g"), not Rust's.
        ValueRef::Real(f) => conn.query_row("SELECT CAST(?1 AS TEXT)", [f], |r| r.get(0))?,
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
    })
}

/// What the shell prints for `sql` (see [`sqlite3_result`]), exactly, trailing newline included;
/// fails the test clearly if a statement fails.
#[track_caller]
pub fn sqlite3_output(db: &Path, sql: &str) -> String {
    sqlite3_result(db, sql)
        .unwrap_or_else(|e| panic!("sqlite3 {} {sql:?} failed: {e}", db.display()))
}

/// What the shell prints for `sql` (see [`sqlite3_result`]), trimmed; fails the test clearly if
/// a statement fails.
#[track_caller]
pub fn sqlite3(db: &Path, sql: &str) -> String {
    sqlite3_output(db, sql).trim().to_owned()
}

/// A query that prints one number.
#[track_caller]
pub fn sqlite3_count(db: &Path, sql: &str) -> i64 {
    let text = sqlite3(db, sql);
    text.parse()
        .unwrap_or_else(|_| panic!("sqlite3 {sql:?} printed {text:?}, not a number"))
}

/// The whole database as SQL text, to compare before and after a refused command.
#[track_caller]
pub fn dump(db: &Path) -> String {
    dump_tables(db, &[])
}

/// Like the shell's `.dump [TABLE…]`: the schema and every row as SQL text, one statement a line
/// (a value with a line break spans lines), in the database's own order: tables first, then
/// indexes, triggers and views. With table names, only those tables (and their indexes and
/// triggers). Equal dumps, equal contents; it is not meant to be read back.
#[track_caller]
pub fn dump_tables(db: &Path, tables: &[&str]) -> String {
    let conn =
        Connection::open(db).unwrap_or_else(|e| panic!("opening {} to dump it: {e}", db.display()));
    dump_conn(&conn, tables).unwrap_or_else(|e| panic!("dumping {}: {e}", db.display()))
}

fn dump_conn(conn: &Connection, only: &[&str]) -> rusqlite::Result<String> {
    let mut objects = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL
         ORDER BY type <> 'table', rowid",
    )?;
    let objects: Vec<(String, String, String, String)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = String::from("BEGIN TRANSACTION;\n");
    for (kind, name, table, sql) in objects {
        if !only.is_empty() && !only.contains(&table.as_str()) {
            continue;
        }
        out.push_str(&sql);
        out.push_str(";\n");
        // A virtual table's rows live in its shadow tables, which are dumped as tables.
        if kind != "table" || sql.starts_with("CREATE VIRTUAL") {
            continue;
        }
        let columns: Vec<String> = conn
            .prepare(&format!("PRAGMA table_info({})", quoted(&name)))?
            .query_map([], |r| r.get::<_, String>(1))?
            .collect::<rusqlite::Result<_>>()?;
        let values = columns
            .iter()
            .map(|c| format!("quote({})", quoted(c)))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let mut rows = conn.prepare(&format!("SELECT {values} FROM {}", quoted(&name)))?;
        let mut rows = rows.raw_query();
        while let Some(row) = rows.next()? {
            let values: String = row.get(0)?;
            out.push_str(&format!(
                "INSERT INTO {} VALUES({values});\n",
                quoted_if_needed(&name)
            ));
        }
    }
    out.push_str("COMMIT;\n");
    Ok(out)
}

/// An SQL identifier, double-quoted.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An identifier as the shell's `.dump` writes it: bare when it is a plain word.
fn quoted_if_needed(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain { name.to_owned() } else { quoted(name) }
}

/// The first line where two dumps differ, for a readable failure.
pub fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!(
        "one is a prefix of the other ({} vs {} lines)",
        a.lines().count(),
        b.lines().count()
    )
}
