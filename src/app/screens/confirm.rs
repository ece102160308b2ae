//! A yes/no question that holds the action to run on Yes; Yes hands it to the layer that asked.

use crate::app::action::Command;
use crate::app::keys::{CONFIRM, Keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::{Answer, ConfirmAction, Outcome, Question};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    pub yes_label: &'static str,
    pub action: ConfirmAction,
    /// Which button Enter presses; No is focused first.
    pub yes_focused: bool,
}

impl Confirm {
    pub fn new(q: Question) -> Confirm {
        Confirm {
            title: q.title,
            message: q.message,
            yes_label: q.yes_label,
            action: q.action,
            yes_focused: false,
        }
    }
}

impl Model for Confirm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&CONFIRM]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::SwitchButton => self.yes_focused = !self.yes_focused,
            Command::Yes => return Outcome::answer(Answer::Yes(self.action.clone())),
            Command::Enter if self.yes_focused => {
                return Outcome::answer(Answer::Yes(self.action.clone()));
            }
            Command::No | Command::Enter => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }
}
