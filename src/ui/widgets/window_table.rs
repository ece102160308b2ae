//! A table that builds ratatui rows only for the visible window of a list: ratatui's `Table`
//! turns every row it is given into cells on every frame, so it is never given more.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use crate::app::list::ListModel;
use crate::store::list::Listed;
use crate::ui::chrome::{ellipsize, fit_title};
use crate::ui::theme::Theme;
use unicode_width::UnicodeWidthStr;

/// A column, shown only when the table is at least `from_width` wide: narrow terminals keep
/// the columns that identify a row and drop the rest, rather than squeezing every one.
pub struct Column {
    pub header: &'static str,
    pub width: Constraint,
    pub from_width: u16,
}

pub const fn column(header: &'static str, width: Constraint, from_width: u16) -> Column {
    Column {
        header,
        width,
        from_width,
    }
}

/// Draws `list` in `area` under a titled border; `cells` builds the cells of one visible row,
/// one per column (hidden columns' cells are dropped here).
#[allow(clippy::too_many_arguments)]
pub fn render<R: Listed + Clone>(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    list: &ListModel<R>,
    columns: &[Column],
    empty: &str,
    cells: impl Fn(&R) -> Vec<Cell<'static>>,
) {
    let shown: Vec<bool> = columns.iter().map(|c| area.width >= c.from_width).collect();
    let row = |r: &R| {
        Row::new(
            cells(r)
                .into_iter()
                .zip(&shown)
                .filter(|(_, s)| **s)
                .map(|(c, _)| c),
        )
    };
    // A long name in the title ("Subscriptions of …") is cut by width before the count would
    // be: the count says how many rows there are.
    let count = count_label(list);
    let room = (area.width as usize).saturating_sub(4 + count.width());
    let mut block = Block::bordered().title(fit_title(
        Line::from(vec![
            Span::styled(format!(" {} ", ellipsize(title, room)), theme.title),
            Span::styled(count, theme.dim),
        ]),
        area.width,
    ));
    if let Some(field) = &list.search {
        let style = if field.focused {
            theme.accent
        } else {
            theme.dim
        };
        block = block.title_bottom(fit_title(
            Line::from(vec![
                Span::styled(" Search: ", style),
                Span::raw(crate::domain::text::clean(field.input.value()).into_owned()),
                Span::raw(" "),
            ]),
            area.width,
        ));
    }
    let inner = block.inner(area);
    let visible = inner.height.saturating_sub(1) as usize;
    let visible_columns = || {
        columns
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c)
    };
    let header = Row::new(visible_columns().map(|c| c.header)).style(theme.header_row);
    let widths: Vec<Constraint> = visible_columns().map(|c| c.width).collect();
    let rows: Vec<Row> = list
        .rows
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(visible)
        .map(|(i, r)| {
            if list.highlight && i == list.selected {
                row(r).style(theme.selected)
            } else {
                row(r)
            }
        })
        .collect();
    let is_empty = rows.is_empty();
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(2)
            .block(block),
        area,
    );
    if is_empty {
        let message = if !list.loaded { "Loading…" } else { empty };
        // One column in, and wrapped: what to do next on an empty list is a sentence that may
        // not fit one line.
        let below_header = Rect {
            x: inner.x + 1,
            y: inner.y + 1,
            width: inner.width.saturating_sub(1),
            height: inner.height.saturating_sub(1),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(message, theme.dim)).wrap(Wrap { trim: true }),
            below_header,
        );
    }
    if let Some(field) = list.search.as_ref().filter(|f| f.focused) {
        let x = area.x + 10 + field.input.visual_cursor() as u16;
        frame.set_cursor_position((
            x.min(area.right().saturating_sub(2)),
            area.bottom().saturating_sub(1),
        ));
    }
}

/// "(11)" or "(3 matching)" after the title.
fn count_label<R>(list: &ListModel<R>) -> String {
    match list.total {
        Some(total)
            if list.filter.ends_by.is_some() && total > crate::store::list::WINDOW_COUNT_CAP =>
        {
            format!("({}+) ", crate::store::list::WINDOW_COUNT_CAP)
        }
        Some(total) if list.filter.search.is_empty() && list.filter.column_prefixes.is_empty() => {
            format!("({total}) ")
        }
        Some(total) if total > crate::store::list::SEARCH_COUNT_CAP => {
            format!("({}+ matching) ", crate::store::list::SEARCH_COUNT_CAP)
        }
        Some(total) => format!("({total} matching) "),
        None => String::new(),
    }
}
