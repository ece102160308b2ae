//! Follow-up: Customer · Subscription · Subscription ID · Role · Status, for one removed reseller.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::app::screens::follow_up::FollowUpScreen;
use crate::app::state::AppState;
use crate::store::customers::status_label;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::window_table::{self, column};

/// Where the Subscription ID is shown whole.
const FULL_ID: u16 = 130;

pub fn view(screen: &FollowUpScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The Subscription ID (a GUID) in full where it fits, else its last 8 digits (its first
    // ones are a timestamp, alike for every subscription of an order).
    let full_id = area.width >= FULL_ID;
    let columns = [
        column("Customer", Constraint::Fill(3), 0),
        column("Subscription", Constraint::Fill(3), 0),
        column("Subscription ID", Constraint::Length(if full_id { 36 } else { 15 }), 90),
        column("Role", Constraint::Length(17), 0),
        column("Status", Constraint::Length(9), 70),
    ];
    let (title, empty) = match &screen.reseller {
        Some(r) => (
            format!(
                "Follow-up · {} ({}) removed {}",
                r.name,
                r.partner_id,
                state.local(r.removed_at).format("%Y-%m-%d")
            ),
            format!("Nothing to follow up: no subscription still names {}.", r.name),
        ),
        None => (
            "Follow-up".to_owned(),
            "No removed reseller chosen: on Indirect resellers, h shows removed partnerships, f opens one's follow-up."
                .to_owned(),
        ),
    };
    // The title is cut to the frame, keeping room for the count after it.
    let title = ellipsize(&title, (area.width as usize).saturating_sub(12));
    window_table::render(frame, area, theme, &title, &screen.list, &columns, &empty, |s| {
        let role = match (s.partner_of_record, s.support_contact) {
            (true, true) => "Partner + Support",
            (true, false) => "Partner of record",
            _ => "Support contact",
        };
        vec![
            Line::from(s.customer.clone()),
            Line::from(s.offer.clone()),
            Line::from(if full_id || s.subscription_id.chars().count() <= 9 {
                s.subscription_id.clone()
            } else {
                let tail: String = s.subscription_id.chars().rev().take(8).collect();
                format!("…{}", tail.chars().rev().collect::<String>())
            }),
            Line::from(Span::styled(role, theme.warning)),
            Line::from(status_label(&s.status).to_owned()),
        ]
    });
}
