//! Renewals: Group · Ends · (Days) · Auto-renew · Seats · Offer · Customer · Reseller, by
//! commitment end date. The group is written on the first row of each group shown, as a
//! heading in its column, so the sections read down the screen without rows of their own (the
//! list stays one row per subscription, keyset-paged like every list).

use std::collections::HashSet;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::screens::renewals::RenewalsScreen;
use crate::app::state::AppState;
use crate::domain::renewal::{HORIZON_DAYS, RenewalGroup, days_left};
use crate::store::renewals::RenewalRow;
use crate::store::subscriptions::REMOVED_MARK;
use crate::ui::theme::Theme;
use crate::ui::widgets::detail_records;
use crate::ui::widgets::window_table::{self, column};

/// From this width the days left have their own column, and "Auto-renew" its whole words.
const DAYS_SHOWN: u16 = 100;

/// Below this width offer names drop their leading "Microsoft " ("365 Business Premium"):
/// the words that tell offers apart stay in view.
const FULL_OFFER: u16 = 140;

pub fn view(screen: &RenewalsScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let selected = screen.list.selected_row().map(|s| s.id);
    let area = detail_records::subscription_beside(frame, area, state, theme, &screen.detail, selected);
    let wide = area.width >= DAYS_SHOWN;
    let full_offer = area.width >= FULL_OFFER;
    // Narrowed to one reseller, the title names it: its column gives its room to the others.
    let reseller_shown = if screen.reseller_filter.is_some() {
        u16::MAX
    } else {
        0
    };
    let columns = [
        column("Group", Constraint::Length(7), 0),
        column("Ends", Constraint::Length(10), 0),
        column("Days", Constraint::Length(12), DAYS_SHOWN),
        column(
            if wide { "Auto-renew" } else { "Auto" },
            Constraint::Length(if wide { 10 } else { 4 }),
            0,
        ),
        column("Seats", Constraint::Length(5), 0),
        column("Offer", Constraint::Fill(4), 0),
        column("Customer", Constraint::Fill(3), 0),
        column("Reseller", Constraint::Fill(2), reseller_shown),
    ];
    let window = format!("overdue and the next {HORIZON_DAYS} days");
    let (title, empty) = match &screen.reseller_filter {
        Some(name) => (
            format!("Renewals · {name} · {window}"),
            format!(
                "No subscription crediting {name} renews or expires in the next {HORIZON_DAYS} days: Esc shows every reseller's."
            ),
        ),
        None => (
            format!("Renewals · {window}"),
            format!("No subscription renews or expires in the next {HORIZON_DAYS} days."),
        ),
    };
    let today = screen.today;
    let firsts = group_starts(screen, today);
    window_table::render(
        frame,
        area,
        theme,
        &title,
        &screen.list,
        &columns,
        &empty,
        |s| {
            let group = s.group(today);
            let heading = if firsts.contains(&s.id) {
                Span::styled(short_label(group), group_style(group, theme))
            } else {
                Span::raw("")
            };
            vec![
                Line::from(heading),
                Line::from(s.commitment_end_date.clone()),
                Line::from(Span::styled(
                    s.end().map_or_else(|| "?".to_owned(), |end| compact_days(end, today)),
                    group_style(group, theme),
                )),
                auto_renew(s, wide, theme),
                Line::from(s.quantity.to_string()).right_aligned(),
                Line::from(offer_name(&s.offer, full_offer)),
                Line::from(s.customer.clone()),
                reseller(s, theme),
            ]
        },
    );
}

/// The rows, from the first shown, that open a group: the first shown, and each whose group
/// differs from the row above.
fn group_starts(screen: &RenewalsScreen, today: NaiveDate) -> HashSet<i64> {
    let mut firsts = HashSet::new();
    let mut above = None;
    for row in screen.list.rows.iter().skip(screen.list.offset) {
        let group = row.group(today);
        if above != Some(group) {
            firsts.insert(row.id);
        }
        above = Some(group);
    }
    firsts
}

fn short_label(group: RenewalGroup) -> &'static str {
    match group {
        RenewalGroup::Overdue => "Overdue",
        RenewalGroup::Within30 => "0–30 d",
        RenewalGroup::Within60 => "31–60 d",
        RenewalGroup::Within90 => "61–90 d",
        RenewalGroup::Later => "> 90 d",
    }
}

fn group_style(group: RenewalGroup, theme: &Theme) -> Style {
    match group {
        RenewalGroup::Overdue => theme.error,
        RenewalGroup::Within30 => theme.warning,
        _ => Style::default(),
    }
}

/// "On"/"Off"; a suspended subscription says so instead: it expires at its end date unless
/// reactivated, whatever its auto-renew.
fn auto_renew(s: &RenewalRow, wide: bool, theme: &Theme) -> Line<'static> {
    match (s.auto_renew, s.status.as_str()) {
        (_, "suspended") => {
            Line::from(Span::styled(if wide { "Suspended" } else { "Susp" }, theme.warning))
        }
        (true, _) => Line::from("On"),
        (false, _) => Line::from(Span::styled("Off", theme.dim)),
    }
}

/// The partner of record, "Direct" when none; a removed reseller is marked.
fn reseller(s: &RenewalRow, theme: &Theme) -> Line<'static> {
    match (&s.reseller, s.reseller_removed) {
        (None, _) => Line::from(Span::styled("Direct", theme.dim)),
        (Some(name), false) => Line::from(name.clone()),
        (Some(name), true) => Line::from(vec![
            Span::styled(REMOVED_MARK, theme.warning),
            Span::raw(format!(" {name}")),
        ]),
    }
}

fn offer_name(name: &str, full: bool) -> String {
    match name.strip_prefix("Microsoft ") {
        Some(rest) if !full && !rest.is_empty() => rest.to_owned(),
        _ => name.to_owned(),
    }
}

/// Days left as the table shows them: "today", "in 12 d", "3 d overdue".
fn compact_days(end: NaiveDate, today: NaiveDate) -> String {
    match days_left(end, today) {
        0 => "today".to_owned(),
        n if n < 0 => format!("{} d overdue", -n),
        n => format!("in {n} d"),
    }
}
