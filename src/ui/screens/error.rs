//! The error modal: says what happened and what to do; never a raw SQL or Rust error alone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::error::ErrorMessage;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box};

pub fn view(error: &ErrorMessage, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = error.message.lines().map(Line::from).collect();
    // Counted as wrapped inside the box (at most 64 wide, less its borders), so the last line
    // and the key under it are not cut off.
    let room = area.width.min(64).saturating_sub(2) as usize;
    let wrapped: usize = error
        .message
        .lines()
        .map(|l| crate::ui::chrome::wrap(l, room).len())
        .sum();
    let height = (wrapped as u16 + 3).clamp(7, area.height);
    let inner = frame_box(
        frame,
        centered(area, 64, height + 2),
        Line::from(Span::styled(format!(" {} ", error.title), theme.error)),
        theme,
    );
    let mut text = lines;
    text.push(Line::from(""));
    text.push(Line::from(vec![
        Span::styled("Enter", theme.key),
        Span::raw(" close"),
    ]));
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}
