//! A row's place in a keyset-paged list: its sort value and its id.

use rusqlite::ToSql;

/// Where a list stands in its sort order: the sort value and the row id as tie-breaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub sort: SortValue,
    pub id: i64,
}

/// A sort column's value, bound back with its own type so the keyset comparison sorts like the
/// index does (in SQLite every integer sorts before every text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    Text(String),
    /// Text that is not UTF-8 (written by another tool): kept byte for byte, so the next page
    /// starts exactly after it.
    RawText(Vec<u8>),
    Integer(i64),
}

impl From<&str> for SortValue {
    fn from(s: &str) -> Self {
        SortValue::Text(s.to_owned())
    }
}

impl From<String> for SortValue {
    fn from(s: String) -> Self {
        SortValue::Text(s)
    }
}

impl ToSql for SortValue {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            SortValue::Text(s) => s.to_sql(),
            SortValue::RawText(b) => Ok(rusqlite::types::ToSqlOutput::Borrowed(
                rusqlite::types::ValueRef::Text(b),
            )),
            SortValue::Integer(i) => i.to_sql(),
        }
    }
}

impl rusqlite::types::FromSql for SortValue {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match value {
            rusqlite::types::ValueRef::Integer(i) => Ok(SortValue::Integer(i)),
            rusqlite::types::ValueRef::Text(b) => Ok(match std::str::from_utf8(b) {
                Ok(s) => SortValue::Text(s.to_owned()),
                Err(_) => SortValue::RawText(b.to_vec()),
            }),
            other => String::column_result(other).map(SortValue::Text),
        }
    }
}
