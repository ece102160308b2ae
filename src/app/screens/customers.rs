//! Customers: every customer, by company name, with its indirect reseller; narrowed to one
//! reseller's customers ("View customers", `f`); a record expands to show its subscriptions.

use crate::app::list::ListModel;
use crate::store::list::CustomerRow;
use crate::store::subscriptions::SubscriptionRow;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct CustomersScreen {
    pub list: ListModel<CustomerRow>,
    /// The reseller the list is narrowed to, by name (its id is in the list's filter).
    pub reseller_filter: Option<String>,
    /// The expanded record and its subscriptions, keyset-paged like any list.
    pub expanded: Option<Expanded>,
    /// Keys go to the expanded record's subscriptions.
    pub pane_focused: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    pub customer_id: i64,
    pub customer: String,
    pub subscriptions: ListModel<SubscriptionRow>,
}

impl Default for CustomersScreen {
    fn default() -> Self {
        CustomersScreen {
            list: ListModel::new(ListId::Customers),
            reseller_filter: None,
            expanded: None,
            pane_focused: false,
        }
    }
}
