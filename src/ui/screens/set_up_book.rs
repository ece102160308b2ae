//! Set up your own book: what it makes and where, the six fields of `twotier init`, each saying
//! what is wrong as it is typed, and how to open the book next time.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::screens::set_up_book::{ADMIN, KEYS, SetUpBook};
use crate::app::state::AppState;
use crate::domain::text::{clean, shown_path};
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{centered, frame_box, key_button_line};

/// Lines besides the fields: what is made (two), how to open it next time, the keys.
const INTRO: u16 = 2;
const NOTE: u16 = 1;
const KEY_LINE: u16 = 1;

pub fn view(form: &SetUpBook, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let n = form.fields.len() as u16;
    let roomy = n * FIELD_HEIGHT + INTRO + NOTE + KEY_LINE + 2;
    // On a short terminal each field keeps one line for its message, and the intro goes first.
    let field_height = if area.height >= roomy {
        FIELD_HEIGHT
    } else {
        2
    };
    let inner = frame_box(
        frame,
        centered(area, 80, roomy),
        Line::from(Span::styled(" Set up your own book ", theme.title)),
        theme,
    );
    let spare = inner.height.saturating_sub(n * field_height + KEY_LINE);
    let intro = spare.min(INTRO);
    let note = spare.saturating_sub(intro).min(NOTE);
    let mut y = inner.y;
    // What is made, then where (a long path is cut, never wrapped into the fields).
    let said = [
        "Your own book, empty, with you as its Global admin; the demo stays as it is.".to_owned(),
        format!("Made at {}", shown_path(&form.path)),
    ];
    for line in &said[usize::from(INTRO - intro)..] {
        let line = ellipsize(line, inner.width as usize);
        frame.render_widget(
            Paragraph::new(Span::styled(line, theme.dim)),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        y += 1;
    }
    for (i, field) in form.fields.iter().enumerate() {
        text_field(
            frame,
            Rect {
                y,
                height: field_height,
                ..inner
            },
            field,
            form.focus == i,
            14,
            theme,
        );
        y += field_height;
    }
    if note > 0 {
        let upn = form.fields[ADMIN].value().trim().to_ascii_lowercase();
        let upn = if upn.is_empty() { "UPN".into() } else { upn };
        let text = if form.submitted {
            "Setting up your book…".to_owned()
        } else {
            format!("Then the console reopens on your book as {}.", clean(&upn))
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim)),
            Rect {
                y,
                height: note,
                ..inner
            },
        );
    }
    let keys = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(key_button_line(&KEYS, theme, keys.width)), keys);
}
