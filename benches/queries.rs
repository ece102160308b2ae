//! Every list query the console sends, on the big database, timed through the crate
//! (`fetch_page`, rows mapped into Rust structs) and, as the reference, the same SQL with the same
//! values through the `sqlite3` shell. Budget: ours / sqlite3 ≤ 1.5.
//!
//! ```sh
//! cargo bench --bench queries                 # all queries
//! cargo bench --bench queries -- customers    # only those whose name contains "customers"
//! TWOTIER_BENCH_SQL=1 cargo bench --bench queries   # also print each query's SQL
//! ```
//!
//! The database is `TWOTIER_BENCH_DB` (default `/tmp/twotier-bench.db`), built once when missing.
//!
//! Ours: the median of single calls after a warm-up (a fetch of the first or last page also
//! counts the rows, as the console does). sqlite3: one `sqlite3` process runs a script with the
//! queries repeated N times (output to /dev/null); a second runs the same script with them once;
//! the difference in wall time over N−1 is the time per run (process start and open cancel out).
//! The shell prepares each statement anew and formats every row; ours reuses prepared
//! statements and builds structs.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};
use twotier::app::list::PAGE_SIZE;
use twotier::store::invitations::InvitationRow;
use twotier::store::list::{
    ActivityRow, Anchor, CustomerRow, Filter, Key, Listed, PageRequest, ResellerRow, SortValue,
    count_sql, count_sql_on, fetch_page, page_sql, page_sql_on, search_index,
};
use twotier::store::operators::Operator;
use twotier::store::renewals::{self, RenewalRow};
use twotier::store::search::{self, SearchPath};
use twotier::store::subscriptions::SubscriptionRow;

const SQLITE3: &str = "/usr/bin/sqlite3";
const BUDGET: f64 = 1.5;
/// Time each side spends on one query, roughly.
const TARGET: Duration = Duration::from_millis(300);

struct Case {
    name: String,
    /// The statements `fetch_page` runs, with their values inlined as SQL literals.
    sql: Vec<String>,
    run: Box<dyn Fn(&Connection) -> usize>,
}

fn case<R: Listed + 'static>(name: &str, req: PageRequest) -> Case {
    let spec = R::spec(&req.filter);
    let (text, params) = page_sql(&spec, &req);
    let mut sql = vec![inline(&text, &params)];
    if matches!(req.anchor, Anchor::First | Anchor::Last) {
        let (text, params) = count_sql(&spec, &req.filter);
        sql.push(inline(&text, &params));
    }
    Case {
        name: name.to_owned(),
        sql,
        run: Box::new(move |conn| {
            fetch_page::<R>(conn, &req)
                .unwrap_or_else(|e| panic!("fetch_page: {e}"))
                .rows
                .len()
        }),
    }
}

/// A search case: the statements `fetch_page` runs for it, the trigram count that picks the path
/// first (three letters or more).
fn searched<R: Listed + 'static>(conn: &Connection, name: &str, req: PageRequest) -> Case {
    let spec = R::spec(&req.filter);
    let index = search_index(&spec);
    let path = search::choose(conn, index, &req.filter.search).expect("search path");
    let mut sql = Vec::new();
    if let (Some(index), SearchPath::Sparse(q) | SearchPath::Dense(q)) = (index, &path) {
        let params: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(search::phrase(q))];
        sql.push(inline(&search::match_count_sql(index), &params));
    }
    let (text, params) = page_sql_on(&spec, &req, &path);
    sql.push(inline(&text, &params));
    let (text, params) = count_sql_on(&spec, &req.filter, &path);
    sql.push(inline(&text, &params));
    let kind = match path {
        SearchPath::Sparse(_) => "sorted matches",
        SearchPath::Dense(_) => "walk",
        SearchPath::Short(_) => "starts with",
        SearchPath::None => "none",
    };
    Case {
        name: format!("{name} ({kind})"),
        sql,
        run: Box::new(move |conn| {
            fetch_page::<R>(conn, &req)
                .unwrap_or_else(|e| panic!("fetch_page: {e}"))
                .rows
                .len()
        }),
    }
}

fn first(filter: Filter) -> PageRequest {
    PageRequest {
        filter,
        anchor: Anchor::First,
        limit: PAGE_SIZE,
    }
}

fn search(text: &str) -> Filter {
    Filter {
        search: text.to_owned(),
        ..Filter::default()
    }
}

/// Replaces `?N` placeholders with the values as SQL literals.
fn inline(sql: &str, params: &[Box<dyn rusqlite::ToSql>]) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '?' {
            out.push(c);
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            end = j + 1;
            chars.next();
        }
        let n: usize = sql[i + 1..end].parse().expect("numbered placeholder");
        let value = params[n - 1].to_sql().expect("a bindable value");
        out.push_str(&literal(&value));
    }
    out
}

fn literal(value: &ToSqlOutput<'_>) -> String {
    let value = match value {
        ToSqlOutput::Borrowed(v) => *v,
        ToSqlOutput::Owned(v) => ValueRef::from(v),
        other => panic!("unexpected parameter {other:?}"),
    };
    match value {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => format!("{f:e}"),
        ValueRef::Text(t) => {
            let t = std::str::from_utf8(t).expect("UTF-8 text");
            format!("'{}'", t.replace('\'', "''"))
        }
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("X'{hex}'")
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Median µs of one call, after a warm-up; at least 15 calls, more while under [`TARGET`].
fn time_ours(case: &Case, conn: &Connection) -> (f64, usize) {
    let mut rows = 0;
    for _ in 0..3 {
        rows = (case.run)(conn);
    }
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 15 || (started.elapsed() < TARGET && samples.len() < 2_000) {
        let t = Instant::now();
        std::hint::black_box((case.run)(conn));
        samples.push(t.elapsed().as_secs_f64() * 1e6);
    }
    (median(samples), rows)
}

/// Wall time of one `sqlite3` process running `script`.
fn run_sqlite3(db: &Path, script: &Path) -> f64 {
    let t = Instant::now();
    let status = Command::new(SQLITE3)
        .arg("-batch")
        .arg("-bail")
        .arg(db)
        .stdin(std::fs::File::open(script).expect("script"))
        .stdout(Stdio::null())
        .status()
        .expect("run sqlite3");
    let elapsed = t.elapsed().as_secs_f64() * 1e6;
    assert!(status.success(), "sqlite3 failed on {}", script.display());
    elapsed
}

/// µs per run of the case's SQL through the sqlite3 shell.
fn time_sqlite3(case: &Case, db: &Path, dir: &Path, ours_us: f64) -> f64 {
    let n = ((TARGET.as_secs_f64() * 1e6 / ours_us.max(1.0)) as usize).clamp(10, 2_000);
    let script = |copies: usize, name: &str| -> PathBuf {
        let path = dir.join(name);
        let mut f = std::fs::File::create(&path).expect("script file");
        writeln!(f, ".output /dev/null").unwrap();
        for _ in 0..copies {
            for statement in &case.sql {
                writeln!(f, "{statement};").unwrap();
            }
        }
        path
    };
    let once = script(1, "once.sql");
    let many = script(n + 1, "many.sql");
    run_sqlite3(db, &many); // warm the page cache
    let mut per_run = Vec::new();
    for _ in 0..5 {
        let a = run_sqlite3(db, &once);
        let b = run_sqlite3(db, &many);
        per_run.push((b - a) / n as f64);
    }
    median(per_run)
}

fn cases(store: &twotier::store::Store) -> Vec<Case> {
    let conn = store.conn();
    let biggest_reseller = common::biggest_reseller(store);
    let biggest_customer = common::biggest_customer(store);
    let middle = common::query_i64(store, "SELECT count(*) / 2 FROM customers");
    let (deep_name, deep_id): (String, i64) = store
        .conn()
        .query_row(
            "SELECT company_name, id FROM customers ORDER BY company_name, id LIMIT 1 OFFSET ?1",
            [middle],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a customer in the middle of the list");
    let deep = Key {
        sort: SortValue::Text(deep_name),
        id: deep_id,
    };
    let page = |filter: Filter, anchor: Anchor| PageRequest {
        filter,
        anchor,
        limit: PAGE_SIZE,
    };
    // Renewals: the 90 days from the day the database was laid out (its newest subscription's
    // start), a key halfway through the window, and the reseller crediting the most.
    let today = common::query_text(
        store,
        "SELECT substr(max(created_at), 1, 10) FROM subscriptions",
    );
    let today = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").expect("a date");
    let window = || renewals::filter(twotier::domain::renewal::ends_by(today, 90), None);
    let busiest_por = common::query_i64(
        store,
        "SELECT reseller_id FROM subscriptions WHERE reseller_id IS NOT NULL
         GROUP BY reseller_id ORDER BY count(*) DESC LIMIT 1",
    );
    let halfway: Key = {
        let (end, id): (String, i64) = store
            .conn()
            .query_row(
                &format!(
                    "SELECT commitment_end_date, id FROM subscriptions s WHERE {} AND commitment_end_date <= ?1
                     ORDER BY commitment_end_date, id LIMIT 1 OFFSET 100000",
                    renewals::SCOPE
                ),
                [window().ends_by.unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a renewal 100 000 rows into the window");
        Key {
            sort: SortValue::Text(end),
            id,
        }
    };
    vec![
        case::<RenewalRow>("renewals: first page", first(window())),
        case::<RenewalRow>("renewals: last page (End)", page(window(), Anchor::Last)),
        case::<RenewalRow>(
            "renewals: page after row 100000 (keyset)",
            page(window(), Anchor::After(halfway.clone())),
        ),
        case::<RenewalRow>(
            "renewals: page before row 100000 (keyset)",
            page(window(), Anchor::Before(halfway)),
        ),
        case::<RenewalRow>(
            &format!("renewals: reseller {busiest_por} (most credited)"),
            first(Filter {
                reseller_id: Some(busiest_por),
                ..window()
            }),
        ),
        case::<ResellerRow>("resellers: first page", first(Filter::default())),
        case::<ResellerRow>(
            "resellers: last page (End)",
            page(Filter::default(), Anchor::Last),
        ),
        searched::<ResellerRow>(conn, "resellers: search \"a\"", first(search("a"))),
        searched::<ResellerRow>(conn, "resellers: search \"ne\"", first(search("ne"))),
        searched::<ResellerRow>(conn, "resellers: search \"con\"", first(search("con"))),
        searched::<ResellerRow>(
            conn,
            "resellers: search \"zzzq\" (none)",
            first(search("zzzq")),
        ),
        case::<CustomerRow>("customers: first page", first(Filter::default())),
        case::<CustomerRow>(
            "customers: last page (End)",
            page(Filter::default(), Anchor::Last),
        ),
        searched::<CustomerRow>(conn, "customers: search \"a\"", first(search("a"))),
        searched::<CustomerRow>(conn, "customers: search \"bi\"", first(search("bi"))),
        searched::<CustomerRow>(conn, "customers: search \"con\"", first(search("con"))),
        searched::<CustomerRow>(conn, "customers: search \"aker\"", first(search("aker"))),
        searched::<CustomerRow>(
            conn,
            "customers: search \"zurich\"",
            first(search("zurich")),
        ),
        searched::<CustomerRow>(
            conn,
            "customers: search \"zzzq\" (none)",
            first(search("zzzq")),
        ),
        searched::<CustomerRow>(
            conn,
            &format!("customers: reseller {biggest_reseller}, search \"con\""),
            first(Filter {
                reseller_id: Some(biggest_reseller),
                search: "con".into(),
                ..Filter::default()
            }),
        ),
        case::<CustomerRow>(
            &format!("customers: reseller {biggest_reseller} (most customers)"),
            first(Filter {
                reseller_id: Some(biggest_reseller),
                ..Filter::default()
            }),
        ),
        case::<CustomerRow>(
            &format!("customers: page after row {middle} (keyset)"),
            page(Filter::default(), Anchor::After(deep.clone())),
        ),
        case::<CustomerRow>(
            &format!("customers: page before row {middle} (keyset)"),
            page(Filter::default(), Anchor::Before(deep)),
        ),
        case::<SubscriptionRow>(
            &format!("subscriptions of customer {biggest_customer} (most)"),
            first(Filter {
                customer_id: Some(biggest_customer),
                ..Filter::default()
            }),
        ),
        case::<ActivityRow>("activity log: first page", first(Filter::default())),
        case::<Operator>("users: first page", first(Filter::default())),
        case::<InvitationRow>("invitations: first page", first(Filter::default())),
        case::<ResellerRow>("reseller picker: first page", first(Filter::default())),
        searched::<ResellerRow>(conn, "reseller picker: PartnerID \"8\"", first(search("8"))),
        searched::<ResellerRow>(
            conn,
            "reseller picker: PartnerID \"4738\"",
            first(search("4738")),
        ),
        dashboard_case(),
    ]
}

/// The Dashboard's whole reply: every statement `store::dashboard::read` runs, the same SQL
/// with its values inlined for the shell.
fn dashboard_case() -> Case {
    use twotier::store::dashboard as d;
    let now = chrono::Utc::now();
    let day = |days: i64| {
        format!(
            "'{}'",
            (now + chrono::Duration::days(days)).format("%Y-%m-%d")
        )
    };
    let time = |days: i64| {
        format!(
            "'{}'",
            (now - chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ")
        )
    };
    let top = d::TOP.to_string();
    let named = d::BLOCKED_NAMED.to_string();
    let weeks = 7 * d::WEEKS as i64;
    let with = |sql: &str, values: &[&str]| {
        values
            .iter()
            .enumerate()
            .rev()
            .fold(sql.to_owned(), |s, (i, v)| {
                s.replace(&format!("?{}", i + 1), v)
            })
    };
    let sql = vec![
        d::BOOK_SQL.to_owned(),
        d::RESELLERS_SQL.to_owned(),
        with(d::OFFERS_SQL, &[&top]),
        with(d::TOP_RESELLERS_SQL, &[&top]),
        with(d::NEW_CUSTOMERS_SQL, &[&day(-weeks), &day(0)]),
        with(d::RENEWALS_SQL, &[&day(0), &day(d::RENEWAL_DAYS)]),
        with(d::PENDING_SQL, &[&time(7), &time(30)]),
        d::BLOCKED_COUNT_SQL.to_owned(),
        with(d::BLOCKED_NAMES_SQL, &[&named]),
        d::UNCHECKED_SQL.to_owned(),
    ];
    Case {
        name: "dashboard: every figure".to_owned(),
        sql,
        run: Box::new(move |conn| {
            let figures = d::read(conn, now, true).unwrap_or_else(|e| panic!("dashboard: {e}"));
            figures.offers.len() + figures.top_resellers.len()
        }),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters by name.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    assert!(
        Path::new(SQLITE3).exists(),
        "the reference needs {SQLITE3} (apt-get install sqlite3)"
    );
    let store = common::open_store();
    let db = common::db_path();
    let dir = tempfile::tempdir().expect("temp dir");
    let show_sql = std::env::var_os("TWOTIER_BENCH_SQL").is_some();
    let version = Command::new(SQLITE3)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let ours_version = rusqlite::version();
    println!("database: {}", db.display());
    println!(
        "ours: twotier::store::list::fetch_page, bundled SQLite {ours_version}; sqlite3: {SQLITE3} {}",
        version.split(' ').next().unwrap_or("")
    );
    println!();
    println!(
        "{:<46} {:>5} {:>11} {:>12} {:>6}  ≤ {BUDGET}",
        "query", "rows", "ours (µs)", "sqlite3 (µs)", "ratio"
    );
    let mut failed = Vec::new();
    for case in cases(&store) {
        if !only.is_empty() && !only.iter().any(|o| case.name.contains(o.as_str())) {
            continue;
        }
        let (ours, rows) = time_ours(&case, store.conn());
        let reference = time_sqlite3(&case, &db, dir.path(), ours);
        let ratio = ours / reference.max(0.001);
        let pass = ratio <= BUDGET;
        if !pass {
            failed.push(case.name.clone());
        }
        println!(
            "{:<46} {:>5} {:>11.1} {:>12.1} {:>6.2}  {}",
            case.name,
            rows,
            ours,
            reference,
            ratio,
            if pass { "pass" } else { "FAIL" }
        );
        if show_sql {
            for statement in &case.sql {
                println!("    {statement};");
            }
        }
        std::io::stdout().flush().ok();
    }
    println!();
    if failed.is_empty() {
        println!("every query within ours/sqlite3 ≤ {BUDGET}");
    } else {
        println!("over budget: {}", failed.join("; "));
    }
}
