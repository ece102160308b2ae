//! Compliance of one reseller: two check boxes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::compliance::ComplianceForm;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

pub fn view(form: &ComplianceForm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 72, 11),
        Line::from(Span::styled(
            format!(" Compliance: {} ", form.name),
            theme.title,
        )),
        theme,
    );
    let check = |focused: bool, on: bool, label: &'static str| {
        let marker = if focused { "›" } else { " " };
        let style = if focused {
            theme.accent
        } else {
            ratatui::style::Style::new()
        };
        Line::from(vec![
            Span::styled(format!("{marker} [{}] ", if on { "x" } else { " " }), style),
            Span::styled(label, style),
        ])
    };
    let lines = vec![
        Line::from(Span::styled(
            "Orders and subscription changes can't credit a reseller that fails either check.",
            theme.dim,
        )),
        Line::from(""),
        check(
            form.focus == 0,
            form.mpa_signed,
            "Microsoft Partner Agreement (MPA) signed for its region",
        ),
        check(
            form.focus == 1,
            form.por_valid,
            "PartnerID valid as partner of record (validateresellers)",
        ),
        Line::from(""),
        Line::from(key_buttons(&crate::app::screens::compliance::KEYS, theme)),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
