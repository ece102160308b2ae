//! Dashboard: the book at a glance in four panels — seats by offer (bars), new customers per
//! week (sparkline over 26 weeks), what needs attention (renewals, pending requests, blocked
//! resellers) and the top resellers by seats. Panels share the body in two rows of two; a
//! smaller terminal shows fewer bars and rows, never a cut figure.

use chrono::{Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Sparkline, Wrap};

use crate::app::remote::thousands;
use crate::app::screens::dashboard::DashboardScreen;
use crate::app::state::AppState;
use crate::store::dashboard::{Dashboard, RENEWAL_DAYS, Seats, WEEKS};
use crate::ui::chrome::{ellipsize, fit_line, pad};
use crate::ui::theme::Theme;
use unicode_width::UnicodeWidthStr;

/// Said on the screen, as the README says it: what a seat is.
pub const SEATS_RULE: &str = "seats: licenses of active subscriptions";

pub fn view(
    screen: &DashboardScreen,
    _state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let updating = if screen.loading { " · updating…" } else { "" };
    let title = Line::from(vec![
        Span::styled(" Dashboard", theme.title),
        Span::styled(format!("{updating} "), theme.dim),
    ]);
    let Some(figures) = &screen.figures else {
        let text = match &screen.failed {
            Some(why) => Line::from(Span::styled(
                format!(" The figures could not be read: {why}. Ctrl-R tries again."),
                theme.error,
            )),
            None => Line::from(Span::styled(" Loading…", theme.dim)),
        };
        let block = Block::bordered().title(title);
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    if figures.is_empty() {
        empty(theme, frame, area, title);
        return;
    }
    let [summary, panels] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(area);
    frame.render_widget(
        Paragraph::new(summary_line(figures, theme, summary.width as usize)),
        summary,
    );
    let [top, bottom] = Layout::vertical([Constraint::Percentage(50), Constraint::Fill(1)])
        .areas(panels);
    let halves = |r: Rect| -> [Rect; 2] {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(r)
    };
    let [offers, weeks] = halves(top);
    let [resellers, attention] = halves(bottom);
    offer_bars(figures, theme, frame, offers);
    new_customers(figures, theme, frame, weeks);
    top_resellers(figures, theme, frame, resellers);
    needs_attention(figures, theme, frame, attention);
}

/// The totals, then the day and what a seat is where they fit.
fn summary_line(d: &Dashboard, theme: &Theme, width: usize) -> Line<'static> {
    let n = |v: i64| thousands(v.max(0) as u64);
    let mut line = Line::from(vec![
        Span::styled(format!(" {}", n(d.customers)), theme.accent),
        Span::raw(" customers · "),
        Span::styled(n(d.resellers), theme.accent),
        Span::raw(" resellers · "),
        Span::styled(n(d.subscriptions), theme.accent),
        Span::raw(" active subscriptions · "),
        Span::styled(n(d.seats), theme.accent),
        Span::raw(" seats"),
    ]);
    for extra in [
        format!(" · {} UTC", d.today.format("%-d %b %Y")),
        format!(" · {SEATS_RULE}"),
    ] {
        if line.width() + extra.width() <= width {
            line.spans.push(Span::styled(extra, theme.dim));
        }
    }
    fit_line(line, width)
}

/// "1 subscription", "2 subscriptions".
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n.max(0) as u64), if n == 1 { one } else { many })
}

fn panel(title: &str, theme: &Theme) -> Block<'static> {
    Block::bordered().title(Span::styled(format!(" {title} "), theme.title))
}

/// An empty own book: what to do first, with the keys that do it.
fn empty(theme: &Theme, frame: &mut Frame, area: Rect, title: Line<'static>) {
    let step = |key: &'static str, what: &'static str| {
        Line::from(vec![
            Span::styled(format!("  {key:<3}"), theme.key),
            Span::raw(what),
        ])
    };
    let text = vec![
        Line::from(Span::styled(
            " Your book is empty: no resellers, customers or partnership requests yet.",
            theme.title,
        )),
        Line::from(""),
        Line::from(" To start:"),
        step("r", "Request a partnership: invite an indirect reseller by email"),
        step("n", "Add new customer: company, admin account and first subscriptions"),
        Line::from(""),
        Line::from(" Already have them in Partner Center? Bring them in from a shell:"),
        Line::from(Span::styled(
            "    twotier sync        (needs [partner_center] in the config file)",
            theme.dim,
        )),
        Line::from(Span::styled(
            "    twotier import resellers|customers|subscriptions FILE.csv",
            theme.dim,
        )),
        Line::from(""),
        Line::from(Span::styled(
            " Just looking? twotier demo makes a demo book to try everything on.",
            theme.dim,
        )),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .block(Block::bordered().title(title))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// "Nothing yet" in a panel, dim.
fn nothing(text: &'static str, block: Block<'static>, theme: &Theme, frame: &mut Frame, area: Rect) {
    frame.render_widget(
        Paragraph::new(Span::styled(format!(" {text}"), theme.dim))
            .block(block)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// One bar per offer, most seats first, as many as the panel has rows.
fn offer_bars(d: &Dashboard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = panel("Seats by offer", theme);
    let inner = block.inner(area);
    if d.offers.is_empty() {
        return nothing("No active subscriptions yet.", block, theme, frame, area);
    }
    let rows = inner.height as usize;
    let longest = d.offers.iter().map(|o| o.name.chars().count()).max().unwrap_or(0);
    // The names give way before the bars: at most half the panel.
    let label_width = longest.min((inner.width as usize / 2).max(8));
    let shown = &d.offers[..rows.min(d.offers.len())];
    // Each figure right-aligned in the label, not drawn over its bar: every bar starts in the
    // same column and shows its whole length.
    let figure = |seats: i64| thousands(seats.max(0) as u64);
    let figure_width = shown.iter().map(|o| figure(o.seats).len()).max().unwrap_or(0);
    let bars: Vec<Bar> = shown
        .iter()
        .map(|o| {
            let name = pad(&ellipsize(&o.name, label_width), label_width);
            Bar::default()
                .label(Line::from(format!("{name} {:>figure_width$}", figure(o.seats))))
                .value(o.seats.max(0) as u64)
                .text_value(String::new())
        })
        .collect();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(theme.accent)
        .value_style(theme.selected)
        .data(BarGroup::default().bars(&bars))
        .block(block);
    frame.render_widget(chart, area);
}

/// Customers created per week over the last [`WEEKS`] weeks, the week ending today last, with
/// a date axis under the bars.
fn new_customers(d: &Dashboard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = panel("New customers per week", theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < WEEKS as u16 {
        return;
    }
    let total: u64 = d.new_customers.iter().sum();
    let peak = d.new_customers.iter().copied().max().unwrap_or(0);
    let this_week = d.new_customers.last().copied().unwrap_or(0);
    let caption = Line::from(vec![
        Span::styled(format!(" {}", thousands(total)), theme.accent),
        Span::raw(format!(" in {WEEKS} weeks · this week ")),
        Span::styled(thousands(this_week), theme.accent),
        Span::styled(format!(" · peak {} a week", thousands(peak)), theme.dim),
    ]);
    let [caption_area, chart, axis] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(fit_line(caption, caption_area.width as usize)),
        caption_area,
    );
    // Each week as wide as the panel allows, so the axis below lines up with it.
    let per_week = (inner.width as usize / WEEKS).max(1);
    let data: Vec<u64> = d
        .new_customers
        .iter()
        .flat_map(|&n| std::iter::repeat_n(n, per_week))
        .collect();
    let drawn = Rect {
        width: (WEEKS * per_week) as u16,
        ..chart
    };
    frame.render_widget(
        Sparkline::default()
            .data(&data)
            .max(peak.max(1))
            .style(theme.accent),
        drawn,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(axis_text(d.today, drawn.width as usize), theme.dim)),
        axis,
    );
}

/// The start dates of the first and middle weeks under their bars, "this week" at the end.
pub fn axis_text(today: NaiveDate, width: usize) -> String {
    let week_start = |weeks_back: i64| today - Duration::days(7 * weeks_back + 6);
    let first = week_start(WEEKS as i64 - 1).format("%-d %b").to_string();
    let middle = week_start(WEEKS as i64 / 2 - 1).format("%-d %b").to_string();
    let last = "this week";
    let mut axis: Vec<char> = vec![' '; width];
    let mut put = |at: usize, text: &str| {
        for (i, c) in text.chars().enumerate() {
            if let Some(cell) = axis.get_mut(at + i) {
                *cell = c;
            }
        }
    };
    put(0, &first);
    if width / 2 + middle.len() < width.saturating_sub(last.len()) {
        put(width / 2, &middle);
    }
    if width >= first.len() + last.len() + 2 {
        put(width - last.len(), last);
    }
    axis.into_iter().collect::<String>().trim_end().to_owned()
}

/// Partners of record with the most seats: name, seats and subscriptions, one a row.
fn top_resellers(d: &Dashboard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = panel("Top resellers by seats", theme);
    if d.top_resellers.is_empty() {
        return nothing(
            "No seats credited to a reseller yet.",
            block,
            theme,
            frame,
            area,
        );
    }
    let inner = block.inner(area);
    let rows = inner.height as usize;
    let width = inner.width as usize;
    let figures = |r: &Seats| {
        format!(
            "{:>9} {:>6}",
            thousands(r.seats.max(0) as u64),
            thousands(r.subscriptions.max(0) as u64)
        )
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(" {}{:>9} {:>6}", pad("Reseller", width.saturating_sub(17)), "Seats", "Subs"),
        theme.header_row,
    ))];
    for r in d.top_resellers.iter().take(rows.saturating_sub(1)) {
        let mark = if r.removed { " (removed)" } else { "" };
        let room = width.saturating_sub(17 + mark.len());
        let name = ellipsize(&r.name, room);
        lines.push(Line::from(vec![
            Span::raw(format!(" {name}")),
            Span::styled(mark, theme.warning),
            Span::raw(format!(
                "{}{}",
                " ".repeat(room.saturating_sub(name.width())),
                figures(r)
            )),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Renewals within 30 days, pending partnership requests by age, resellers orders can't credit:
/// the lines that matter first, so a short panel drops the details, not the figures.
fn needs_attention(d: &Dashboard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = panel("Needs attention", theme);
    let inner = block.inner(area);
    let n = |v: i64| thousands(v.max(0) as u64);
    let soon = d.today + Duration::days(RENEWAL_DAYS);
    let r = &d.renewals;
    // (priority, line): 0 is kept longest.
    let mut lines: Vec<(u8, Line)> = vec![
        (
            0,
            Line::from(vec![
                Span::styled(" Renewing in 30 days", theme.title),
                Span::styled(format!(" (to {})", soon.format("%-d %b")), theme.dim),
            ]),
        ),
        (
            0,
            Line::from(vec![
                Span::raw("  "),
                Span::styled(count(r.subscriptions, "subscription", "subscriptions"), theme.accent),
                Span::raw(" · "),
                Span::styled(count(r.seats, "seat", "seats"), theme.accent),
            ]),
        ),
    ];
    if r.ending > 0 {
        lines.push((
            1,
            Line::from(Span::styled(
                format!(
                    "  {} with auto-renew off ({} seats) expire",
                    n(r.ending),
                    n(r.ending_seats)
                ),
                theme.warning,
            )),
        ));
    }
    if let Some(p) = &d.pending {
        lines.push((
            0,
            Line::from(vec![
                Span::styled(" Partnership requests pending", theme.title),
                Span::styled(format!(" ({} Sent)", n(p.total())), theme.dim),
            ]),
        ));
        let age = |label: &'static str, v: i64, style| {
            [
                Span::raw(format!("  {label} ")),
                Span::styled(n(v), style),
            ]
        };
        let old = if p.over_month > 0 { theme.warning } else { theme.accent };
        let spans: Vec<Span> = [
            age("< 7 days", p.under_week, theme.accent),
            age("7–30 days", p.week_to_month, theme.accent),
            age("> 30 days", p.over_month, old),
        ]
        .into_iter()
        .flatten()
        .collect();
        lines.push((0, Line::from(spans)));
    }
    if let Some(b) = &d.blocked {
        let style = if b.count > 0 { theme.warning } else { theme.accent };
        lines.push((
            0,
            Line::from(vec![
                Span::styled(" Blocked by MPA/POR: ", theme.title),
                Span::styled(n(b.count), style),
                Span::raw(if b.count == 1 { " reseller" } else { " resellers" }),
            ]),
        ));
        if !b.names.is_empty() {
            let more = b.count - b.names.len() as i64;
            let more = if more > 0 {
                format!(" and {} more", n(more))
            } else {
                String::new()
            };
            lines.push((1, Line::from(format!("  {}{more}", b.names.join(", ")))));
        }
        if b.unchecked > 0 {
            lines.push((
                2,
                Line::from(Span::styled(
                    format!("  {} not checked yet (1, then c)", n(b.unchecked)),
                    theme.dim,
                )),
            ));
        }
    }
    // Drop the least important lines until the rest fit.
    let room = inner.height as usize;
    for level in [2u8, 1] {
        if lines.len() <= room {
            break;
        }
        let mut extra = lines.len() - room;
        lines.retain(|(p, _)| {
            let drop = *p == level && extra > 0;
            extra -= usize::from(drop);
            !drop
        });
    }
    let width = inner.width as usize;
    let shown: Vec<Line> = lines.into_iter().map(|(_, l)| fit_line(l, width)).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}
