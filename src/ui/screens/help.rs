//! The `?` overlay: every key of the screen below it, from the keymap, and the seed document's
//! task table ("To accomplish this / Do this / Where").

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::ui::widgets::modal::{centered, frame_box};
use crate::app::keymap;
use crate::app::keys::Binding;
use crate::app::screens::help::Help;
use crate::app::state::AppState;
use crate::ui::theme::Theme;

/// From "Partner with indirect resellers in the Cloud Solution Provider program".
pub const TASKS: [(&str, &str, &str); 4] = [
    (
        "Enable the reseller to manage a customer's account and have administrator permissions to manage their subscriptions",
        "Associate a reseller to a customer account when adding a new customer",
        "On the New customer page",
    ),
    (
        "Enable the reseller to manage an Azure customer's account",
        "Associate a reseller to an Azure customer account when adding a new customer",
        "On the Azure service portal, select User Settings to give the indirect reseller tenant owner permissions",
    ),
    (
        "Give the reseller credit for incentives",
        "Associate the reseller to the subscription (new or existing)",
        "On the New subscription page",
    ),
    (
        "Delegate customer support for specific subscriptions to the reseller",
        "Select the reseller from the Designated support contact list",
        "On the subscription's detail page: Select the customer from your Customers page, then select the subscription from the customer's Subscriptions page",
    ),
];

pub fn view(help: &Help, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(110);
    let height = area.height.saturating_sub(2);
    let title = Line::from(Span::styled(
        format!(" Help: {} ", state.screen.label()),
        theme.title,
    ));
    let inner = frame_box(frame, centered(area, width, height), title, theme);

    let mut entries: Vec<(String, &str)> = Vec::new();
    let mut refused: Vec<&str> = Vec::new();
    for (keys, b) in keymap::reachable(&keymap::help_keys(state)) {
        if crate::app::gate::refusal(state, b.command).is_some() {
            refused.push(b.label);
        }
        push_unique(&mut entries, keys, b);
    }
    let cell = entries
        .iter()
        .map(|(k, l)| k.width() + l.width() + 3)
        .max()
        .unwrap_or(20)
        .max(24);
    let per_line = (inner.width as usize / cell).max(1);
    let mut lines = vec![Line::from(Span::styled("Keys", theme.title))];
    for chunk in entries.chunks(per_line) {
        let mut spans = Vec::new();
        for (keys, label) in chunk {
            let allowed = !refused.contains(label);
            spans.push(Span::styled(
                keys.clone(),
                if allowed { theme.key } else { theme.disabled },
            ));
            let pad = cell.saturating_sub(keys.width() + 1);
            let style = if allowed {
                ratatui::style::Style::new()
            } else {
                theme.disabled
            };
            spans.push(Span::styled(format!(" {label:<pad$}"), style));
        }
        lines.push(Line::from(spans));
    }
    if !refused.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "Struck out: not for your role ({}). The key says which roles may.",
                state.operator.role.label()
            ),
            theme.dim,
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "To accomplish this  ·  Do this  ·  Where",
        theme.title,
    )));
    for (goal, how, place) in TASKS {
        lines.push(Line::from(vec![
            Span::styled("• ", theme.accent),
            Span::raw(goal),
            Span::styled("  →  ", theme.dim),
            Span::raw(how),
            Span::styled("  ·  ", theme.dim),
            Span::styled(place, theme.dim),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((help.scroll, 0)),
        inner,
    );
}

/// Keys that do the same thing under the same words share one entry ("Esc/q back").
fn push_unique(entries: &mut Vec<(String, &'static str)>, keys: String, b: &Binding) {
    match entries.iter_mut().find(|(_, label)| *label == b.label) {
        Some((k, _)) => {
            k.push('/');
            k.push_str(&keys);
        }
        None => entries.push((keys, b.label)),
    }
}
