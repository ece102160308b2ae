//! A yes/no question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::confirm::Confirm;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{buttons, centered, frame_box};

pub fn view(c: &Confirm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 64, 9),
        Line::from(Span::styled(format!(" {} ", c.title), theme.title)),
        theme,
    );
    let lines = vec![
        Line::from(c.message.clone()),
        Line::from(""),
        buttons(c.yes_label, "No", c.yes_focused, theme),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
