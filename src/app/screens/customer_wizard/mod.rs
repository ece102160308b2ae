//! The Add new customer wizard — Account info → New subscription → Review → Submit — and, for an
//! existing customer, Add subscription (New subscription → Review → Submit). Each step checks its
//! fields as the operator types; Next is refused with focus on the first problem; Back keeps all
//! input; Cancel asks, then writes nothing.

mod account;
mod order;

pub use account::*;
pub use order::*;

use chrono::{DateTime, NaiveDate, Utc};
use tui_input::{Input, InputRequest};

use super::confirm::{Confirm, ConfirmAction};
use super::reseller_picker::{PickerPurpose, ResellerChoice, ResellerPicker};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict, next, previous};
use crate::app::list::SearchField;
use crate::app::outcome::Outcome;
use crate::app::state::Modal;
use crate::domain::customer;
use crate::domain::ids::{Country, Email};
use crate::store::customers::{NewCustomer, NewOrder, Offer, OrderLine, cycle_fits};
use crate::store::worker::DbCmd;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardMode {
    NewCustomer,
    AddSubscription { customer_id: i64, customer: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    AccountInfo,
    Subscriptions,
    Review,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::AccountInfo => "Account info",
            Step::Subscriptions => "New subscription",
            Step::Review => "Review",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CustomerWizard {
    pub mode: WizardMode,
    pub step: Step,
    pub account: AccountForm,
    pub order: OrderForm,
    /// The partner-of-record attestation, on Review.
    pub attested: bool,
    /// Why the last Next or Submit was refused; the input stays.
    pub problem: Option<String>,
    pub submitting: bool,
    /// Lines scrolled on Review.
    pub review_scroll: u16,
    /// Why the operator's role can't place orders (User admin): the customer is then created
    /// without subscriptions, and the offers can't be selected.
    pub orders_refused: Option<String>,
}

impl CustomerWizard {
    /// Add new customer; `reseller` preselected (and locked) when started from a reseller's row.
    pub fn new_customer(
        catalog: &[Offer],
        reseller: Option<ResellerChoice>,
        provider_domain: String,
        today: NaiveDate,
    ) -> Self {
        let mut account = AccountForm::new(provider_domain, today);
        account.reseller_locked = reseller.is_some();
        account.reseller = reseller.clone();
        CustomerWizard {
            mode: WizardMode::NewCustomer,
            step: Step::AccountInfo,
            account,
            order: OrderForm::new(catalog, reseller),
            attested: false,
            problem: None,
            submitting: false,
            review_scroll: 0,
            orders_refused: None,
        }
    }

    /// Add subscription to an existing customer; `reseller`, the customer's own indirect
    /// reseller, is the default partner of record.
    pub fn add_subscription(
        catalog: &[Offer],
        customer_id: i64,
        customer: String,
        reseller: Option<ResellerChoice>,
        today: NaiveDate,
    ) -> Self {
        CustomerWizard {
            mode: WizardMode::AddSubscription {
                customer_id,
                customer,
            },
            step: Step::Subscriptions,
            account: AccountForm::new(String::new(), today),
            order: OrderForm::new(catalog, reseller),
            attested: false,
            problem: None,
            submitting: false,
            review_scroll: 0,
            orders_refused: None,
        }
    }

    /// The wizard holds input the operator would lose by cancelling.
    pub fn has_input(&self) -> bool {
        self.order.selected().next().is_some()
            || (self.mode == WizardMode::NewCustomer
                && self
                    .account
                    .fields
                    .iter()
                    .enumerate()
                    .any(|(i, f)| i != MCA_DATE && !f.value().is_empty()))
    }

    /// An offer chosen by a role that can't place orders: said, nothing selected.
    fn refuse_order(&mut self) {
        if let Some(why) = &self.orders_refused {
            self.problem = Some(format!("{why} {WITHOUT_ORDER}"));
        }
    }

    /// Ctrl-N: Next: Subscriptions, or Next: Review.
    pub fn next_step(&mut self) {
        self.problem = None;
        match self.step {
            Step::AccountInfo => {
                if self.account.ready() {
                    // The customer's reseller is the default partner of record.
                    if self.order.partner_of_record.is_none() {
                        self.order.partner_of_record = self.account.reseller.clone();
                    }
                    self.step = Step::Subscriptions;
                } else {
                    self.problem =
                        Some("Some fields need attention: see the first one, focused.".into());
                }
            }
            Step::Subscriptions if self.orders_refused.is_some() => self.step = Step::Review,
            Step::Subscriptions => match self.order.check() {
                Ok(()) => self.step = Step::Review,
                Err(why) => self.problem = Some(why),
            },
            Step::Review => {}
        }
    }

    /// Ctrl-B: back one step, keeping all input.
    pub fn previous_step(&mut self) {
        self.problem = None;
        self.step = match (self.step, &self.mode) {
            (Step::Review, _) => Step::Subscriptions,
            (Step::Subscriptions, WizardMode::NewCustomer) => Step::AccountInfo,
            (step, _) => step,
        };
    }

    /// Ctrl-S on Review: the one transaction that places everything.
    pub fn submit(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        if self.step != Step::Review || self.submitting {
            return None;
        }
        let ordering = self.order.selected().next().is_some();
        if ordering && self.order.partner_of_record.is_some() && !self.attested {
            self.problem = Some("Accept the partner-of-record attestation first (Space).".into());
            return None;
        }
        let order = self
            .order
            .order(self.order.partner_of_record.is_some() && self.attested);
        self.problem = None;
        self.submitting = true;
        Some(Effect::Db(match &self.mode {
            WizardMode::AddSubscription {
                customer_id,
                customer,
            } => DbCmd::AddSubscriptions {
                customer_id: *customer_id,
                customer: customer.clone(),
                order,
                at,
            },
            WizardMode::NewCustomer => DbCmd::CreateCustomer {
                customer: Box::new(self.new_customer_record(order)),
                at,
            },
        }))
    }

    fn new_customer_record(&self, order: NewOrder) -> NewCustomer {
        let a = &self.account;
        let optional = |field: usize| Some(a.value(field).to_owned()).filter(|v| !v.is_empty());
        let country = a.country();
        NewCustomer {
            company_name: a.value(COMPANY).to_owned(),
            domain_prefix: a.value(DOMAIN).to_ascii_lowercase(),
            registration_number: optional(REGISTRATION),
            first_name: a.value(FIRST_NAME).to_owned(),
            last_name: a.value(LAST_NAME).to_owned(),
            email: Email::parse(a.value(EMAIL))
                .map(|e| e.to_string())
                .unwrap_or_default(),
            phone: optional(PHONE),
            address_line1: a.value(LINE1).to_owned(),
            address_line2: optional(LINE2),
            city: a.value(CITY).to_owned(),
            state: optional(STATE),
            postal_code: optional(POSTAL),
            country,
            culture: a.value(CULTURE).to_owned(),
            language: a.value(LANGUAGE).to_owned(),
            reseller_id: a.reseller.as_ref().map(|r| r.id),
            mca_signer_name: a.value(MCA_NAME).to_owned(),
            mca_signer_email: Email::parse(a.value(MCA_EMAIL))
                .map(|e| e.to_string())
                .unwrap_or_default(),
            mca_date_agreed: customer::agreement_date(a.value(MCA_DATE), a.today)
                .unwrap_or(a.today),
            order,
        }
    }
}

/// The wizard's update arm: a command while it is the top modal.
/// Said when the role can't place orders (User admin).
pub const WITHOUT_ORDER: &str = "The customer is created without subscriptions: someone whose role \
     may place orders adds them later (s on Customers).";

pub fn on_command(
    w: &mut CustomerWizard,
    command: Command,
    now: DateTime<Utc>,
    seq: &mut u64,
) -> Outcome {
    use Command::*;
    match (w.step, command) {
        (_, Back) => Outcome::push(Modal::Confirm(Confirm {
            title: "Cancel".into(),
            message: if w.has_input() {
                "Cancel the entire operation and start over? Nothing is saved; everything typed is lost.".into()
            } else {
                "Cancel the entire operation? Nothing is saved.".into()
            },
            yes_label: "Cancel it",
            action: ConfirmAction::CancelWizard,
            yes_focused: false,
        })),
        (_, NextStep) => {
            w.next_step();
            Outcome::none()
        }
        (_, PreviousStep) => {
            w.previous_step();
            Outcome::none()
        }
        (Step::AccountInfo, NextField) => {
            w.account.next_row();
            Outcome::none()
        }
        (Step::AccountInfo, PreviousField) => {
            w.account.previous_row();
            Outcome::none()
        }
        (Step::AccountInfo, Enter) if w.account.focus == RESELLER_ROW => {
            if w.account.reseller_locked {
                return Outcome {
                    toast: Some("The reseller was chosen on Indirect resellers: it stays".into()),
                    ..Outcome::none()
                };
            }
            open_picker(PickerPurpose::CustomerReseller, seq)
        }
        (Step::AccountInfo, Enter) => {
            w.account.next_row();
            Outcome::none()
        }
        (Step::Subscriptions, Up) => {
            w.order.move_by(-1);
            Outcome::none()
        }
        (Step::Subscriptions, Down) => {
            w.order.move_by(1);
            Outcome::none()
        }
        (Step::Subscriptions, Toggle | Increase | Decrease | CycleTerm | CycleBilling)
            if w.orders_refused.is_some() =>
        {
            w.refuse_order();
            Outcome::none()
        }
        (Step::Subscriptions, Toggle) => {
            w.order.toggle();
            w.problem = None;
            Outcome::none()
        }
        (Step::Subscriptions, Increase) => {
            w.order.step_quantity(1);
            Outcome::none()
        }
        (Step::Subscriptions, Decrease) => {
            w.order.step_quantity(-1);
            Outcome::none()
        }
        (Step::Subscriptions, CycleTerm) => {
            w.order.cycle_term();
            Outcome::none()
        }
        (Step::Subscriptions, CycleBilling) => {
            w.order.cycle_billing();
            Outcome::none()
        }
        (Step::Subscriptions, PickReseller) => open_picker(PickerPurpose::PartnerOfRecord, seq),
        (Step::Subscriptions, Search) => {
            let field = w.order.search.get_or_insert_with(SearchField::default);
            field.focused = true;
            Outcome::none()
        }
        (Step::Subscriptions, SearchAccept) => {
            if let Some(field) = &mut w.order.search {
                field.focused = false;
            }
            w.order.cursor = 0;
            Outcome::none()
        }
        (Step::Review, Up) => {
            w.review_scroll = w.review_scroll.saturating_sub(1);
            Outcome::none()
        }
        (Step::Review, Down) => {
            w.review_scroll = w.review_scroll.saturating_add(1).min(60);
            Outcome::none()
        }
        (Step::Review, Toggle) => {
            w.attested = !w.attested;
            Outcome::none()
        }
        (Step::Review, Submit) => Outcome::effect(w.submit(now)),
        _ => Outcome::none(),
    }
}

fn open_picker(purpose: PickerPurpose, seq: &mut u64) -> Outcome {
    let (picker, effect) = ResellerPicker::open(purpose, seq);
    Outcome {
        effects: vec![effect],
        push: Some(Modal::ResellerPicker(Box::new(picker))),
        ..Outcome::none()
    }
}

/// A keystroke for the wizard's focused field (or the licenses of the offer under the cursor).
pub fn on_edit(w: &mut CustomerWizard, request: InputRequest, seq: &mut u64) -> Option<Effect> {
    match w.step {
        Step::AccountInfo => w.account.edit(request, seq),
        Step::Subscriptions => {
            match &mut w.order.search {
                Some(field) if field.focused => {
                    field.input.handle(request);
                    w.order.cursor = 0;
                }
                _ if w.orders_refused.is_some() => w.refuse_order(),
                _ => {
                    w.order.edit_quantity(request);
                    w.problem = None;
                }
            }
            None
        }
        Step::Review => None,
    }
}
