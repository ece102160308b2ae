//! Company profile: the provider's entry on Microsoft's official indirect providers list.
//! Read-only: changes go through the Microsoft representative.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyProfileScreen {
    /// Lines scrolled past, for small terminals.
    pub scroll: u16,
}
