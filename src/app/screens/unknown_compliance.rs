//! An order crediting a reseller whose MPA or POR nobody has checked yet: say so and ask for the
//! check. Check now opens Compliance for it; Order anyway places the order as it stands; Esc goes
//! back to Review. A reseller known to fail a check is refused before this is ever asked.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::{Answer, ConfirmAction, Outcome};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Compliance unknown",
    &[
        bind(&[ch('c')], Command::Yes, "Check now", true),
        bind(&[ch('o')], Command::No, "Order anyway", true),
        bind(&[key(KeyCode::Left), key(KeyCode::Right), key(KeyCode::Tab), key(KeyCode::BackTab)], Command::SwitchButton, "switch", false),
        bind(&[key(KeyCode::Enter)], Command::Enter, "press the focused button", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "back to Review", true),
    ],
    Typing::No,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCompliance {
    /// "MPA status of … is unknown: check it in Compliance … before crediting it".
    pub warning: String,
    /// Which button Enter presses; Check now is focused first.
    pub order_focused: bool,
}

impl UnknownCompliance {
    pub fn new(warning: String) -> UnknownCompliance {
        UnknownCompliance {
            warning,
            order_focused: false,
        }
    }
}

impl Model for UnknownCompliance {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        let check = Outcome::answer(Answer::Yes(ConfirmAction::CheckCompliance));
        let order = Outcome::answer(Answer::Yes(ConfirmAction::OrderAnyway));
        match command {
            Command::SwitchButton => self.order_focused = !self.order_focused,
            Command::Yes => return check,
            Command::No => return order,
            Command::Enter if self.order_focused => return order,
            Command::Enter => return check,
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }
}
