//! Activity log: Time · Operator · Action · Target · Change, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use crate::app::state::AppState;
use crate::app::screens::activity_log::ActivityLogScreen;
use crate::ui::theme::Theme;
use crate::ui::widgets::window_table::{self, column};
use crate::ui::widgets::{detail_pane, detail_records};

pub fn view(screen: &ActivityLogScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut title = "Activity log".to_owned();
    for (column, prefix) in &screen.list.filter.column_prefixes {
        let name = ["operator", "action", "target"]
            .get(*column)
            .copied()
            .unwrap_or("?");
        title.push_str(&format!(" · {name}: {prefix}…"));
    }
    let columns = [
        column("Time", Constraint::Length(16), 0),
        column("Operator", Constraint::Fill(2), 70),
        column("Action", Constraint::Fill(3), 0),
        column("Target", Constraint::Fill(3), 0),
        column("Before → after", Constraint::Fill(3), 80),
    ];
    let (area, pane) = detail_pane::split(area, state.width);
    if let Some(pane) = pane {
        let entries = match screen.list.selected_row() {
            Some(row) => detail_records::activity(row, state, theme),
            None => vec![detail_pane::none_selected(theme)],
        };
        detail_pane::render(frame, pane, theme, "Activity entry", &entries);
    }
    window_table::render(
        frame,
        area,
        theme,
        &title,
        &screen.list,
        &columns,
        if !screen.list.filter.column_prefixes.is_empty() {
            "No entry matches the filter: f changes it, Esc clears it."
        } else if !screen.list.filter.search.is_empty() {
            "No entry starts with that: Esc clears the search."
        } else {
            "Nothing has happened yet: every change anyone makes is recorded here."
        },
        |a| {
            let change = match (&a.before, &a.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a.clone(),
                (Some(b), None) => format!("{b} → (removed)"),
                (None, None) => String::new(),
            };
            vec![
                Line::from(state.local(a.at).format("%Y-%m-%d %H:%M").to_string()),
                Line::from(a.operator.clone()),
                Line::from(a.action.clone()),
                Line::from(a.target.clone()),
                Line::from(change),
            ]
        },
    );
}
