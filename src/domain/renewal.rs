//! Renewals: when a subscription's commitment ends, counted in days from a given today, and the
//! group it falls in (overdue, within 30, 31–60, 61–90 days). Today is always passed in, so the
//! console (its clock in `AppState`), the CLI (`--as-of`) and the tests agree on one rule.

use chrono::{Days, NaiveDate};

/// How far ahead the Renewals screen looks, and `subscriptions renewals` by default.
pub const HORIZON_DAYS: u32 = 90;

/// The statuses that still renew or expire at their commitment end date: active and pending
/// ones renew (or expire, auto-renew off); a suspended one expires there unless reactivated.
/// Expired, disabled and cancelled ones have nothing left to renew.
pub const RENEWING_STATUSES: &[&str] = &["active", "pending", "suspended"];

/// Where a commitment end date falls, seen from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RenewalGroup {
    /// The end date has passed and the book still holds the subscription as renewing.
    Overdue,
    /// Today to 30 days ahead.
    Within30,
    Within60,
    Within90,
    /// Beyond 90 days (only with `--within` over 90 days).
    Later,
}

impl RenewalGroup {
    pub fn of(end: NaiveDate, today: NaiveDate) -> RenewalGroup {
        match days_left(end, today) {
            ..0 => RenewalGroup::Overdue,
            0..=30 => RenewalGroup::Within30,
            31..=60 => RenewalGroup::Within60,
            61..=90 => RenewalGroup::Within90,
            _ => RenewalGroup::Later,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RenewalGroup::Overdue => "Overdue",
            RenewalGroup::Within30 => "0–30 days",
            RenewalGroup::Within60 => "31–60 days",
            RenewalGroup::Within90 => "61–90 days",
            RenewalGroup::Later => "Over 90 days",
        }
    }

    /// The stable name in JSON.
    pub fn code(self) -> &'static str {
        match self {
            RenewalGroup::Overdue => "overdue",
            RenewalGroup::Within30 => "within_30_days",
            RenewalGroup::Within60 => "within_60_days",
            RenewalGroup::Within90 => "within_90_days",
            RenewalGroup::Later => "later",
        }
    }
}

/// Days from today to the end date: negative once it has passed.
pub fn days_left(end: NaiveDate, today: NaiveDate) -> i64 {
    (end - today).num_days()
}

/// "today", "in 1 day", "in 45 days", "3 days overdue".
pub fn days_label(end: NaiveDate, today: NaiveDate) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match days_left(end, today) {
        0 => "today".to_owned(),
        n if n < 0 => format!("{} day{} overdue", -n, plural(-n)),
        n => format!("in {n} day{}", plural(n)),
    }
}

/// The last commitment end date a window of `days` from today takes in (overdue ones are
/// always in), as the book writes dates.
pub fn ends_by(today: NaiveDate, days: u32) -> String {
    today
        .checked_add_days(Days::new(days.into()))
        .unwrap_or(NaiveDate::MAX)
        .format("%Y-%m-%d")
        .to_string()
}

/// Reads `--within`: a whole number of days with `d` after it, such as `30d`.
pub fn parse_within(text: &str) -> Result<u32, String> {
    let bad = || {
        format!(
            "'{}' is not a number of days: write it as 30d (whole days, 0d to 36500d)",
            crate::domain::text::escaped(text)
        )
    };
    let digits = text.trim().strip_suffix(['d', 'D']).ok_or_else(bad)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    digits
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= 36_500)
        .ok_or_else(bad)
}

/// Reads a commitment end date as the book writes it (`YYYY-MM-DD`).
pub fn parse_end_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        parse_end_date(d).unwrap()
    }

    #[test]
    fn groups_meet_at_their_boundaries() {
        let today = day("2026-11-01");
        let at = |n: i64| RenewalGroup::of(today + chrono::Duration::days(n), today);
        assert_eq!(at(-1), RenewalGroup::Overdue);
        assert_eq!(at(0), RenewalGroup::Within30);
        assert_eq!(at(30), RenewalGroup::Within30);
        assert_eq!(at(31), RenewalGroup::Within60);
        assert_eq!(at(60), RenewalGroup::Within60);
        assert_eq!(at(61), RenewalGroup::Within90);
        assert_eq!(at(90), RenewalGroup::Within90);
        assert_eq!(at(91), RenewalGroup::Later);
    }

    #[test]
    fn days_read_as_words() {
        let today = day("2026-11-01");
        assert_eq!(days_label(day("2026-11-01"), today), "today");
        assert_eq!(days_label(day("2026-11-02"), today), "in 1 day");
        assert_eq!(days_label(day("2026-12-01"), today), "in 30 days");
        assert_eq!(days_label(day("2026-10-31"), today), "1 day overdue");
        assert_eq!(days_label(day("2026-10-29"), today), "3 days overdue");
    }

    #[test]
    fn within_takes_whole_days_only() {
        assert_eq!(parse_within("30d"), Ok(30));
        assert_eq!(parse_within("0d"), Ok(0));
        assert_eq!(parse_within("365D"), Ok(365));
        for bad in [
            "30",
            "d",
            "-5d",
            "3.5d",
            "30 days",
            "",
            "99999999999d",
            "36501d",
        ] {
            assert!(parse_within(bad).is_err(), "{bad}");
        }
        assert_eq!(ends_by(day("2026-11-01"), 90), "2027-01-30");
    }
}
