//! Operators: the provider's staff who use twotier, each with one Partner Center role.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Store, audit, db_time, parse_db_time};
use crate::domain::role::Role;
use crate::domain::text::cleaned;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub id: i64,
    pub upn: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

pub const COLUMNS: &str = "o.id, o.upn, o.display_name, o.role, o.disabled, o.created_at";

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Operator> {
    let role: String = r.get(3)?;
    Ok(Operator {
        id: r.get(0)?,
        upn: cleaned(r.get(1)?),
        display_name: cleaned(r.get(2)?),
        role: Role::from_key(&role).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Text,
                format!("unknown role {role}").into(),
            )
        })?,
        disabled: r.get(4)?,
        created_at: parse_db_time(&r.get::<_, String>(5)?)?,
    })
}

/// Why the operator for this session could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error(
        "operator '{upn}' is not known in this database. Known operators: {known}. \
         Start twotier with --operator UPN (or set `operator` in the config file)."
    )]
    Unknown { upn: String, known: String },
    #[error(
        "operator '{0}' is disabled. Ask a Global admin or User admin to enable the account, or use --operator."
    )]
    Disabled(String),
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

impl Store {
    pub fn operator_by_upn(&self, upn: &str) -> rusqlite::Result<Option<Operator>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM operators o WHERE o.upn = ?1"),
                [upn],
                from_row,
            )
            .optional()
    }

    /// The operator this session acts as. It must exist and be enabled.
    pub fn resolve_operator(&self, upn: &str) -> Result<Operator, OperatorError> {
        match self.operator_by_upn(upn)? {
            Some(op) if op.disabled => Err(OperatorError::Disabled(op.upn)),
            Some(op) => Ok(op),
            None => {
                let mut stmt = self
                    .conn
                    .prepare("SELECT upn FROM operators WHERE disabled = 0 ORDER BY upn LIMIT 8")?;
                let known: Vec<String> = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<_, _>>()?;
                Err(OperatorError::Unknown {
                    upn: cleaned(upn.to_owned()),
                    known: cleaned(known.join(", ")),
                })
            }
        }
    }
}

/// Adds an operator inside the caller's transaction, with its audit entry.
pub fn insert(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    by: Option<&Operator>,
    upn: &str,
    display_name: &str,
    role: Role,
) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO operators (upn, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![upn, display_name, role.key(), db_time(now)])?;
    let id = tx.last_insert_rowid();
    audit(tx, now, by, "Operator added", upn, None, Some(role.label()))?;
    Ok(id)
}
