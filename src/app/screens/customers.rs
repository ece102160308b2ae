//! Customers: every customer, by company name, with its indirect reseller; can be narrowed to
//! one reseller's customers ("View customers").

use crate::app::list::ListModel;
use crate::store::list::CustomerRow;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct CustomersScreen {
    pub list: ListModel<CustomerRow>,
    /// The reseller the list is narrowed to, by name (its id is in the list's filter).
    pub reseller_filter: Option<String>,
}

impl Default for CustomersScreen {
    fn default() -> Self {
        CustomersScreen {
            list: ListModel::new(ListId::Customers),
            reseller_filter: None,
        }
    }
}
