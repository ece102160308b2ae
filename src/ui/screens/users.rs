//! Users: the provider's operators and their roles.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::app::state::AppState;
use crate::app::screens::users::UsersScreen;
use crate::ui::highlight;
use crate::ui::theme::Theme;
use crate::ui::widgets::window_table::{self, column};

pub fn view(screen: &UsersScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let columns = [
        column("User (UPN)", Constraint::Fill(3), 0),
        column("Name", Constraint::Fill(2), 70),
        column("Role", Constraint::Length(14), 0),
        column("Status", Constraint::Length(8), 0),
        column("Added", Constraint::Length(10), 80),
    ];
    let query = screen.list.filter.search.as_str();
    let title = highlight::titled("Users".to_owned(), &screen.list);
    window_table::render(
        frame,
        area,
        theme,
        &title,
        &screen.list,
        &columns,
        if screen.list.filter.search.is_empty() {
            "No users yet: a adds one."
        } else {
            "No user's UPN or name contains that: Esc clears the search."
        },
        |o| {
            let status = if o.disabled {
                Span::styled("Disabled", theme.dim)
            } else {
                Span::raw("Active")
            };
            let name = if o.id == state.operator.id {
                format!("{} (you)", o.display_name)
            } else {
                o.display_name.clone()
            };
            vec![
                highlight::lit(&o.upn, query, theme),
                highlight::lit(&name, query, theme),
                Line::from(o.role.label()),
                Line::from(status),
                Line::from(state.local(o.created_at).format("%Y-%m-%d").to_string()),
            ]
        },
    );
}
