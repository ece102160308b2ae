//! Confirmation (Setup info): the new customer's admin user name and temporary password, shown
//! this once. Done asks first; then the password is dropped, its memory wiped.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model, edge_answer};
use crate::app::outcome::{Answer, ConfirmAction, Open, Outcome, Question};
use crate::domain::credentials::Secret;
use crate::store::customers::CreatedCustomer;
use crate::store::worker::ListId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub created: CreatedCustomer,
    /// The credentials were copied (the clipboard clears them after 30 s).
    pub copied: bool,
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Confirmation",
    &[
        bind(&[ch('c')], Command::CopyToClipboard, "copy user name and password", true),
        bind(&[key(KeyCode::Enter)], Command::Enter, "Done", true),
    ],
    Typing::No,
);

impl Model for Confirmation {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::CopyToClipboard => {
                let text = format!(
                    "User name: {}\nTemporary password: {}",
                    self.created.admin_user_name,
                    self.created.password.expose()
                );
                self.copied = true;
                Outcome::effect(Some(Effect::CopySecret {
                    text: Secret::new(text),
                }))
            }
            Command::Enter => Outcome::open(Open::Question(Question {
                title: "Done".into(),
                message: "You can't see this password again after you close this page. Did you \
                          note the user name and temporary password (or copy them with c)?"
                    .into(),
                yes_label: "Done",
                action: ConfirmAction::FinishConfirmation,
            })),
            _ => Outcome::none(),
        }
    }

    fn on_answer(&mut self, answer: Answer, _cx: &mut Cx) -> Outcome {
        match answer {
            // Closing drops the password; its memory is wiped.
            Answer::Yes(ConfirmAction::FinishConfirmation) => Outcome {
                close: true,
                toast: Some(format!("{} is in your customer list", self.created.company_name)),
                reload: vec![ListId::Customers, ListId::Resellers, ListId::Activity],
                ..Outcome::none()
            },
            Answer::Yes(ConfirmAction::QuitAnyway) => Outcome {
                quit: true,
                ..Outcome::none()
            },
            Answer::Copied(Ok(how)) => Outcome::toast(format!(
                "User name and password copied: {how}; cleared in 30 s if still there"
            )),
            other => edge_answer(other),
        }
    }
}

/// Asked when Ctrl-C comes over the credentials: the password goes with twotier.
pub fn quit_question() -> Question {
    Question {
        title: "Quit".into(),
        message: "You can't see this password again after twotier quits (a copy still on the \
                  clipboard is cleared too). Quit without the user name and temporary \
                  password? Ctrl-C again quits."
            .into(),
        yes_label: "Quit",
        action: ConfirmAction::QuitAnyway,
    }
}
