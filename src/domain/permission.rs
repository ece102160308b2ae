//! Who may do what. Partner Center's documents disagree across versions; twotier states one
//! matrix — the union of the documented roles (domain spec §8.7) — enforces it in the store, so
//! the console and the scripts can't disagree, and says why whenever it refuses.

use std::collections::{BTreeMap, BTreeSet};

use super::role::Role;

/// Everything the matrix governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Open Indirect resellers and the invitations ledger.
    ViewResellers,
    /// Request a partnership; send again, revoke, record acceptance.
    ManagePartnerships,
    RemovePartnership,
    /// Record a reseller's MPA and partner-of-record compliance.
    EditCompliance,
    /// Add new customer.
    AddCustomer,
    /// Place orders and manage subscriptions: licenses, status, auto-renew, upgrade.
    PlaceOrders,
    /// Reseller (MPN ID) on a subscription.
    ChangeReseller,
    /// Designated support contact on a subscription.
    SetSupportContact,
    /// Add operators, disable them, change their roles.
    ManageUsers,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::ViewResellers,
        Permission::ManagePartnerships,
        Permission::RemovePartnership,
        Permission::EditCompliance,
        Permission::AddCustomer,
        Permission::PlaceOrders,
        Permission::ChangeReseller,
        Permission::SetSupportContact,
        Permission::ManageUsers,
    ];

    /// The name in the config file's `[roles]` table.
    pub fn key(self) -> &'static str {
        match self {
            Permission::ViewResellers => "view-resellers",
            Permission::ManagePartnerships => "manage-partnerships",
            Permission::RemovePartnership => "remove-partnership",
            Permission::EditCompliance => "edit-compliance",
            Permission::AddCustomer => "add-customer",
            Permission::PlaceOrders => "place-orders",
            Permission::ChangeReseller => "change-reseller",
            Permission::SetSupportContact => "set-support-contact",
            Permission::ManageUsers => "manage-users",
        }
    }

    /// What it is, in the words of a refusal ("<this> needs …").
    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewResellers => "Indirect resellers",
            Permission::ManagePartnerships => "Managing partnership requests",
            Permission::RemovePartnership => "Remove partnership",
            Permission::EditCompliance => "Recording reseller compliance",
            Permission::AddCustomer => "Add new customer",
            Permission::PlaceOrders => "Placing orders and managing subscriptions",
            Permission::ChangeReseller => "Reseller (MPN ID)",
            Permission::SetSupportContact => "Designated support contact",
            Permission::ManageUsers => "Managing users and roles",
        }
    }

    pub fn from_key(key: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The default: the union of the roles Partner Center documents for the task.
    fn default_roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::ViewResellers
            | Permission::ManagePartnerships
            | Permission::RemovePartnership
            | Permission::AddCustomer => &[GlobalAdmin, UserAdmin, AdminAgent, SalesAgent],
            Permission::EditCompliance => &[GlobalAdmin, AdminAgent],
            Permission::PlaceOrders => &[
                GlobalAdmin,
                AdminAgent,
                SalesAgent,
                BillingAdmin,
                HelpdeskAgent,
            ],
            Permission::ChangeReseller => &[GlobalAdmin, AdminAgent, SalesAgent, BillingAdmin],
            Permission::SetSupportContact => &[GlobalAdmin, AdminAgent, HelpdeskAgent],
            Permission::ManageUsers => &[GlobalAdmin, UserAdmin],
        }
    }
}

/// The permission matrix in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    roles: BTreeMap<Permission, BTreeSet<Role>>,
}

impl Default for Matrix {
    fn default() -> Self {
        Matrix {
            roles: Permission::ALL
                .into_iter()
                .map(|p| (p, p.default_roles().iter().copied().collect()))
                .collect(),
        }
    }
}

impl Matrix {
    /// The default with the config file's `[roles]` entries (`permission = ["role", …]`) in place of
    /// the defaults they name. The error names the key or value that is wrong.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Matrix, String> {
        let mut matrix = Matrix::default();
        for (key, roles) in overrides {
            let permission = Permission::from_key(key).ok_or_else(|| {
                let known: Vec<&str> = Permission::ALL.iter().map(|p| p.key()).collect();
                format!(
                    "key `roles.{key}`: no such permission (one of: {})",
                    known.join(", ")
                )
            })?;
            let mut set = BTreeSet::new();
            for role in roles {
                let role = Role::from_key(role).ok_or_else(|| {
                    let known: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
                    format!(
                        "key `roles.{key}`: {role:?} is not a role (one of: {})",
                        known.join(", ")
                    )
                })?;
                set.insert(role);
            }
            if permission == Permission::ManageUsers && !set.contains(&Role::GlobalAdmin) {
                return Err(format!(
                    "key `roles.{key}`: Global admin must keep {}",
                    permission.key()
                ));
            }
            matrix.roles.insert(permission, set);
        }
        Ok(matrix)
    }

    pub fn allows(&self, role: Role, permission: Permission) -> bool {
        self.roles
            .get(&permission)
            .is_some_and(|roles| roles.contains(&role))
    }

    /// Why `role` may not: "Designated support contact needs Global admin, Admin agent or
    /// Helpdesk agent (you are Sales agent)." `None` when it may.
    pub fn refusal(&self, role: Role, permission: Permission) -> Option<String> {
        if self.allows(role, permission) {
            return None;
        }
        let roles: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| {
                self.roles
                    .get(&permission)
                    .is_some_and(|set| set.contains(r))
            })
            .map(|r| r.label())
            .collect();
        let needed = match roles.as_slice() {
            [] => "a role no one has".to_owned(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        };
        Some(format!(
            "{} needs {needed} (you are {}).",
            permission.label(),
            role.label()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_names_the_roles_that_may() {
        let m = Matrix::default();
        assert_eq!(
            m.refusal(Role::SalesAgent, Permission::SetSupportContact)
                .unwrap(),
            "Designated support contact needs Global admin, Admin agent or Helpdesk agent (you are Sales agent)."
        );
        assert!(
            m.refusal(Role::GlobalAdmin, Permission::SetSupportContact)
                .is_none()
        );
    }

    #[test]
    fn overrides_replace_one_row_and_refuse_nonsense() {
        let mut o = BTreeMap::new();
        o.insert(
            "set-support-contact".to_owned(),
            vec!["sales-agent".to_owned()],
        );
        let m = Matrix::with_overrides(&o).unwrap();
        assert!(m.allows(Role::SalesAgent, Permission::SetSupportContact));
        assert!(!m.allows(Role::GlobalAdmin, Permission::SetSupportContact));
        assert!(
            m.allows(Role::GlobalAdmin, Permission::PlaceOrders),
            "other rows keep their defaults"
        );
        o.insert("fly".to_owned(), vec![]);
        assert!(
            Matrix::with_overrides(&o)
                .unwrap_err()
                .contains("roles.fly")
        );
        let mut bad_role = BTreeMap::new();
        bad_role.insert("place-orders".to_owned(), vec!["root".to_owned()]);
        assert!(
            Matrix::with_overrides(&bad_role)
                .unwrap_err()
                .contains("\"root\" is not a role")
        );
        let mut locked_out = BTreeMap::new();
        locked_out.insert("manage-users".to_owned(), vec!["user-admin".to_owned()]);
        assert!(Matrix::with_overrides(&locked_out).is_err());
    }
}
