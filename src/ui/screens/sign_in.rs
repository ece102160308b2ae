//! Sign in to Partner Center: where to go and the code to type, how the waiting goes, and how
//! it ended, in words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::model::Model;
use crate::app::remote::Kept;
use crate::app::screens::sign_in::{Phase, SignIn, Waiting};
use crate::app::state::AppState;
use crate::domain::text::clean;
use crate::ui::chrome::wrap;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_button_line};

const WIDTH: u16 = 76;

pub fn view(room: &SignIn, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Partner tenant: ", theme.dim),
            Span::raw(clean(&room.tenant).into_owned()),
        ]),
        Line::from(""),
    ];
    lines.extend(body(room, theme));
    let room_width = area.width.min(WIDTH).saturating_sub(2);
    let wrapped: usize = lines
        .iter()
        .map(|l| wrap(&l.to_string(), room_width as usize).len())
        .sum();
    let height = (wrapped as u16 + 2 + 2).min(area.height);
    let inner = frame_box(
        frame,
        centered(area, WIDTH, height),
        Line::from(Span::styled(" Sign in to Partner Center ", theme.title)),
        theme,
    );
    let keys = room.keys()[0];
    let text_area = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    let key_line = Rect {
        y: inner.bottom().saturating_sub(1),
        height: 1,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(key_button_line(keys, theme, key_line.width)),
        key_line,
    );
}

fn body(room: &SignIn, theme: &Theme) -> Vec<Line<'static>> {
    let strong = Style::new().add_modifier(Modifier::BOLD);
    match &room.phase {
        Phase::Asking => vec![Line::from(Span::styled(
            "Asking the Microsoft identity platform for a sign-in code…",
            theme.dim,
        ))],
        Phase::Code {
            verification_uri,
            user_code,
            expires_minutes,
            waiting,
        } => vec![
            Line::from("1. In a browser, open"),
            Line::from(Span::styled(
                format!("   {}", clean(verification_uri)),
                theme.accent,
            )),
            Line::from("2. Enter the code"),
            Line::from(Span::styled(format!("   {}", clean(user_code)), strong)),
            Line::from(Span::styled(
                format!(
                    "Sign in with an account of your partner tenant (MFA happens there). The code is valid for {expires_minutes} minutes."
                ),
                theme.dim,
            )),
            Line::from(""),
            Line::from(waiting_words(*waiting)),
        ],
        Phase::SignedIn { account, kept } => {
            let account = clean(account).into_owned();
            let next = if room.then_sync {
                "The sync starts now; the footer shows how far it got.".to_owned()
            } else {
                "Y syncs the book with Partner Center.".to_owned()
            };
            vec![
                Line::from(Span::styled(format!("Signed in as {account}."), strong)),
                Line::from(format!("The console acts as {account} now.")),
                Line::from(Span::styled(kept_words(kept), theme.dim)),
                Line::from(""),
                Line::from(next),
            ]
        }
        Phase::Failed(failure) => vec![
            Line::from(Span::styled("Not signed in.", theme.error)),
            Line::from(clean(&failure.words()).into_owned()),
        ],
    }
}

fn waiting_words(waiting: Waiting) -> String {
    match waiting {
        Waiting::First => "Waiting for you to sign in in the browser…".into(),
        Waiting::Pending { polls } => format!(
            "Waiting for you to sign in in the browser… not finished yet (authorization_pending; asked {polls} {}).",
            if polls == 1 { "time" } else { "times" }
        ),
        Waiting::SlowDown { every_secs } => format!(
            "Waiting for you to sign in in the browser… the sign-in service asked to be asked less often (slow_down): every {every_secs} s now."
        ),
    }
}

fn kept_words(kept: &Kept) -> String {
    match kept {
        Kept::InKeyring => {
            "The sign-in is kept in the OS keyring; `twotier signout` removes it.".into()
        }
        Kept::ProcessOnly(why) => format!(
            "{}: the sign-in lasts while this console runs.",
            capitalised(&clean(why))
        ),
        Kept::NoRefreshToken => "The sign-in service sent no refresh token: the sign-in lasts about an hour, in this console only.".into(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
