//! An operator: one of the provider's staff who use twotier, with one Partner Center role.

use chrono::{DateTime, Utc};

use super::role::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub id: i64,
    pub upn: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}
