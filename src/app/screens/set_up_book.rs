//! Set up your own book: the console's `twotier init`, offered while a demo book is open and no
//! book of your own exists. Each field is checked as it is typed by the rules `twotier init`
//! uses (`store::init::check_field`); Enter makes the book at the default path and the console
//! reopens on it, acting as the Global admin typed here.

use std::path::PathBuf;

use crossterm::event::KeyCode;
use tui_input::InputRequest;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{self, TextField, Verdict};
use crate::app::keys::{Keys, Typing, bind, key, keys};
use crate::app::model::{Cx, Model, Typed, refused, settled};
use crate::app::outcome::Outcome;
use crate::store::init::{Field, NewBook, check_field};
use crate::store::worker::{DbCmd, DbReply};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Set up your own book",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "set up", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
        bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
        bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
    ],
    Typing::Line,
);

/// The fields in their order, with the rule each is checked by.
pub const FIELDS: [Field; 6] = [
    Field::Company,
    Field::PartnerId,
    Field::TenantId,
    Field::Country,
    Field::Admin,
    Field::AdminName,
];

#[derive(Debug, Clone)]
pub struct SetUpBook {
    /// Where the new book is made (the default path in the data folder).
    pub path: PathBuf,
    pub fields: [TextField; 6],
    pub focus: usize,
    /// Enter was pressed and the store is making the book.
    pub submitted: bool,
}

impl SetUpBook {
    pub fn new(path: PathBuf) -> SetUpBook {
        SetUpBook {
            path,
            fields: [
                TextField::new("Company name", "Your company's legal name, as in Partner Center."),
                TextField::new("PartnerID", "Your MPN ID (PartnerID): digits only."),
                TextField::new(
                    "Tenant ID",
                    "Your Microsoft ID (tenant ID), a GUID: 8-4-4-4-12 hex digits.",
                ),
                TextField::new("Country", "Two letters, ISO 3166 (US, GB, DE…)."),
                TextField::new(
                    "Your UPN",
                    "You, the Global admin: name@company.com. The console opens as you.",
                ),
                TextField::new("Display name", "As shown in the header; empty: your UPN.")
                    .optional(),
            ],
            focus: 0,
            submitted: false,
        }
    }

    pub fn revalidate(&mut self) {
        for (field, rule) in self.fields.iter_mut().zip(FIELDS) {
            let verdict = Verdict::from_result(&check_field(rule, field.value()));
            field.judge(verdict);
        }
    }

    /// Enter: asks the store to make the book, or shows what is wrong first.
    pub fn submit(&mut self) -> Option<Effect> {
        if self.submitted {
            return None;
        }
        for field in &mut self.fields {
            field.touched = true;
        }
        self.revalidate();
        if let Some(wrong) = self.fields.iter().position(|f| f.verdict.blocks()) {
            self.focus = wrong;
            return None;
        }
        let value = |i: usize| self.fields[i].value().to_owned();
        self.submitted = true;
        Some(Effect::db(DbCmd::CreateBook {
            path: self.path.clone(),
            book: NewBook {
                company: value(0),
                partner_id: value(1),
                tenant_id: value(2),
                country: value(3),
                admin_upn: value(4),
                admin_name: value(5),
            },
        }))
    }
}

impl Model for SetUpBook {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        let n = self.fields.len();
        match command {
            Command::NextField => self.focus = form::next(self.focus, n),
            Command::PreviousField => self.focus = form::previous(self.focus, n),
            Command::Enter => return Outcome::effect(self.submit()),
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, _cx: &mut Cx) -> Outcome {
        let field = &mut self.fields[self.focus];
        match typed {
            Typed::Edit(request) => field.edit(request),
            Typed::Paste(text) => field.paste(&text),
            Typed::Body(_) => {}
        }
        self.revalidate();
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        true
    }

    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        self.submitted = false;
        match reply {
            // The runtime closes this console and opens one on the new book.
            DbReply::BookCreated { path, admin_upn } => {
                Outcome::effect(Some(Effect::Reopen { path, upn: admin_upn }))
            }
            DbReply::Refused { what, message } => refused(&what, message),
            other => settled(other),
        }
    }
}

/// Moves the cursor, for tests and paste: not used by the keys.
pub fn edit(form: &mut SetUpBook, request: InputRequest) {
    form.fields[form.focus].edit(request);
    form.revalidate();
}
