//! Printing to stdout: a line, a plain table, and what a subcommand in its own file returns to
//! be printed (a child never imports its parent).

pub enum Printed {
    Line(String),
    Table(&'static [&'static str], Vec<Vec<String>>),
}

/// Prints what a subcommand returned.
pub fn print(printed: Printed) {
    match printed {
        Printed::Line(line) => emit(&line),
        Printed::Table(headers, rows) => print_table(headers, &rows),
    }
}

/// A plain table: columns padded to their widest cell, two spaces apart.
pub fn print_table(headers: &[&str], rows: &[Vec<String>]) {
    use unicode_width::UnicodeWidthStr;
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].width())
                .chain([headers[c].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w.saturating_sub(cell.width()))))
            .collect();
        emit(padded.join("  ").trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// One line to stdout. A reader that stopped early (`| head`) ends the command quietly, as
/// other Unix tools do, instead of a panic.
pub fn emit(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("twotier: cannot write the output: {e}");
        std::process::exit(1);
    }
}
