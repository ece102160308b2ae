//! A table that builds ratatui rows only for the visible window of a list: ratatui's `Table`
//! turns every row it is given into cells on every frame, so it is never given more. Column
//! widths follow what is shown (the header and the visible rows), and a cell cut to its column
//! ends in "…".

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use crate::app::list::ListModel;
use crate::store::list::Listed;
use crate::ui::chrome::{ellipsize, fit_line, fit_title};
use crate::ui::theme::Theme;
use unicode_width::UnicodeWidthStr;

/// Blank columns between two columns.
pub const SPACING: u16 = 2;

/// A column, shown only when the table is at least `from_width` wide (with its borders: the
/// terminal's width for a full-width list): narrow terminals keep
/// the columns that identify a row and drop the rest, rather than squeezing every one.
/// `Constraint::Length(n)` is a column of known content (a date, an id): as wide as its
/// content, at most `n`. `Fill(k)` / `Min(n)` is a flexible one (names): as wide as its
/// content, and the first to give way (to `min`) when the row is too wide; `k` its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub width: Constraint,
    pub from_width: u16,
    /// Never narrower than this (the column is dropped first); 0: the default for its kind.
    pub min: u16,
}

pub const fn column(header: &'static str, width: Constraint, from_width: u16) -> Column {
    Column {
        header,
        width,
        from_width,
        min: 0,
    }
}

impl Column {
    /// Keeps at least `min` columns of it (a name that must stay readable at 80 columns).
    pub const fn at_least(mut self, min: u16) -> Column {
        self.min = min;
        self
    }

    /// Grows in a wide table by this share (a flexible column by its `Fill`).
    fn share(&self) -> u16 {
        match self.width {
            Constraint::Fill(k) => 2 * k.max(1),
            Constraint::Min(_) => 2,
            _ => 1,
        }
    }

    fn flexible(&self) -> bool {
        matches!(self.width, Constraint::Fill(_) | Constraint::Min(_))
    }

    /// The widest it is drawn at its content's width; `u16::MAX`: no cap.
    fn cap(&self) -> u16 {
        match self.width {
            Constraint::Length(n) | Constraint::Max(n) => n,
            _ => u16::MAX,
        }
    }

    fn floor(&self) -> u16 {
        match (self.min, self.width) {
            (0, Constraint::Min(n)) => n,
            // A name keeps 10 columns, a date or id its own width (or 6: "Since…").
            (0, Constraint::Fill(_)) => 10,
            (0, _) => self.cap().min(6),
            (min, _) => min,
        }
    }
}

/// The width of each column in a table `available` columns wide (`SPACING` between two), from
/// the widest content of each (`natural`: header and visible cells); `None`: not shown.
/// - A column that comes only on a wider table (`from_width`, borders included) is dropped; then, while even the minimums do
///   not fit, the last column still shown that came latest (highest `from_width`) goes.
/// - Each column wants its content's width, capped for a fixed one (`Length`).
/// - Too wide: the widest flexible column for its share gives a column at a time (long names
///   are cut first, short ones keep their end), down to its minimum; then the widest of any kind.
/// - Room to spare: shared out by `share` over every column, so a wide terminal spreads the
///   table over its width (no band of blanks on the right).
pub fn widths(columns: &[Column], natural: &[u16], available: u16) -> Vec<Option<u16>> {
    let with_borders = available.saturating_add(2);
    let mut shown: Vec<bool> = columns
        .iter()
        .map(|c| with_borders >= c.from_width)
        .collect();
    let cost = |shown: &[bool], w: &dyn Fn(usize) -> u16| -> u32 {
        let n = shown.iter().filter(|s| **s).count() as u32;
        let gaps = n.saturating_sub(1) * u32::from(SPACING);
        gaps + (0..columns.len())
            .filter(|i| shown[*i])
            .map(|i| u32::from(w(i)))
            .sum::<u32>()
    };
    let floor = |i: usize| {
        columns[i]
            .floor()
            .min(natural.get(i).copied().unwrap_or(0).max(1))
    };
    while cost(&shown, &floor) > u32::from(available) {
        // Latest to come (highest from_width), rightmost among equals.
        let Some(drop) = (0..columns.len())
            .filter(|i| shown[*i])
            .max_by_key(|i| (columns[*i].from_width, *i))
        else {
            break;
        };
        if shown.iter().filter(|s| **s).count() == 1 {
            break;
        }
        shown[drop] = false;
    }
    let mut width: Vec<u16> = (0..columns.len())
        .map(|i| {
            natural
                .get(i)
                .copied()
                .unwrap_or(0)
                .min(columns[i].cap())
                .max(floor(i))
        })
        .collect();
    let total = |width: &[u16]| cost(&shown, &|i| width[i]);
    // Too wide: flexible columns give way first, then any.
    for flexible_only in [true, false] {
        while total(&width) > u32::from(available) {
            // The widest for its share (a Fill(3) name keeps more than a Fill(2) one).
            let widest = (0..columns.len())
                .filter(|i| shown[*i] && (!flexible_only || columns[*i].flexible()))
                .filter(|i| width[*i] > floor(*i))
                .max_by(|a, b| {
                    let (wa, wb) = (u32::from(width[*a]), u32::from(width[*b]));
                    let (sa, sb) = (
                        u32::from(columns[*a].share()),
                        u32::from(columns[*b].share()),
                    );
                    (wa * sb).cmp(&(wb * sa)).then(b.cmp(a))
                });
            match widest {
                Some(i) => width[i] -= 1,
                None => break,
            }
        }
    }
    // One column left and still too wide: it takes the table.
    let spare = u32::from(available).saturating_sub(total(&width));
    let shares: u32 = (0..columns.len())
        .filter(|i| shown[*i])
        .map(|i| u32::from(columns[i].share()))
        .sum();
    if spare > 0 && shares > 0 {
        let mut given = 0;
        let last = (0..columns.len()).rfind(|i| shown[*i]);
        for i in (0..columns.len()).filter(|i| shown[*i]) {
            let extra = if Some(i) == last {
                spare - given
            } else {
                spare * u32::from(columns[i].share()) / shares
            };
            given += extra;
            width[i] = width[i].saturating_add(extra as u16);
        }
    }
    if total(&width) > u32::from(available)
        && let Some(only) = (0..columns.len()).find(|i| shown[*i])
    {
        width[only] = width[only].min(available);
    }
    (0..columns.len())
        .map(|i| shown[i].then_some(width[i]))
        .collect()
}

/// Draws `list` in `area` under a titled border; `cells` builds the cells of one visible row,
/// one per column (hidden columns' cells are dropped here), each a line that may hold styled
/// spans: a cell wider than its column is cut to end in "…", its styles kept.
#[allow(clippy::too_many_arguments)]
pub fn render<R: Listed + Clone>(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    list: &ListModel<R>,
    columns: &[Column],
    empty: &str,
    cells: impl Fn(&R) -> Vec<Line<'static>>,
) {
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
    let window: Vec<(usize, Vec<Line<'static>>)> = list
        .rows
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(visible)
        .map(|(i, r)| (i, cells(r)))
        .collect();
    let natural: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            window
                .iter()
                .filter_map(|(_, cells)| cells.get(c).map(Line::width))
                .fold(column.header.width(), usize::max)
                .min(usize::from(u16::MAX)) as u16
        })
        .collect();
    let widths = widths(columns, &natural, inner.width);
    let fitted = |line: Line<'static>, c: usize| -> Option<Cell<'static>> {
        widths[c].map(|w| Cell::from(fit_line(line, usize::from(w))))
    };
    let header = Row::new(
        columns
            .iter()
            .enumerate()
            .filter_map(|(c, column)| fitted(Line::from(column.header), c)),
    )
    .style(theme.header_row);
    let rows: Vec<Row> = window
        .into_iter()
        .map(|(i, cells)| {
            let row = Row::new(
                cells
                    .into_iter()
                    .enumerate()
                    .filter_map(|(c, line)| fitted(line, c)),
            );
            if list.highlight && i == list.selected {
                row.style(theme.selected)
            } else {
                row
            }
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let is_empty = rows.is_empty();
    frame.render_widget(
        Table::new(rows, constraints)
            .header(header)
            .column_spacing(SPACING)
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
