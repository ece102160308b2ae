//! Keyset-paged lists. No list ever loads all rows: a page is fetched after or before a key
//! `(sort value, id)` along an index, so page 5 000 costs what page 1 does.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, ToSql};

use super::{operators, parse_db_time};
use crate::domain::compliance::Compliance;
use crate::domain::text::cleaned;

pub use super::key::{Key, SortValue};

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

/// What narrows and orders a list: a "starts with" search (case-insensitive); for customers, a
/// reseller; for resellers, whether removed partnerships show and the sort column.
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
    /// Columns that `Filter::search` matches by prefix.
    pub search: &'static [&'static str],
    /// The column `Filter::reseller_id` restricts, if the list supports it.
    pub reseller: Option<&'static str>,
    /// The column `Filter::customer_id` restricts, if the list supports it.
    pub customer: Option<&'static str>,
    /// Newest first (the activity log).
    pub descending: bool,
}

/// The upper bound of a prefix range: every string that starts with `prefix` sorts below it,
/// under NOCASE too. A range keeps the index, unlike `LIKE ?||'%'`, and needs no escaping.
fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

struct Sql {
    text: String,
    params: Vec<Box<dyn ToSql>>,
}

impl Sql {
    fn push(&mut self, value: impl ToSql + 'static) -> String {
        self.params.push(Box::new(value));
        format!("?{}", self.params.len())
    }
}

fn conditions(spec: &ListSpec, filter: &Filter, sql: &mut Sql) -> Vec<String> {
    let mut clauses = vec![spec.scope.to_owned()];
    if let (Some(column), Some(id)) = (spec.reseller, filter.reseller_id) {
        let p = sql.push(id);
        clauses.push(format!("{column} = {p}"));
    }
    if let (Some(column), Some(id)) = (spec.customer, filter.customer_id) {
        let p = sql.push(id);
        clauses.push(format!("{column} = {p}"));
    }
    for (index, prefix) in &filter.column_prefixes {
        let (Some(column), prefix) = (spec.search.get(*index), prefix.trim()) else {
            continue;
        };
        if prefix.is_empty() {
            continue;
        }
        let lo = sql.push(prefix.to_owned());
        let hi = sql.push(prefix_upper_bound(prefix));
        clauses.push(format!("({column} >= {lo} AND {column} < {hi})"));
    }
    let search = filter.search.trim();
    if !search.is_empty() && !spec.search.is_empty() {
        let lo = sql.push(search.to_owned());
        let hi = sql.push(prefix_upper_bound(search));
        let any: Vec<String> = spec
            .search
            .iter()
            .map(|c| format!("({c} >= {lo} AND {c} < {hi})"))
            .collect();
        clauses.push(format!("({})", any.join(" OR ")));
    }
    clauses
}

/// The page query for a request, with its parameters (exposed for query-plan tests).
pub fn page_sql(spec: &ListSpec, req: &PageRequest) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = Sql {
        text: String::new(),
        params: Vec::new(),
    };
    let mut clauses = conditions(spec, &req.filter, &mut sql);
    // Walking forward means the display order; backward means its reverse (then flipped in Rust).
    let backward = matches!(req.anchor, Anchor::Last | Anchor::Before(_));
    let ascending = backward == spec.descending;
    match &req.anchor {
        Anchor::After(key) | Anchor::Before(key) | Anchor::From(key) => {
            let s = sql.push(key.sort.clone());
            let i = sql.push(key.id);
            // Reloading in place starts at the row as it is now: a row whose sort value changed
            // (a request sent again moves to the top) keeps the cursor; a row that is gone
            // leaves it on the next one.
            let s = if matches!(req.anchor, Anchor::From(_)) {
                format!(
                    "coalesce((SELECT {sort} FROM {from} WHERE {id} = {i}), {s})",
                    sort = spec.sort,
                    from = spec.from,
                    id = spec.id
                )
            } else {
                s
            };
            let op = match (&req.anchor, ascending) {
                (Anchor::From(_), true) => ">=",
                (Anchor::From(_), false) => "<=",
                (_, true) => ">",
                (_, false) => "<",
            };
            clauses.push(format!("({}, {}) {op} ({s}, {i})", spec.sort, spec.id));
        }
        Anchor::First | Anchor::Last => {}
    }
    let dir = if ascending { "ASC" } else { "DESC" };
    let limit = sql.push(req.limit as i64 + 1);
    // The page's ids are chosen first, along an index, on the first table alone; only those
    // rows are then joined and their counts taken. (Joining first made a one-letter search
    // join and count every match before keeping a hundred.) The sort value and id come last:
    // they are the row's key.
    sql.text = format!(
        "SELECT {columns}, {sort}, {id} FROM {from} WHERE {id} IN (\
           SELECT {id} FROM {table} WHERE {conditions} ORDER BY {sort} {dir}, {id} {dir} LIMIT {limit}\
         ) ORDER BY {sort} {dir}, {id} {dir}",
        columns = spec.columns,
        from = spec.from,
        table = first_table(spec),
        conditions = clauses.join(" AND "),
        sort = spec.sort,
        id = spec.id
    );
    (sql.text, sql.params)
}

/// The first table of a list's FROM clause, with its alias: the joins only fetch names.
fn first_table(spec: &ListSpec) -> &'static str {
    spec.from
        .split(" JOIN ")
        .next()
        .unwrap_or(spec.from)
        .trim_end_matches(" LEFT")
}

/// Counts of searches stop here: "1000+ matching" says enough, and counting every match of a
/// one-letter search would cost more than the page itself.
pub const SEARCH_COUNT_CAP: u64 = 1000;

/// The count query for a filter.
pub fn count_sql(spec: &ListSpec, filter: &Filter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = Sql {
        text: String::new(),
        params: Vec::new(),
    };
    let clauses = conditions(spec, filter, &mut sql);
    let table = first_table(spec);
    let searching = !filter.search.trim().is_empty() || !filter.column_prefixes.is_empty();
    sql.text = if searching {
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {} LIMIT {})",
            clauses.join(" AND "),
            SEARCH_COUNT_CAP + 1
        )
    } else {
        format!(
            "SELECT count(*) FROM {table} WHERE {}",
            clauses.join(" AND ")
        )
    };
    (sql.text, sql.params)
}

pub fn fetch_page<R: Listed>(conn: &Connection, req: &PageRequest) -> rusqlite::Result<Page<R>> {
    let spec = &R::spec(&req.filter);
    let (text, params) = page_sql(spec, req);
    let mut stmt = conn.prepare_cached(&text)?;
    let n = stmt.column_count();
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    let mut rows: Vec<R> = stmt
        .query_map(refs.as_slice(), |r| {
            let key = Key {
                sort: r.get(n - 2)?,
                id: r.get(n - 1)?,
            };
            R::from_row(r, key)
        })?
        .collect::<Result<_, _>>()?;
    let more = rows.len() > req.limit;
    rows.truncate(req.limit);
    let (more_before, more_after) = match req.anchor {
        Anchor::First => (Some(false), Some(more)),
        Anchor::After(_) | Anchor::From(_) => (None, Some(more)),
        Anchor::Last => (Some(more), Some(false)),
        Anchor::Before(_) => (Some(more), None),
    };
    if matches!(req.anchor, Anchor::Last | Anchor::Before(_)) {
        rows.reverse();
    }
    let total = match req.anchor {
        Anchor::First | Anchor::Last | Anchor::From(_) => Some(count(conn, spec, &req.filter)?),
        _ => None,
    };
    Ok(Page {
        rows,
        more_before,
        more_after,
        total,
    })
}

pub fn count(conn: &Connection, spec: &ListSpec, filter: &Filter) -> rusqlite::Result<u64> {
    // A whole list's count is kept by the writes (store::counters), not counted on each load.
    if let Some(name) = filter
        .is_whole_list()
        .then(|| super::counters::kept_count_name(first_table(spec), spec.scope))
        .flatten()
        && let Some(n) = super::counters::kept_count(conn, name)?
    {
        return Ok(n);
    }
    let (text, params) = count_sql(spec, filter);
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    conn.prepare_cached(&text)?
        .query_row(refs.as_slice(), |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
}

/// A row of the Indirect resellers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerRow {
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    pub location: String,
    /// MPA and POR checks: either may be Unknown (a partnership nobody has checked yet).
    pub compliance: Compliance,
    pub customers: i64,
    pub since: DateTime<Utc>,
    /// When the partnership was removed (only listed with `Filter::include_removed`).
    pub removed_at: Option<DateTime<Utc>>,
    /// Position in the list, from the stored (not the cleaned) values so paging never skips rows.
    pub key: Key,
}

impl ResellerRow {
    /// Active resellers that fail a compliance check can't be credited on orders (an unknown
    /// check is no failure: `compliance.unknown()` says it).
    pub fn compliance_warning(&self) -> Option<&'static str> {
        self.compliance.failure()
    }

    pub fn is_active(&self) -> bool {
        self.removed_at.is_none()
    }
}

pub const RESELLER_COLUMNS: &str =
    "r.id, r.name, r.partner_id, r.location, r.mpa_signed, r.por_valid,
    (SELECT count(*) FROM customers c WHERE c.reseller_id = r.id AND c.removed_at IS NULL), r.established_at, r.removed_at";

impl Listed for ResellerRow {
    fn spec(filter: &Filter) -> ListSpec {
        let (sort, descending) = match filter.sort {
            Sort::Name => ("r.name", false),
            // Numerically: 517285 before 4847383.
            Sort::PartnerId => ("CAST(r.partner_id AS INTEGER)", false),
            Sort::Since => ("r.established_at", true),
        };
        ListSpec {
            columns: RESELLER_COLUMNS,
            from: "resellers r",
            scope: if filter.include_removed {
                "1"
            } else {
                "r.state = 'active'"
            },
            sort,
            id: "r.id",
            search: &["r.name", "r.partner_id"],
            reseller: None,
            customer: None,
            descending,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(ResellerRow {
            id: r.get(0)?,
            name: cleaned(crate::store::text(r, 1)?),
            partner_id: cleaned(crate::store::text(r, 2)?),
            location: cleaned(crate::store::text(r, 3)?),
            compliance: Compliance::new(r.get(4)?, r.get(5)?),
            customers: r.get(6)?,
            since: parse_db_time(&crate::store::text(r, 7)?)?,
            removed_at: r
                .get::<_, Option<String>>(8)?
                .map(|t| parse_db_time(&t))
                .transpose()?,
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// A row of the Customers list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub company_name: String,
    pub domain: String,
    pub tenant_id: String,
    pub reseller: Option<String>,
    pub subscriptions: i64,
    /// The active reseller the customer is associated with: id, PartnerID, compliance.
    pub active_reseller: Option<(i64, String, Compliance)>,
    pub key: Key,
}

impl Listed for CustomerRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: "c.id, c.company_name, c.domain, c.tenant_id, r.name,
                      (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.removed_at IS NULL),
                      r.id, r.partner_id, r.state, r.mpa_signed, r.por_valid",
            from: "customers c LEFT JOIN resellers r ON r.id = c.reseller_id",
            // A customer a sync marked removed (Partner Center no longer lists it) is kept in
            // the book, out of the list.
            scope: "c.removed_at IS NULL",
            sort: "c.company_name",
            id: "c.id",
            search: &["c.company_name", "c.domain", "c.tenant_id"],
            reseller: Some("c.reseller_id"),
            customer: None,
            descending: false,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(CustomerRow {
            id: r.get(0)?,
            company_name: cleaned(crate::store::text(r, 1)?),
            domain: cleaned(crate::store::text(r, 2)?),
            tenant_id: cleaned(crate::store::text(r, 3)?),
            reseller: crate::store::opt_text(r, 4)?.map(cleaned),
            subscriptions: r.get(5)?,
            active_reseller: match (
                r.get::<_, Option<i64>>(6)?,
                crate::store::opt_text(r, 8)?.as_deref(),
            ) {
                (Some(id), Some("active")) => {
                    let compliance = Compliance::new(r.get(9)?, r.get(10)?);
                    Some((id, cleaned(crate::store::text(r, 7)?), compliance))
                }
                _ => None,
            },
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// A row of the Activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub operator: String,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub key: Key,
}

impl Listed for ActivityRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: "a.id, a.at, a.operator, a.action, a.target, a.before, a.after",
            from: "audit_log a",
            scope: "1",
            sort: "a.at",
            id: "a.id",
            search: &["a.operator", "a.action", "a.target"],
            reseller: None,
            customer: None,
            descending: true,
        }
    }

    fn from_row(r: &Row<'_>, key: Key) -> rusqlite::Result<Self> {
        Ok(ActivityRow {
            id: r.get(0)?,
            at: parse_db_time(&crate::store::text(r, 1)?)?,
            operator: cleaned(crate::store::text(r, 2)?),
            action: cleaned(crate::store::text(r, 3)?),
            target: cleaned(crate::store::text(r, 4)?),
            before: crate::store::opt_text(r, 5)?.map(cleaned),
            after: crate::store::opt_text(r, 6)?.map(cleaned),
            key,
        })
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

impl Listed for operators::Operator {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: operators::COLUMNS,
            from: "operators o",
            scope: "1",
            sort: "o.upn",
            id: "o.id",
            search: &["o.upn"],
            reseller: None,
            customer: None,
            descending: false,
        }
    }

    fn from_row(r: &Row<'_>, _: Key) -> rusqlite::Result<Self> {
        operators::from_row(r)
    }

    fn key(&self) -> Key {
        Key {
            sort: self.upn.clone().into(),
            id: self.id,
        }
    }
}
