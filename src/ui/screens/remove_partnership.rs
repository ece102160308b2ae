//! Remove partnership: the Important notice, what stays with the reseller (counts, then the
//! customers and subscriptions by name, scrollable), Yes / No.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::screens::remove_partnership::{
    IMPORTANT_NOTICE, ImpactLine, RemoveConfirm, dialog_height, grouped,
};
use crate::app::state::AppState;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{buttons, centered, frame_box};

/// Greedy word wrap to `width` columns (a word longer than a line is cut), so the view knows
/// how many lines the notice takes and the list gets the rest.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.width() > width {
            let mut cut = String::new();
            for ch in line.chars() {
                if (cut.clone() + &ch.to_string()).width() > width {
                    break;
                }
                cut.push(ch);
            }
            if cut.is_empty() {
                break;
            }
            let rest = line[cut.len()..].to_owned();
            lines.push(cut);
            line = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

fn impact_line(line: &ImpactLine, width: usize, theme: &Theme) -> Line<'static> {
    match line {
        ImpactLine::Heading(text) => Line::from(Span::styled(ellipsize(text, width), theme.title)),
        ImpactLine::Customer(name) => Line::from(format!("  {}", ellipsize(name, width.saturating_sub(2)))),
        ImpactLine::Subscription {
            customer,
            offer,
            roles,
        } => {
            // The role always shows; customer and offer share what is left.
            let room = width.saturating_sub(2 + 6 + roles.width());
            let customer_w = room / 2;
            let offer_w = room - customer_w;
            Line::from(vec![
                Span::raw(format!(
                    "  {} · {} · ",
                    ellipsize(customer, customer_w),
                    ellipsize(offer, offer_w)
                )),
                Span::styled(*roles, theme.warning),
            ])
        }
        ImpactLine::More(n) => Line::from(Span::styled(format!("  and {} more", grouped(*n)), theme.dim)),
        ImpactLine::Nothing => Line::from(Span::styled(
            "Nothing else names this reseller: no customers, no subscriptions.",
            theme.dim,
        )),
    }
}

pub fn view(c: &RemoveConfirm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 84, dialog_height(area.height)),
        Line::from(Span::styled(" Remove partnership ", theme.title)),
        theme,
    );
    let width = inner.width as usize;
    let mut notice = vec![Line::from(Span::styled("Important", theme.warning))];
    for p in IMPORTANT_NOTICE {
        notice.extend(wrap(p, width).into_iter().map(Line::from));
    }
    let impact = &c.preview.impact;
    let summary: Vec<Line> = wrap(
        &format!(
            "These stay as they are: {} associated with this reseller; {} with it as partner of record \
             (Reseller (MPN ID)), {} as designated support contact.",
            plural(impact.customers, "customer", "customers"),
            plural(impact.partner_of_record, "subscription", "subscriptions"),
            grouped(impact.support_contact),
        ),
        width,
    )
    .into_iter()
    .map(Line::from)
    .collect();
    let [title, notice_area, summary_area, pane, button_row] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(notice.len() as u16),
        Constraint::Length(summary.len() as u16),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw("Remove the partnership with "),
            Span::styled(ellipsize(&c.name, width.saturating_sub(29)), theme.title),
            Span::raw("?"),
        ])),
        title,
    );
    frame.render_widget(Paragraph::new(notice), notice_area);
    frame.render_widget(Paragraph::new(summary), summary_area);
    let rows = pane.height as usize;
    let offset = c.scroll.min(c.lines.len().saturating_sub(rows));
    let shown: Vec<Line> = c
        .lines
        .iter()
        .skip(offset)
        .take(rows)
        .map(|l| impact_line(l, width, theme))
        .collect();
    frame.render_widget(Paragraph::new(shown), pane);
    let mut row = buttons("Yes", "No", c.yes_focused, theme);
    if c.lines.len() > rows && rows > 0 {
        row.spans.push(Span::styled(
            format!(
                "   ↑↓ PgUp PgDn: lines {}–{} of {}",
                offset + 1,
                (offset + rows).min(c.lines.len()),
                c.lines.len()
            ),
            theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(row), button_row);
}
