//! Indirect resellers: the partnerships, by name (or PartnerID, or newest first), with Request a
//! partnership, View customers, Remove partnership, compliance and the invitations ledger.

use crate::app::list::ListModel;
use crate::store::list::ResellerRow;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct ResellersScreen {
    pub list: ListModel<ResellerRow>,
}

impl Default for ResellersScreen {
    fn default() -> Self {
        ResellersScreen {
            list: ListModel::new(ListId::Resellers),
        }
    }
}
