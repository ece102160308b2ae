//! Substring search over the lists: the SQL function that folds text for the index (migration
//! 0008's triggers call it), and the choice of path for one query.
//!
//! Three letters or more: the FTS5 trigram index. When it has few matches (at most
//! [`SPARSE_MATCHES`]), the page is taken from them and sorted; when it has many, the list's own
//! index is walked in display order and each row's folded text tested, which fills a page after
//! a few rows because matches are dense. One or two letters (no trigram): the rows whose
//! name (or other searched column) starts with them, along the list's indexes, counted up to
//! the cap ("1000+ matching"), and the list says so ("starts with").
//! Queries are folded here, in Rust, and bound as values, so the SQL runs in any SQLite.

use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};

use crate::domain::fold::{fold, fold_query};

/// The index tables of a list: the folded text by row id, and its trigram index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchIndex {
    pub folded: &'static str,
    pub trigrams: &'static str,
}

/// At most this many trigram matches are sorted; more, and the list's index is walked.
pub const SPARSE_MATCHES: usize = 5_000;

/// How one search runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchPath {
    /// No search text (or the list has no index).
    None,
    /// Few trigram matches: they are the rows, sorted.
    Sparse(String),
    /// Many trigram matches: the list's index walked, folded text tested.
    Dense(String),
    /// One or two letters: the rows that start with them.
    Short(String),
}

impl SearchPath {
    pub fn query(&self) -> Option<&str> {
        match self {
            SearchPath::None => None,
            SearchPath::Sparse(q) | SearchPath::Dense(q) | SearchPath::Short(q) => Some(q),
        }
    }
}

/// `twotier_fold(a, b, …)`: each argument folded (NULL as empty), one per line, so a query
/// never matches across two fields.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "twotier_fold",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let mut out = String::new();
            for i in 0..ctx.len() {
                if i > 0 {
                    out.push('\n');
                }
                // Bytes that are not UTF-8 (a damaged row) fold as U+FFFD, as they are shown.
                match ctx.get_raw(i) {
                    ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                        out.push_str(&fold(&String::from_utf8_lossy(bytes)));
                    }
                    ValueRef::Integer(n) => out.push_str(&n.to_string()),
                    ValueRef::Real(_) | ValueRef::Null => {}
                }
            }
            Ok(out)
        },
    )
}

/// Characters a query must have to use the trigram index.
pub const TRIGRAM: usize = 3;

/// The path a query takes, without the database: `Dense` stands for "3+ letters" until
/// [`choose`] has counted the matches.
pub fn path_for(index: Option<SearchIndex>, search: &str) -> SearchPath {
    let query = fold_query(search);
    match index {
        _ if query.is_empty() => SearchPath::None,
        None => SearchPath::None,
        Some(_) if query.chars().count() < TRIGRAM => SearchPath::Short(query),
        Some(_) => SearchPath::Dense(query),
    }
}

/// The trigram index's phrase for a folded query.
pub fn phrase(query: &str) -> String {
    format!("\"{}\"", query.replace('"', "\"\""))
}

/// The statement that counts trigram matches up to [`SPARSE_MATCHES`] + 1 (exposed for the
/// benches and the query-plan test).
pub fn match_count_sql(index: SearchIndex) -> String {
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM {t}(?1) LIMIT {})",
        SPARSE_MATCHES + 1,
        t = index.trigrams
    )
}

/// The path of a search, counting the trigram matches when it has three letters or more.
pub fn choose(
    conn: &Connection,
    index: Option<SearchIndex>,
    search: &str,
) -> rusqlite::Result<SearchPath> {
    let path = path_for(index, search);
    let (Some(index), SearchPath::Dense(query)) = (index, &path) else {
        return Ok(path);
    };
    let matches: i64 = conn
        .prepare_cached(&match_count_sql(index))?
        .query_row([phrase(query)], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    Ok(if matches as usize > SPARSE_MATCHES {
        path
    } else {
        SearchPath::Sparse(query.clone())
    })
}

/// For a listing of every match (the CLI): the condition that row `id` matches the folded
/// `query`, with `p` the placeholder bound to [`contains_value`]. Three letters or more look
/// the trigrams up; fewer test the folded text of each row the listing reads anyway.
pub fn contains_clause(index: SearchIndex, id: &str, query: &str, p: &str) -> String {
    if query.chars().count() >= TRIGRAM {
        format!("{id} IN (SELECT rowid FROM {}({p}))", index.trigrams)
    } else {
        format!(
            "instr((SELECT f.folded FROM {} f WHERE f.id = {id}), {p}) > 0",
            index.folded
        )
    }
}

/// The value [`contains_clause`] binds for a folded query.
pub fn contains_value(query: &str) -> String {
    if query.chars().count() >= TRIGRAM {
        phrase(query)
    } else {
        query.to_owned()
    }
}

pub const CUSTOMERS: SearchIndex = SearchIndex {
    folded: "customer_search",
    trigrams: "customer_trigrams",
};
pub const RESELLERS: SearchIndex = SearchIndex {
    folded: "reseller_search",
    trigrams: "reseller_trigrams",
};
