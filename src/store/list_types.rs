//! The types of a keyset-paged list (re-exported by [`super::list`]): the request, the page,
//! the filter and the SQL spec of each row type.

use rusqlite::Row;

use super::key::Key;

/// Which page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    First,
    Last,
    After(Key),
    Before(Key),
    /// From this row on (itself included), counted again: a list reloaded in place after a
    /// change, keeping its selected row (or, when that row is gone, the next one).
    From(Key),
}

/// What narrows and orders a list: a search (anywhere in the text, case- and accent-insensitive,
/// on the lists with a search index; "starts with" on the others); for customers, a reseller;
/// for resellers, whether removed partnerships show and the sort column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub search: String,
    pub reseller_id: Option<i64>,
    /// For subscriptions: one customer's.
    pub customer_id: Option<i64>,
    /// "Starts with" on one search column each: (index into `ListSpec::search`, prefix). The
    /// activity log filters by operator, action and target this way.
    pub column_prefixes: Vec<(usize, String)>,
    pub include_removed: bool,
    pub sort: Sort,
    /// Rows whose `ListSpec::ends_by` date is on or before this day (`YYYY-MM-DD`): Renewals'
    /// window (earlier ones, overdue, are always in).
    pub ends_by: Option<String>,
}

impl Filter {
    /// Nothing narrows the list (sort and removed partnerships only choose it): a field added
    /// later counts as narrowing until it is named here.
    pub fn is_whole_list(&self) -> bool {
        let whole = Filter {
            search: self.search.clone(),
            sort: self.sort,
            include_removed: self.include_removed,
            ..Filter::default()
        };
        *self == whole && self.search.trim().is_empty()
    }
}

/// The sort column of the Indirect resellers list (other lists have one order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    #[default]
    Name,
    PartnerId,
    Since,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::PartnerId,
            Sort::PartnerId => Sort::Since,
            Sort::Since => Sort::Name,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "Name",
            Sort::PartnerId => "PartnerID",
            Sort::Since => "Since (newest first)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub filter: Filter,
    pub anchor: Anchor,
    pub limit: usize,
}

/// One page of rows in display order. `more_before`/`more_after` are `None` when this fetch
/// cannot tell (the caller keeps what it knew).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    pub rows: Vec<R>,
    pub more_before: Option<bool>,
    pub more_after: Option<bool>,
    /// The number of rows matching the filter, counted on the first and last page only.
    pub total: Option<u64>,
}

/// A row type that can be listed.
pub trait Listed: Sized {
    /// The SQL for this filter (the sort column may depend on it).
    fn spec(filter: &Filter) -> ListSpec;
    /// Builds a row from the spec's columns; `key` is its position, read from the sort columns.
    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self>;
    fn key(&self) -> Key;
}

/// The SQL of one list. Every part is a constant of this module, never user text.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    pub columns: &'static str,
    /// `FROM` clause with joins; the first table carries the filters.
    pub from: &'static str,
    /// Always-true condition of the list (for example active resellers only).
    pub scope: &'static str,
    pub sort: &'static str,
    pub id: &'static str,
    /// The searched columns: matched by prefix on a list without a search index, and by
    /// `Filter::column_prefixes`.
    pub search: &'static [&'static str],
    /// The column `Filter::reseller_id` restricts, if the list supports it.
    pub reseller: Option<&'static str>,
    /// The column `Filter::customer_id` restricts, if the list supports it.
    pub customer: Option<&'static str>,
    /// Newest first (the activity log).
    pub descending: bool,
    /// The date column `Filter::ends_by` bounds, if the list supports it.
    pub ends_by: Option<&'static str>,
}
