//! Remove partnership: the Important notice, what stays with the reseller, Yes / No.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::remove_partnership::{IMPORTANT_NOTICE, RemoveConfirm};
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{buttons, centered, frame_box};

pub fn view(c: &RemoveConfirm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 84, 24),
        Line::from(Span::styled(" Remove partnership ", theme.title)),
        theme,
    );
    let mut lines = vec![
        Line::from(vec![
            Span::raw("Remove the partnership with "),
            Span::styled(c.name.clone(), theme.title),
            Span::raw("?"),
        ]),
        Line::from(""),
        Line::from(Span::styled("Important", theme.warning)),
    ];
    lines.extend(IMPORTANT_NOTICE.iter().map(|p| Line::from(*p)));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "These stay as they are:",
        theme.title,
    )));
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    lines.push(Line::from(format!(
        "• {} associated with this reseller",
        plural(c.impact.customers, "customer", "customers")
    )));
    lines.push(Line::from(format!(
        "• {} with this reseller as partner of record (Reseller (MPN ID))",
        plural(c.impact.partner_of_record, "subscription", "subscriptions")
    )));
    lines.push(Line::from(format!(
        "• {} with this reseller as designated support contact",
        plural(c.impact.support_contact, "subscription", "subscriptions")
    )));
    lines.push(Line::from(""));
    lines.push(buttons("Yes", "No", c.yes_focused, theme));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
