//! One view per screen and modal, matching `app::screens`.

pub mod activity_filter;
pub mod activity_log;
pub mod company_profile;
pub mod compliance;
pub mod confirm;
pub mod confirmation;
pub mod customer_wizard;
pub mod customers;
pub mod draft_email;
pub mod invitations;
pub mod record_acceptance;
pub mod remove_partnership;
pub mod request_partnership;
pub mod reseller_picker;
pub mod resellers;
pub mod subscription_details;
pub mod user_form;
pub mod users;
