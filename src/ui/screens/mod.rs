//! One view per screen and modal, matching `app::screens`.

pub mod activity_log;
pub mod company_profile;
pub mod compliance;
pub mod confirm;
pub mod customers;
pub mod draft_email;
pub mod invitations;
pub mod record_acceptance;
pub mod remove_partnership;
pub mod request_partnership;
pub mod resellers;
pub mod users;
