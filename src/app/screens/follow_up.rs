//! Follow-up: after Remove partnership, the subscriptions that still credit the removed reseller
//! (partner of record) or name it as designated support contact. Enter opens Subscription
//! details to reassign one; once it names a current reseller or none, it leaves the list.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, MOVE, Typing, bind, ch, key, keys};
use crate::app::list::ListModel;
use crate::app::list_keys::list_keys;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, settled};
use crate::app::nav::{Screen, To};
use crate::app::outcome::{Go, Open, Outcome};
use crate::domain::permission::Permission;
use crate::store::follow_up::{FollowUpRow, RemovedReseller};
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpScreen {
    /// The removed reseller shown; `None` until one is chosen.
    pub reseller: Option<RemovedReseller>,
    pub list: ListModel<FollowUpRow>,
}

impl Default for FollowUpScreen {
    fn default() -> Self {
        FollowUpScreen {
            reseller: None,
            list: ListModel::new(ListId::FollowUp),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Follow-up",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "Subscription details (reassign)", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "back", false),
        // Not a top-level screen: q goes back to Indirect resellers rather than quitting.
        bind(&[ch('q')], Command::Quit, "back", true),
        // No search: the list is one reseller's, by subscription.
        MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
    ],
    Typing::No,
);

impl ScreenInfo for FollowUpScreen {
    const LABEL: &'static str = "Follow-up";
    const SHORT_LABEL: &'static str = "Follow-up";
    const DIGIT: char = '1';
    const PARENT: Option<Screen> = Some(Screen::Resellers);
    const NEEDS: Option<Permission> = Some(Permission::ViewResellers);
}

/// Goes to the Follow-up worklist of this removed reseller: the screen learns which one from
/// the store's answer (its name, PartnerID and removal date), then loads its list.
pub fn show(reseller_id: i64) -> Outcome {
    Outcome {
        effects: vec![Effect::Db(
            To::Screen(Screen::FollowUp),
            DbCmd::LoadRemovedReseller { reseller_id },
        )],
        ..Outcome::go(Go::Screen(Screen::FollowUp))
    }
}

impl FollowUpScreen {
    fn showing(&mut self, reseller: RemovedReseller, cx: &mut Cx) -> Outcome {
        let same = self.reseller.as_ref().map(|r| r.id) == Some(reseller.id);
        let id = reseller.id;
        self.reseller = Some(reseller);
        if same {
            return Outcome::effect(Some(self.list.refresh(cx.seq)));
        }
        self.list = ListModel::new(ListId::FollowUp);
        self.list.filter.reseller_id = Some(id);
        Outcome::effect(Some(self.list.reload(cx.seq)))
    }
}

impl Model for FollowUpScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::Enter => Outcome::effect(
                self.list
                    .selected_row()
                    .map(|s| Effect::db(DbCmd::LoadSubscription { id: s.id })),
            ),
            command => list_keys(&mut self.list, command, cx),
        }
    }

    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::FollowUp(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            DbReply::RemovedReseller(reseller) => self.showing(*reseller, cx),
            DbReply::Subscription(detail) => Outcome::open(Open::SubscriptionDetails(detail)),
            other => settled(other),
        }
    }
}

impl ScreenModel for FollowUpScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        Some(&mut self.list)
    }

    /// Nothing to load until a removed reseller is chosen (its answer loads the list).
    fn on_enter(&mut self, cx: &mut Cx) -> Vec<Effect> {
        if self.reseller.is_none() {
            return Vec::new();
        }
        let seq = &mut *cx.seq;
        vec![if ListOps::needs_load(&self.list) {
            self.list.reload(seq)
        } else {
            self.list.refresh(seq)
        }]
    }
}
