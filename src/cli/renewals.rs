//! `twotier subscriptions renewals`: its arguments.

use chrono::NaiveDate;
use clap::Args;

/// The present subscriptions that still renew or expire (active, pending and suspended; expired,
/// disabled and cancelled ones have nothing left to renew), by commitment end date.
#[derive(Debug, Args)]
pub struct RenewalsArgs {
    /// Commitments ending within this many days of today, written like 30d; the overdue ones
    /// (end date passed) are always included
    #[arg(long, value_name = "DAYS", default_value = "90d", value_parser = crate::domain::renewal::parse_within)]
    pub within: u32,
    /// Only subscriptions with the reseller (active or removed) with this PartnerID as
    /// partner of record
    #[arg(long, value_name = "PARTNER_ID")]
    pub reseller: Option<String>,
    /// Count the days from this date (YYYY-MM-DD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// JSON (one array of objects) instead of a table
    #[arg(long)]
    pub json: bool,
}
