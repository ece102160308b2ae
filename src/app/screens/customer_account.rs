//! Account (`a` on a customer): the customer's company and billing profile, primary contact,
//! indirect reseller and relationship, read-only, loaded from the book as it opens. Esc closes.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::Outcome;
use crate::store::customer_account::CustomerAccount;
use crate::store::worker::{DbCmd, DbReply};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Account",
    &[
        bind(&[key(KeyCode::Esc), key(KeyCode::Enter)], Command::Back, "close", true),
        bind(&[key(KeyCode::Down), ch('j')], Command::Down, "scroll", false),
        bind(&[key(KeyCode::Up), ch('k')], Command::Up, "scroll up", false),
    ],
    Typing::No,
);

/// How far the Account scrolls on a terminal too short for all of it (it has fewer lines).
const MAX_SCROLL: u16 = 24;

#[derive(Debug, Clone, PartialEq)]
pub struct CustomerAccountView {
    pub id: i64,
    /// The company name from the list, for the title until the account arrives.
    pub name: String,
    pub account: Option<Box<CustomerAccount>>,
    /// Why the account could not be read.
    pub problem: Option<String>,
    /// First line shown, on a short terminal.
    pub scroll: u16,
}

impl CustomerAccountView {
    /// Opens with the request for the account.
    pub fn open(id: i64, name: String) -> (CustomerAccountView, Effect) {
        let view = CustomerAccountView {
            id,
            name,
            account: None,
            problem: None,
            scroll: 0,
        };
        (view, Effect::db(DbCmd::LoadCustomerAccount { id }))
    }
}

impl Model for CustomerAccountView {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::Back => return Outcome::close(),
            Command::Down => self.scroll = (self.scroll + 1).min(MAX_SCROLL),
            Command::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
        Outcome::none()
    }

    /// The account, or why there is none (the customer is gone, the book failed), said inside.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::CustomerAccount(account) if account.id == self.id => {
                self.account = Some(account);
                self.problem = None;
            }
            DbReply::Refused { message, .. } | DbReply::Failed { message, .. } => {
                self.problem = Some(message);
            }
            _ => {}
        }
        Outcome::none()
    }
}
