//! Which permission a command needs here and now: the UI dims what the operator's role can't do
//! and says why, before the store (which enforces the same matrix) would refuse it.

use super::action::Command;
use super::screens::subscription_details::{
    AUTO_RENEW, OFFER, QUANTITY, RESELLER, STATUS, SUPPORT,
};
use super::state::{AppState, Modal, Screen};
use crate::domain::permission::Permission;

/// The permission `command` needs in the current state, if any.
pub fn permission_for(state: &AppState, command: Command) -> Option<Permission> {
    use Command::*;
    // The help overlay shows the keys of what lies under it.
    let top = state
        .modals
        .iter()
        .rev()
        .find(|m| !matches!(m, Modal::Help { .. }));
    if let Some(Modal::SubscriptionDetails(form)) = top {
        return match (command, form.focus) {
            (Enter, RESELLER) => Some(Permission::ChangeReseller),
            (Enter, SUPPORT) => Some(Permission::SetSupportContact),
            (ChoiceLeft | ChoiceRight | Toggle, QUANTITY | STATUS | AUTO_RENEW | OFFER) => {
                Some(Permission::PlaceOrders)
            }
            _ => None,
        };
    }
    if let Some(Modal::UserForm(_)) = top {
        return (command == Enter).then_some(Permission::ManageUsers);
    }
    if top.is_some() {
        return None;
    }
    match command {
        Goto(Screen::Resellers) | OpenInvitations => Some(Permission::ViewResellers),
        RequestPartnership | RecordAcceptance | ResendInvitation | RevokeInvitation => {
            Some(Permission::ManagePartnerships)
        }
        RemovePartnership => Some(Permission::RemovePartnership),
        EditCompliance => Some(Permission::EditCompliance),
        AddCustomer => Some(Permission::AddCustomer),
        AddSubscription => Some(Permission::PlaceOrders),
        AddUser | ToggleUserDisabled | ChangeRole => Some(Permission::ManageUsers),
        _ => None,
    }
}

/// Why the operator may not run `command` now, or `None` when they may.
pub fn refusal(state: &AppState, command: Command) -> Option<String> {
    let permission = permission_for(state, command)?;
    state.matrix.refusal(state.operator.role, permission)
}
