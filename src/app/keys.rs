//! Keys as data: a chord, a binding with its words, and a set of bindings with a title. Each
//! model declares its own sets next to its update (`pub const KEYS`); the sets every list,
//! form or question shares live here. `keymap` reads them to map keys, draw the footer and help.
//! A leaf: it names no model.

use crossterm::event::{KeyCode, KeyModifiers};

use super::action::Command;
use super::nav::Screen;

/// One key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

pub const fn key(code: KeyCode) -> Chord {
    Chord {
        code,
        mods: KeyModifiers::NONE,
    }
}
pub const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}
pub const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// A key binding, with the words shown for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static [Chord],
    pub command: Command,
    /// Short label for the footer and the help overlay.
    pub label: &'static str,
    /// Shown in the footer (all bindings are shown in help).
    pub footer: bool,
    /// Where the footer has no room for every key, the more important stay (`IMPORTANT` before
    /// `NORMAL`), shown in the order they are declared.
    pub rank: u8,
}

/// A footer key kept before the others at 80 columns.
pub const IMPORTANT: u8 = 0;
pub const NORMAL: u8 = 1;

pub const fn bind(
    keys: &'static [Chord],
    command: Command,
    label: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        command,
        label,
        footer,
        rank: NORMAL,
    }
}

impl Binding {
    /// Kept in a narrow footer before the keys of normal rank.
    pub const fn important(mut self) -> Binding {
        self.rank = IMPORTANT;
        self
    }
}

/// What a key no binding takes does while these keys are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typing {
    /// Nothing.
    No,
    /// It edits the focused one-line field.
    Line,
    /// It goes to the multi-line body editor.
    Body,
}

/// The keys read in one place (a screen, a modal, a step), under one title in help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys {
    pub title: &'static str,
    pub bindings: &'static [Binding],
    pub typing: Typing,
}

pub const fn keys(title: &'static str, bindings: &'static [Binding], typing: Typing) -> Keys {
    Keys {
        title,
        bindings,
        typing,
    }
}

// The tables read best one binding per line, so rustfmt leaves them alone.

#[rustfmt::skip]
pub const SEARCH: Keys = keys(
    "Search",
    &[
        bind(&[key(KeyCode::Enter)], Command::SearchAccept, "keep filter", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "clear search", true),
        bind(&[key(KeyCode::Up)], Command::Up, "up", false),
        bind(&[key(KeyCode::Down)], Command::Down, "down", false),
        bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
        bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
        // `g`/`G` are letters typed into the search; Home/End still move the list, and Ctrl-A /
        // Ctrl-E move in the text.
        bind(&[key(KeyCode::Home)], Command::Home, "first", false),
        bind(&[key(KeyCode::End)], Command::End, "last", false),
    ],
    Typing::Line,
);

#[rustfmt::skip]
pub const FORM: Keys = keys(
    "Form",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "continue", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
        bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
        bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
    ],
    Typing::Line,
);

#[rustfmt::skip]
pub const CONFIRM: Keys = keys(
    "Confirmation",
    &[
        bind(&[ch('y')], Command::Yes, "Yes", true),
        bind(&[ch('n'), key(KeyCode::Esc)], Command::No, "No", true),
        bind(&[key(KeyCode::Left), key(KeyCode::Right), key(KeyCode::Tab), key(KeyCode::BackTab)], Command::SwitchButton, "switch", false),
        bind(&[key(KeyCode::Enter)], Command::Enter, "press the focused button", true),
    ],
    Typing::No,
);

#[rustfmt::skip]
pub const MOVE: [Binding; 6] = [
    bind(&[key(KeyCode::Up), ch('k')], Command::Up, "up", false),
    bind(&[key(KeyCode::Down), ch('j')], Command::Down, "down", false),
    bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
    bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
    bind(&[key(KeyCode::Home), ch('g')], Command::Home, "first", false),
    bind(&[key(KeyCode::End), ch('G')], Command::End, "last", false),
];

#[rustfmt::skip]
pub const LIST: Keys = keys(
    "Lists",
    &[
        MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
        bind(&[ch('/')], Command::Search, "search", true).important(),
        bind(&[key(KeyCode::Esc)], Command::Back, "clear search", false),
    ],
    Typing::No,
);

#[rustfmt::skip]
pub const GLOBAL: Keys = keys(
    "Everywhere",
    &[
        bind(&[ch('0')], Command::Goto(Screen::Dashboard), "Dashboard", false),
        bind(&[ch('1')], Command::Goto(Screen::Resellers), "Indirect resellers", false),
        bind(&[ch('2')], Command::Goto(Screen::Customers), "Customers", false),
        bind(&[ch('3')], Command::Goto(Screen::CompanyProfile), "Company profile", false),
        bind(&[ch('4')], Command::Goto(Screen::ActivityLog), "Activity log", false),
        bind(&[ch('5')], Command::Goto(Screen::Users), "Users", false),
        bind(&[ch('6')], Command::Goto(Screen::Renewals), "Renewals", false),
        bind(&[ctrl('r'), key(KeyCode::F(5))], Command::Refresh, "refresh", false),
        bind(&[ch('?')], Command::Help, "help", true),
        bind(&[ch('q')], Command::Quit, "quit", true),
        bind(&[ctrl('c')], Command::ForceQuit, "quit now", false),
    ],
    Typing::No,
);
