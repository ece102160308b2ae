//! `twotier import resellers|customers|subscriptions FILE`: the file is streamed into the store's
//! one-transaction import; this prints what became of it. Problems go to stderr as
//! `FILE:LINE: column "X": what is wrong` (the first 50, then how many more), the summary (or the
//! `--json` report) to stdout. A progress bar shows on stderr only when it is a terminal.

use std::io::IsTerminal;

use anyhow::{Context, bail};
use serde::Serialize;

use crate::cli::{ImportArgs, ImportWhat};
use crate::domain::text::shown_path;
use crate::store::import::rows::RowProblem;
use crate::store::import::{List, Options, Report};
use crate::store::{CommandError, Store};

/// What `--json` prints. The field names are stable.
#[derive(Serialize)]
struct ReportJson<'a> {
    list: List,
    file: &'a str,
    dry_run: bool,
    /// The changes are in the book.
    written: bool,
    rows: u64,
    added: u64,
    updated: u64,
    unchanged: u64,
    invalid_rows: u64,
    /// The first 50 problems.
    problems: &'a [RowProblem],
    /// How many problems there were beyond those listed.
    more_problems: u64,
    unknown_columns: &'a [String],
}

pub fn run(store: &mut Store, args: ImportArgs) -> anyhow::Result<()> {
    let list = match args.what {
        ImportWhat::Resellers => List::Resellers,
        ImportWhat::Customers => List::Customers,
        ImportWhat::Subscriptions => List::Subscriptions,
    };
    if args.customer.is_some() && list != List::Subscriptions {
        bail!(
            "not imported: --customer names the customer of subscriptions; a {} file has none",
            list.name()
        );
    }
    let shown = shown_path(&args.file);
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("not imported: cannot read {shown}"))?;
    let size = file.metadata().map_or(0, |m| m.len());

    let bar = progress_bar(size, args.quiet, list);
    let started = std::time::Instant::now();
    let mut progress = |rows: u64, byte: u64| {
        if let Some(bar) = &bar {
            bar.set_position(byte.min(size));
            let rate = rows as f64 / started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!("{rows} rows, {rate:.0} rows/s"));
        }
    };
    let source = args
        .file
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let result = store.import_csv(
        file,
        Options {
            list,
            source,
            dry_run: args.dry_run,
            at: chrono::Utc::now(),
            customer: args.customer.clone(),
            progress: &mut progress,
        },
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = match result {
        Ok(report) => report,
        Err(CommandError::Refused(why))
            if list == List::Subscriptions
                && args.customer.is_none()
                && why.contains("\"Customer\"") =>
        {
            bail!(
                "not imported: {shown}: {why} A file of one customer's subscriptions (Partner Center's export from a customer's page) names none: give it with --customer MICROSOFT_ID."
            )
        }
        Err(CommandError::Refused(why)) => bail!("not imported: {shown}: {why}"),
        Err(CommandError::Db(e)) => {
            return Err(anyhow::Error::new(e).context(format!(
                "not imported: the database failed while importing {shown} (nothing was written)"
            )));
        }
    };
    if !report.unknown_columns.is_empty() {
        let names: Vec<String> = report
            .unknown_columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect();
        eprintln!(
            "{shown}: ignored {} a {} import does not know: {}",
            if names.len() == 1 {
                "a column"
            } else {
                "columns"
            },
            list.name(),
            names.join(", ")
        );
    }
    let p = &report.problems;
    for problem in &p.shown {
        match problem.column {
            Some(column) => eprintln!(
                "{shown}:{}: column \"{column}\": {}",
                problem.line, problem.problem
            ),
            None => eprintln!("{shown}:{}: {}", problem.line, problem.problem),
        }
    }
    let more = p.total - p.shown.len() as u64;
    if more > 0 {
        eprintln!(
            "{shown}: … and {more} more problem{} not listed.",
            if more == 1 { "" } else { "s" }
        );
    }
    if args.json {
        let json = ReportJson {
            list,
            file: &shown,
            dry_run: report.dry_run,
            written: report.written,
            rows: report.rows,
            added: report.added,
            updated: report.updated,
            unchanged: report.unchanged,
            invalid_rows: p.invalid_rows,
            problems: &p.shown,
            more_problems: more,
            unknown_columns: &report.unknown_columns,
        };
        super::emit(&serde_json::to_string_pretty(&json)?);
    }
    if p.total > 0 {
        bail!(
            "not imported: {} of the {} rows of {shown} {} problems; nothing was written.",
            p.invalid_rows,
            report.rows,
            if p.invalid_rows == 1 { "has" } else { "have" }
        );
    }
    if !args.json {
        super::emit(&summary(&report, &shown));
    }
    Ok(())
}

/// The one line a successful import (or dry run) prints.
fn summary(r: &Report, shown: &str) -> String {
    let list = r.list.name();
    if r.dry_run {
        format!(
            "Dry run of {shown} (nothing was written): {} would be added, {} would be updated, {} unchanged {list}.",
            r.added, r.updated, r.unchanged
        )
    } else if r.written {
        format!(
            "Imported {shown}: {} added, {} updated, {} unchanged {list}.",
            r.added, r.updated, r.unchanged
        )
    } else {
        format!(
            "Imported {shown}: nothing changed ({} unchanged {list}).",
            r.unchanged
        )
    }
}

/// A bar on stderr when it is a terminal (and not `--quiet`): bytes read of the file, rows,
/// rows a second and the time left.
fn progress_bar(size: u64, quiet: bool, list: List) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(size),
        indicatif::ProgressDrawTarget::stderr_with_hz(10),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:30}] {percent:>3}% {msg}, {elapsed} elapsed, ETA {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(format!("Importing {}", list.name()));
    Some(bar)
}
