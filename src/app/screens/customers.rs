//! Customers: every customer, by company name, with its indirect reseller.

use crate::app::list::ListModel;
use crate::store::list::CustomerRow;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq)]
pub struct CustomersScreen {
    pub list: ListModel<CustomerRow>,
}

impl Default for CustomersScreen {
    fn default() -> Self {
        CustomersScreen {
            list: ListModel::new(ListId::Customers),
        }
    }
}
