//! Activity log: Time · Operator · Action · Target · Change, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use crate::app::state::AppState;
use crate::ui::Theme;
use crate::ui::widgets::window_table::{self, Columns};

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let columns = Columns {
        headers: &["Time", "Operator", "Action", "Target", "Before → after"],
        widths: &[
            Constraint::Length(16),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Fill(3),
        ],
    };
    window_table::render(frame, area, theme, "Activity log", &state.activity_log.list, columns, "Nothing has happened yet.", |a| {
        let change = match (&a.before, &a.after) {
            (Some(b), Some(a)) => format!("{b} → {a}"),
            (None, Some(a)) => a.clone(),
            (Some(b), None) => format!("{b} → (removed)"),
            (None, None) => String::new(),
        };
        Row::new(vec![
            Cell::from(state.local(a.at).format("%Y-%m-%d %H:%M").to_string()),
            Cell::from(a.operator.clone()),
            Cell::from(a.action.clone()),
            Cell::from(a.target.clone()),
            Cell::from(change),
        ])
    });
}
