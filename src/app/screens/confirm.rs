//! A yes/no question that holds the action to run on Yes.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    RevokeInvitation { id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    pub yes_label: &'static str,
    pub action: ConfirmAction,
    /// Which button Enter presses; No is focused first.
    pub yes_focused: bool,
}
