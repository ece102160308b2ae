//! Compliance of one reseller: MPA signed for its region, PartnerID valid as partner of record.
//! Each is Unknown (nobody has checked it yet: a partnership just accepted), yes or no. Orders
//! refuse to credit a reseller that fails either, and ask first while one is unknown.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::{Answer, Outcome};
use crate::domain::compliance::Compliance;
use crate::domain::permission::Permission;
use crate::store::worker::DbCmd;

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Compliance",
    &[
        bind(&[ch(' '), key(KeyCode::Right)], Command::Toggle, "next state", true),
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
    pub compliance: Compliance,
    /// 0: MPA, 1: POR.
    pub focus: usize,
}

impl ComplianceForm {
    pub fn new(reseller_id: i64, name: String, compliance: Compliance) -> ComplianceForm {
        ComplianceForm {
            reseller_id,
            name,
            compliance,
            focus: 0,
        }
    }

    /// Space: the focused check's next state, Unknown → yes → no → Unknown.
    pub fn toggle(&mut self) {
        if self.focus == 0 {
            self.compliance.mpa = self.compliance.mpa.next();
        } else {
            self.compliance.por = self.compliance.por.next();
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
            // Saved at once: the reply finds the form closed and says so over the screen; the
            // layer below (an order waiting for the check) hears what was saved.
            Command::Enter => {
                return Outcome {
                    close: true,
                    answer: Some(Answer::ComplianceChecked {
                        reseller_id: self.reseller_id,
                        compliance: self.compliance,
                    }),
                    ..Outcome::effect(Some(Effect::db(DbCmd::SetCompliance {
                        reseller_id: self.reseller_id,
                        compliance: self.compliance,
                        at: cx.now,
                    })))
                };
            }
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    /// Opened from an order too: saving needs the right to record compliance.
    fn permission(&self, command: Command) -> Option<Permission> {
        (command == Command::Enter).then_some(Permission::EditCompliance)
    }
}
