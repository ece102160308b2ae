//! The one text form of a time in the book, and reading it back.

use chrono::{DateTime, SecondsFormat, Utc};

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
