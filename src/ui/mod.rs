//! The view: `view(&AppState, &Theme, &mut Frame)` draws the state and changes nothing.

pub mod chrome;
pub mod highlight;
pub mod screens;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::layout::{MIN_HEIGHT, MIN_WIDTH, too_small};
use crate::app::state::AppState;
pub use theme::Theme;

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if too_small(area.width, area.height) {
        let text = vec![
            Line::from("The terminal is too small for twotier."),
            Line::from(format!(
                "It needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
                area.width, area.height
            )),
            Line::from("Enlarge the window, or press q to quit."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, menu, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(state, theme, frame, header);
    chrome::menu(state, theme, frame, menu);
    screens::screen(state, theme, frame, body);
    chrome::footer(state, theme, frame, footer);
    for modal in &state.modals {
        screens::modal(modal, state, theme, frame, area);
    }
    // Above any dialog: a toast answers what the operator just did there.
    chrome::toasts(state, theme, frame, body);
}
