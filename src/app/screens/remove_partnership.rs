//! Remove partnership: the confirmation with Partner Center's Important notice, word for word,
//! and what stays pointing at the reseller. Yes removes; No changes nothing.

use chrono::{DateTime, Utc};

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{CONFIRM, Keys};
use crate::app::model::{Cx, Model, settled};
use crate::app::outcome::Outcome;
use crate::store::resellers::RemovalImpact;
use crate::store::worker::{DbCmd, DbReply};

/// The Important notice of "Remove partnership with indirect resellers", as the seed document
/// gives it.
pub const IMPORTANT_NOTICE: [&str; 3] = [
    "Customers associated to the indirect reseller will not be removed. Any delegated admin privileges granted will remain unchanged.",
    "You represent that the decision to discontinue your relationship with partner was made in good faith, for a legitimate business purpose, and in accordance with your agreement with your customer or partner, and you agree to defend and hold Microsoft harmless from and against any third-party claims to the contrary.",
    "You must provide legal notice of termination to your customer or partner if your agreement requires it. This tool does not generate notice to the customer or partner.",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveConfirm {
    pub reseller_id: i64,
    pub name: String,
    pub impact: RemovalImpact,
    /// Which button Enter presses; No is focused first, so Enter alone never removes.
    pub yes_focused: bool,
    pub submitting: bool,
}

impl RemoveConfirm {
    pub fn new(reseller_id: i64, name: String, impact: RemovalImpact) -> RemoveConfirm {
        RemoveConfirm {
            reseller_id,
            name,
            impact,
            yes_focused: false,
            submitting: false,
        }
    }

    fn remove(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        if self.submitting {
            return None;
        }
        self.submitting = true;
        Some(Effect::db(DbCmd::RemovePartnership {
            reseller_id: self.reseller_id,
            name: self.name.clone(),
            at: now,
        }))
    }
}

impl Model for RemoveConfirm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&CONFIRM]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::SwitchButton => self.yes_focused = !self.yes_focused,
            Command::Yes => return Outcome::effect(self.remove(cx.now)),
            Command::Enter if self.yes_focused => return Outcome::effect(self.remove(cx.now)),
            Command::No | Command::Enter => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    /// Done or not, the question is answered: it closes (a refusal says why above the screen).
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        Outcome {
            close: true,
            ..settled(reply)
        }
    }
}
