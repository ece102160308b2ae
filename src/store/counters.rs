//! The row counts of whole lists, kept in `row_counts` by triggers in each write's own
//! transaction (migration 0011): a list's title count is one row read, not a walk of a million
//! index entries on every load. A narrowed list (a search, a reseller, a customer) is still
//! counted along its index: those counts are small or capped.

use rusqlite::{Connection, OptionalExtension};

/// Which kept count answers a list with no narrowing: (first table of its FROM, its scope) →
/// the `row_counts` row. The scope must be the exact condition the triggers count by; a list
/// not named here is counted by SQL.
const KEPT: &[(&str, &str, &str)] = &[
    ("customers c", "c.removed_at IS NULL", "customers"),
    ("resellers r", "r.state = 'active'", "resellers"),
    // The Indirect resellers list with removed partnerships shown.
    ("resellers r", "1", "resellers_all"),
    ("audit_log a", "1", "audit_log"),
];

/// The name of the kept count of a whole list (no search, reseller or customer narrowing it),
/// by the first table of its FROM and its scope, if there is one.
pub fn kept_count_name(table: &str, scope: &str) -> Option<&'static str> {
    KEPT.iter()
        .find(|(t, s, _)| *t == table && *s == scope)
        .map(|(.., name)| *name)
}

/// Reads one kept count (exposed for the query-plan test).
pub const KEPT_COUNT_SQL: &str = "SELECT value FROM row_counts WHERE name = ?1";

/// The kept count of this name; `None` in a book without it (never, once migrated).
pub fn kept_count(conn: &Connection, name: &str) -> rusqlite::Result<Option<u64>> {
    conn.prepare_cached(KEPT_COUNT_SQL)?
        .query_row([name], |r| r.get::<_, i64>(0))
        .optional()
        .map(|n| n.map(|n| n.max(0) as u64))
}

/// The SQL the kept counts stand for, by name: what the triggers must agree with (tests compare
/// them, and `twotier` never runs these on a list load).
pub fn counting_sql(name: &str) -> Option<&'static str> {
    Some(match name {
        "customers" => "SELECT count(*) FROM customers WHERE removed_at IS NULL",
        "resellers" => "SELECT count(*) FROM resellers WHERE state = 'active'",
        "resellers_all" => "SELECT count(*) FROM resellers",
        "audit_log" => "SELECT count(*) FROM audit_log",
        _ => return None,
    })
}

/// Every kept count's name.
pub const NAMES: &[&str] = &["customers", "resellers", "resellers_all", "audit_log"];
