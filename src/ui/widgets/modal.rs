//! A framed box over the screen, and the key buttons of a dialog.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use crate::app::keymap;
use crate::app::keys::Keys;
use crate::ui::theme::Theme;

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

/// Clears `area` and draws a titled border; returns the inside.
pub fn frame_box(frame: &mut Frame, area: Rect, title: Line<'_>, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(title).border_style(theme.accent);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
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
