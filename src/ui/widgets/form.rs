//! Drawing form fields: label, the text with its cursor when focused, and what is wrong in words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::form::{TextField, Verdict};
use crate::domain::text::clean;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use unicode_segmentation::UnicodeSegmentation;

/// Lines one field takes: the label and value, then its message (wrapped over two lines).
pub const FIELD_HEIGHT: u16 = 3;

/// Draws `field` in `FIELD_HEIGHT` lines of `area` (label + value, then the message); puts the
/// cursor in the value when `focused`.
pub fn text_field(
    frame: &mut Frame,
    area: Rect,
    field: &TextField,
    focused: bool,
    label_width: u16,
    theme: &Theme,
) {
    let label_style = if focused { theme.accent } else { theme.dim };
    let room = area.width.saturating_sub(label_width + 1) as usize;
    let (shown, cursor_x) = field_window(field.value(), field.input.cursor(), room);
    let marker = if focused { "›" } else { " " };
    let line = Line::from(vec![
        Span::styled(
            format!(
                "{marker}{:<width$}",
                field.label,
                width = label_width as usize - 1
            ),
            label_style,
        ),
        Span::raw(" "),
        Span::raw(shown),
    ]);
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..area });
    let message = match &field.verdict {
        Verdict::Error(e) => Span::styled(format!("✗ {}", clean(e)), theme.error),
        Verdict::Warning(w) => Span::styled(format!("⚠ {}", clean(w)), theme.warning),
        Verdict::Ok if !field.value().is_empty() => Span::styled("✓", theme.dim),
        _ if focused => Span::styled(field.hint, theme.dim),
        _ => Span::raw(""),
    };
    let message_area = Rect {
        x: area.x + label_width + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(label_width + 1),
        height: area.height.saturating_sub(1).min(FIELD_HEIGHT - 1),
    };
    frame.render_widget(
        Paragraph::new(Line::from(message)).wrap(Wrap { trim: true }),
        message_area,
    );
    if focused {
        let x = area.x + label_width + 1 + cursor_x as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// What a field `room` columns wide shows of `value` with the cursor after `cursor` chars (where
/// tui-input keeps it: between graphemes), and the cursor's column in it. Columns are display
/// columns (a CJK character or an emoji takes two, a combining mark none), counted by grapheme
/// as tui-input's `visual_cursor` counts them. The view scrolls just enough that the cursor and
/// the whole grapheme under it are in view, left of the "…" that says text goes on past the
/// edge: a wide character is never split and the cursor never lands in its second half. Like
/// tui-input's `visual_scroll`, the window follows from the cursor alone (the view keeps no
/// state): as much as fits before the cursor is shown.
pub fn field_window(value: &str, cursor: usize, room: usize) -> (String, usize) {
    let split = value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(i, _)| i);
    let (before, after) = (clean(&value[..split]), clean(&value[split..]));
    let at = before.width();
    if at + after.width() < room {
        return (format!("{before}{after}"), at);
    }
    // The grapheme under the cursor (a blank after the end) must show whole, left of the "…"
    // when more text follows it.
    let mut rest = after.graphemes(true);
    let under = rest.next().map_or(1, |g| g.width().max(1));
    let more = usize::from(rest.next().is_some());
    let keep = room.saturating_sub(under + more);
    let mut scroll = 0;
    let mut text = String::new();
    for g in before.graphemes(true) {
        if at - scroll > keep {
            scroll += g.width();
        } else {
            text.push_str(g);
        }
    }
    text.push_str(&after);
    (ellipsize(&text, room), at - scroll)
}
