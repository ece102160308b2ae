//! Customers: every customer, by company name, with its indirect reseller; narrowed to one
//! reseller's customers ("View customers", `f`); a record expands to show its subscriptions and
//! offers Partner Center's three actions: Add subscription, Subscriptions and Account.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::detail::Detail;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, LIST, MOVE, Typing, bind, ch, key, keys};
use crate::app::layout;
use crate::app::list::ListModel;
use crate::app::list_keys::list_command;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, edge_answer, settled};
use crate::app::outcome::{Answer, Go, Open, Outcome, PickerPurpose, ResellerChoice};
use crate::domain::permission::Permission;
use crate::store::list::CustomerRow;
use crate::store::record::RecordId;
use crate::store::subscriptions::SubscriptionRow;
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct CustomersScreen {
    pub list: ListModel<CustomerRow>,
    /// The reseller the list is narrowed to, by name (its id is in the list's filter).
    pub reseller_filter: Option<String>,
    /// The expanded record and its subscriptions, keyset-paged like any list.
    pub expanded: Option<Expanded>,
    /// Keys go to the expanded record's subscriptions.
    pub pane_focused: bool,
    /// The selected customer's (or subscription's) record, for the detail pane.
    pub detail: Detail,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    pub customer_id: i64,
    pub customer: String,
    /// Its subscriptions as the customer list counted them, until their first page arrives.
    pub count: usize,
    pub subscriptions: ListModel<SubscriptionRow>,
}

impl Expanded {
    /// How many rows the record's subscriptions would take, all shown: the pane is sized to this
    /// (`layout::split_rows`), so three subscriptions take three rows, not half the screen.
    pub fn rows_wanted(&self) -> usize {
        self.subscriptions
            .total
            .map_or(self.count, |t| usize::try_from(t).unwrap_or(usize::MAX))
    }
}

impl Default for CustomersScreen {
    fn default() -> Self {
        CustomersScreen {
            list: ListModel::new(ListId::Customers),
            reseller_filter: None,
            expanded: None,
            pane_focused: false,
            detail: Detail::default(),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Customers",
    &[
        bind(&[ch('n')], Command::AddCustomer, "Add new customer", true).important(),
        // Partner Center's actions on a customer, together: Add subscription, Subscriptions, Account.
        bind(&[ch('s')], Command::AddSubscription, "Add subscription", true),
        bind(&[key(KeyCode::Enter)], Command::Enter, "Subscriptions", true),
        bind(&[ch('a')], Command::ShowAccount, "Account", true),
        bind(&[key(KeyCode::Right), ch(' ')], Command::Expand, "expand", true),
        bind(&[ch('f')], Command::FilterByReseller, "filter by reseller", true),
        bind(&[key(KeyCode::Tab)], Command::NextPane, "next pane", false),
        bind(&[key(KeyCode::Esc)], Command::Back, "clear search / reseller filter", false),
    ],
    Typing::No,
);

/// The subscriptions of the expanded customer record.
#[rustfmt::skip]
pub const PANE_KEYS: Keys = keys(
    "Subscriptions",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "Subscription details", true),
        bind(&[ch('s')], Command::AddSubscription, "Add subscription", true),
        bind(&[ch('a')], Command::ShowAccount, "Account", true),
        bind(&[key(KeyCode::Left), ch(' ')], Command::Expand, "collapse", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::BackTab), key(KeyCode::Esc)], Command::NextPane, "customers", true),
        MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
    ],
    Typing::No,
);

impl ScreenInfo for CustomersScreen {
    const LABEL: &'static str = "Customers";
    const SHORT_LABEL: &'static str = "Customers";
    const DIGIT: char = '2';
}

impl CustomersScreen {
    /// `v` on Indirect resellers: this reseller's customers.
    pub fn show_reseller(&mut self, reseller_id: i64, name: String, cx: &mut Cx) -> Vec<Effect> {
        self.reseller_filter = Some(name);
        self.list.filter.reseller_id = Some(reseller_id);
        self.list.filter.search.clear();
        self.list.search = None;
        vec![self.list.reload(cx.seq)]
    }

    /// `→`/`Space`: expands the selected customer (its subscriptions below), or collapses it.
    fn toggle_expanded(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let selected = self.list.selected_row().map(|c| {
            let count = usize::try_from(c.subscriptions).unwrap_or_default();
            (c.id, c.company_name.clone(), count)
        });
        let same = self.expanded.as_ref().map(|e| e.customer_id) == selected.as_ref().map(|s| s.0);
        let Some((customer_id, customer, count)) = selected.filter(|_| !same) else {
            self.expanded = None;
            self.pane_focused = false;
            return Vec::new();
        };
        let mut subscriptions = ListModel::new(ListId::Subscriptions);
        subscriptions.filter.customer_id = Some(customer_id);
        let effect = subscriptions.reload(cx.seq);
        self.expanded = Some(Expanded {
            customer_id,
            customer,
            count,
            subscriptions,
        });
        self.list.clamp(layout::split_rows(cx.height, count).0);
        vec![effect]
    }

    /// Enter on a customer: its subscriptions, focused; on a subscription: its details.
    fn enter(&mut self, cx: &mut Cx) -> Vec<Effect> {
        if self.pane_focused {
            let selected = self.expanded.as_ref().and_then(|e| e.subscriptions.selected_row());
            return selected
                .map(|s| Effect::db(DbCmd::LoadSubscription { id: s.id }))
                .into_iter()
                .collect();
        }
        let mut effects = Vec::new();
        let shown = self.expanded.as_ref().map(|e| e.customer_id);
        if shown.is_none() || shown != self.list.selected_row().map(|c| c.id) {
            effects = self.toggle_expanded(cx);
        }
        self.pane_focused = self.expanded.is_some();
        effects
    }

    /// Rows of the customer list itself, above the expanded record if there is one.
    fn list_rows(&self, height: u16) -> usize {
        match &self.expanded {
            Some(e) => layout::split_rows(height, e.rows_wanted()).0,
            None => layout::list_rows(height),
        }
    }

    /// The customer `s` and `a` act on: the expanded one while its subscriptions have the keys,
    /// else the selected one.
    fn acted_on(&self) -> Option<&CustomerRow> {
        let id = match (&self.expanded, self.pane_focused) {
            (Some(e), true) => Some(e.customer_id),
            _ => self.list.selected_row().map(|c| c.id),
        };
        id.and_then(|id| self.list.rows.iter().find(|c| c.id == id))
    }

    /// `a`: the customer's Account.
    /// The expanded record's own, even once the list has paged past its row.
    fn account(&self) -> Outcome {
        let customer = match (&self.expanded, self.pane_focused) {
            (Some(e), true) => Some((e.customer_id, e.customer.clone())),
            _ => self
                .list
                .selected_row()
                .map(|c| (c.id, c.company_name.clone())),
        };
        match customer {
            Some((id, name)) => Outcome::open(Open::CustomerAccount { id, name }),
            None => Outcome::none(),
        }
    }

    /// `s`: Add subscription to the selected (or expanded) customer.
    fn add_subscription(&self) -> Outcome {
        let Some(row) = self.acted_on() else {
            return Outcome::none();
        };
        // The customer's own reseller is the default partner of record.
        let reseller =
            row.active_reseller
                .clone()
                .map(|(id, partner_id, compliance)| ResellerChoice {
                    id,
                    name: row.reseller.clone().unwrap_or_default(),
                    partner_id,
                    compliance,
                });
        Outcome::open(Open::AddSubscription {
            customer_id: row.id,
            customer: row.company_name.clone(),
            reseller,
        })
    }

    /// The row the detail pane shows: the focused subscription, else the selected customer.
    pub fn selected_record(&self) -> Option<RecordId> {
        match (&self.expanded, self.pane_focused) {
            (Some(e), true) => e
                .subscriptions
                .selected_row()
                .map(|s| RecordId::Subscription(s.id)),
            _ => self.list.selected_row().map(|c| RecordId::Customer(c.id)),
        }
    }

    /// `outcome` with the request for the newly selected row's record, if it changed.
    fn following(&mut self, mut outcome: Outcome, cx: &mut Cx) -> Outcome {
        outcome.effects.extend(self.follow_selection(cx));
        outcome
    }

    fn command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::AddCustomer => Outcome::open(Open::NewCustomer { reseller: None }),
            Command::AddSubscription => self.add_subscription(),
            Command::ShowAccount => self.account(),
            Command::FilterByReseller => {
                Outcome::open(Open::Picker(PickerPurpose::CustomersFilter))
            }
            Command::Expand => Outcome::effects(self.toggle_expanded(cx)),
            Command::NextPane => {
                self.pane_focused = self.expanded.is_some() && !self.pane_focused;
                Outcome::none()
            }
            Command::Enter => Outcome::effects(self.enter(cx)),
            Command::Back if !self.pane_focused => self.back(cx),
            command => match self.list_mut() {
                Some(list) => list_command(list, command, cx).unwrap_or_default(),
                None => Outcome::none(),
            },
        }
    }

    fn reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Customers(page),
                ..
            } => {
                let rows = self.list_rows(cx.height);
                Outcome::effect(self.list.receive(seq, page, rows, cx.seq))
            }
            DbReply::Page {
                seq,
                page: AnyPage::Subscriptions(page),
                ..
            } => {
                let Some(e) = self.expanded.as_mut() else {
                    return Outcome::none();
                };
                // The page's count sizes the pane; the list above gets what is left.
                let wanted = page.total.map_or(e.rows_wanted(), |t| t as usize);
                let (list, pane) = layout::split_rows(cx.height, wanted);
                let effect = e.subscriptions.receive(seq, page, pane, cx.seq);
                self.list.clamp(list);
                Outcome::effect(effect)
            }
            DbReply::Subscription(detail) => Outcome::open(Open::SubscriptionDetails(detail)),
            other => settled(other),
        }
    }

    /// Esc: the search first, then the reseller filter, then back.
    fn back(&mut self, cx: &mut Cx) -> Outcome {
        if let Some(out) = list_command(&mut self.list, Command::Back, cx) {
            return out;
        }
        if self.reseller_filter.take().is_some() {
            self.list.filter.reseller_id = None;
            return Outcome::effect(Some(self.list.reload(cx.seq)));
        }
        Outcome::go(Go::Back)
    }
}

impl Model for CustomersScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        if self.pane_focused {
            return vec![&PANE_KEYS];
        }
        vec![&KEYS, &LIST]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        let outcome = self.command(command, cx);
        self.following(outcome, cx)
    }

    /// The picker's reseller narrows the list.
    fn on_answer(&mut self, answer: Answer, cx: &mut Cx) -> Outcome {
        match answer {
            Answer::Picked(PickerPurpose::CustomersFilter, choice) => {
                self.list.filter.reseller_id = choice.as_ref().map(|c| c.id);
                self.reseller_filter = choice.map(|c| c.name);
                self.expanded = None;
                self.pane_focused = false;
                Outcome::effect(Some(self.list.reload(cx.seq)))
            }
            other => edge_answer(other),
        }
    }

    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        let Err(reply) = self.detail.receive(reply) else {
            return Outcome::none();
        };
        let outcome = self.reply(reply, cx);
        self.following(outcome, cx)
    }

    fn permission(&self, command: Command) -> Option<Permission> {
        match command {
            Command::AddCustomer => Some(Permission::AddCustomer),
            Command::AddSubscription => Some(Permission::PlaceOrders),
            _ => None,
        }
    }
}

impl ScreenModel for CustomersScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    /// The keys move in the expanded record's subscriptions when they have focus.
    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        match (&mut self.expanded, self.pane_focused) {
            (Some(e), true) => Some(&mut e.subscriptions),
            _ => Some(&mut self.list),
        }
    }

    fn help_keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS, &LIST]
    }

    fn follow_selection(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let selected = self.selected_record();
        self.detail.follow(selected, cx).into_iter().collect()
    }

    fn viewport(&self, height: u16) -> usize {
        match (&self.expanded, self.pane_focused) {
            (Some(e), true) => layout::split_rows(height, e.rows_wanted()).1,
            _ => self.list_rows(height),
        }
    }

    /// Both lists: the record's height follows its subscriptions, the list's follows it.
    fn resize(&mut self, height: u16) {
        self.list.clamp(self.list_rows(height));
        if let Some(e) = &mut self.expanded {
            e.subscriptions
                .clamp(layout::split_rows(height, e.rows_wanted()).1);
        }
    }

    /// The expanded record's subscriptions reload whenever they change, shown or not.
    fn reload(&mut self, lists: &[ListId], shown: bool, cx: &mut Cx) -> Vec<Effect> {
        let mut effects = Vec::new();
        // What changed may be the record shown: asked again as its page lands.
        self.detail.invalidate();
        if lists.contains(&ListId::Customers) {
            if shown {
                effects.push(self.list.refresh(cx.seq));
            } else {
                self.list.invalidate();
            }
        }
        if lists.contains(&ListId::Subscriptions)
            && let Some(e) = &mut self.expanded
        {
            effects.push(e.subscriptions.refresh(cx.seq));
        }
        effects
    }
}
