//! Users: the provider's operators and their roles.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use crate::app::state::AppState;
use crate::ui::Theme;
use crate::ui::widgets::window_table::{self, Columns};

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let columns = Columns {
        headers: &["User (UPN)", "Name", "Role", "Status", "Added"],
        widths: &[
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(14),
            Constraint::Length(8),
            Constraint::Length(10),
        ],
    };
    window_table::render(frame, area, theme, "Users", &state.users.list, columns, "No user's UPN starts with that.", |o| {
        let status = if o.disabled { Span::styled("Disabled", theme.dim) } else { Span::raw("Active") };
        let name = if o.id == state.operator.id { format!("{} (you)", o.display_name) } else { o.display_name.clone() };
        Row::new(vec![
            Cell::from(o.upn.clone()),
            Cell::from(name),
            Cell::from(o.role.label()),
            Cell::from(status),
            Cell::from(state.local(o.created_at).format("%Y-%m-%d").to_string()),
        ])
    });
}
