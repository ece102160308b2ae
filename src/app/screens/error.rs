//! An error said in words, over whatever asked; Enter or Esc closes it.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::keys::{Keys, Typing, bind, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::Outcome;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMessage {
    pub title: String,
    pub message: String,
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Error",
    &[
        bind(&[key(KeyCode::Enter), key(KeyCode::Esc)], Command::Back, "close", true),
    ],
    Typing::No,
);

impl Model for ErrorMessage {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::Back => Outcome::close(),
            _ => Outcome::none(),
        }
    }
}
