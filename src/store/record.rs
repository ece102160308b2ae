//! The record a detail pane shows beside a list (≥ 160 columns): what the selected row does not
//! carry, read by id through the primary key, one query, for the selected row only.

use super::customer_account::CustomerAccount;
use super::subscriptions::SubscriptionDetail;
use super::{CommandError, CommandResult, Store};

/// Which record, by row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordId {
    Customer(i64),
    Subscription(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Customer(Box<CustomerAccount>),
    Subscription(Box<SubscriptionDetail>),
    /// Gone since the row was listed (another session removed it): the pane says so.
    Gone(String),
}

impl Store {
    /// The record by id (`Gone` when it no longer exists: moving through a list never opens
    /// an error).
    pub fn record(&self, id: RecordId) -> CommandResult<Record> {
        let record = match id {
            RecordId::Customer(id) => self
                .customer_account(id)
                .map(|a| Record::Customer(Box::new(a))),
            RecordId::Subscription(id) => self
                .subscription_detail(id)
                .map(|s| Record::Subscription(Box::new(s))),
        };
        match record {
            Err(CommandError::Refused(why)) => Ok(Record::Gone(why)),
            other => other,
        }
    }
}
