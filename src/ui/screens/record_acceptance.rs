//! Record acceptance: who the reseller is, checked as it is typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::record_acceptance::AcceptanceForm;
use crate::ui::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{centered, frame_box};

pub fn view(form: &AcceptanceForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 96, 16),
        Line::from(Span::styled(" Record acceptance ", theme.title)),
        theme,
    );
    let intro = format!(
        "The reseller invited at {} accepted in Partner Center (\"Authorize indirect provider\"). \
         Enter its details as they appear there; it then shows as an active indirect reseller.",
        form.recipient
    );
    frame.render_widget(
        Paragraph::new(Span::styled(intro, theme.dim)).wrap(Wrap { trim: true }),
        Rect { height: 2, ..inner },
    );
    for (i, field) in form.fields.iter().enumerate() {
        let y = inner.y + 3 + i as u16 * (FIELD_HEIGHT + 1);
        if y + FIELD_HEIGHT > inner.bottom() {
            break;
        }
        text_field(
            frame,
            Rect {
                y,
                height: FIELD_HEIGHT,
                ..inner
            },
            field,
            i == form.focus,
            20,
            theme,
        );
    }
    let status = if form.submitting { "Recording…" } else { "" };
    let last = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(Span::styled(status, theme.dim)), last);
}
