//! Exports of the whole book, as CSV (the columns of Partner Center's own exports) or JSON (the
//! objects of the `--json` lists), streamed row by row from the store to any writer.
//!
//! CSV follows RFC 4180 (CRLF line ends; a field holding a comma, a quote, CR or LF is quoted,
//! its quotes doubled) and is safe to open in a spreadsheet: a cell that would start a formula
//! (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` (OWASP's CSV injection advice). Texts come
//! from the store already sanitised (no control, bidi or zero-width characters).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::domain::text::shown_path;
use crate::store::Store;
use crate::store::export::{
    CustomerDetails, CustomerFilter, CustomerRecord, SubscriptionDetails, SubscriptionFilter,
    SubscriptionRecord,
};
use crate::store::import::columns;
use crate::store::resellers::ResellerRecord;

/// The header of a customers CSV: Partner Center's customer export (`Microsoft ID, Company name,
/// Primary domain name, Relationship, Reseller`), then what a lossless re-import needs.
pub fn customer_csv_header() -> Vec<&'static str> {
    columns::customer::COLUMNS.iter().map(|c| c.name).collect()
}

/// The header of a subscriptions CSV: Partner Center's subscription export (`Subscription ID,
/// Subscription, Quantity, Status, Reseller`), then the customer and what a lossless re-import
/// needs.
pub fn subscription_csv_header() -> Vec<&'static str> {
    columns::subscription::COLUMNS
        .iter()
        .map(|c| c.name)
        .collect()
}

/// The header of a resellers CSV: the columns of the indirect resellers list, then what a
/// lossless re-import needs.
pub fn reseller_csv_header() -> Vec<&'static str> {
    columns::reseller::COLUMNS.iter().map(|c| c.name).collect()
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

pub use crate::domain::text::neutralise;

/// Writes CSV records with the `csv` crate (RFC 4180: CRLF line ends; a field holding a comma,
/// a double quote, CR or LF is enclosed in double quotes, each quote inside doubled), every cell
/// neutralised first. Nothing is written before the first record or [`CsvWriter::finish`], so a
/// read refused at its start leaves the output empty.
pub struct CsvWriter<'h, W: Write> {
    out: csv::Writer<W>,
    header: &'h [&'h str],
    started: bool,
}

impl<'h, W: Write> CsvWriter<'h, W> {
    /// A file that starts with this header record.
    pub fn new(out: W, header: &'h [&'h str]) -> Self {
        let out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .flexible(false)
            .buffer_capacity(1 << 16)
            .from_writer(out);
        CsvWriter {
            out,
            header,
            started: false,
        }
    }

    pub fn record(&mut self, cells: &[&str]) -> io::Result<()> {
        self.start()?;
        self.out
            .write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .map_err(io::Error::other)
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let header = self.header;
            self.out
                .write_record(header.iter().map(|c| neutralise(c)).map(|c| c.into_owned()))
                .map_err(io::Error::other)?;
        }
        Ok(())
    }

    /// Ends the file (just the header if there were no records), flushes, hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.start()?;
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes one JSON array an item at a time: `[`, one object per line, `]`. Nothing is written
/// before the first item or [`JsonArrayWriter::finish`].
pub struct JsonArrayWriter<W: Write> {
    out: W,
    items: u64,
}

impl<W: Write> JsonArrayWriter<W> {
    pub fn new(out: W) -> Self {
        JsonArrayWriter { out, items: 0 }
    }

    pub fn item<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        self.out
            .write_all(if self.items == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, value)?;
        self.items += 1;
        Ok(())
    }

    /// Closes the array (`[]` if there were no items), flushes, hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out
            .write_all(if self.items == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Partner Center's words for a customer's relationship (`reseller` → `Reseller`).
pub fn relationship_label(relationship: &str) -> &str {
    match relationship {
        "reseller" => "Reseller",
        "none" => "None",
        "advisor" => "Advisor",
        other => other,
    }
}

/// Partner Center's words for a subscription status (`active` → `Active`).
pub fn status_label(status: &str) -> &str {
    match status {
        "pending" => "Pending",
        "active" => "Active",
        "suspended" => "Suspended",
        "expired" => "Expired",
        "disabled" => "Disabled",
        "deleted" => "Deleted",
        other => other,
    }
}

/// Writes every reseller (active and removed partnerships) to `out`; returns how many.
pub fn write_resellers(store: &Store, format: Format, out: impl Write) -> anyhow::Result<u64> {
    match format {
        Format::Csv => {
            let header = reseller_csv_header();
            let mut csv = CsvWriter::new(out, &header);
            let n = store.for_each_reseller(|r, email| {
                Ok(csv.record(&reseller_csv_cells(r, email).each_ref().map(String::as_str))?)
            })?;
            csv.finish()?;
            Ok(n)
        }
        Format::Json => {
            let mut json = JsonArrayWriter::new(out);
            let n = store.for_each_reseller(|r, _| Ok(json.item(r)?))?;
            json.finish()?;
            Ok(n)
        }
    }
}

/// `yes`, `no`, or empty for Unknown (nobody has checked it yet).
pub fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// A timestamp as the CSV files write it (RFC 3339, UTC, to the precision it has).
pub fn csv_time(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// A reseller's CSV cells, in [`reseller_csv_header`] order.
pub fn reseller_csv_cells(r: &ResellerRecord, email: Option<&str>) -> [String; 10] {
    [
        r.name.clone(),
        r.partner_id.clone(),
        r.location.clone(),
        if r.state == "removed" {
            "Removed"
        } else {
            "Active"
        }
        .to_owned(),
        yes_no(r.mpa_signed).to_owned(),
        yes_no(r.por_valid).to_owned(),
        csv_time(&r.since),
        r.tenant_id.clone().unwrap_or_default(),
        r.removed_at.as_ref().map(csv_time).unwrap_or_default(),
        email.unwrap_or_default().to_owned(),
    ]
}

/// Streams the customers matching `filter` to `out`; returns how many were written.
pub fn write_customers(
    store: &Store,
    filter: &CustomerFilter,
    format: Format,
    out: impl Write,
) -> anyhow::Result<u64> {
    match format {
        Format::Csv => {
            let header = customer_csv_header();
            let mut csv = CsvWriter::new(out, &header);
            let n = store.for_each_customer_in_detail(filter, |c, d| {
                let cells = customer_csv_cells(c, d);
                Ok(csv.record(&cells.each_ref().map(String::as_str))?)
            })?;
            csv.finish()?;
            Ok(n)
        }
        Format::Json => {
            let mut json = JsonArrayWriter::new(out);
            let n = store.for_each_customer(filter, |c| Ok(json.item(c)?))?;
            json.finish()?;
            Ok(n)
        }
    }
}

/// Streams the subscriptions matching `filter` to `out`; returns how many were written.
pub fn write_subscriptions(
    store: &Store,
    filter: &SubscriptionFilter,
    format: Format,
    out: impl Write,
) -> anyhow::Result<u64> {
    match format {
        Format::Csv => {
            let header = subscription_csv_header();
            let mut csv = CsvWriter::new(out, &header);
            let n = store.for_each_subscription_in_detail(filter, |s, d| {
                let cells = subscription_csv_cells(s, d);
                Ok(csv.record(&cells.each_ref().map(String::as_str))?)
            })?;
            csv.finish()?;
            Ok(n)
        }
        Format::Json => {
            let mut json = JsonArrayWriter::new(out);
            let n = store.for_each_subscription(filter, |s| Ok(json.item(s)?))?;
            json.finish()?;
            Ok(n)
        }
    }
}

/// A customer's CSV cells, in [`customer_csv_header`] order.
pub fn customer_csv_cells(c: &CustomerRecord, d: &CustomerDetails) -> [String; 25] {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        c.microsoft_id.clone(),
        c.company_name.clone(),
        c.primary_domain.clone(),
        relationship_label(&c.relationship).to_owned(),
        o(&c.reseller),
        o(&c.reseller_partner_id),
        o(&d.registration_number),
        yes_no(Some(d.allow_delegated_access)).to_owned(),
        d.first_name.clone(),
        d.last_name.clone(),
        d.email.clone(),
        o(&d.phone),
        d.address_line1.clone(),
        o(&d.address_line2),
        d.city.clone(),
        o(&d.state),
        o(&d.postal_code),
        d.country.clone(),
        d.culture.clone(),
        d.language.clone(),
        o(&d.mca_signer_name),
        o(&d.mca_signer_email),
        o(&d.mca_date_agreed),
        d.admin_user_name.clone(),
        csv_time(&c.created_at),
    ]
}

/// A subscription's CSV cells, in [`subscription_csv_header`] order.
pub fn subscription_csv_cells(s: &SubscriptionRecord, d: &SubscriptionDetails) -> [String; 18] {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        s.subscription_id.clone(),
        s.subscription.clone(),
        s.quantity.to_string(),
        status_label(&s.status).to_owned(),
        o(&s.reseller),
        s.offer_id.clone(),
        s.customer_microsoft_id.clone(),
        s.customer.clone(),
        o(&s.reseller_partner_id),
        s.support_contact.clone(),
        o(&d.support_contact_partner_id),
        yes_no(Some(s.auto_renew)).to_owned(),
        s.term.clone(),
        s.billing_cycle.clone(),
        o(&d.friendly_name),
        csv_time(&s.created_at),
        csv_time(&d.term_started_at),
        s.commitment_end_date.clone(),
    ]
}

/// Writes a file so that it is either whole or absent: into a temporary file in the same folder,
/// flushed to disk, then renamed over `path`. On any error the temporary file is removed and
/// `path` is left as it was. Errors name `path` with visible escapes (see [`shown_path`]).
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", shown_path(path)))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| format!("cannot write {}", shown_path(path)))?;
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 16, file);
        let value = write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot write {}", shown_path(path)))?;
        // The rename itself reaches the disk with the folder (best effort: not every OS can).
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn neutralise_table() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("=", "'="),
            ("Contoso", "Contoso"),
            ("a=b", "a=b"),
            ("1+1", "1+1"),
            (" =1", " =1"),
            ("'=1", "'=1"),
            ("", ""),
            ("Zürich-Nord", "Zürich-Nord"),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise(input), want, "neutralise({input:?})");
        }
        assert!(matches!(neutralise("Contoso"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_fields_are_quoted_as_rfc_4180_says() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("Fabrikam, Inc.", "\"Fabrikam, Inc.\""),
            ("The \"Best\" Co", "\"The \"\"Best\"\" Co\""),
            ("\"", "\"\"\"\""),
            ("a\nb", "\"a\nb\""),
            ("a\rb", "\"a\rb\""),
            ("a\r\nb", "\"a\r\nb\""),
            ("a;b", "a;b"),
            ("it's", "it's"),
        ];
        for (input, want) in cases {
            let mut csv = CsvWriter::new(Vec::new(), &["A", "B"]);
            csv.record(&[input, "x"]).unwrap();
            let text = String::from_utf8(csv.finish().unwrap()).unwrap();
            assert_eq!(text, format!("A,B\r\n{want},x\r\n"), "field {input:?}");
        }
    }

    #[test]
    fn csv_records_are_neutralised_then_quoted() {
        let empty = CsvWriter::new(Vec::new(), &["A", "B"]).finish().unwrap();
        assert_eq!(empty, b"A,B\r\n");
        let mut csv = CsvWriter::new(Vec::new(), &["A", "B", "C"]);
        csv.record(&["=1,2", "-\"x\"", "ok"]).unwrap();
        csv.record(&["", "", ""]).unwrap();
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        assert_eq!(text, "A,B,C\r\n\"'=1,2\",\"'-\"\"x\"\"\",ok\r\n,,\r\n");
    }

    #[test]
    fn json_array_is_valid_empty_or_not() {
        let empty = JsonArrayWriter::new(Vec::new()).finish().unwrap();
        assert_eq!(String::from_utf8(empty).unwrap(), "[]\n");
        let mut json = JsonArrayWriter::new(Vec::new());
        json.item(&serde_json::json!({"a": 1})).unwrap();
        json.item(&serde_json::json!({"a": "\u{1b}"})).unwrap();
        let text = String::from_utf8(json.finish().unwrap()).unwrap();
        assert_eq!(text, "[\n{\"a\":1},\n{\"a\":\"\\u001b\"}\n]\n");
        let parsed: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.len(), 2);
    }

    #[test]
    fn labels() {
        assert_eq!(relationship_label("reseller"), "Reseller");
        assert_eq!(relationship_label("none"), "None");
        assert_eq!(relationship_label("advisor"), "Advisor");
        assert_eq!(status_label("suspended"), "Suspended");
        assert_eq!(status_label("active"), "Active");
        assert_eq!(status_label("unknown"), "unknown");
    }

    #[test]
    fn atomic_write_leaves_whole_file_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        let failed: anyhow::Result<()> = write_atomically(&path, |out| {
            out.write_all(b"half")?;
            anyhow::bail!("interrupted")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        write_atomically(&path, |out| Ok(out.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.csv"]);
    }

    #[test]
    fn atomic_write_errors_show_hostile_paths_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no\u{1b}]0;x\u{7}\u{202e}").join("out.csv");
        let no_name = dir.path().join("a\u{9b}").join("..");
        for path in [missing, no_name] {
            let err = write_atomically(&path, |out| Ok(out.write_all(b"x")?)).unwrap_err();
            let text = format!("{err:#}");
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}']) && text.contains("\\u{"),
                "{text}"
            );
        }
    }
}
