//! Set up your own book: the console's `twotier init`, offered while a demo book is open and no
//! book of your own exists. Each field is checked as it is typed by the rules `twotier init`
//! uses (`store::init::check_field`); Enter makes the book at the default path and the console
//! reopens on it, acting as the Global admin typed here.

use std::path::PathBuf;

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{self, TextField, Verdict};
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model, Typed, refused, settled};
use crate::app::outcome::{Open, Outcome};
use crate::domain::ids::PartnerId;
use crate::domain::text::shown_path;
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

/// The key that opens the form, read while it is offered (see [`OwnBook`]). Not in the footer:
/// the DEMO DATA banner shows it.
#[rustfmt::skip]
pub const OFFER: Keys = keys(
    "Demo data",
    &[
        bind(&[ch('S')], Command::SetUpBook, "your own book: set it up, or how to open it", false),
    ],
    Typing::No,
);

/// Your own book beside the demo: whether the console can set one up, or where it already is.
/// Found out at start (the runtime looks at the default path); shown only while a demo book is
/// open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OwnBook {
    /// Not looked at (tests) or not usable: the banner says `twotier init`, nothing is offered.
    #[default]
    Unknown,
    /// Nothing at the default path: `S` sets a book up there.
    Missing(PathBuf),
    /// A book of your own is at this path: the banner says how to open it.
    Exists(PathBuf),
}

/// `S` when your own book exists already: where it is and how to open it (this console has the
/// demo open because it was asked for by `--db` or the config file).
pub fn how_to_open(path: &std::path::Path) -> Open {
    let path = shown_path(path);
    Open::Error {
        title: "Your own book is set up already".into(),
        message: format!(
            "Your own book is {path}. This console has the demo book open.\n\n\
             To work in your book, quit (q) and open it as one of its operators:\n\n\
             twotier --db {path} --operator YOUR_UPN"
        ),
    }
}

/// The fields in their order, with the rule each is checked by.
pub const FIELDS: [Field; 6] = [
    Field::Company,
    Field::PartnerId,
    Field::TenantId,
    Field::Country,
    Field::Admin,
    Field::AdminName,
];

pub const COMPANY: usize = 0;
pub const PARTNER_ID: usize = 1;
pub const TENANT_ID: usize = 2;
pub const COUNTRY: usize = 3;
pub const ADMIN: usize = 4;
pub const ADMIN_NAME: usize = 5;

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
                TextField::new(
                    "Company name",
                    "Your company's name, as in Partner Center.",
                ),
                TextField::new("PartnerID", "Your PartnerID (MPN ID): digits only."),
                TextField::new(
                    "Tenant ID",
                    "Your Microsoft ID (tenant ID): a GUID, 8-4-4-4-12 hex digits.",
                ),
                TextField::new("Country", "Two letters, ISO 3166: US, GB, DE…"),
                TextField::new(
                    "Your UPN",
                    "You, the book's Global admin: name@company.com.",
                ),
                TextField::new("Your name", "As the header shows it; empty: your UPN.").optional(),
            ],
            focus: COMPANY,
            submitted: false,
        }
    }

    /// Checks every field as typed; a PartnerID of an unusual length is a warning, not an error.
    pub fn revalidate(&mut self) {
        for (field, rule) in self.fields.iter_mut().zip(FIELDS) {
            let checked = check_field(rule, field.value());
            let verdict = match (&checked, rule) {
                (Ok(id), Field::PartnerId) => PartnerId::parse(id)
                    .ok()
                    .and_then(|p| p.warning())
                    .map_or(Verdict::Ok, Verdict::Warning),
                // `twotier init` says these after the option's name; here they stand alone.
                (Err(e), _) => Verdict::Error(capitalised(e)),
                (Ok(_), _) => Verdict::Ok,
            };
            field.judge(verdict);
        }
    }

    /// What the book is made from, as typed (the store checks it again).
    pub fn book(&self) -> NewBook {
        let value = |i: usize| self.fields[i].value().to_owned();
        NewBook {
            company: value(COMPANY),
            partner_id: value(PARTNER_ID),
            tenant_id: value(TENANT_ID),
            country: value(COUNTRY),
            admin_upn: value(ADMIN),
            admin_name: value(ADMIN_NAME),
        }
    }

    /// Enter: asks the store to make the book, or shows what is wrong first, on the first field
    /// that is wrong.
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
        self.submitted = true;
        Some(Effect::db(DbCmd::CreateBook {
            path: self.path.clone(),
            book: self.book(),
        }))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
            // While the book is being made, it is too late to cancel: the reply decides.
            Command::Back if !self.submitted => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, _cx: &mut Cx) -> Outcome {
        if self.submitted {
            return Outcome::none();
        }
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
            // The runtime closes this console's book and opens one on the new book.
            DbReply::BookCreated { path, admin_upn } => {
                Outcome::effect(Some(Effect::Reopen {
                    path,
                    upn: admin_upn,
                }))
            }
            // The form stays, as typed, to try again.
            DbReply::Refused { what, message } => refused(&what, message),
            other => settled(other),
        }
    }
}
