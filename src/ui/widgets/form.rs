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
    let value = clean(field.value()).into_owned();
    let room = area.width.saturating_sub(label_width + 1) as usize;
    // Keep the cursor in view: show the end of a value longer than the room.
    // Columns, not chars: a CJK character takes two.
    let cursor = field.input.visual_cursor();
    let want = cursor.saturating_sub(room.saturating_sub(1));
    let (mut skip, mut shown) = (0, String::new());
    for g in value.graphemes(true) {
        if skip < want {
            skip += g.width();
        } else {
            shown.push_str(g);
        }
    }
    let shown = ellipsize(&shown, room);
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
        let x = area.x + label_width + 1 + cursor.saturating_sub(skip).min(value.width()) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    }
}
