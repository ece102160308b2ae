//! Request a partnership: the reseller's email address.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::request_partnership::RequestForm;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{centered, frame_box};

pub fn view(form: &RequestForm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 76, 12),
        Line::from(Span::styled(" Request a partnership ", theme.title)),
        theme,
    );
    let intro = "A draft email appears next, with a link personalized for your Partner Center account. \
                 The reseller must be enrolled as an indirect reseller in CSP.";
    frame.render_widget(
        Paragraph::new(Span::styled(intro, theme.dim)).wrap(Wrap { trim: true }),
        Rect { height: 3, ..inner },
    );
    let field = Rect {
        y: inner.y + 4,
        height: FIELD_HEIGHT,
        ..inner
    };
    text_field(frame, field, &form.email, true, 18, theme);
    if form.waiting {
        let at = Rect {
            y: inner.y + 8,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(Span::styled("Drafting the email…", theme.dim)),
            at,
        );
    }
}
