//! Users: the provider's operators and their roles.

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, LIST, Typing, bind, ch, keys};
use crate::app::list::ListModel;
use crate::app::list_keys::list_keys;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, settled};
use crate::app::outcome::{Open, Outcome};
use crate::domain::permission::Permission;
use crate::store::operators::Operator;
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct UsersScreen {
    pub list: ListModel<Operator>,
}

impl Default for UsersScreen {
    fn default() -> Self {
        UsersScreen {
            list: ListModel::new(ListId::Users),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Users",
    &[
        bind(&[ch('a')], Command::AddUser, "add user", true),
        bind(&[ch('d')], Command::ToggleUserDisabled, "disable/enable", true),
        bind(&[ch('r')], Command::ChangeRole, "change role", true),
    ],
    Typing::No,
);

impl ScreenInfo for UsersScreen {
    const LABEL: &'static str = "Users";
    const SHORT_LABEL: &'static str = "Users";
    const DIGIT: char = '5';
}

impl Model for UsersScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS, &LIST]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::AddUser => Outcome::open(Open::AddUser),
            Command::ToggleUserDisabled => match self.list.selected_row() {
                Some(o) => Outcome::effect(Some(Effect::db(DbCmd::SetOperatorDisabled {
                    upn: o.upn.clone(),
                    disabled: !o.disabled,
                    at: cx.now,
                }))),
                None => Outcome::none(),
            },
            Command::ChangeRole => match self.list.selected_row() {
                Some(o) => Outcome::open(Open::ChangeRole {
                    upn: o.upn.clone(),
                    role: o.role,
                }),
                None => Outcome::none(),
            },
            command => list_keys(&mut self.list, command, cx),
        }
    }


    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Users(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            other => settled(other),
        }
    }

    fn permission(&self, command: Command) -> Option<Permission> {
        match command {
            Command::AddUser | Command::ToggleUserDisabled | Command::ChangeRole => {
                Some(Permission::ManageUsers)
            }
            _ => None,
        }
    }
}

impl ScreenModel for UsersScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        Some(&mut self.list)
    }
}
