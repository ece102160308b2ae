//! Keyset-paged lists. No list ever loads all rows: a page is fetched after or before a key
//! `(sort value, id)` along an index, so page 5 000 costs what page 1 does.

use rusqlite::{Connection, ToSql};

use super::search::{self, SearchIndex, SearchPath};

pub use super::key::{Key, SortValue};
pub use super::list_rows::{ActivityRow, CustomerRow, RESELLER_COLUMNS, ResellerRow};
pub use super::list_types::{Anchor, Filter, ListSpec, Listed, Page, PageRequest, Sort};

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

/// The list's search index, by its first table (the lists with one; others search by prefix).
pub fn search_index(spec: &ListSpec) -> Option<SearchIndex> {
    let (folded, trigrams) = match first_table(spec) {
        "customers c" => ("customer_search", "customer_trigrams"),
        "resellers r" => ("reseller_search", "reseller_trigrams"),
        "operators o" => ("operator_search", "operator_trigrams"),
        "invitations i" => ("invitation_search", "invitation_trigrams"),
        _ => return None,
    };
    Some(SearchIndex { folded, trigrams })
}

/// The list's own restrictions: scope, reseller, customer, column prefixes.
/// The last day of a date window (`Filter::ends_by`), where the list has one.
fn window(spec: &ListSpec, filter: &Filter, sql: &mut Sql, clauses: &mut Vec<String>) {
    if let (Some(column), Some(day)) = (spec.ends_by, &filter.ends_by) {
        let p = sql.push(day.clone());
        clauses.push(format!("{column} <= {p}"));
    }
}

fn base_conditions(spec: &ListSpec, filter: &Filter, sql: &mut Sql) -> Vec<String> {
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
    clauses
}

/// The rows a query picks from, and the conditions on them: the list's first table (searched
/// by prefix when it has no index), its trigram matches, or its first rows.
fn source(
    spec: &ListSpec,
    filter: &Filter,
    path: &SearchPath,
    sql: &mut Sql,
) -> (String, Vec<String>) {
    let table = first_table(spec);
    let mut clauses = base_conditions(spec, filter, sql);
    let index = search_index(spec);
    match (index, path) {
        (Some(index), SearchPath::Sparse(query)) => {
            // The matches drive: each is looked up by id, then the few are sorted.
            let p = sql.push(search::phrase(query));
            let table = format!(
                "{t}({p}) m CROSS JOIN {table} ON {id} = m.rowid",
                t = index.trigrams,
                id = spec.id
            );
            (table, clauses)
        }
        (Some(_), SearchPath::Short(_)) => {
            // No trigram in one or two letters: "starts with" (any case) on the searched
            // columns, along the indexes, as before there was an index.
            if let Some(prefix) = prefix_clause(spec, &filter.search, sql) {
                clauses.push(prefix);
            }
            (table.to_owned(), clauses)
        }
        (Some(index), SearchPath::Dense(query)) => {
            let q = sql.push(query.clone());
            clauses.push(format!(
                "instr((SELECT f.folded FROM {f} f WHERE f.id = {id}), {q}) > 0",
                f = index.folded,
                id = spec.id
            ));
            (table.to_owned(), clauses)
        }
        (None, _) | (_, SearchPath::None) => {
            if index.is_none()
                && let Some(prefix) = prefix_clause(spec, &filter.search, sql)
            {
                clauses.push(prefix);
            }
            (table.to_owned(), clauses)
        }
    }
}

/// "Starts with" (any case) on any of the list's searched columns: ranges, along the indexes.
fn prefix_clause(spec: &ListSpec, search: &str, sql: &mut Sql) -> Option<String> {
    let search = search.trim();
    if search.is_empty() || spec.search.is_empty() {
        return None;
    }
    let lo = sql.push(search.to_owned());
    let hi = sql.push(prefix_upper_bound(search));
    let any: Vec<String> = spec
        .search
        .iter()
        .map(|c| format!("({c} >= {lo} AND {c} < {hi})"))
        .collect();
    Some(format!("({})", any.join(" OR ")))
}

/// The path a request takes without counting matches (3+ letters: the walk).
fn default_path(spec: &ListSpec, filter: &Filter) -> SearchPath {
    search::path_for(search_index(spec), &filter.search)
}

/// The page query for a request, with its parameters (exposed for query-plan tests).
pub fn page_sql(spec: &ListSpec, req: &PageRequest) -> (String, Vec<Box<dyn ToSql>>) {
    page_sql_on(spec, req, &default_path(spec, &req.filter))
}

/// The page query along a chosen search path.
pub fn page_sql_on(
    spec: &ListSpec,
    req: &PageRequest,
    path: &SearchPath,
) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = Sql {
        text: String::new(),
        params: Vec::new(),
    };
    let (table, mut clauses) = source(spec, &req.filter, path, &mut sql);
    // Before a key the key itself bounds the window: given the date bound too, SQLite seeks
    // by the date alone and reads every row between it and the key (100 ms at 1M rows).
    if !matches!(req.anchor, Anchor::Before(_)) {
        window(spec, &req.filter, &mut sql, &mut clauses);
    }
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

/// Counts of a date window (Renewals) stop here: a window may hold millions of rows, and
/// "10000+" says enough.
pub const WINDOW_COUNT_CAP: u64 = 10_000;

/// The count query for a filter.
pub fn count_sql(spec: &ListSpec, filter: &Filter) -> (String, Vec<Box<dyn ToSql>>) {
    count_sql_on(spec, filter, &default_path(spec, filter))
}

/// The count query along a chosen search path. Three letters or more are counted from the
/// trigram matches (they stream in id order, so the cap stops the count early).
pub fn count_sql_on(
    spec: &ListSpec,
    filter: &Filter,
    path: &SearchPath,
) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = Sql {
        text: String::new(),
        params: Vec::new(),
    };
    let path = match path {
        SearchPath::Dense(q) => SearchPath::Sparse(q.clone()),
        other => other.clone(),
    };
    let (table, mut clauses) = source(spec, filter, &path, &mut sql);
    window(spec, filter, &mut sql, &mut clauses);
    let searching = !filter.search.trim().is_empty() || !filter.column_prefixes.is_empty();
    let cap = match (searching, &filter.ends_by) {
        (true, _) => Some(SEARCH_COUNT_CAP),
        (false, Some(_)) => Some(WINDOW_COUNT_CAP),
        (false, None) => None,
    };
    sql.text = if let Some(cap) = cap {
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {} LIMIT {})",
            clauses.join(" AND "),
            cap + 1
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
    let path = search::choose(conn, search_index(spec), &req.filter.search)?;
    let (text, params) = page_sql_on(spec, req, &path);
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
    let counted = matches!(req.anchor, Anchor::First | Anchor::Last | Anchor::From(_));
    let total = match counted {
        true => Some(count_on(conn, spec, &req.filter, &path)?),
        false => None,
    };
    Ok(Page {
        rows,
        more_before,
        more_after,
        total,
    })
}

pub fn count(conn: &Connection, spec: &ListSpec, filter: &Filter) -> rusqlite::Result<u64> {
    let path = search::choose(conn, search_index(spec), &filter.search)?;
    count_on(conn, spec, filter, &path)
}

fn count_on(
    conn: &Connection,
    spec: &ListSpec,
    filter: &Filter,
    path: &SearchPath,
) -> rusqlite::Result<u64> {
    // A whole list's count is kept by the writes (store::counters), not counted on each load.
    if let Some(name) = filter
        .is_whole_list()
        .then(|| super::counters::kept_count_name(first_table(spec), spec.scope))
        .flatten()
        && let Some(n) = super::counters::kept_count(conn, name)?
    {
        return Ok(n);
    }
    let (text, params) = count_sql_on(spec, filter, path);
    let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
    conn.prepare_cached(&text)?
        .query_row(refs.as_slice(), |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
}
