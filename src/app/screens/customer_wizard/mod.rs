//! The Add new customer wizard — Account info → New subscription → Review → Submit — and, for an
//! existing customer, Add subscription (New subscription → Review → Submit). Each step checks its
//! fields as the operator types; Next is refused with focus on the first problem; Back keeps all
//! input; Cancel asks, then writes nothing.

mod account;
mod order;

pub use account::*;
pub use order::*;

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, MOVE, SEARCH, Typing, bind, ch, ctrl, key, keys};
use crate::app::list::SearchField;
use crate::app::model::{Cx, Model, Typed, edge_answer, settled};
use crate::app::outcome::{
    Answer, ConfirmAction, Open, Outcome, PickerPurpose, Question, ResellerChoice,
};
use crate::domain::compliance::Compliance;
use crate::domain::customer;
use crate::domain::ids::Email;
use crate::domain::permission::Permission;
use crate::store::customers::{NewCustomer, NewOrder, Offer};
use crate::store::worker::{DbCmd, DbReply};

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

    /// Ctrl-S on Review: an order crediting a reseller whose compliance is unknown asks first
    /// (Check now, or Order anyway); anything else is placed. On a connected book nothing is
    /// asked: Partner Center is asked before the order, and its answer decides.
    pub fn submit_or_ask(&mut self, at: DateTime<Utc>, connected: bool) -> Outcome {
        let ordering = self.order.selected().next().is_some() && !connected;
        match self.order.unknown_warning() {
            // Unattested, Submit says that first.
            Some(warning) if ordering && self.attested && self.step == Step::Review && !self.submitting => {
                Outcome::open(Open::UnknownCompliance { warning })
            }
            _ => Outcome::effect(self.submit(at)),
        }
    }

    /// Check now: Compliance for the partner of record, if the operator may record it.
    fn check_compliance(&mut self, cx: &Cx) -> Outcome {
        let Some(r) = &self.order.partner_of_record else {
            return Outcome::none();
        };
        if let Some(why) = cx.refusal(Permission::EditCompliance) {
            self.problem = Some(format!(
                "{why} Ask a Global admin or Admin agent to check {} in Compliance (Indirect resellers, c), \
                 or order anyway.",
                r.name
            ));
            return Outcome::none();
        }
        Outcome::open(Open::Compliance {
            reseller_id: r.id,
            name: r.name.clone(),
            compliance: r.compliance,
        })
    }

    /// Compliance was saved: the choices of the wizard carry the new state, and say what it means.
    fn compliance_checked(&mut self, reseller_id: i64, compliance: Compliance) {
        for r in [&mut self.order.partner_of_record, &mut self.account.reseller]
            .into_iter()
            .flatten()
            .filter(|r| r.id == reseller_id)
        {
            r.compliance = compliance;
        }
        self.problem = match (&self.order.partner_of_record, compliance.failure()) {
            (Some(r), Some(why)) if r.id == reseller_id => Some(format!(
                "{} can't be the partner of record: {why}. Choose another reseller or none (Ctrl-B, p).",
                r.name
            )),
            _ => None,
        };
    }

    /// Ctrl-S on Review: the one transaction that places everything.
    pub fn submit(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        if self.step != Step::Review || self.submitting {
            return None;
        }
        let ordering = self.order.selected().next().is_some();
        if ordering
            && let Some(r) = &self.order.partner_of_record
            && let Some(why) = r.compliance.failure()
        {
            self.problem = Some(format!(
                "{} can't be the partner of record: {why}. Choose another reseller or none (Ctrl-B, p).",
                r.name
            ));
            return None;
        }
        if ordering && self.order.partner_of_record.is_some() && !self.attested {
            self.problem = Some("Accept the partner-of-record attestation first (Space).".into());
            return None;
        }
        let order = self
            .order
            .order(self.order.partner_of_record.is_some() && self.attested);
        self.problem = None;
        self.submitting = true;
        Some(Effect::db(match &self.mode {
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

/// Said when the role can't place orders (User admin).
pub const WITHOUT_ORDER: &str = "The customer is created without subscriptions: someone whose role \
     may place orders adds them later (s on Customers).";

#[rustfmt::skip]
pub const ACCOUNT_KEYS: Keys = keys(
    "Account info",
    &[
        bind(&[ctrl('n')], Command::NextStep, "Next: Subscriptions", true),
        bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
        bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
        bind(&[key(KeyCode::Enter)], Command::Enter, "next field / choose reseller", false),
        bind(&[key(KeyCode::Esc)], Command::Back, "Cancel", true),
    ],
    Typing::Line,
);

#[rustfmt::skip]
pub const OFFERS_KEYS: Keys = keys(
    "New subscription",
    &[
        bind(&[ctrl('n')], Command::NextStep, "Next: Review", true),
        bind(&[ctrl('b')], Command::PreviousStep, "Back", true),
        bind(&[ch(' ')], Command::Toggle, "select", true),
        bind(&[ch('+')], Command::Increase, "license", true),
        bind(&[ch('-')], Command::Decrease, "license", true),
        bind(&[ch('t')], Command::CycleTerm, "term", true),
        bind(&[ch('b')], Command::CycleBilling, "billing", true),
        bind(&[ch('p')], Command::PickReseller, "partner of record", true),
        bind(&[ch('/')], Command::Search, "search", false),
        bind(&[key(KeyCode::Esc)], Command::Back, "Cancel", true),
        MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
    ],
    // Digits set the licenses.
    Typing::Line,
);

#[rustfmt::skip]
pub const REVIEW_KEYS: Keys = keys(
    "Review",
    &[
        bind(&[ctrl('s')], Command::Submit, "Submit", true),
        bind(&[ch(' ')], Command::Toggle, "attestation", true),
        bind(&[ctrl('b')], Command::PreviousStep, "Back", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "Cancel", true),
        bind(&[key(KeyCode::Up), ch('k')], Command::Up, "scroll up", false),
        bind(&[key(KeyCode::Down), ch('j')], Command::Down, "scroll down", false),
    ],
    Typing::No,
);

impl CustomerWizard {
    /// Add new customer, as the operator's role and the provider's domain have it.
    pub fn open_new(reseller: Option<ResellerChoice>, cx: &Cx) -> CustomerWizard {
        let provider_domain = cx
            .provider
            .and_then(|p| {
                p.support_email
                    .rsplit_once('@')
                    .map(|(_, d)| d.to_ascii_lowercase())
            })
            .unwrap_or_default();
        let mut wizard =
            CustomerWizard::new_customer(cx.catalog, reseller, provider_domain, cx.now.date_naive());
        wizard.orders_refused = cx.refusal(Permission::PlaceOrders);
        wizard
    }

    /// The keys of the step shown.
    pub fn step_keys(&self) -> &'static Keys {
        match self.step {
            Step::AccountInfo => &ACCOUNT_KEYS,
            Step::Subscriptions => &OFFERS_KEYS,
            Step::Review => &REVIEW_KEYS,
        }
    }

    fn search_focused(&self) -> bool {
        self.step == Step::Subscriptions && self.order.search.as_ref().is_some_and(|s| s.focused)
    }

    fn cancel(&self) -> Outcome {
        Outcome::open(Open::Question(Question {
            title: "Cancel".into(),
            message: if self.has_input() {
                "Cancel the entire operation and start over? Nothing is saved; everything typed is lost.".into()
            } else {
                "Cancel the entire operation? Nothing is saved.".into()
            },
            yes_label: "Cancel it",
            action: ConfirmAction::CancelWizard,
        }))
    }
}

impl Model for CustomerWizard {
    fn keys(&self) -> Vec<&'static Keys> {
        if self.search_focused() {
            return vec![&SEARCH];
        }
        vec![self.step_keys()]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        use Command::*;
        match (self.step, command) {
            (_, Back) => return self.cancel(),
            (_, NextStep) => self.next_step(),
            (_, PreviousStep) => self.previous_step(),
            (Step::AccountInfo, NextField) => self.account.next_row(),
            (Step::AccountInfo, PreviousField) => self.account.previous_row(),
            (Step::AccountInfo, Enter) if self.account.focus == RESELLER_ROW => {
                if self.account.reseller_locked {
                    return Outcome::toast("The reseller was chosen on Indirect resellers: it stays");
                }
                return Outcome::open(Open::Picker(PickerPurpose::CustomerReseller));
            }
            (Step::AccountInfo, Enter) => self.account.next_row(),
            (Step::Subscriptions, Up) => self.order.move_by(-1),
            (Step::Subscriptions, Down) => self.order.move_by(1),
            (Step::Subscriptions, PageUp) => self.order.move_by(-catalog_page(cx.height)),
            (Step::Subscriptions, PageDown) => self.order.move_by(catalog_page(cx.height)),
            (Step::Subscriptions, Home) => self.order.home(),
            (Step::Subscriptions, End) => self.order.end(),
            (Step::Subscriptions, Toggle | Increase | Decrease | CycleTerm | CycleBilling)
                if self.orders_refused.is_some() =>
            {
                self.refuse_order()
            }
            (Step::Subscriptions, Toggle) => {
                self.order.toggle();
                self.problem = None;
            }
            (Step::Subscriptions, Increase) => self.order.step_quantity(1),
            (Step::Subscriptions, Decrease) => self.order.step_quantity(-1),
            (Step::Subscriptions, CycleTerm) => self.order.cycle_term(),
            (Step::Subscriptions, CycleBilling) => self.order.cycle_billing(),
            (Step::Subscriptions, PickReseller) => {
                return Outcome::open(Open::Picker(PickerPurpose::PartnerOfRecord));
            }
            (Step::Subscriptions, Search) => {
                let field = self.order.search.get_or_insert_with(SearchField::default);
                field.focused = true;
            }
            (Step::Subscriptions, SearchAccept) => {
                if let Some(field) = &mut self.order.search {
                    field.focused = false;
                }
                self.order.cursor = 0;
            }
            (Step::Review, Up) => self.review_scroll = self.review_scroll.saturating_sub(1),
            (Step::Review, Down) => {
                self.review_scroll = self.review_scroll.saturating_add(1).min(60)
            }
            (Step::Review, Toggle) => self.attested = !self.attested,
            (Step::Review, Submit) => return self.submit_or_ask(cx.now, cx.connected),
            _ => {}
        }
        Outcome::none()
    }

    /// A keystroke for the focused field (or the licenses of the offer under the cursor).
    fn on_text(&mut self, typed: Typed, cx: &mut Cx) -> Outcome {
        match (self.step, typed) {
            (Step::AccountInfo, Typed::Edit(request)) => {
                return Outcome::effect(self.account.edit(request, cx.seq));
            }
            (Step::AccountInfo, Typed::Paste(text)) => {
                return Outcome::effect(self.account.paste(&text, cx.seq));
            }
            (Step::Subscriptions, Typed::Edit(request)) => match &mut self.order.search {
                Some(field) if field.focused => {
                    field.input.handle(request);
                    self.order.cursor = 0;
                }
                _ if self.orders_refused.is_some() => self.refuse_order(),
                _ => {
                    self.order.edit_quantity(request);
                    self.problem = None;
                }
            },
            _ => {}
        }
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        match self.step {
            Step::AccountInfo => field_of_row(self.account.focus).is_some(),
            Step::Subscriptions => self.search_focused(),
            Step::Review => false,
        }
    }

    fn on_answer(&mut self, answer: Answer, cx: &mut Cx) -> Outcome {
        match answer {
            Answer::Picked(PickerPurpose::CustomerReseller, choice) => {
                self.account.reseller = choice;
            }
            Answer::Picked(PickerPurpose::PartnerOfRecord, choice) => {
                self.order.partner_of_record = choice;
                self.problem = None;
            }
            Answer::Yes(ConfirmAction::CheckCompliance) => return self.check_compliance(cx),
            Answer::Yes(ConfirmAction::OrderAnyway) => return Outcome::effect(self.submit(cx.now)),
            Answer::ComplianceChecked {
                reseller_id,
                compliance,
            } => self.compliance_checked(reseller_id, compliance),
            Answer::Yes(ConfirmAction::CancelWizard) => {
                return Outcome {
                    close: true,
                    ..Outcome::toast("Cancelled: nothing was saved")
                };
            }
            other => return edge_answer(other),
        }
        Outcome::none()
    }

    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::DomainChecked { seq, prefix, taken } => {
                self.account.domain_checked(seq, prefix, taken);
                Outcome::none()
            }
            // The wizard is done; the credentials show once, on Confirmation.
            DbReply::CustomerCreated(created) => Outcome {
                close: true,
                ..Outcome::open(Open::Confirmation(created))
            },
            DbReply::Done { .. } => Outcome {
                close: true,
                ..settled(reply)
            },
            // The wizard keeps all its input, and the reason, to try again.
            DbReply::Refused { ref message, .. } | DbReply::Failed { ref message, .. } => {
                self.submitting = false;
                self.problem = Some(message.clone());
                settled(reply)
            }
            other => settled(other),
        }
    }
}
