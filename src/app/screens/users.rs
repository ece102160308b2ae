//! Users: the provider's operators and their roles.

use crate::app::list::ListModel;
use crate::store::operators::Operator;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct UsersScreen {
    pub list: ListModel<Operator>,
}

impl Default for UsersScreen {
    fn default() -> Self {
        UsersScreen {
            list: ListModel::new(ListId::Users),
        }
    }
}
