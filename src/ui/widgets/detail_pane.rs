//! The detail pane beside a list on a wide terminal (≥ 160 columns, `app::layout`): the
//! selected row's record as label/value lines under a titled border. Fed by the records of
//! `detail_records`; a screen splits its body with `split` and draws the pane with `render`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::layout::detail_pane_width;
use crate::ui::chrome::{ellipsize, fit_line, fit_title, pad};
use crate::ui::theme::Theme;

/// One line of the pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A heading between groups of fields ("Primary contact").
    Section(&'static str),
    /// A labelled value; the value may hold styled spans.
    Field(String, Line<'static>),
    /// A line of its own (a note, "Loading…").
    Note(Line<'static>),
}

pub fn field(label: impl Into<String>, value: impl Into<Line<'static>>) -> Entry {
    Entry::Field(label.into(), value.into())
}

/// The list's area and, on a terminal wide enough, the pane's on its right.
pub fn split(area: Rect, terminal_width: u16) -> (Rect, Option<Rect>) {
    let Some(width) = detail_pane_width(terminal_width) else {
        return (area, None);
    };
    let width = width.min(area.width / 2);
    let list = Rect {
        width: area.width - width,
        ..area
    };
    let pane = Rect {
        x: list.right(),
        width,
        ..area
    };
    (list, Some(pane))
}

/// Labels take at most this many columns; a longer one is cut.
const LABEL_MOST: usize = 22;

/// Draws `entries` under `title`; lines wider than the pane end in "…", and lines beyond its
/// height are left out (a record is a screenful).
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, entries: &[Entry]) {
    let block = Block::bordered().title(fit_title(
        Line::from(Span::styled(
            format!(
                " {} ",
                ellipsize(title, area.width.saturating_sub(4) as usize)
            ),
            theme.title,
        )),
        area.width,
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let room = inner.width.saturating_sub(2) as usize;
    let label_width = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Field(label, _) => Some(label.width()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(LABEL_MOST);
    let lines: Vec<Line> = entries
        .iter()
        .map(|entry| {
            let line = match entry {
                Entry::Section(title) => Line::from(Span::styled(*title, theme.header_row)),
                Entry::Note(line) => line.clone(),
                Entry::Field(label, value) => {
                    let mut spans = vec![Span::styled(
                        format!("{}  ", pad(&ellipsize(label, label_width), label_width)),
                        theme.dim,
                    )];
                    spans.extend(value.spans.iter().cloned());
                    Line::from(spans)
                }
            };
            fit_line(line, room)
        })
        .collect();
    let text = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), text);
}

/// What the pane says over an empty list.
pub fn none_selected(theme: &Theme) -> Entry {
    Entry::Note(Line::from(Span::styled("Nothing selected", theme.dim)))
}
