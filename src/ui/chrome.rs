//! What every screen shares: header, the Partner Center menu, the footer of keys, and toasts.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::app::keymap;
use crate::app::nav::Screen;
use crate::app::state::AppState;

/// Shown beside the provider while a demo book is open.
pub const DEMO_BADGE: &str = "  DEMO DATA";
/// The same with how to leave it, where there is room.
pub const DEMO_BADGE_WIDE: &str = "  DEMO DATA (your own book: twotier init)";
/// With the key that sets up your own book (or says how to open it), where there is room.
pub const DEMO_BADGE_KEY: &str = "  DEMO DATA · S: your own book";
pub const DEMO_BADGE_SET_UP: &str = "  DEMO DATA · S: set up your own book";
pub const DEMO_BADGE_OPEN: &str = "  DEMO DATA · S: how to open your own book";

/// What the header says while a demo book is open, at this width: with the `S` key when the
/// console knows where your own book goes (or is).
fn demo_badge(state: &AppState, width: u16) -> &'static str {
    use crate::app::screens::set_up_book::OwnBook;
    let wide = width >= 110;
    match &state.provider {
        Some(p) if !p.is_demo => "",
        None => "",
        Some(_) => match (&state.own_book, wide) {
            (OwnBook::Unknown, true) => DEMO_BADGE_WIDE,
            (OwnBook::Unknown, false) => DEMO_BADGE,
            (OwnBook::Missing(_), true) => DEMO_BADGE_SET_UP,
            (OwnBook::Exists(_), true) => DEMO_BADGE_OPEN,
            (_, false) if width >= 80 => DEMO_BADGE_KEY,
            (_, false) => DEMO_BADGE,
        },
    }
}

/// Said after the provider when the config file has no `[partner_center]`: the book is local.
pub const OFFLINE_BADGE: &str = "  offline";

/// Where the book's rows come from besides this machine, for the header; `short` without the
/// tenant, where the provider's name would otherwise lose its room.
fn remote_badge(state: &AppState, short: bool) -> String {
    use crate::app::state::RemoteLink;
    let signed_in = state.connection.signed_in;
    match &state.remote {
        RemoteLink::Unstated => String::new(),
        RemoteLink::Offline => OFFLINE_BADGE.to_owned(),
        RemoteLink::PartnerCenter { tenant } => match &state.connection.account {
            // The operator, on the right, is the signed-in account: said once.
            Some(account) if signed_in && (short || *account == state.operator.upn) => {
                "  Partner Center: signed in".to_owned()
            }
            Some(account) if signed_in => {
                let account = crate::domain::text::escaped(account);
                format!("  Partner Center: signed in as {}", ellipsize(&account, 40))
            }
            _ if short && !signed_in => "  Partner Center: not signed in".to_owned(),
            _ if short => "  Partner Center".to_owned(),
            _ => {
                let tenant = crate::domain::text::escaped(tenant);
                let said = if signed_in { "" } else { " · not signed in" };
                format!("  Partner Center: {}{said}", ellipsize(&tenant, 32))
            }
        },
    }
}

/// Provider on the left; operator and role on the right. When both do not fit, the operator's
/// UPN is shortened first: the role always shows.
pub fn header(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let provider = match &state.provider {
        Some(p) => format!(" {} · PartnerID {}", p.company_name, p.partner_id),
        None => " twotier".to_owned(),
    };
    // A demo book says so on every screen, so its rows are never taken for real ones.
    let demo = demo_badge(state, area.width);
    let role = format!(" · {} ", state.operator.role.label());
    let total = area.width as usize;
    // The provider keeps 24 columns and the operator theirs before the badge names the tenant.
    let wanted = provider.width().min(24)
        + demo.width()
        + role.width()
        + state.operator.upn.width().min(24)
        + 1;
    let mut remote = remote_badge(state, false);
    if wanted + remote.width() > total {
        remote = remote_badge(state, true);
    }
    let upn_room = total
        .saturating_sub(provider.width() + demo.width() + remote.width() + role.width() + 1)
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
    let room = (left.width as usize).saturating_sub(demo.width() + remote.width());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(ellipsize(&provider, room), theme.title),
            Span::styled(demo, theme.warning),
            Span::styled(remote, theme.dim),
        ])),
        left,
    );
    frame.render_widget(
        Paragraph::new(Line::from(who)).alignment(Alignment::Right),
        right,
    );
}

/// Cuts `text` to `width` columns, ending in "…" when anything was cut. Columns are display
/// columns: a CJK character or an emoji takes two, a combining mark or a zero-width joiner none;
/// the cut falls between graphemes, so a mark stays with its letter and a ZWJ sequence or a flag
/// is kept or dropped whole, and a wide character that would straddle the edge is dropped.
pub fn ellipsize(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    cut(text, width)
}

/// `text` cut to end in "…" within `width` columns, whether or not it would have fit.
fn cut(text: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let (mut out, mut used) = (String::new(), 0);
    for g in text.graphemes(true) {
        let w = g.width();
        if used + w + 1 > width {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `line` cut to `width` columns, ending in "…" when anything was cut (the styles kept).
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'static> {
    let owned = |s: &Span<'_>| Span::styled(s.content.clone().into_owned(), s.style);
    if line.width() <= width {
        return Line {
            spans: line.spans.iter().map(owned).collect(),
            style: line.style,
            alignment: line.alignment,
        };
    }
    let mut spans = Vec::new();
    let mut room = width;
    for span in &line.spans {
        let w = span.width();
        // Keep whole spans while there is still a column left for the "…".
        if w < room {
            spans.push(owned(span));
            room -= w;
            continue;
        }
        spans.push(Span::styled(cut(&span.content, room), span.style));
        break;
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// A box title cut to the top border of a box `box_width` wide (between its corners), ending
/// "… " when cut, so a long name never runs into the corner.
pub fn fit_title(title: Line<'_>, box_width: u16) -> Line<'static> {
    let room = box_width.saturating_sub(2) as usize;
    if title.width() <= room {
        return fit_line(title, room);
    }
    let mut line = fit_line(title, room.saturating_sub(1));
    line.spans.push(Span::raw(" "));
    line
}

/// `text` padded with spaces to `width` display columns (`format!`'s padding counts chars).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// How much of each menu item's label shows at a width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuFit {
    Full,
    Short,
    /// Digits only, but the current screen keeps its short label.
    Digits,
}

/// The widest form of the menu that fits in `width` columns, whatever items it holds.
pub fn menu_fit(current: Screen, width: u16) -> MenuFit {
    let cost = |fit: MenuFit| -> usize {
        1 + Screen::menu()
            .map(|s| menu_label(s, s == current, fit).width() + 4)
            .sum::<usize>()
    };
    [MenuFit::Full, MenuFit::Short]
        .into_iter()
        .find(|&fit| cost(fit) <= width as usize)
        .unwrap_or(MenuFit::Digits)
}

fn menu_label(screen: Screen, current: bool, fit: MenuFit) -> &'static str {
    match fit {
        MenuFit::Full => screen.label(),
        MenuFit::Digits if !current => "",
        _ => screen.short_label(),
    }
}

/// `0 Dashboard  1 Indirect resellers  2 Customers …`, the current one highlighted; built from
/// the screens' own labels, short ones (then digits) where the full ones don't fit.
pub fn menu(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let current = state.screen.menu_item();
    let fit = menu_fit(current, area.width);
    let mut spans = vec![Span::raw(" ")];
    for screen in Screen::menu() {
        // A screen the role can't open stays in the menu, struck out; pressing its digit says why.
        let allowed =
            crate::app::gate::refusal(state, crate::app::action::Command::Goto(screen)).is_none();
        let style = match (screen == current, allowed) {
            (true, _) => theme.selected,
            (false, true) => theme.dim,
            (false, false) => theme.disabled,
        };
        spans.push(Span::styled(format!(" {} ", screen.digit()), theme.key));
        spans.push(Span::styled(
            menu_label(screen, screen == current, fit),
            style,
        ));
        if fit != MenuFit::Digits || screen == current {
            spans.push(Span::raw(" "));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys of the current screen and state, from the keymap, most important first. When they
/// do not all fit, the later ones give way whole (never cut mid-label), `q` stays, and `? help`
/// becomes `? more`: help lists them all.
/// A running sync's progress takes the right end, and the keys what is left.
pub fn footer(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let entries = keymap::footer(state);
    let progress = state.connection.sync.as_ref().map(|p| p.words());
    let progress_width = progress.as_ref().map_or(0, |p| p.width() as u16 + 2);
    let shown = footer_fit(&entries, area.width.saturating_sub(progress_width) as usize);
    let mut spans = vec![Span::raw(" ")];
    for (entry, label) in shown {
        // What the role can't do stays listed, struck and dim: the key says why when pressed.
        let (key_style, label_style) = if entry.allowed {
            (theme.key, theme.dim)
        } else {
            (theme.disabled, theme.disabled)
        };
        spans.push(Span::styled(entry.keys.clone(), key_style));
        spans.push(Span::styled(format!(" {label}  "), label_style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if let Some(progress) = progress {
        let right = Rect {
            x: area.right().saturating_sub(progress_width),
            width: progress_width.min(area.width),
            ..area
        };
        frame.render_widget(Clear, right);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(
                    "{} ",
                    ellipsize(&progress, (right.width as usize).saturating_sub(1))
                ),
                theme.accent,
            )))
            .alignment(Alignment::Right),
            right,
        );
    }
}

/// Which footer entries fit in `width` columns, each with the label it shows: `?` and `q`
/// always; then the important ones (`keys::IMPORTANT`: sign in, sync), then the others, each
/// in declared order while it fits (a long one skipped may leave room for a shorter one after
/// it); shown in the order they are declared, `?` saying "more" last when any was left out.
pub fn footer_fit(entries: &[keymap::Hint], width: usize) -> Vec<(&keymap::Hint, &'static str)> {
    const MORE: &str = "more";
    let cost = |h: &keymap::Hint, label: &str| h.keys.width() + label.width() + 3;
    let kept = |h: &keymap::Hint| h.keys == "?" || h.keys == "q";
    let everything = 1 + entries.iter().map(|h| cost(h, h.label)).sum::<usize>();
    if everything <= width {
        return entries.iter().map(|h| (h, h.label)).collect();
    }
    let label = |h: &keymap::Hint| if h.keys == "?" { MORE } else { h.label };
    let mut used = 1 + entries
        .iter()
        .filter(|h| kept(h))
        .map(|h| cost(h, label(h)))
        .sum::<usize>();
    let mut chosen: Vec<bool> = entries.iter().map(kept).collect();
    let mut ranks: Vec<u8> = entries.iter().map(|h| h.rank).collect();
    ranks.sort_unstable();
    ranks.dedup();
    for rank in ranks {
        for (i, entry) in entries.iter().enumerate() {
            if !chosen[i] && entry.rank == rank && used + cost(entry, entry.label) <= width {
                used += cost(entry, entry.label);
                chosen[i] = true;
            }
        }
    }
    let mut out: Vec<_> = entries
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| **c)
        .map(|(h, _)| (h, label(h)))
        .collect();
    // `? more` last, where the eye ends.
    if let Some(at) = out.iter().position(|(h, _)| h.keys == "?") {
        let more = out.remove(at);
        out.push(more);
    }
    out
}

/// Toasts stack up from the bottom right of the body.
pub fn toasts(state: &AppState, theme: &Theme, frame: &mut Frame, body: Rect) {
    // At the bottom right, over the end of the list rather than its first rows (a dialog's
    // buttons there are also in the footer); newest lowest; a long toast wraps rather than
    // being cut.
    // Two columns of margin each side inside the body's borders, one of padding in the toast.
    let room = body.width.saturating_sub(6).max(10) as usize;
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
                    format!(" {} ", pad(&l, width as usize - 2)),
                    theme.toast,
                ))
            })
            .collect();
        frame.render_widget(Paragraph::new(text), area);
        bottom = top;
    }
}

/// Words into lines of at most `width` columns; a word wider than that (a CJK name has no
/// spaces) is broken between graphemes.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for g in word.graphemes(true) {
            if line.width() + g.width() > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push_str(g);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
