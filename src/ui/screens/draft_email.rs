//! Draft email: To, Subject, the personalized link (always in view, however short the terminal),
//! what is wrong, the Body, and the buttons.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use crate::app::form::TextField;
use crate::app::model::Model;
use crate::app::screens::draft_email::{self, DraftEmail};
use crate::app::state::AppState;
use crate::domain::text::clean;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

/// Width of the labels (To, Subject, Link) before their values.
const LABEL: usize = 9;

pub fn view(draft: &DraftEmail, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = if draft.resend_of.is_some() {
        " Draft email (send again) "
    } else {
        " Draft email "
    };
    let inner = frame_box(
        frame,
        centered(
            area,
            area.width.saturating_sub(4).min(110),
            area.height.saturating_sub(2),
        ),
        Line::from(Span::styled(title, theme.title)),
        theme,
    );
    let width = inner.width.max(1) as usize;
    let link = link_lines(&draft.draft.link, width.saturating_sub(LABEL).max(1));
    // What is wrong with To or Subject (live), else why Done was refused.
    let problem = draft.field_problem().or_else(|| draft.problem.clone());
    // Lines the problem takes once wrapped to the box's width.
    let problem_lines = problem.as_ref().map_or(0, |p| {
        p.lines()
            .map(|l| l.width().div_ceil(width).max(1) as u16)
            .sum::<u16>()
    });
    let [to, subject, link_area, problem_area, body, notice, buttons] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(link.len() as u16),
        Constraint::Length(problem_lines),
        Constraint::Min(3),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let editing = |line| draft.line == Some(line);
    let idle = !draft.editing && draft.line.is_none();
    field(frame, to, &draft.to, editing(draft_email::Line::To), idle.then_some("t"), theme);
    field(
        frame,
        subject,
        &draft.subject,
        editing(draft_email::Line::Subject),
        idle.then_some("s"),
        theme,
    );
    let link_text: Vec<Line> = link
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let label = if i == 0 { "Link" } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<LABEL$}"), theme.dim),
                Span::styled(part, theme.accent),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(link_text), link_area);
    if let Some(p) = problem {
        frame.render_widget(
            Paragraph::new(Text::styled(p, theme.error)).wrap(Wrap { trim: false }),
            problem_area,
        );
    }
    let body_title = if draft.editing {
        " Body (editing: Esc when done) "
    } else {
        " Body "
    };
    let mut textarea = draft.body.clone();
    let body_hint = if idle {
        Line::from(vec![
            Span::styled(" e", theme.key),
            Span::styled(" edit ", theme.dim),
        ])
    } else {
        Line::default()
    };
    textarea.set_block(
        Block::bordered()
            .title(body_title)
            .title_top(body_hint.right_aligned())
            .border_style(if draft.editing {
                theme.accent
            } else {
                theme.dim
            }),
    );
    if !draft.editing {
        textarea.set_cursor_style(ratatui::style::Style::new());
        textarea.set_cursor_line_style(ratatui::style::Style::new());
    }
    frame.render_widget(&textarea, body);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "You can edit the text in the email message, but be sure to include the link as it is personalized for your Partner Center account.",
            theme.warning,
        ))
        .wrap(Wrap { trim: true }),
        notice,
    );
    let delivered = match draft.delivery {
        Some(d) => format!("   ({})", d.label()),
        None => String::new(),
    };
    let mut keys = key_buttons(draft.keys()[0], theme);
    keys.push(Span::styled(delivered, theme.dim));
    frame.render_widget(Paragraph::new(Line::from(keys)), buttons);
}

/// The link cut into pieces of `width` characters: it has no spaces to wrap at, and all of it
/// must show.
fn link_lines(link: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = clean(link).chars().collect();
    chars.chunks(width).take(6).map(|c| c.iter().collect()).collect()
}

/// One line: the label, the value (its end in view while typing, with the cursor), and the key
/// that edits it at the right.
fn field(
    frame: &mut Frame,
    area: Rect,
    f: &TextField,
    focused: bool,
    key: Option<&'static str>,
    theme: &Theme,
) {
    let room = (area.width as usize).saturating_sub(LABEL + 7);
    let value = clean(f.value()).into_owned();
    let cursor = f.input.visual_cursor();
    let skip = if focused {
        cursor.saturating_sub(room.saturating_sub(1))
    } else {
        0
    };
    let shown: String = value.chars().skip(skip).collect();
    let shown = ellipsize(&shown, room);
    let marker = if focused { "›" } else { "" };
    let label = format!("{marker}{}", f.label);
    let mut spans = vec![
        Span::styled(
            format!("{label:<LABEL$}"),
            if focused { theme.accent } else { theme.dim },
        ),
        Span::raw(shown.clone()),
    ];
    if let Some(k) = key {
        let pad = (area.width as usize).saturating_sub(LABEL + shown.width() + 6);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(k, theme.key));
        spans.push(Span::styled(" edit", theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if focused {
        let x = area.x + (LABEL + (cursor - skip).min(value.width())) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    }
}
