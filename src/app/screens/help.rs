//! The `?` overlay: every key of the screen below it and the seed document's task table.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::Outcome;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// Lines scrolled past.
    pub scroll: u16,
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Help",
    &[
        bind(&[key(KeyCode::Esc), ch('?'), ch('q')], Command::Back, "close help", true),
        bind(&[key(KeyCode::Up), ch('k')], Command::Up, "scroll up", false),
        bind(&[key(KeyCode::Down), ch('j')], Command::Down, "scroll down", true),
    ],
    Typing::No,
);

impl Model for Help {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::Up => self.scroll = self.scroll.saturating_sub(1),
            Command::Down => self.scroll = self.scroll.saturating_add(1).min(60),
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }
}
