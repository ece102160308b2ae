//! What `update` asks the runtime to do at the edge.

use crate::store::worker::DbCmd;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Db(DbCmd),
    Quit,
}
