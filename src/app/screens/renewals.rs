//! Renewals: the subscriptions whose commitment ends within 90 days (and the overdue ones), by
//! end date, grouped overdue / 0–30 / 31–60 / 61–90 days; `f` narrows them to one reseller
//! (partner of record), Enter opens Subscription details. The window is counted from the app's
//! clock (`Cx::now`), written into the screen at each load so the rows and their groups agree.

use chrono::NaiveDate;
use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::detail::Detail;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, MOVE, Typing, bind, ch, key, keys};
use crate::app::list::ListModel;
use crate::app::list_keys::list_command;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, edge_answer, settled};
use crate::app::outcome::{Answer, Go, Open, Outcome, PickerPurpose};
use crate::domain::renewal::{HORIZON_DAYS, ends_by};
use crate::store::record::RecordId;
use crate::store::renewals::RenewalRow;
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct RenewalsScreen {
    pub list: ListModel<RenewalRow>,
    /// The day the window was counted from at the last load: the rows' days and groups read
    /// from it.
    pub today: NaiveDate,
    /// The reseller the list is narrowed to, by name (its id is in the list's filter).
    pub reseller_filter: Option<String>,
    /// The selected subscription's record, for the detail pane (≥ 160 columns).
    pub detail: Detail,
}

impl Default for RenewalsScreen {
    fn default() -> Self {
        RenewalsScreen {
            list: ListModel::new(ListId::Renewals),
            today: NaiveDate::default(),
            reseller_filter: None,
            detail: Detail::default(),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Renewals",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "Subscription details", true),
        bind(&[ch('f')], Command::FilterByReseller, "filter by reseller", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "clear reseller filter", false),
        // No search: the list is ordered by date, and its rows name customers of every reseller.
        MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
    ],
    Typing::No,
);

impl ScreenInfo for RenewalsScreen {
    const LABEL: &'static str = "Renewals";
    const SHORT_LABEL: &'static str = "Renewals";
    const DIGIT: char = '6';
}

impl RenewalsScreen {
    /// Moves the window to the clock's today; true when it moved (the list must reload).
    fn count_from(&mut self, cx: &Cx) -> bool {
        let today = cx.now.date_naive();
        let bound = Some(ends_by(today, HORIZON_DAYS));
        let moved = self.list.filter.ends_by != bound;
        self.today = today;
        self.list.filter.ends_by = bound;
        moved
    }

    /// Loads (or reloads in place) with the window counted from today.
    fn load(&mut self, cx: &mut Cx) -> Effect {
        // The record shown may have changed: asked again as the page lands.
        self.detail.invalidate();
        if self.count_from(cx) || ListOps::needs_load(&self.list) {
            self.list.reload(cx.seq)
        } else {
            self.list.refresh(cx.seq)
        }
    }
}

impl Model for RenewalsScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        let outcome = self.command(command, cx);
        self.following(outcome, cx)
    }

    /// The picker's reseller narrows the list; "All" clears the filter.
    fn on_answer(&mut self, answer: Answer, cx: &mut Cx) -> Outcome {
        match answer {
            Answer::Picked(PickerPurpose::RenewalsFilter, choice) => {
                self.list.filter.reseller_id = choice.as_ref().map(|c| c.id);
                self.reseller_filter = choice.map(|c| c.name);
                self.count_from(cx);
                Outcome::effect(Some(self.list.reload(cx.seq)))
            }
            other => edge_answer(other),
        }
    }

    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        let Err(reply) = self.detail.receive(reply) else {
            return Outcome::none();
        };
        let outcome = match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Renewals(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            DbReply::Subscription(detail) => Outcome::open(Open::SubscriptionDetails(detail)),
            other => settled(other),
        };
        self.following(outcome, cx)
    }
}

impl RenewalsScreen {
    fn command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::Enter => Outcome::effect(
                self.list
                    .selected_row()
                    .map(|s| Effect::db(DbCmd::LoadSubscription { id: s.id })),
            ),
            Command::FilterByReseller => {
                Outcome::open(Open::Picker(PickerPurpose::RenewalsFilter))
            }
            // Esc: the reseller filter first, then back.
            Command::Back => match self.reseller_filter.take() {
                Some(_) => {
                    self.list.filter.reseller_id = None;
                    Outcome::effect(Some(self.list.reload(cx.seq)))
                }
                None => Outcome::go(Go::Back),
            },
            command => list_command(&mut self.list, command, cx).unwrap_or_default(),
        }
    }

    /// What the key or reply did, and the pane's record for the row selected after it.
    fn following(&mut self, mut outcome: Outcome, cx: &mut Cx) -> Outcome {
        outcome.effects.extend(self.follow_selection(cx));
        outcome
    }
}

impl ScreenModel for RenewalsScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        Some(&mut self.list)
    }

    fn on_enter(&mut self, cx: &mut Cx) -> Vec<Effect> {
        vec![self.load(cx)]
    }

    fn follow_selection(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let selected = self.list.selected_row().map(|s| RecordId::Subscription(s.id));
        self.detail.follow(selected, cx).into_iter().collect()
    }

    fn refresh(&mut self, cx: &mut Cx) -> Vec<Effect> {
        vec![self.load(cx)]
    }

    /// Its rows are subscriptions that name customers and resellers. Every change to any of
    /// them (Subscription details, an order, a removal, a sync's pages) reloads Customers, whose
    /// rows count subscriptions: answering that one alone reloads this list once per change
    /// (`update` calls this once per list a change names).
    fn reload(&mut self, lists: &[ListId], shown: bool, cx: &mut Cx) -> Vec<Effect> {
        if !lists
            .iter()
            .any(|l| matches!(l, ListId::Customers | ListId::Renewals))
        {
            return Vec::new();
        }
        if shown {
            vec![self.load(cx)]
        } else {
            self.list.invalidate();
            Vec::new()
        }
    }
}
