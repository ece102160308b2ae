//! Colours from the terminal's own palette (named ANSI colours), or none under `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    pub accent: Style,
    pub dim: Style,
    pub selected: Style,
    pub header_row: Style,
    pub warning: Style,
    pub error: Style,
    pub key: Style,
    pub toast: Style,
    /// An action the operator's role can't take.
    pub disabled: Style,
    /// The characters of a row that match the list's search.
    pub matched: Style,
}

impl Theme {
    pub fn colored() -> Theme {
        Theme {
            title: Style::new().add_modifier(Modifier::BOLD),
            accent: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dim: Style::new().add_modifier(Modifier::DIM),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            header_row: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            warning: Style::new().fg(Color::Yellow),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            toast: Style::new().fg(Color::Black).bg(Color::Green),
            disabled: Style::new().add_modifier(Modifier::DIM | Modifier::CROSSED_OUT),
            matched: Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        }
    }

    /// https://no-color.org: modifiers only.
    pub fn monochrome() -> Theme {
        Theme {
            accent: Style::new().add_modifier(Modifier::BOLD),
            warning: Style::new().add_modifier(Modifier::ITALIC),
            error: Style::new().add_modifier(Modifier::BOLD),
            key: Style::new().add_modifier(Modifier::BOLD),
            toast: Style::new().add_modifier(Modifier::REVERSED),
            matched: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ..Theme::colored()
        }
    }

    /// `NO_COLOR` set to anything non-empty turns colour off.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::colored(),
        }
    }
}
