//! Request a partnership: the reseller's email address, checked as it is typed. Enter drafts the
//! email (the store makes the personalized link); Esc cancels.

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict};
use crate::app::keys::{FORM, Keys};
use crate::app::model::{Cx, Model, Typed, settled};
use crate::app::outcome::{Open, Outcome};
use crate::domain::ids::Email;
use crate::store::worker::{DbCmd, DbReply};

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
        Some(Effect::db(DbCmd::PrepareInvitation { to }))
    }
}

impl Model for RequestForm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&FORM]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::Enter => Outcome::effect(self.submit()),
            Command::Back => Outcome::close(),
            _ => Outcome::none(),
        }
    }

    fn on_text(&mut self, typed: Typed, _cx: &mut Cx) -> Outcome {
        match typed {
            Typed::Edit(request) => self.email.edit(request),
            Typed::Paste(text) => self.email.paste(&text),
            Typed::Body(_) => return Outcome::none(),
        }
        self.revalidate();
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        true
    }

    /// The draft replaces this form; a refusal leaves it open with its input, to try again.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Draft { draft, resend_of } => Outcome {
                close: true,
                ..Outcome::open(Open::DraftEmail { draft, resend_of })
            },
            other => {
                self.waiting = false;
                settled(other)
            }
        }
    }
}
