//! Everything that can happen to the app, as data.

use chrono::{DateTime, Utc};
use tui_input::InputRequest;

use super::state::Screen;
use crate::store::worker::DbReply;

/// A command bound to a key in the keymap. The footer and the help overlay list these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `q`: back; on a top-level screen, quit.
    Quit,
    /// `Ctrl-C`: quit now.
    ForceQuit,
    /// `Esc`: close the modal, clear the search, or go back.
    Back,
    Help,
    Goto(Screen),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// `/`: open the search field of the list.
    Search,
    /// `Enter` in the search field: keep the filter, leave the field.
    SearchAccept,
    Refresh,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// Editing the focused text field.
    Edit(InputRequest),
    /// Bracketed paste into the focused text field.
    Paste(String),
    Db(DbReply),
    /// The clock, passed in so `update` never reads it.
    Tick(DateTime<Utc>),
    Resize {
        width: u16,
        height: u16,
    },
}
