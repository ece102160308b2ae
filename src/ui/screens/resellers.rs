//! Indirect resellers: Name · PartnerID (MPN ID) · Location · Status · Customers · Since.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use crate::app::state::AppState;
use crate::ui::Theme;
use crate::ui::widgets::window_table::{self, Columns};

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let columns = Columns {
        headers: &["Name", "PartnerID (MPN ID)", "Location", "Status", "Customers", "Since"],
        widths: &[
            Constraint::Fill(3),
            Constraint::Length(18),
            Constraint::Length(8),
            Constraint::Length(23),
            Constraint::Length(9),
            Constraint::Length(10),
        ],
    };
    let empty = if state.resellers.list.filter.search.is_empty() {
        "No indirect resellers yet."
    } else {
        "No indirect reseller's name or PartnerID starts with that."
    };
    window_table::render(frame, area, theme, "Indirect resellers", &state.resellers.list, columns, empty, |r| {
        let status = match r.compliance_warning() {
            None => Line::from("Active"),
            Some(why) => Line::from(vec![Span::raw("Active "), Span::styled(format!("⚠ {why}"), theme.warning)]),
        };
        Row::new(vec![
            Cell::from(r.name.clone()),
            Cell::from(r.partner_id.clone()),
            Cell::from(r.location.clone()),
            Cell::from(status),
            Cell::from(Line::from(r.customers.to_string()).right_aligned()),
            Cell::from(state.local(r.since).format("%Y-%m-%d").to_string()),
        ])
    });
}
