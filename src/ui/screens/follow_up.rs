//! Follow-up: Customer · Subscription · Subscription ID · Role · Status, for one removed reseller.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;

use crate::app::screens::follow_up::FollowUpScreen;
use crate::app::state::AppState;
use crate::store::customers::status_label;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::window_table::{self, column};

pub fn view(screen: &FollowUpScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let columns = [
        column("Customer", Constraint::Fill(3), 0),
        column("Subscription", Constraint::Fill(3), 0),
        column("Subscription ID", Constraint::Length(36), 120),
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
            Cell::from(s.customer.clone()),
            Cell::from(s.offer.clone()),
            Cell::from(s.subscription_id.clone()),
            Cell::from(Span::styled(role, theme.warning)),
            Cell::from(status_label(&s.status).to_owned()),
        ]
    });
}
