//! Activity log filter: operator, action, target.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::keys::FORM;
use crate::app::screens::activity_filter::ActivityFilter;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{centered, frame_box, key_button_line};

pub fn view(form: &ActivityFilter, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 76, 13),
        Line::from(Span::styled(" Filter the activity log ", theme.title)),
        theme,
    );
    for (i, field) in form.fields.iter().enumerate() {
        let rect = Rect {
            y: inner.y + i as u16 * FIELD_HEIGHT,
            height: FIELD_HEIGHT,
            ..inner
        };
        text_field(frame, rect, field, form.focus == i, 12, theme);
    }
    let keys = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(key_button_line(&FORM, theme, keys.width)),
        keys,
    );
}
