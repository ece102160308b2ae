//! Confirmation (Setup info): the admin user name and temporary password, and the warning.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::confirmation::Confirmation;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

pub fn view(c: &Confirmation, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 80, 18),
        Line::from(Span::styled(" Confirmation ", theme.title)),
        theme,
    );
    let field = |label: &'static str, value: &str| {
        Line::from(vec![
            Span::styled(format!("  {label:<22}"), theme.dim),
            Span::styled(value.to_owned(), theme.title),
        ])
    };
    let mut lines = vec![
        Line::from(format!(
            "The order for {} was submitted.",
            c.created.company_name
        )),
        Line::from(""),
        Line::from(Span::styled("Setup info", theme.title)),
        field("Admin user name", &c.created.admin_user_name),
        field("Temporary password", c.created.password.expose()),
        Line::from(""),
        Line::from(Span::styled(
            "Important: be sure to make a note of the user account name and password, as you can't access this \
             information again after you close this page. Send them to the customer; the password must be changed at \
             first sign-in.",
            theme.warning,
        )),
        Line::from(""),
    ];
    if c.copied {
        lines.push(Line::from(Span::styled(
            "Copied. The clipboard is cleared in 30 s, and when twotier quits, if it still holds them.",
            theme.dim,
        )));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(key_buttons(&crate::app::screens::confirmation::KEYS, theme)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
