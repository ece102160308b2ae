//! Pure types and rules of the Partner Center domain: no I/O here.

pub mod role;
pub mod text;
