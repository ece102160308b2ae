//! Compliance of one reseller: MPA signed for its region, PartnerID valid as partner of record.
//! Orders refuse to credit a reseller that fails either.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::Outcome;
use crate::store::worker::DbCmd;

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Compliance",
    &[
        bind(&[ch(' ')], Command::Toggle, "toggle", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::Down), key(KeyCode::BackTab), key(KeyCode::Up)], Command::NextField, "next", true),
        bind(&[key(KeyCode::Enter)], Command::Enter, "save", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
    ],
    Typing::No,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceForm {
    pub reseller_id: i64,
    pub name: String,
    pub mpa_signed: bool,
    pub por_valid: bool,
    /// 0: MPA, 1: POR.
    pub focus: usize,
}

impl ComplianceForm {
    pub fn toggle(&mut self) {
        if self.focus == 0 {
            self.mpa_signed = !self.mpa_signed;
        } else {
            self.por_valid = !self.por_valid;
        }
    }
}

impl Model for ComplianceForm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::Toggle => self.toggle(),
            Command::NextField => self.focus = 1 - self.focus,
            // Saved at once: the reply finds the form closed and says so over the screen.
            Command::Enter => {
                return Outcome {
                    close: true,
                    ..Outcome::effect(Some(Effect::db(DbCmd::SetCompliance {
                        reseller_id: self.reseller_id,
                        mpa_signed: self.mpa_signed,
                        por_valid: self.por_valid,
                        at: cx.now,
                    })))
                };
            }
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }
}
