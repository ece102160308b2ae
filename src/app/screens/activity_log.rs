//! Activity log: who did what, when, to what; newest first.

use crate::app::list::ListModel;
use crate::store::list::ActivityRow;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityLogScreen {
    pub list: ListModel<ActivityRow>,
}

impl Default for ActivityLogScreen {
    fn default() -> Self {
        ActivityLogScreen {
            list: ListModel::new(ListId::Activity),
        }
    }
}
