//! What every list's import shares: a row's cells by column, its problems, the parsing of
//! common cell values, and the compare-then-write of one record (one prepared statement each to
//! find, add and change it, and one activity entry for a change, with before → after).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::columns::{Column, Header};
use crate::domain::operator::Operator;
use crate::domain::text::{escaped, unneutralised};
use crate::store::{audit, db_time};

/// How many problems a report lists; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 50;

/// One thing wrong with a file, where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowProblem {
    pub line: u64,
    /// The column (its name as twotier's export writes it); `None` for the row as a whole.
    pub column: Option<&'static str>,
    /// What is wrong, in words; quoted cell text is escaped.
    pub problem: String,
}

/// The problems of a file: the first [`SHOWN_PROBLEMS`], and how many there were in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    pub shown: Vec<RowProblem>,
    pub total: u64,
    pub invalid_rows: u64,
}

impl Problems {
    pub fn add(&mut self, problem: RowProblem) {
        self.total += 1;
        if self.shown.len() < SHOWN_PROBLEMS {
            self.shown.push(problem);
        }
    }
}

/// One record of the file, with the list's header, and the problems found in it so far.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    header: &'a Header,
    columns: &'static [Column],
    pub problems: Vec<RowProblem>,
}

impl<'a> Row<'a> {
    pub fn new(
        line: u64,
        record: &'a csv::StringRecord,
        header: &'a Header,
        columns: &'static [Column],
    ) -> Self {
        Row {
            line,
            record,
            header,
            columns,
            problems: Vec::new(),
        }
    }

    /// The column's cell, trimmed, with an export's formula guard (`'=…`) taken off; `None` when
    /// the file has no such column.
    pub fn cell(&self, column: usize) -> Option<&'a str> {
        let at = self.header.positions[column]?;
        Some(unneutralised(self.record.get(at).unwrap_or("").trim()))
    }

    /// The cell when it holds something.
    pub fn given(&self, column: usize) -> Option<&'a str> {
        self.cell(column).filter(|c| !c.is_empty())
    }

    pub fn has(&self, column: usize) -> bool {
        self.header.positions[column].is_some()
    }

    pub fn problem(&mut self, column: usize, why: impl AsRef<str>) {
        self.problems.push(RowProblem {
            line: self.line,
            column: Some(self.columns[column].name),
            problem: escaped(why.as_ref()).into_owned(),
        });
    }

    /// The value, or `None` with the problem noted against the column.
    pub fn check<T>(&mut self, column: usize, result: Result<T, String>) -> Option<T> {
        result.map_err(|why| self.problem(column, why)).ok()
    }
}

/// The cell's text as the file has it, quoted for a message (escaped).
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", escaped(text))
}

/// `yes`/`no` in the usual spellings; `None` for anything else.
pub fn yes_no(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// A yes/no cell; empty or `unknown` is Unknown (`None`).
pub fn check_cell(text: &str) -> Result<Option<bool>, String> {
    if text.is_empty() || text.eq_ignore_ascii_case("unknown") {
        return Ok(None);
    }
    yes_no(text)
        .map(Some)
        .ok_or_else(|| format!("{} is not yes, no or empty (Unknown).", quoted(text)))
}

/// A time: RFC 3339 (as the export writes it), `YYYY-MM-DD HH:MM:SS` (UTC) or a date.
pub fn time_cell(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc())
        .or_else(|_| date_cell(text).map(|d| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc()))
        .map_err(|_| {
            format!(
                "{} is not a time: write it as 2026-11-26T09:30:00Z or 2026-11-26.",
                quoted(text)
            )
        })
}

/// A date, `YYYY-MM-DD` (or a time, whose UTC date is taken).
pub fn date_cell(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc).date_naive()))
        .map_err(|_| format!("{} is not a date: write it as 2026-11-26.", quoted(text)))
}

/// A time cell as the book stores it: the text itself when it is already in the book's form
/// (`2026-11-26T09:30:00Z`, as the export writes it: no formatting a million times), else the
/// time read and written in that form.
pub fn time_value(cell: &str) -> Result<Value, String> {
    let t = time_cell(cell)?;
    let b = cell.as_bytes();
    Ok(if b.len() == 20 && b[10] == b'T' && b[19] == b'Z' {
        Value::Text(cell.to_owned())
    } else {
        time(t)
    })
}

/// A date cell as the book stores it (`YYYY-MM-DD`).
pub fn date_value(cell: &str) -> Result<Value, String> {
    if cell.len() == 10 && cell.parse::<NaiveDate>().is_ok() {
        return Ok(Value::Text(cell.to_owned()));
    }
    date_cell(cell).map(|d| Value::Text(d.format("%Y-%m-%d").to_string()))
}

pub fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

pub fn opt_text(value: Option<impl Into<String>>) -> Value {
    value.map_or(Value::Null, |v| Value::Text(v.into()))
}

pub fn time(at: DateTime<Utc>) -> Value {
    Value::Text(db_time(at))
}

pub fn flag(value: bool) -> Value {
    Value::Integer(i64::from(value))
}

pub fn opt_flag(value: Option<bool>) -> Value {
    value.map_or(Value::Null, flag)
}

/// How a field's stored value reads in the activity log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Text,
    /// 1/0: yes/no.
    YesNo,
    /// 1/0/NULL: yes/no/Unknown.
    Check,
    /// A reseller's row id: its name and PartnerID; NULL reads as the word given.
    Reseller(&'static str),
}

/// One stored field of a record an import writes.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The table's column.
    pub column: &'static str,
    /// Its name in the activity log.
    pub label: &'static str,
    pub shown: Shown,
}

pub const fn field(column: &'static str, label: &'static str, shown: Shown) -> Field {
    Field {
        column,
        label,
        shown,
    }
}

/// A table an import writes: a record is found by its key (`fields[0]`), and written in full.
pub struct Table {
    pub name: &'static str,
    pub fields: &'static [Field],
    select: String,
    insert: String,
    update: String,
    /// The highest row id before the import: a record found above it was added by this import.
    last_before: i64,
    /// The records of before the import that a row of the file already matched (one bit each):
    /// a second row with the same key is refused without keeping the keys themselves.
    matched: Vec<u64>,
}

impl Table {
    /// `pick` ends the query that finds a record by its key (`ORDER BY … LIMIT 1` where the key
    /// is not unique).
    pub fn new(
        tx: &Connection,
        name: &'static str,
        fields: &'static [Field],
        pick: &str,
    ) -> rusqlite::Result<Table> {
        let columns: Vec<&str> = fields.iter().map(|f| f.column).collect();
        let params: Vec<String> = (1..=fields.len()).map(|i| format!("?{i}")).collect();
        let sets: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let last_before: i64 = tx.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {name}"),
            [],
            |r| r.get(0),
        )?;
        Ok(Table {
            name,
            fields,
            last_before,
            matched: vec![0; (last_before as usize).div_ceil(64) + 1],
            select: format!(
                "SELECT id, {} FROM {name} WHERE {} = ?1 {pick}",
                columns.join(", "),
                columns[0]
            ),
            insert: format!(
                "INSERT INTO {name} ({}) VALUES ({})",
                columns.join(", "),
                params.join(", ")
            ),
            update: format!(
                "UPDATE {name} SET {} WHERE id = ?{}",
                sets.join(", "),
                fields.len() + 1
            ),
        })
    }

    /// True when an earlier row of the file already added or matched the record `id`; marks it.
    pub fn seen_before(&mut self, id: i64) -> bool {
        if id > self.last_before {
            return true;
        }
        let (word, bit) = ((id as usize) / 64, 1u64 << (id as usize % 64));
        let seen = self.matched[word] & bit != 0;
        self.matched[word] |= bit;
        seen
    }

    /// The stored record with this key: its row id and its fields. Into a table that was empty
    /// when the import began nothing is looked up (the usual first import into a new book): a
    /// record found could only be an earlier row's, which the key's unique index refuses at
    /// [`Table::insert`] instead.
    pub fn find(&self, tx: &Connection, key: &str) -> rusqlite::Result<Option<(i64, Vec<Value>)>> {
        if self.last_before == 0 {
            return Ok(None);
        }
        let n = self.fields.len();
        tx.prepare_cached(&self.select)?
            .query_row([key], |r| {
                let mut values = Vec::with_capacity(n);
                for i in 0..n {
                    values.push(r.get::<_, Value>(i + 1)?);
                }
                Ok((r.get(0)?, values))
            })
            .optional()
    }

    /// Adds the record; `None` when its key is already taken (by an earlier row of the file:
    /// see [`Table::find`]). The failed statement alone is undone; the import goes on.
    pub fn insert(&self, tx: &Connection, values: &[Value]) -> rusqlite::Result<Option<i64>> {
        match tx
            .prepare_cached(&self.insert)?
            .execute(rusqlite::params_from_iter(values))
        {
            Ok(_) => Ok(Some(tx.last_insert_rowid())),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Writes `after` over the record `id` if any field differs from `before`, with one activity
    /// entry naming the changed fields before → after. Returns whether anything changed.
    pub fn update(
        &self,
        tx: &Connection,
        id: i64,
        before: &[Value],
        after: &[Value],
        change: Entry<'_>,
    ) -> rusqlite::Result<bool> {
        let changed: Vec<usize> = (0..self.fields.len())
            .filter(|&i| before[i] != after[i])
            .collect();
        if changed.is_empty() {
            return Ok(false);
        }
        tx.prepare_cached(&self.update)?
            .execute(rusqlite::params_from_iter(
                after.iter().chain(std::iter::once(&Value::Integer(id))),
            ))?;
        let mut was = Vec::new();
        let mut now = Vec::new();
        for i in changed {
            let f = &self.fields[i];
            was.push(format!("{}: {}", f.label, shown(tx, f.shown, &before[i])?));
            now.push(format!("{}: {}", f.label, shown(tx, f.shown, &after[i])?));
        }
        audit(
            tx,
            change.cx.at,
            change.cx.by,
            change.action,
            change.target,
            Some(&was.join("; ")),
            Some(&now.join("; ")),
        )?;
        Ok(true)
    }
}

/// A stored value in words.
fn shown(tx: &Connection, how: Shown, value: &Value) -> rusqlite::Result<String> {
    Ok(match (how, value) {
        (Shown::Reseller(none), Value::Null) => none.to_owned(),
        (Shown::Reseller(_), Value::Integer(id)) => tx
            .prepare_cached(
                "SELECT name || ' (' || partner_id || ')' FROM resellers WHERE id = ?1",
            )?
            .query_row([id], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_else(|| format!("reseller #{id}")),
        (Shown::YesNo | Shown::Check, Value::Integer(1)) => "yes".to_owned(),
        (Shown::YesNo | Shown::Check, Value::Integer(0)) => "no".to_owned(),
        (Shown::Check, Value::Null) => "Unknown".to_owned(),
        (_, Value::Null) => "(empty)".to_owned(),
        (_, Value::Text(t)) if t.is_empty() => "(empty)".to_owned(),
        (_, Value::Text(t)) => crate::domain::text::clean(t).into_owned(),
        (_, Value::Integer(i)) => i.to_string(),
        (_, Value::Real(f)) => f.to_string(),
        (_, Value::Blob(_)) => "(bytes)".to_owned(),
    })
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
    /// It has problems; nothing of it was written.
    Invalid,
}

/// What the import of one list does with each row, inside the import's transaction.
pub trait ListImport {
    fn row(&mut self, tx: &Connection, row: &mut Row<'_>) -> rusqlite::Result<Outcome>;
}

/// The activity entry of a changed record: what was done, to what.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub cx: Context<'a>,
    pub action: &'static str,
    pub target: &'a str,
}

/// Who and when, for every entry an import writes.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub at: DateTime<Utc>,
    pub by: Option<&'a Operator>,
}
