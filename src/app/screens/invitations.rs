//! Invitations: the ledger of partnership requests, newest first, with their status over time.

use crate::app::list::ListModel;
use crate::store::invitations::InvitationRow;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct InvitationsScreen {
    pub list: ListModel<InvitationRow>,
}

impl Default for InvitationsScreen {
    fn default() -> Self {
        InvitationsScreen {
            list: ListModel::new(ListId::Invitations),
        }
    }
}
