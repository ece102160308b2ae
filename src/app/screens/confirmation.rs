//! Confirmation (Setup info): the new customer's admin user name and temporary password, shown
//! this once. Done asks first; then the password is dropped, its memory wiped.

use crate::store::customers::CreatedCustomer;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub created: CreatedCustomer,
    /// The credentials were copied (the clipboard clears them after 30 s).
    pub copied: bool,
}
