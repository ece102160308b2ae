//! Users: add an operator (UPN, name, role), or change one's role.

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use tui_input::InputRequest;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict};
use crate::app::keys::{Keys, Typing, bind, key, keys};
use crate::app::model::{Cx, Model, Typed, finished};
use crate::app::outcome::Outcome;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::store::worker::{DbCmd, DbReply};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "User",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "save", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
        bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
        bind(&[key(KeyCode::Left)], Command::ChoiceLeft, "role", false),
        bind(&[key(KeyCode::Right)], Command::ChoiceRight, "role", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
    ],
    Typing::Line,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserFormMode {
    Add,
    /// Change the role of this operator.
    ChangeRole {
        upn: String,
    },
}

pub const UPN: usize = 0;
pub const NAME: usize = 1;
pub const ROLE: usize = 2;

#[derive(Debug, Clone)]
pub struct UserForm {
    pub mode: UserFormMode,
    pub upn: TextField,
    pub name: TextField,
    pub role: Role,
    pub focus: usize,
}

impl UserForm {
    pub fn add() -> UserForm {
        UserForm {
            mode: UserFormMode::Add,
            upn: TextField::new(
                "User (UPN)",
                "The operator's sign-in name, such as ava@northwind.example.",
            ),
            name: TextField::new("Name", "As shown in the header and the activity log.").optional(),
            role: Role::SalesAgent,
            focus: UPN,
        }
    }

    pub fn change_role(upn: String, role: Role) -> UserForm {
        UserForm {
            mode: UserFormMode::ChangeRole { upn },
            focus: ROLE,
            role,
            ..UserForm::add()
        }
    }

    fn rows(&self) -> &'static [usize] {
        match self.mode {
            UserFormMode::Add => &[UPN, NAME, ROLE],
            UserFormMode::ChangeRole { .. } => &[ROLE],
        }
    }

    pub fn next_field(&mut self, forward: bool) {
        let rows = self.rows();
        let at = rows.iter().position(|r| *r == self.focus).unwrap_or(0);
        let n = rows.len();
        self.focus = rows[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
    }

    /// ←/→ on the role: the previous or next role.
    pub fn cycle_role(&mut self, forward: bool) {
        if self.focus != ROLE {
            return;
        }
        let n = Role::ALL.len();
        let at = Role::ALL.iter().position(|r| *r == self.role).unwrap_or(0);
        self.role = Role::ALL[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
    }

    pub fn edit(&mut self, request: InputRequest) {
        match self.focus {
            UPN => self.upn.edit(request),
            NAME => self.name.edit(request),
            _ => {}
        }
        self.revalidate();
    }

    pub fn revalidate(&mut self) {
        let upn = Verdict::from_result(&crate::store::operators::operator_upn(self.upn.value()));
        self.upn.judge(upn);
        self.name.judge(Verdict::Ok);
    }

    /// Enter: adds the operator, or saves the role.
    pub fn submit(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        match &self.mode {
            UserFormMode::ChangeRole { upn } => Some(Effect::db(DbCmd::SetOperatorRole {
                upn: upn.clone(),
                role: self.role,
                at,
            })),
            UserFormMode::Add => {
                self.upn.touched = true;
                self.revalidate();
                if self.upn.verdict.blocks() {
                    self.focus = UPN;
                    return None;
                }
                Some(Effect::db(DbCmd::AddOperator {
                    upn: self.upn.value().trim().to_owned(),
                    name: self.name.value().trim().to_owned(),
                    role: self.role,
                    at,
                }))
            }
        }
    }
}

impl Model for UserForm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::NextField => self.next_field(true),
            Command::PreviousField => self.next_field(false),
            Command::ChoiceLeft => self.cycle_role(false),
            Command::ChoiceRight => self.cycle_role(true),
            Command::Enter => return Outcome::effect(self.submit(cx.now)),
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, _cx: &mut Cx) -> Outcome {
        if let Typed::Edit(request) = typed {
            self.edit(request);
        }
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        self.focus != ROLE
    }

    fn permission(&self, command: Command) -> Option<Permission> {
        (command == Command::Enter).then_some(Permission::ManageUsers)
    }

    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        finished(reply)
    }
}
