//! A framed box over the screen, and the key buttons of a dialog.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use crate::app::action::Command;
use crate::app::keymap;
use crate::app::keys::{Binding, Keys};
use crate::ui::chrome::fit_title;
use crate::ui::theme::Theme;
use unicode_width::UnicodeWidthStr;

/// A centred rectangle of at most `width`×`height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Clears `area` and draws a titled border; returns the inside. A title too long for the top
/// border (a customer's or reseller's name in it) is cut by display width, ending "…".
pub fn frame_box(frame: &mut Frame, area: Rect, title: Line<'_>, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    blank_wide_left_of(frame, area);
    let block = Block::bordered()
        .title(fit_title(title, area.width))
        .border_style(theme.accent);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// A wide character (CJK, emoji) just left of the box would be drawn over its left border, the
/// terminal skipping the border cell it covers: it is blanked instead.
fn blank_wide_left_of(frame: &mut Frame, area: Rect) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    let buf = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((x, y))
            && cell.symbol().width() > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// "[ Yes ]  [ No ]", the focused one reversed.
pub fn buttons(yes: &str, no: &str, yes_focused: bool, theme: &Theme) -> Line<'static> {
    let style = |focused: bool| if focused { theme.selected } else { theme.dim };
    Line::from(vec![
        Span::styled(format!("[ {yes} (y) ]"), style(yes_focused)),
        Span::raw("   "),
        Span::styled(format!("[ {no} (n) ]"), style(!yes_focused)),
    ])
}

/// The keys of a context as a row of buttons ("o Open in email   c Copy to clipboard …"), from
/// the keymap, so a dialog's buttons never disagree with what the keys do.
pub fn key_buttons(keys: &Keys, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for b in keys.bindings.iter().filter(|b| b.footer) {
        if !spans.is_empty() {
            spans.push(Span::raw("   "));
        }
        spans.push(Span::styled(keymap::keys_label(b), theme.key));
        spans.push(Span::raw(format!(" {}", b.label)));
    }
    spans
}

/// The key buttons of `keys` in one row of `width` columns, each button whole: when they do
/// not all fit they close up, then the later ones give way, but the way out (Esc) always shows.
pub fn key_button_line(keys: &Keys, theme: &Theme, width: u16) -> Line<'static> {
    let width = width as usize;
    let buttons: Vec<(String, &Binding)> = keys
        .bindings
        .iter()
        .filter(|b| b.footer)
        .map(|b| (keymap::keys_label(b), b))
        .collect();
    let cost = |(k, b): &(String, &Binding)| k.width() + 1 + b.label.width();
    let full = buttons.iter().map(cost).sum::<usize>() + 3 * buttons.len().saturating_sub(1);
    if full <= width {
        return Line::from(key_buttons(keys, theme));
    }
    let way_out = |b: &Binding| b.command == Command::Back;
    let mut used: usize = buttons
        .iter()
        .filter(|(_, b)| way_out(b))
        .map(|button| cost(button) + 2)
        .sum();
    let mut spans = Vec::new();
    for button in &buttons {
        if !way_out(button.1) {
            if used + cost(button) + 2 > width + 2 {
                continue;
            }
            used += cost(button) + 2;
        }
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(button.0.clone(), theme.key));
        spans.push(Span::raw(format!(" {}", button.1.label)));
    }
    Line::from(spans)
}
