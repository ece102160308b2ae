//! Remove partnership: the confirmation with Partner Center's Important notice, word for word,
//! and what stays pointing at the reseller. Yes removes; No changes nothing.

use crate::store::resellers::RemovalImpact;

/// The Important notice of "Remove partnership with indirect resellers", as the seed document
/// gives it.
pub const IMPORTANT_NOTICE: [&str; 3] = [
    "Customers associated to the indirect reseller will not be removed. Any delegated admin privileges granted will remain unchanged.",
    "You represent that the decision to discontinue your relationship with partner was made in good faith, for a legitimate business purpose, and in accordance with your agreement with your customer or partner, and you agree to defend and hold Microsoft harmless from and against any third-party claims to the contrary.",
    "You must provide legal notice of termination to your customer or partner if your agreement requires it. This tool does not generate notice to the customer or partner.",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveConfirm {
    pub reseller_id: i64,
    pub name: String,
    pub impact: RemovalImpact,
    /// Which button Enter presses; No is focused first, so Enter alone never removes.
    pub yes_focused: bool,
    pub submitting: bool,
}
