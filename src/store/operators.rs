//! Operators: the provider's staff who use twotier, each with one Partner Center role.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CommandError, CommandResult, Store, audit, db_time, parse_db_time, refuse};
pub use crate::domain::operator::Operator;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text::cleaned;

pub const COLUMNS: &str = "o.id, o.upn, o.display_name, o.role, o.disabled, o.created_at";

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Operator> {
    let role: String = r.get(3)?;
    Ok(Operator {
        id: r.get(0)?,
        upn: cleaned(crate::store::text(r, 1)?),
        display_name: cleaned(crate::store::text(r, 2)?),
        role: Role::from_key(&role).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Text,
                format!("unknown role {role}").into(),
            )
        })?,
        disabled: r.get(4)?,
        created_at: parse_db_time(&crate::store::text(r, 5)?)?,
    })
}

/// Why the operator for this session could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error(
        "operator '{upn}' is not known in this database. \
         Start twotier with --operator UPN (or set `operator` in the config file), or ask a User admin \
         or Global admin to add you: twotier --operator THEIR_UPN users add {upn} --role sales-agent"
    )]
    Unknown { upn: String },
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
            // Who else is known is not told to whoever typed a name: only how to be added.
            None => Err(OperatorError::Unknown {
                upn: crate::domain::text::escaped(upn).into_owned(),
            }),
        }
    }
}

/// Adds an operator inside the caller's transaction, with its audit entry.
pub fn insert(
    tx: &Connection,
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

impl Store {
    /// Adds an operator (User admin and Global admin only; only a Global admin makes another).
    pub fn add_operator(
        &mut self,
        upn: &str,
        display_name: &str,
        role: Role,
        at: DateTime<Utc>,
    ) -> CommandResult<i64> {
        self.transact(|s| {
            s.require(Permission::ManageUsers)?;
            s.require_global_admin_for(role, "make someone a Global admin")?;
            let upn = operator_upn(upn.trim()).map_err(CommandError::Refused)?;
            let name = match display_name.trim() {
                "" => upn.clone(),
                n => crate::domain::customer::person_name(n, "display name")
                    .map_err(CommandError::Refused)?,
            };
            // Read under the write lock: the same UPN added at once by two processes is refused
            // in words for the second, not by the unique index.
            if s.operator_by_upn(&upn)?.is_some() {
                return refuse(format!("{upn} is already an operator."));
            }
            s.mutate(|tx, by| Ok(insert(tx, at, by, &upn, &name, role)?))
        })
    }

    /// Disables or enables an operator. The last active Global admin can't be disabled, nor can
    /// you disable yourself.
    pub fn set_operator_disabled(
        &mut self,
        upn: &str,
        disabled: bool,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        self.transact(|s| s.set_disabled_now(upn, disabled, at))
    }

    fn set_disabled_now(&self, upn: &str, disabled: bool, at: DateTime<Utc>) -> CommandResult<()> {
        self.require(Permission::ManageUsers)?;
        let target = self.known(upn)?;
        self.require_global_admin_for(target.role, "change a Global admin")?;
        if disabled && self.actor.as_ref().is_some_and(|a| a.id == target.id) {
            return refuse("You can't disable yourself: ask another User admin or Global admin.");
        }
        if disabled
            && target.role == Role::GlobalAdmin
            && !target.disabled
            && self.active_global_admins()? <= 1
        {
            return refuse(format!(
                "{} is the last active Global admin: it can't be disabled.",
                target.upn
            ));
        }
        if target.disabled == disabled {
            return Ok(());
        }
        self.mutate(|tx, by| {
            tx.execute(
                "UPDATE operators SET disabled = ?1 WHERE id = ?2",
                params![disabled, target.id],
            )?;
            let (before, after) = if disabled {
                ("Active", "Disabled")
            } else {
                ("Disabled", "Active")
            };
            audit(
                tx,
                at,
                by,
                if disabled {
                    "Operator disabled"
                } else {
                    "Operator enabled"
                },
                &target.upn,
                Some(before),
                Some(after),
            )?;
            Ok(())
        })
    }

    /// Changes an operator's role. Only a Global admin changes a Global admin (or makes one); the
    /// last active Global admin can't be demoted.
    pub fn set_operator_role(
        &mut self,
        upn: &str,
        role: Role,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        self.transact(|s| s.set_role_now(upn, role, at))
    }

    fn set_role_now(&self, upn: &str, role: Role, at: DateTime<Utc>) -> CommandResult<()> {
        self.require(Permission::ManageUsers)?;
        let target = self.known(upn)?;
        self.require_global_admin_for(target.role, "change a Global admin")?;
        self.require_global_admin_for(role, "make someone a Global admin")?;
        if target.role == role {
            return Ok(());
        }
        if self.actor.as_ref().is_some_and(|a| a.id == target.id) {
            return refuse(
                "You can't change your own role: ask another User admin or Global admin.",
            );
        }
        if target.role == Role::GlobalAdmin && !target.disabled && self.active_global_admins()? <= 1
        {
            return refuse(format!(
                "{} is the last active Global admin: it can't be demoted.",
                target.upn
            ));
        }
        self.mutate(|tx, by| {
            tx.execute(
                "UPDATE operators SET role = ?1 WHERE id = ?2",
                params![role.key(), target.id],
            )?;
            audit(
                tx,
                at,
                by,
                "Role changed",
                &target.upn,
                Some(target.role.label()),
                Some(role.label()),
            )?;
            Ok(())
        })
    }

    pub fn all_operators(&self) -> CommandResult<Vec<Operator>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM operators o ORDER BY o.upn"))?;
        let rows = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn known(&self, upn: &str) -> CommandResult<Operator> {
        match self.operator_by_upn(upn.trim())? {
            Some(op) => Ok(op),
            None => refuse(format!(
                "No operator has the UPN {}.",
                crate::domain::text::escaped(upn)
            )),
        }
    }

    fn active_global_admins(&self) -> CommandResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM operators WHERE role = 'global-admin' AND disabled = 0",
            [],
            |r| r.get(0),
        )?)
    }

    /// Only a Global admin touches a Global admin.
    fn require_global_admin_for(&self, role: Role, what: &str) -> CommandResult<()> {
        match self.actor_role_now()? {
            Some(mine) if role == Role::GlobalAdmin && mine != Role::GlobalAdmin => refuse(
                format!("Only a Global admin can {what} (you are {}).", mine.label()),
            ),
            _ => Ok(()),
        }
    }
}

/// An operator's sign-in name: a UPN (name@domain), or the plain account name twotier falls back
/// to (the OS user), letters, digits and `. _ -` only.
pub fn operator_upn(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.contains('@') {
        return crate::domain::ids::Email::parse(t)
            .map(|e| e.to_string())
            .map_err(|e| format!("UPN: {e}"));
    }
    let plain = !t.is_empty()
        && t.len() <= 64
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if plain {
        Ok(t.to_owned())
    } else {
        Err(
            "A UPN looks like name@company.com (or a plain account name: letters, digits, . _ -)."
                .into(),
        )
    }
}
