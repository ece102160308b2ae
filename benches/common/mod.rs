//! Shared by the benchmarks: the big database (built once, reused), opened as the console does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use twotier::store::Store;
use twotier::store::demo::{self, DemoParams};

/// The operator the benchmarks act as: the demo's Global admin (every screen is allowed).
pub const OPERATOR: &str = "ava.global@northwind-distribution.example";

/// The scale of issue 6.
pub const RESELLERS: u32 = 5_000;
pub const CUSTOMERS: u32 = 100_000;
pub const SUBSCRIPTIONS: u32 = 1_000_000;

/// `TWOTIER_BENCH_DB`, else `/tmp/twotier-bench.db`.
pub fn db_path() -> PathBuf {
    std::env::var_os("TWOTIER_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/twotier-bench.db"))
}

/// The big database, built the way `twotier demo` builds it when it is missing (about 12 s,
/// about 380 MB). An existing file is reused as it is.
pub fn ensure_db() -> PathBuf {
    let path = db_path();
    if !path.exists() {
        build(&path);
    }
    path
}

fn build(path: &Path) {
    eprintln!(
        "building {} ({RESELLERS} resellers, {CUSTOMERS} customers, {SUBSCRIPTIONS} subscriptions)…",
        path.display()
    );
    let started = Instant::now();
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".building");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let (mut store, _) = Store::open(&tmp).expect("create the benchmark database");
    store.bulk_load().expect("bulk-load pragmas");
    let params = DemoParams {
        resellers: RESELLERS,
        customers: CUSTOMERS,
        subscriptions: SUBSCRIPTIONS,
        seed: 42,
        as_of: chrono::Utc::now().date_naive(),
    };
    demo::seed(&store, &params, OPERATOR).expect("seed the benchmark database");
    store.finish_bulk_load().expect("back to WAL");
    store.close().expect("close the benchmark database");
    std::fs::rename(&tmp, path).expect("move the benchmark database into place");
    eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
}

/// The big database opened as the console opens it, acting as [`OPERATOR`].
pub fn open_store() -> Store {
    let path = ensure_db();
    let (mut store, _) = Store::open(&path).expect("open the benchmark database");
    let operator = store
        .resolve_operator(OPERATOR)
        .expect("the benchmark operator is in the database");
    store.act_as(operator);
    store
}

/// One integer from the database (fixture look-ups: the biggest customer and so on).
pub fn query_i64(store: &Store, sql: &str) -> i64 {
    store
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn query_text(store: &Store, sql: &str) -> String {
    store
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The customer with the most subscriptions (lowest id among equals).
pub fn biggest_customer(store: &Store) -> i64 {
    query_i64(
        store,
        "SELECT customer_id FROM subscriptions GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1",
    )
}

/// The reseller with the most customers (lowest id among equals).
pub fn biggest_reseller(store: &Store) -> i64 {
    query_i64(
        store,
        "SELECT reseller_id FROM customers WHERE reseller_id IS NOT NULL GROUP BY reseller_id ORDER BY count(*) DESC, reseller_id LIMIT 1",
    )
}
