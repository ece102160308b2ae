//! `twotier import`: a CSV file of resellers, customers or subscriptions (Partner Center's
//! export, or twotier's own) into the book, in ONE transaction. The file is read a record at a
//! time and each row is checked and written as it comes, so memory stays flat whatever its size;
//! at the end the transaction is committed only if every row was valid and it is not a dry run.
//! A kill at any moment leaves the book as it was.
//!
//! Rows are matched by PartnerID (resellers), Microsoft ID (customers) or Subscription ID
//! (subscriptions). A matched row whose fields all equal the book's is unchanged and writes
//! nothing; a changed one writes one activity entry with the changed fields before → after. Rows
//! added are counted in the import's one summary entry, not logged one by one (a million rows
//! stay fast). A column the file does not have leaves that field of a matched record as it is.

pub mod columns;
mod customers;
mod lines;
mod lookup;
mod resellers;
pub mod rows;
mod subscriptions;

use std::io::Read;

use chrono::{DateTime, Utc};

use self::columns::{Column, Header};
use self::rows::{Context, ListImport, Outcome, Problems, Row, RowProblem};
use super::{CommandResult, OpenTransaction, Store, audit, refuse};
use crate::domain::permission::Permission;

/// Which list a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum List {
    Resellers,
    Customers,
    Subscriptions,
}

impl List {
    pub fn name(self) -> &'static str {
        match self {
            List::Resellers => "resellers",
            List::Customers => "customers",
            List::Subscriptions => "subscriptions",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            List::Resellers => &columns::reseller::COLUMNS,
            List::Customers => &columns::customer::COLUMNS,
            List::Subscriptions => &columns::subscription::COLUMNS,
        }
    }

    fn required(self) -> &'static [&'static [usize]] {
        match self {
            List::Resellers => &columns::reseller::REQUIRED,
            List::Customers => &columns::customer::REQUIRED,
            List::Subscriptions => &columns::subscription::REQUIRED,
        }
    }

    /// The table the list's rows go to.
    fn table(self) -> &'static str {
        match self {
            List::Resellers => "resellers",
            List::Customers => "customers",
            List::Subscriptions => "subscriptions",
        }
    }

    fn permission(self) -> Permission {
        match self {
            List::Resellers => Permission::ManagePartnerships,
            List::Customers => Permission::AddCustomer,
            List::Subscriptions => Permission::PlaceOrders,
        }
    }
}

/// What an import did, or would do (a dry run, or a file with problems: then nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub list: List,
    /// Data rows read (the header not counted).
    pub rows: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub problems: Problems,
    /// Headers of the file that no column of the list goes by (ignored).
    pub unknown_columns: Vec<String>,
    pub dry_run: bool,
    /// The changes are in the book (committed).
    pub written: bool,
}

/// How an import runs.
pub struct Options<'a> {
    pub list: List,
    /// The file's name, for the activity log's summary entry.
    pub source: String,
    pub dry_run: bool,
    pub at: DateTime<Utc>,
    /// For subscriptions: the customer (Microsoft ID or company name) of every row that names
    /// none. Partner Center's export of one customer's subscriptions has no customer column.
    pub customer: Option<String>,
    /// Called now and then with the rows read so far and the byte offset reached.
    pub progress: &'a mut dyn FnMut(u64, u64),
}

/// How often progress is reported, in rows.
const PROGRESS_EVERY: u64 = 4096;

impl Store {
    /// Imports the CSV file read from `input` (its first record is the header). Refused, with
    /// nothing written, when the header lacks a required column or the operator may not.
    pub fn import_csv<R: Read>(&self, input: R, options: Options<'_>) -> CommandResult<Report> {
        let (input, lines) = lines::tracked(input);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            // A row of the wrong width is reported with its line, not as the end of the file.
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let reader = &mut reader;
        let list = options.list;
        let header = match reader.headers() {
            Ok(h) if h.iter().all(|c| c.trim().is_empty()) => {
                return refuse(format!(
                    "the file is empty: a {} file starts with a header line naming its columns.",
                    list.name()
                ));
            }
            Ok(h) => {
                // A customer given for every row stands in for the customer column.
                let required: Vec<&[usize]> = list
                    .required()
                    .iter()
                    .copied()
                    .filter(|any| {
                        !(options.customer.is_some()
                            && list == List::Subscriptions
                            && any.contains(&columns::subscription::CUSTOMER))
                    })
                    .collect();
                Header::read(list.columns(), &required, list.name(), h.iter())
                    .map_err(super::CommandError::Refused)?
            }
            Err(e) => {
                return refuse(format!(
                    "line 1: the header can't be read: {}",
                    csv_problem(&e)
                ));
            }
        };
        let width = reader.headers().map_or(0, |h| h.len());
        let mut report = Report {
            list,
            rows: 0,
            added: 0,
            updated: 0,
            unchanged: 0,
            problems: Problems::default(),
            unknown_columns: header.unknown.clone(),
            dry_run: options.dry_run,
            written: false,
        };
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let open = OpenTransaction(&self.conn);
        // The crash tests read these two lines to know where a kill landed.
        tracing::debug!("write transaction begun");
        // Asked inside the transaction, as every command does: a role changed meanwhile counts.
        self.require(list.permission())?;
        // A larger page cache for the one long transaction: fewer pages spilled to the WAL
        // and read back (well inside the memory budget).
        self.conn.execute_batch("PRAGMA cache_size = -32768")?;
        let cx = Context {
            at: options.at,
            by: self.actor.as_ref(),
        };
        let set_aside = set_aside_indexes(&self.conn, list.table())?;
        let result = (|| -> rusqlite::Result<()> {
            let mut importer: Box<dyn ListImport + '_> = match list {
                List::Resellers => Box::new(resellers::Resellers::new(&self.conn, cx)?),
                List::Customers => Box::new(customers::Customers::new(&self.conn, cx)?),
                List::Subscriptions => Box::new(subscriptions::Subscriptions::new(
                    &self.conn,
                    cx,
                    options.customer.clone(),
                )?),
            };
            let mut record = csv::StringRecord::new();
            loop {
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => {
                        report.rows += 1;
                        report.problems.invalid_rows += 1;
                        let line = e.position().map_or(0, |p| lines.of(p.byte()));
                        report.problems.add(RowProblem {
                            line,
                            column: None,
                            problem: csv_problem(&e),
                        });
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            break;
                        }
                        continue;
                    }
                }
                // A spreadsheet's blank rows (`,,,`) are no rows.
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                report.rows += 1;
                let line = record.position().map_or(0, |p| lines.of(p.byte()));
                if report.rows.is_multiple_of(PROGRESS_EVERY) {
                    (options.progress)(report.rows, record.position().map_or(0, |p| p.byte()));
                }
                if record.len() != width {
                    report.problems.invalid_rows += 1;
                    report.problems.add(RowProblem {
                        line,
                        column: None,
                        problem: format!(
                            "the row has {} cells; the header has {width}.",
                            record.len()
                        ),
                    });
                    continue;
                }
                let mut row = Row::new(line, &record, &header, list.columns());
                match importer.row(&self.conn, &mut row)? {
                    Outcome::Added => report.added += 1,
                    Outcome::Updated => report.updated += 1,
                    Outcome::Unchanged => report.unchanged += 1,
                    Outcome::Invalid => {
                        report.problems.invalid_rows += 1;
                        if row.problems.is_empty() {
                            row.problems.push(RowProblem {
                                line,
                                column: None,
                                problem: "the row is not valid.".into(),
                            });
                        }
                        for p in row.problems {
                            report.problems.add(p);
                        }
                    }
                }
            }
            Ok(())
        })();
        let restore = self.conn.execute_batch("PRAGMA cache_size = -2000");
        result?;
        restore?;
        (options.progress)(report.rows, u64::MAX);
        let changed = report.added + report.updated > 0;
        if report.problems.total == 0 && !report.dry_run && changed {
            for sql in &set_aside {
                self.conn.execute_batch(sql)?;
            }
            audit(
                &self.conn,
                options.at,
                self.actor.as_ref(),
                "Import",
                &format!(
                    "{} from {}",
                    list.name(),
                    crate::domain::text::clean(&options.source)
                ),
                None,
                Some(&format!(
                    "{} added, {} updated, {} unchanged",
                    report.added, report.updated, report.unchanged
                )),
            )?;
            open.commit()?;
            tracing::debug!("write transaction committed");
            report.written = true;
        } else {
            // Nothing to keep: problems, a dry run, or no change at all.
            drop(open);
        }
        Ok(report)
    }
}

/// Into a table that is empty (the first import into a new book), its secondary indexes are
/// dropped inside the import's transaction and made again, from their own definitions, just
/// before it commits: building an index once from a million rows is much faster than keeping it
/// up to date row by row. A rollback (problems, a dry run, a kill) brings them back with the
/// rest. The unique indexes that find rows and refuse repeats stay. Returns the statements that
/// make them again.
fn set_aside_indexes(tx: &rusqlite::Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let empty: bool = tx.query_row(
        &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
        [],
        |r| r.get(0),
    )?;
    if !empty {
        return Ok(Vec::new());
    }
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// A CSV reader's error in words (its own message escaped: it may quote the file's bytes).
fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "the line is not UTF-8 text: save the file as CSV UTF-8 and import it again.".to_owned()
        }
        csv::ErrorKind::Io(io) => format!(
            "the file can't be read: {}",
            crate::domain::text::escaped(&io.to_string())
        ),
        _ => format!(
            "not a CSV record: {}",
            crate::domain::text::escaped(&e.to_string())
        ),
    }
}
