//! Which permission a command needs here and now: the UI dims what the operator's role can't do
//! and says why, before the store (which enforces the same matrix) would refuse it. Each model
//! says what its own commands need (`Model::permission`); this asks the right one.

use super::action::Command;
use super::state::AppState;
use crate::domain::permission::Permission;

/// The permission `command` needs in the current state, if any.
pub fn permission_for(state: &AppState, command: Command) -> Option<Permission> {
    // The help overlay shows the keys of what lies under it.
    let top = state
        .modals
        .iter()
        .rev()
        .find(|m| !matches!(m, super::screens::Modal::Help(_)));
    if let Some(modal) = top {
        return modal.model().permission(command);
    }
    match command {
        Command::Goto(screen) => screen.needs(),
        command => state.current().permission(command),
    }
}

/// Why the operator may not run `command` now, or `None` when they may.
pub fn refusal(state: &AppState, command: Command) -> Option<String> {
    let permission = permission_for(state, command)?;
    state.matrix.refusal(state.operator.role, permission)
}
