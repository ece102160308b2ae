//! What every screen shares: header, the Partner Center menu, the footer of keys, and toasts.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::app::keymap;
use crate::app::state::{AppState, Screen};

/// Provider on the left; operator and role on the right.
pub fn header(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let provider = match &state.provider {
        Some(p) => format!(" {} · PartnerID {}", p.company_name, p.partner_id),
        None => " twotier".to_owned(),
    };
    let who = format!("{} · {} ", state.operator.upn, state.operator.role.label());
    frame.render_widget(Paragraph::new(Line::from(Span::styled(provider, theme.title))), area);
    let width = (who.width() as u16).min(area.width / 2);
    let right = Rect { x: area.right().saturating_sub(width), width, ..area };
    frame.render_widget(Paragraph::new(Line::from(who)).alignment(Alignment::Right), right);
}

/// `1 Indirect resellers  2 Customers …`, the current one highlighted.
pub fn menu(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for screen in Screen::MENU {
        let style = if screen == state.screen { theme.selected } else { theme.dim };
        spans.push(Span::styled(format!(" {} ", screen.digit()), theme.key));
        spans.push(Span::styled(screen.label(), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys of the current screen and state, from the keymap.
pub fn footer(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (keys, label) in keymap::footer(state) {
        spans.push(Span::styled(keys, theme.key));
        spans.push(Span::styled(format!(" {label}  "), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Toasts stack up from the bottom right of the body.
pub fn toasts(state: &AppState, theme: &Theme, frame: &mut Frame, body: Rect) {
    for (i, toast) in state.toasts.iter().rev().enumerate() {
        let text = format!(" {} ", toast.text);
        let width = (text.width() as u16).min(body.width.saturating_sub(2));
        let y = body.bottom().saturating_sub(2 + i as u16);
        if y <= body.y {
            break;
        }
        let area = Rect { x: body.right().saturating_sub(width + 2), y, width, height: 1 };
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(Span::styled(text, theme.toast)), area);
    }
}
