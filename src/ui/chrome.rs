//! What every screen shares: header, the Partner Center menu, the footer of keys, and toasts.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::app::keymap;
use crate::app::nav::Screen;
use crate::app::state::AppState;

/// Shown beside the provider while a demo book is open.
pub const DEMO_BADGE: &str = "  DEMO DATA";
/// The same with how to leave it, where there is room.
pub const DEMO_BADGE_WIDE: &str = "  DEMO DATA (your own book: twotier init)";

/// Provider on the left; operator and role on the right. When both do not fit, the operator's
/// UPN is shortened first: the role always shows.
pub fn header(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let provider = match &state.provider {
        Some(p) => format!(" {} · PartnerID {}", p.company_name, p.partner_id),
        None => " twotier".to_owned(),
    };
    // A demo book says so on every screen, so its rows are never taken for real ones.
    let demo = match &state.provider {
        Some(p) if p.is_demo && area.width >= 110 => DEMO_BADGE_WIDE,
        Some(p) if p.is_demo => DEMO_BADGE,
        _ => "",
    };
    let role = format!(" · {} ", state.operator.role.label());
    let total = area.width as usize;
    let upn_room = total
        .saturating_sub(provider.width() + demo.width() + role.width() + 1)
        .max((total / 3).saturating_sub(role.width()));
    let who = format!("{}{role}", ellipsize(&state.operator.upn, upn_room));
    let right_width = (who.width() as u16).min(area.width);
    let left = Rect {
        width: area.width.saturating_sub(right_width + 1),
        ..area
    };
    let right = Rect {
        x: area.right().saturating_sub(right_width),
        width: right_width,
        ..area
    };
    let room = (left.width as usize).saturating_sub(demo.width());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(ellipsize(&provider, room), theme.title),
            Span::styled(demo, theme.warning),
        ])),
        left,
    );
    frame.render_widget(
        Paragraph::new(Line::from(who)).alignment(Alignment::Right),
        right,
    );
}

/// Cuts `text` to `width` columns, ending in "…" when anything was cut.
pub fn ellipsize(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let (mut out, mut used) = (String::new(), 0);
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `1 Indirect resellers  2 Customers …`, the current one highlighted.
pub fn menu(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let full: usize = Screen::menu().map(|s| s.label().width() + 4).sum::<usize>() + 1;
    let short = full > area.width as usize;
    let mut spans = vec![Span::raw(" ")];
    for screen in Screen::menu() {
        // A screen the role can't open stays in the menu, struck out; pressing its digit says why.
        let allowed =
            crate::app::gate::refusal(state, crate::app::action::Command::Goto(screen)).is_none();
        let style = match (screen == state.screen.menu_item(), allowed) {
            (true, _) => theme.selected,
            (false, true) => theme.dim,
            (false, false) => theme.disabled,
        };
        spans.push(Span::styled(format!(" {} ", screen.digit()), theme.key));
        spans.push(Span::styled(
            if short {
                screen.short_label()
            } else {
                screen.label()
            },
            style,
        ));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys of the current screen and state, from the keymap. When they do not all fit, the
/// last ones give way, but `? help` (which lists them all) and `q` always show.
pub fn footer(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let entries = keymap::footer(state);
    let width = |h: &keymap::Hint| h.keys.width() + h.label.width() + 3;
    // `?` (which lists every key) and `q` always show.
    let kept = |h: &keymap::Hint| h.keys == "?" || h.keys == "q";
    let mut used = 1 + entries.iter().filter(|h| kept(h)).map(width).sum::<usize>();
    let mut spans = vec![Span::raw(" ")];
    for entry in &entries {
        if !kept(entry) {
            if used + width(entry) > area.width as usize {
                continue;
            }
            used += width(entry);
        }
        // What the role can't do stays listed, struck and dim: the key says why when pressed.
        let key_style = if entry.allowed {
            theme.key
        } else {
            theme.disabled
        };
        spans.push(Span::styled(entry.keys.clone(), key_style));
        let label_style = if entry.allowed {
            theme.dim
        } else {
            theme.disabled
        };
        spans.push(Span::styled(format!(" {}  ", entry.label), label_style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Toasts stack up from the bottom right of the body.
pub fn toasts(state: &AppState, theme: &Theme, frame: &mut Frame, body: Rect) {
    // At the bottom right, over the end of the list rather than its first rows (a dialog's
    // buttons there are also in the footer); newest lowest; a long toast wraps rather than
    // being cut.
    let room = body.width.saturating_sub(4).max(10) as usize;
    let mut bottom = body.bottom().saturating_sub(1);
    for toast in state.toasts.iter().rev() {
        let lines = wrap(&toast.text, room);
        let height = lines.len() as u16;
        if bottom < body.y + height + 1 {
            break;
        }
        let top = bottom - height;
        let width = lines.iter().map(|l| l.width() + 2).max().unwrap_or(0) as u16;
        let area = Rect {
            x: body.right().saturating_sub(width + 2),
            y: top,
            width,
            height,
        };
        frame.render_widget(Clear, area);
        let text: Vec<Line> = lines
            .into_iter()
            .map(|l| {
                Line::from(Span::styled(
                    format!(" {l:<w$} ", w = width as usize - 2),
                    theme.toast,
                ))
            })
            .collect();
        frame.render_widget(Paragraph::new(text), area);
        bottom = top;
    }
}

/// Words into lines of at most `width` columns (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| ellipsize(&l, width)).collect()
}
