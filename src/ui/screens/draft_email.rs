//! Draft email: To, Subject, the Body with the personalized link, and the buttons.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use crate::app::model::Model;
use crate::app::screens::draft_email::DraftEmail;
use crate::domain::text::clean;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

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
    // Lines the problem takes once wrapped to the box's width.
    let width = inner.width.max(1) as usize;
    let problem_lines = draft.problem.as_ref().map_or(0, |p| {
        p.lines()
            .map(|l| l.width().div_ceil(width).max(1) as u16)
            .sum::<u16>()
    });
    let [to, subject, problem, body, notice, buttons] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(problem_lines),
        Constraint::Min(3),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let field = |label: &'static str, value: &str| {
        Line::from(vec![
            Span::styled(format!("{label:<9}"), theme.dim),
            Span::raw(clean(value).into_owned()),
        ])
    };
    frame.render_widget(Paragraph::new(field("To", &draft.draft.to)), to);
    frame.render_widget(
        Paragraph::new(field("Subject", &draft.draft.subject)),
        subject,
    );
    if let Some(p) = &draft.problem {
        frame.render_widget(
            Paragraph::new(Text::styled(p.clone(), theme.error)).wrap(Wrap { trim: false }),
            problem,
        );
    }
    let body_title = if draft.editing {
        " Body (editing: Esc when done) "
    } else {
        " Body "
    };
    let mut textarea = draft.body.clone();
    textarea.set_block(
        Block::bordered()
            .title(body_title)
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
