//! How a row's text is read: never failing a whole list over one damaged cell.

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
