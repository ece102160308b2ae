//! The question of an order crediting a reseller whose compliance is unknown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::unknown_compliance::UnknownCompliance;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box};

pub fn view(q: &UnknownCompliance, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 66, 10),
        Line::from(Span::styled(" Compliance unknown ", theme.title)),
        theme,
    );
    let style = |focused: bool| if focused { theme.selected } else { theme.dim };
    let lines = vec![
        Line::from(Span::styled(format!("? {}.", q.warning), theme.warning)),
        Line::from(""),
        Line::from("Check now, or place the order anyway?"),
        Line::from(""),
        Line::from(vec![
            Span::styled("[ Check now (c) ]", style(!q.order_focused)),
            Span::raw("   "),
            Span::styled("[ Order anyway (o) ]", style(q.order_focused)),
        ]),
        Line::from(Span::styled("Esc: back to Review", theme.dim)),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
