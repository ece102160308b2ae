//! Record acceptance: who the reseller is, checked as it is typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::record_acceptance::AcceptanceForm;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{centered, frame_box};

pub fn view(form: &AcceptanceForm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 96, 20),
        Line::from(Span::styled(" Record acceptance ", theme.title)),
        theme,
    );
    // On a small terminal the fields come first and the introduction goes.
    let fields_height = FIELD_HEIGHT * form.fields.len() as u16 + 1;
    let intro_height = if inner.height >= fields_height + 4 {
        4
    } else {
        0
    };
    if intro_height > 0 {
        let intro = format!(
            "The reseller invited at {} accepted in Partner Center (\"Authorize indirect provider\"). \
             Enter its details as they appear there; it then shows as an active reseller, MPA and POR Unknown.",
            form.recipient
        );
        let intro_area = Rect { height: 3, ..inner };
        frame.render_widget(
            Paragraph::new(Span::styled(intro, theme.dim)).wrap(Wrap { trim: true }),
            intro_area,
        );
    }
    for (i, field) in form.fields.iter().enumerate() {
        let y = inner.y + intro_height + i as u16 * FIELD_HEIGHT;
        if y + FIELD_HEIGHT > inner.bottom() {
            break;
        }
        let focused = i == form.focus;
        text_field(
            frame,
            Rect {
                y,
                height: FIELD_HEIGHT,
                ..inner
            },
            field,
            focused,
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
