//! Compliance of one reseller: three states per check (Unknown, yes, no).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::compliance::ComplianceForm;
use crate::app::state::AppState;
use crate::domain::compliance::Check;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

pub fn view(form: &ComplianceForm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let outer = centered(area, 72, 12);
    let inner = frame_box(
        frame,
        outer,
        Line::from(Span::styled(
            format!(
                " Compliance: {} ",
                ellipsize(&form.name, outer.width.saturating_sub(18) as usize)
            ),
            theme.title,
        )),
        theme,
    );
    let c = form.compliance;
    let label = |focused: bool, text: &'static str| {
        let style = if focused { theme.accent } else { Style::new() };
        Line::from(vec![
            Span::styled(if focused { "› " } else { "  " }, style),
            Span::styled(text, style),
        ])
    };
    // The three states, the chosen one marked.
    let states = |check: Check, yes: &'static str, no: &'static str| {
        let mut spans = vec![Span::raw("    ")];
        for (state, word) in [(Check::Unknown, "Unknown"), (Check::Yes, yes), (Check::No, no)] {
            let chosen = state == check;
            spans.push(Span::styled(
                format!("({}) {word}   ", if chosen { "•" } else { " " }),
                if chosen { theme.accent } else { theme.dim },
            ));
        }
        Line::from(spans)
    };
    let lines = vec![
        Line::from(Span::styled(
            "Unknown: nobody has checked it yet. Orders can't credit a reseller that fails either check, and ask first while one is unknown.",
            theme.dim,
        )),
        Line::from(""),
        label(form.focus == 0, "Microsoft Partner Agreement (MPA) signed for its region"),
        states(c.mpa, "Signed", "Not signed"),
        label(form.focus == 1, "PartnerID valid as partner of record (validateresellers)"),
        states(c.por, "Valid", "Invalid"),
        Line::from(""),
        Line::from(key_buttons(&crate::app::screens::compliance::KEYS, theme)),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
