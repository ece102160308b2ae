//! Request a partnership: the reseller's email address, checked as it is typed. Enter drafts the
//! email (the store makes the personalized link); Esc cancels.

use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict};
use crate::domain::ids::Email;
use crate::store::worker::DbCmd;

#[derive(Debug, Clone)]
pub struct RequestForm {
    pub email: TextField,
    /// The draft was asked for; the form waits for it.
    pub waiting: bool,
}

impl Default for RequestForm {
    fn default() -> Self {
        RequestForm {
            email: TextField::new(
                "Reseller's email",
                "The person who will accept in Partner Center (a Global admin).",
            ),
            waiting: false,
        }
    }
}

impl RequestForm {
    pub fn revalidate(&mut self) {
        let verdict = Verdict::from_result(&Email::parse(self.email.value()));
        self.email.judge(verdict);
    }

    /// Enter: drafts the email if the address is valid.
    pub fn submit(&mut self) -> Option<Effect> {
        self.email.touched = true;
        self.revalidate();
        let to = Email::parse(self.email.value()).ok()?;
        self.waiting = true;
        Some(Effect::Db(DbCmd::PrepareInvitation { to }))
    }
}
