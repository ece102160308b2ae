//! Subscription details: Quantity, Status, Auto-renew, Reseller (MPN ID), Designated support
//! contact and Upgrade, changed together and saved with Submit (Ctrl-S) in one transaction.
//! On Reseller (MPN ID), Enter opens the picker; "Indirect reseller not in the list? Enter MPN
//! ID": digits typed there are verified (Enter) against the book before they can be chosen.

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use tui_input::{Input, InputRequest};

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, ctrl, key, keys};
use crate::app::model::{Cx, Model, Typed, finished};
use crate::app::outcome::{
    Answer, ConfirmAction, Open, Outcome, PickerPurpose, Question, ResellerChoice,
};
use crate::domain::permission::Permission;
use crate::store::subscriptions::{
    SubscriptionChanges, SubscriptionDetail, removed_reseller_refusal,
};
use crate::store::worker::{DbCmd, DbReply};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Subscription details",
    &[
        bind(&[ctrl('s')], Command::Submit, "Submit", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next", true),
        bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous", false),
        bind(&[key(KeyCode::Left)], Command::ChoiceLeft, "change", false),
        bind(&[key(KeyCode::Right)], Command::ChoiceRight, "change", true),
        bind(&[ch(' ')], Command::Toggle, "toggle", false),
        bind(&[key(KeyCode::Enter)], Command::Enter, "choose reseller", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "close", true),
    ],
    // Digits set the quantity, or on Reseller (MPN ID) type a PartnerID to verify.
    Typing::Line,
);

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
    /// "Indirect reseller not in the list? Enter MPN ID": the PartnerID typed on Reseller.
    pub mpn: Input,
    /// What Verify said of the PartnerID typed; dropped when the digits change.
    pub verify: Option<Verify>,
    /// Submit was refused because a removed reseller is still named (the form says why).
    pub refused_removed: bool,
}

/// What Verify says of a typed PartnerID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verify {
    /// Asked; the answer is on its way.
    Checking,
    /// An active reseller of the book; chosen with a second Enter if it can be credited.
    Found(ResellerChoice),
    /// Why it can't be the reseller, in words.
    Refused(String),
}

fn choice(r: &crate::store::subscriptions::ResellerRef) -> ResellerChoice {
    ResellerChoice {
        id: r.id,
        name: r.name.clone(),
        partner_id: r.partner_id.clone(),
        // Already credited: the store checks it again if it changes.
        compliance: crate::domain::compliance::Compliance::COMPLIANT,
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
            mpn: Input::default(),
            verify: None,
            refused_removed: false,
        }
    }

    /// The typed PartnerID, as Verify is asked about it.
    pub fn mpn_typed(&self) -> &str {
        self.mpn.value().trim()
    }

    /// Verify's result in words: (can be chosen, words).
    pub fn verify_words(&self) -> Option<(bool, String)> {
        Some(match self.verify.as_ref()? {
            Verify::Checking => (false, format!("Verifying {}…", self.mpn_typed())),
            Verify::Found(r) => match r.compliance.failure() {
                None if r.compliance.unknown().is_some() => (
                    true,
                    format!(
                        "✓ {} ({}): active partnership; {}: check in Compliance before crediting — Enter to choose",
                        r.name,
                        r.partner_id,
                        r.compliance.describe()
                    ),
                ),
                None => (
                    true,
                    format!(
                        "✓ {} ({}): active partnership, MPA signed, POR valid — Enter to choose",
                        r.name, r.partner_id
                    ),
                ),
                Some(why) => (
                    false,
                    format!(
                        "✗ {} ({}) can't be credited: {why}. Choose another reseller, or none.",
                        r.name, r.partner_id
                    ),
                ),
            },
            Verify::Refused(why) => (false, format!("✗ {why}")),
        })
    }

    /// Enter on Reseller: the picker, or Verify of the typed PartnerID, or choosing it once
    /// verified and creditable.
    fn enter_reseller(&mut self) -> Outcome {
        if self.mpn_typed().is_empty() {
            return Outcome::open(Open::Picker(PickerPurpose::SubscriptionReseller));
        }
        if let Some(Verify::Found(choice)) = &self.verify
            && choice.compliance.failure().is_none()
        {
            self.reseller = Some(choice.clone());
            self.mpn = Input::default();
            self.verify = None;
            return Outcome::none();
        }
        if self.verify == Some(Verify::Checking) {
            return Outcome::none();
        }
        self.verify = Some(Verify::Checking);
        Outcome::effect(Some(Effect::db(DbCmd::VerifyPartnerId {
            partner_id: self.mpn_typed().to_owned(),
        })))
    }

    /// A role (Reseller or Support) still naming a reseller whose partnership was removed: the
    /// field, and why a change can't be saved until someone picks a current reseller or none.
    pub fn removed_problem(&self) -> Option<(usize, String)> {
        [(RESELLER, "Reseller (MPN ID)"), (SUPPORT, "Designated support contact")]
            .into_iter()
            .find_map(|(field, label)| {
                let r = self.named(field).filter(|_| self.still_removed(field))?;
                Some((field, removed_reseller_refusal(label, &r.name, &r.partner_id)))
            })
    }

    fn named(&self, field: usize) -> Option<&ResellerChoice> {
        match field {
            RESELLER => self.reseller.as_ref(),
            SUPPORT => self.support.as_ref(),
            _ => None,
        }
    }

    /// Reseller or Support still names the removed reseller it was saved with.
    pub fn still_removed(&self, field: usize) -> bool {
        let before = match field {
            RESELLER => self.detail.reseller.as_ref(),
            SUPPORT => self.detail.support_contact.as_ref(),
            _ => None,
        };
        match (self.named(field), before) {
            (Some(now), Some(before)) => before.removed && now.id == before.id,
            _ => false,
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
        } else if self.focus == RESELLER && (digit || delete) {
            let before = self.mpn.value().to_owned();
            self.mpn.handle(request);
            // Other digits are another PartnerID: verified again before they can be chosen.
            if self.mpn.value() != before {
                self.verify = None;
            }
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
        // A change is saved only once no role names a removed reseller: the operator picks a
        // current one, or none, first (the store refuses it too).
        if self.dirty()
            && let Some((field, _)) = self.removed_problem()
        {
            self.refused_removed = true;
            self.focus = field;
            return None;
        }
        self.submitting = true;
        Some(Effect::db(DbCmd::UpdateSubscription {
            id: self.detail.id,
            changes: self.changes(),
            at: now,
        }))
    }
}

impl Model for SubscriptionForm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        use Command::*;
        let now = cx.now;
        match command {
            NextField => self.focus = (self.focus + 1) % ROWS,
            PreviousField => self.focus = (self.focus + ROWS - 1) % ROWS,
            ChoiceLeft => self.cycle(false, now),
            ChoiceRight => self.cycle(true, now),
            Toggle if self.focus == AUTO_RENEW => self.auto_renew = !self.auto_renew,
            Enter if self.focus == RESELLER => return self.enter_reseller(),
            Enter if self.focus == SUPPORT => {
                return Outcome::open(Open::Picker(PickerPurpose::SupportContact));
            }
            Enter => self.focus = (self.focus + 1) % ROWS,
            Submit => return Outcome::effect(self.submit(now)),
            // Esc clears the typed PartnerID first.
            Back if !self.mpn.value().is_empty() => {
                self.mpn = Input::default();
                self.verify = None;
            }
            Back if self.dirty() => {
                return Outcome::open(Open::Question(Question {
                    title: "Unsaved changes".into(),
                    message: "Leave Subscription details without saving your changes?".into(),
                    yes_label: "Leave",
                    action: ConfirmAction::DiscardSubscriptionChanges,
                }));
            }
            Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, cx: &mut Cx) -> Outcome {
        // A role that can't change the reseller can't type a PartnerID to verify either.
        if self.focus == RESELLER && cx.refusal(Permission::ChangeReseller).is_some() {
            return Outcome::none();
        }
        if let Typed::Edit(request) = typed {
            self.edit(request);
        }
        Outcome::none()
    }

    fn on_answer(&mut self, answer: Answer, _cx: &mut Cx) -> Outcome {
        match answer {
            Answer::Picked(PickerPurpose::SubscriptionReseller, choice) => self.reseller = choice,
            Answer::Picked(PickerPurpose::SupportContact, choice) => self.support = choice,
            Answer::Yes(ConfirmAction::DiscardSubscriptionChanges) => return Outcome::close(),
            other => return crate::app::model::edge_answer(other),
        }
        Outcome::none()
    }

    /// Saved: the form is finished. Refused: it stays with the changes, to try again.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        if let DbReply::PartnerIdVerified { partner_id, result } = reply {
            // An answer about digits no longer typed is dropped.
            if partner_id == self.mpn_typed() && self.verify == Some(Verify::Checking) {
                self.verify = Some(match result {
                    Ok(row) => Verify::Found(ResellerChoice::from(row.as_ref())),
                    Err(why) => Verify::Refused(why),
                });
            }
            return Outcome::none();
        }
        self.submitting = false;
        finished(reply)
    }

    /// What the focused row's change needs of the operator's role.
    fn permission(&self, command: Command) -> Option<Permission> {
        use Command::*;
        match (command, self.focus) {
            (Enter, RESELLER) => Some(Permission::ChangeReseller),
            (Enter, SUPPORT) => Some(Permission::SetSupportContact),
            (ChoiceLeft | ChoiceRight | Toggle, QUANTITY | STATUS | AUTO_RENEW | OFFER) => {
                Some(Permission::PlaceOrders)
            }
            _ => None,
        }
    }
}
