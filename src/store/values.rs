//! How a row's text and times are read from, and times written to, the database.

use chrono::{DateTime, SecondsFormat, Utc};

/// A text column of a row. Bytes that are not UTF-8 (another tool or a sync wrote them) become
/// U+FFFD, which the row then shows, instead of failing the whole list it is in.
pub fn text(r: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<String> {
    Ok(opt_text(r, index)?.unwrap_or_default())
}

/// [`text`] for a column that may be NULL.
pub fn opt_text(r: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<String>> {
    use rusqlite::types::ValueRef;
    Ok(match r.get_ref(index)? {
        ValueRef::Null => None,
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Some(match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                tracing::warn!(
                    column = index,
                    "a row holds text that is not UTF-8; shown with U+FFFD"
                );
                String::from_utf8_lossy(bytes).into_owned()
            }
        }),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
    })
}

/// The one text form of a time in the database: UTC, whole seconds, `Z`.
pub fn db_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a time written by [`db_time`].
///
/// A time another tool wrote in another form is read if it can be (SQLite's `datetime()` text,
/// a bare date); one that can't be read at all becomes 1970-01-01 (logged), so one damaged row
/// never hides the rest of its list.
pub fn parse_db_time(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let trimmed = text.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%d %H:%M:%S")
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    Ok(match naive {
        Some(t) => t.and_utc(),
        None => {
            tracing::warn!(
                text = %crate::domain::text::escaped(text),
                "a row holds a time that can't be read; shown as 1970-01-01"
            );
            DateTime::<Utc>::UNIX_EPOCH
        }
    })
}
