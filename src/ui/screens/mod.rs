//! One view per screen, matching `app::screens`.

pub mod activity_log;
pub mod company_profile;
pub mod customers;
pub mod resellers;
pub mod users;
