//! Pure types and rules of the Partner Center domain: no I/O here.

pub mod compliance;
pub mod credentials;
pub mod customer;
pub mod fold;
pub mod ids;
pub mod invitation;
pub mod operator;
pub mod permission;
pub mod renewal;
pub mod role;
pub mod text;
