//! Subscription details: Quantity, Status, Auto-renew, Reseller (MPN ID), Designated support
//! contact and Upgrade, changed together and saved with Submit (Ctrl-S) in one transaction.

use chrono::{DateTime, Utc};
use tui_input::{Input, InputRequest};

use super::confirm::{Confirm, ConfirmAction};
use super::reseller_picker::{PickerPurpose, ResellerChoice, ResellerPicker};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::outcome::Outcome;
use crate::app::state::Modal;
use crate::store::subscriptions::{SubscriptionChanges, SubscriptionDetail};
use crate::store::worker::DbCmd;

pub const QUANTITY: usize = 0;
pub const STATUS: usize = 1;
pub const AUTO_RENEW: usize = 2;
pub const RESELLER: usize = 3;
pub const SUPPORT: usize = 4;
pub const OFFER: usize = 5;
pub const ROWS: usize = 6;

#[derive(Debug, Clone)]
pub struct SubscriptionForm {
    pub detail: SubscriptionDetail,
    pub focus: usize,
    pub quantity: Input,
    pub status: String,
    pub auto_renew: bool,
    pub reseller: Option<ResellerChoice>,
    pub support: Option<ResellerChoice>,
    /// The current offer's id, or an upgrade's.
    pub offer_id: String,
    pub submitting: bool,
}

fn choice(r: &crate::store::subscriptions::ResellerRef) -> ResellerChoice {
    ResellerChoice {
        id: r.id,
        name: r.name.clone(),
        partner_id: r.partner_id.clone(),
        compliance: None,
    }
}

impl SubscriptionForm {
    pub fn new(detail: SubscriptionDetail) -> SubscriptionForm {
        SubscriptionForm {
            focus: 0,
            quantity: Input::new(detail.quantity.to_string()),
            status: detail.status.clone(),
            auto_renew: detail.auto_renew,
            reseller: detail.reseller.as_ref().map(choice),
            support: detail.support_contact.as_ref().map(choice),
            offer_id: detail.offer.id.clone(),
            detail,
            submitting: false,
        }
    }

    /// The statuses this subscription can be given now; cancelling only within the window.
    pub fn statuses(&self, now: DateTime<Utc>) -> Vec<&'static str> {
        match self.detail.status.as_str() {
            "active" | "suspended" => {
                let mut s = vec!["active", "suspended"];
                if self.detail.in_change_window(now) {
                    s.push("deleted");
                }
                s
            }
            _ => Vec::new(),
        }
    }

    /// The offers it can have: the current one and its upgrades.
    pub fn offers(&self) -> Vec<(&str, &str)> {
        std::iter::once(&self.detail.offer)
            .chain(&self.detail.upgrades)
            .map(|o| (o.id.as_str(), o.name.as_str()))
            .collect()
    }

    pub fn quantity(&self) -> Option<i64> {
        self.quantity.value().trim().parse().ok()
    }

    /// Words for a quantity that can't be saved as it stands.
    pub fn quantity_problem(&self, now: DateTime<Utc>) -> Option<String> {
        let offer = self
            .detail
            .upgrades
            .iter()
            .find(|o| o.id == self.offer_id)
            .unwrap_or(&self.detail.offer);
        let Some(n) = self.quantity() else {
            return Some("Enter a number of licenses.".into());
        };
        if !(offer.min_quantity..=offer.max_quantity).contains(&n) {
            return Some(format!(
                "{} allows {} to {} licenses.",
                offer.name, offer.min_quantity, offer.max_quantity
            ));
        }
        if n < self.detail.quantity && !self.detail.in_change_window(now) {
            return Some(format!(
                "Licenses can only be removed within 7 days of purchase or renewal (closed {}).",
                self.detail.window_closes().format("%Y-%m-%d")
            ));
        }
        None
    }

    pub fn changes(&self) -> SubscriptionChanges {
        SubscriptionChanges {
            quantity: self.quantity().unwrap_or(self.detail.quantity),
            status: self.status.clone(),
            auto_renew: self.auto_renew,
            reseller_id: self.reseller.as_ref().map(|r| r.id),
            support_reseller_id: self.support.as_ref().map(|r| r.id),
            offer_id: self.offer_id.clone(),
        }
    }

    /// Something differs from what is saved.
    pub fn dirty(&self) -> bool {
        let d = &self.detail;
        let c = self.changes();
        self.quantity.value().trim() != d.quantity.to_string()
            || c.status != d.status
            || c.auto_renew != d.auto_renew
            || c.reseller_id != d.reseller.as_ref().map(|r| r.id)
            || c.support_reseller_id != d.support_contact.as_ref().map(|r| r.id)
            || c.offer_id != d.offer.id
    }

    pub fn edit(&mut self, request: InputRequest) {
        let digit = matches!(request, InputRequest::InsertChar(c) if c.is_ascii_digit());
        let delete = matches!(
            request,
            InputRequest::DeletePrevChar | InputRequest::DeleteNextChar | InputRequest::DeleteLine
        );
        if self.focus == QUANTITY && (digit || delete) {
            self.quantity.handle(request);
        }
    }

    /// ←/→ on a choice: the previous or next status or offer; on quantity, one license.
    pub fn cycle(&mut self, forward: bool, now: DateTime<Utc>) {
        let step = |len: usize, at: usize| {
            if forward {
                (at + 1) % len
            } else {
                (at + len - 1) % len
            }
        };
        match self.focus {
            QUANTITY => {
                let n =
                    self.quantity().unwrap_or(self.detail.quantity) + if forward { 1 } else { -1 };
                self.quantity = Input::new(n.max(1).to_string());
            }
            STATUS => {
                let statuses = self.statuses(now);
                if let Some(at) = statuses.iter().position(|s| *s == self.status) {
                    self.status = statuses[step(statuses.len(), at)].to_owned();
                }
            }
            AUTO_RENEW => self.auto_renew = !self.auto_renew,
            OFFER => {
                let offers = self.offers();
                if let Some(at) = offers.iter().position(|(id, _)| *id == self.offer_id) {
                    self.offer_id = offers[step(offers.len(), at)].0.to_owned();
                }
            }
            _ => {}
        }
    }

    /// Ctrl-S: refused, with the reason in the form, while the quantity can't be saved.
    pub fn submit(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        if self.submitting || self.quantity_problem(now).is_some() {
            return None;
        }
        self.submitting = true;
        Some(Effect::Db(DbCmd::UpdateSubscription {
            id: self.detail.id,
            changes: self.changes(),
            at: now,
        }))
    }
}

/// The form's update arm: a command while it is the top modal.
pub fn on_command(
    form: &mut SubscriptionForm,
    command: Command,
    now: DateTime<Utc>,
    seq: &mut u64,
) -> Outcome {
    use Command::*;
    match command {
        NextField => form.focus = (form.focus + 1) % ROWS,
        PreviousField => form.focus = (form.focus + ROWS - 1) % ROWS,
        ChoiceLeft => form.cycle(false, now),
        ChoiceRight => form.cycle(true, now),
        Toggle if form.focus == AUTO_RENEW => form.auto_renew = !form.auto_renew,
        Enter if form.focus == RESELLER || form.focus == SUPPORT => {
            let purpose = if form.focus == RESELLER {
                PickerPurpose::SubscriptionReseller
            } else {
                PickerPurpose::SupportContact
            };
            let (picker, effect) = ResellerPicker::open(purpose, seq);
            return Outcome {
                effects: vec![effect],
                push: Some(Modal::ResellerPicker(Box::new(picker))),
                ..Outcome::none()
            };
        }
        Enter => form.focus = (form.focus + 1) % ROWS,
        Submit => return Outcome::effect(form.submit(now)),
        Back if form.dirty() => {
            return Outcome::push(Modal::Confirm(Confirm {
                title: "Unsaved changes".into(),
                message: "Leave Subscription details without saving your changes?".into(),
                yes_label: "Leave",
                action: ConfirmAction::DiscardSubscriptionChanges,
                yes_focused: false,
            }));
        }
        Back => return Outcome::close(),
        _ => {}
    }
    Outcome::none()
}
