//! Activity log: who did what, when, to what; newest first.

use crate::app::action::Command;
use crate::app::keys::{Keys, LIST, Typing, bind, ch, keys};
use crate::app::list::ListModel;
use crate::app::list_keys::list_command;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, edge_answer, settled};
use crate::app::outcome::{Answer, Go, Open, Outcome};
use crate::store::list::ActivityRow;
use crate::store::worker::{AnyPage, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityLogScreen {
    pub list: ListModel<ActivityRow>,
}

impl Default for ActivityLogScreen {
    fn default() -> Self {
        ActivityLogScreen {
            list: ListModel::new(ListId::Activity),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Activity log",
    &[
        bind(&[ch('f')], Command::FilterActivity, "filter", true),
    ],
    Typing::No,
);

impl ScreenInfo for ActivityLogScreen {
    const LABEL: &'static str = "Activity log";
    const SHORT_LABEL: &'static str = "Activity";
    const DIGIT: char = '4';
}

impl Model for ActivityLogScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS, &LIST]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::FilterActivity => {
                Outcome::open(Open::ActivityFilter(self.list.filter.column_prefixes.clone()))
            }
            command => {
                if let Some(out) = list_command(&mut self.list, command, cx) {
                    return out;
                }
                // Esc: the search first, then the column filter, then back.
                match command {
                    Command::Back if !self.list.filter.column_prefixes.is_empty() => {
                        self.list.filter.column_prefixes.clear();
                        Outcome::effect(Some(self.list.reload(cx.seq)))
                    }
                    Command::Back => Outcome::go(Go::Back),
                    _ => Outcome::none(),
                }
            }
        }
    }


    fn on_answer(&mut self, answer: Answer, cx: &mut Cx) -> Outcome {
        match answer {
            Answer::ActivityFilter(prefixes) => {
                self.list.filter.column_prefixes = prefixes;
                Outcome::effect(Some(self.list.reload(cx.seq)))
            }
            other => edge_answer(other),
        }
    }

    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Activity(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            other => settled(other),
        }
    }
}

impl ScreenModel for ActivityLogScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        Some(&mut self.list)
    }
}
