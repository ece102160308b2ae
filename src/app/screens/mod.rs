//! One model per screen; its view lives in `ui::screens` under the same name.

pub mod activity_log;
pub mod company_profile;
pub mod customers;
pub mod resellers;
pub mod users;
