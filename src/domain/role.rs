//! Partner Center roles of the provider's own staff (operators).

use serde::{Deserialize, Serialize};

/// One role per operator, as stored in `operators.role` by its kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    GlobalAdmin,
    UserAdmin,
    AdminAgent,
    SalesAgent,
    BillingAdmin,
    HelpdeskAgent,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::GlobalAdmin,
        Role::UserAdmin,
        Role::AdminAgent,
        Role::SalesAgent,
        Role::BillingAdmin,
        Role::HelpdeskAgent,
    ];

    /// The name used in the database, the CLI and config files.
    pub fn key(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "global-admin",
            Role::UserAdmin => "user-admin",
            Role::AdminAgent => "admin-agent",
            Role::SalesAgent => "sales-agent",
            Role::BillingAdmin => "billing-admin",
            Role::HelpdeskAgent => "helpdesk-agent",
        }
    }

    /// The label Partner Center shows.
    pub fn label(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "Global admin",
            Role::UserAdmin => "User admin",
            Role::AdminAgent => "Admin agent",
            Role::SalesAgent => "Sales agent",
            Role::BillingAdmin => "Billing admin",
            Role::HelpdeskAgent => "Helpdesk agent",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("root"), None);
    }
}
