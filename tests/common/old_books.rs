//! Books as an older build wrote them, for the tests of each migration's upgrade: the schema
//! steps up to a version applied by hand, never the current schema with pieces dropped (a later
//! migration's tables would then stay behind and the upgrade would meet them twice).

use std::path::Path;

use rusqlite::Connection;

/// The schema steps of version 7 (issue 14's last), in order.
const STEPS_TO_7: [&str; 7] = [
    include_str!("../../src/store/migrations/0001_init.sql"),
    include_str!("../../src/store/migrations/0002_demo_marker.sql"),
    include_str!("../../src/store/migrations/0003_discarded_requests.sql"),
    include_str!("../../src/store/migrations/0004_unknown_compliance.sql"),
    include_str!("../../src/store/migrations/0005_sync.sql"),
    include_str!("../../src/store/migrations/0006_sync_subscriptions.sql"),
    include_str!("../../src/store/migrations/0007_present_customers.sql"),
];

/// An empty book at schema version 7 at `path`, open.
pub fn schema_7(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for step in STEPS_TO_7 {
        conn.execute_batch(step).unwrap();
    }
    conn.pragma_update(None, "application_id", twotier::store::APPLICATION_ID)
        .unwrap();
    conn.pragma_update(None, "user_version", 7).unwrap();
    conn
}

/// A book at schema version 7 at `path` holding the rows of the (current) book at `source`:
/// every table version 7 has, column by column.
pub fn schema_7_copy_of(source: &Path, path: &Path) {
    let conn = schema_7(path);
    conn.execute("ATTACH ?1 AS source", [source.to_str().unwrap()])
        .unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM main.pragma_table_info('{table}')"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let columns = columns.join(", ");
        // Rows a migration made (sync_state's one row) give way to the copy's.
        conn.execute_batch(&format!(
            "DELETE FROM main.{table};
             INSERT INTO main.{table} ({columns}) SELECT {columns} FROM source.{table}"
        ))
        .unwrap();
    }
    conn.execute_batch("DETACH source").unwrap();
}
