//! The schema steps, in order. Never edit one that has landed; append a new one.

pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_demo_marker.sql"),
    include_str!("migrations/0003_discarded_requests.sql"),
    include_str!("migrations/0004_unknown_compliance.sql"),
    include_str!("migrations/0005_sync.sql"),
    include_str!("migrations/0006_sync_subscriptions.sql"),
    include_str!("migrations/0007_present_customers.sql"),
    include_str!("migrations/0008_search_index.sql"),
    include_str!("migrations/0009_renewals.sql"),
    include_str!("migrations/0010_dashboard.sql"),
    include_str!("migrations/0011_row_counts.sql"),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;
