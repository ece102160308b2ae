//! Users: the add-user form, or a role change.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::screens::user_form::{NAME, ROLE, UPN, UserForm, UserFormMode};
use crate::domain::role::Role;
use crate::domain::text::clean;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{centered, frame_box, key_button_line};

pub fn view(form: &UserForm, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = match &form.mode {
        UserFormMode::Add => " Add user ".to_owned(),
        UserFormMode::ChangeRole { upn } => format!(" Change role: {} ", clean(upn)),
    };
    let inner = frame_box(
        frame,
        centered(area, 80, 14),
        Line::from(Span::styled(title, theme.title)),
        theme,
    );
    let mut y = inner.y;
    if form.mode == UserFormMode::Add {
        text_field(
            frame,
            Rect {
                y,
                height: FIELD_HEIGHT,
                ..inner
            },
            &form.upn,
            form.focus == UPN,
            14,
            theme,
        );
        y += FIELD_HEIGHT;
        text_field(
            frame,
            Rect {
                y,
                height: FIELD_HEIGHT,
                ..inner
            },
            &form.name,
            form.focus == NAME,
            14,
            theme,
        );
        y += FIELD_HEIGHT;
    }
    let focused = form.focus == ROLE;
    let mut spans = vec![Span::styled(
        format!("{}{:<13} ", if focused { "›" } else { " " }, "Role"),
        if focused { theme.accent } else { theme.dim },
    )];
    // One role at a time: ‹ Sales agent ›, with where it stands among the six.
    let at = Role::ALL.iter().position(|r| *r == form.role).unwrap_or(0) + 1;
    spans.push(Span::styled(
        format!("‹ {} ›", form.role.label()),
        theme.selected,
    ));
    spans.push(Span::styled(
        format!("  {at} of {}", Role::ALL.len()),
        theme.dim,
    ));
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect {
            y,
            height: 1,
            ..inner
        },
    );
    let hint = Rect {
        y: y + 1,
        height: 1,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            "               ←/→ choose. Only a Global admin makes or changes a Global admin.",
            theme.dim,
        )),
        hint,
    );
    let keys = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(key_button_line(&crate::app::screens::user_form::KEYS, theme, keys.width)),
        keys,
    );
}
