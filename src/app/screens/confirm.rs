//! A yes/no question that holds the action to run on Yes.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    RevokeInvitation {
        id: i64,
    },
    /// Cancel the Add new customer / Add subscription wizard: nothing is written.
    CancelWizard,
    /// Done on Confirmation: the password is gone for good.
    FinishConfirmation,
    /// Leave Subscription details without saving.
    DiscardSubscriptionChanges,
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
