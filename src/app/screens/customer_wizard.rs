//! The Add new customer wizard — Account info → New subscription → Review → Submit — and, for an
//! existing customer, Add subscription (New subscription → Review → Submit). Each step checks its
//! fields as the operator types; Next is refused with focus on the first problem; Back keeps all
//! input; Cancel asks, then writes nothing.

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

// Account info, in display order. The indirect reseller is a choice, not text: row RESELLER.
pub const COMPANY: usize = 0;
pub const DOMAIN: usize = 1;
pub const FIRST_NAME: usize = 2;
pub const LAST_NAME: usize = 3;
pub const EMAIL: usize = 4;
pub const PHONE: usize = 5;
pub const LINE1: usize = 6;
pub const LINE2: usize = 7;
pub const CITY: usize = 8;
pub const STATE: usize = 9;
pub const POSTAL: usize = 10;
pub const COUNTRY: usize = 11;
pub const CULTURE: usize = 12;
pub const LANGUAGE: usize = 13;
pub const REGISTRATION: usize = 14;
pub const MCA_NAME: usize = 15;
pub const MCA_EMAIL: usize = 16;
pub const MCA_DATE: usize = 17;
/// The row of the reseller choice, between the registration number and the MCA signer.
pub const RESELLER_ROW: usize = 15;
pub const ROWS: usize = 19;

/// Which text field a row shows, `None` for the reseller row.
pub fn field_of_row(row: usize) -> Option<usize> {
    match row {
        r if r < RESELLER_ROW => Some(r),
        RESELLER_ROW => None,
        r => Some(r - 1),
    }
}

fn row_of_field(field: usize) -> usize {
    if field < RESELLER_ROW {
        field
    } else {
        field + 1
    }
}

#[derive(Debug, Clone)]
pub struct AccountForm {
    pub fields: Vec<TextField>,
    pub focus: usize,
    pub reseller: Option<ResellerChoice>,
    /// Preselected from an Indirect resellers row: shown, not changeable.
    pub reseller_locked: bool,
    /// The provider's own email domain: a customer's email is never on it.
    pub provider_domain: String,
    pub domain_suffix: String,
    pub today: NaiveDate,
    /// The latest domain check asked for, and its answer (prefix, taken).
    pub domain_check: u64,
    pub domain_taken: Option<(String, bool)>,
}

impl AccountForm {
    pub fn new(provider_domain: String, today: NaiveDate) -> AccountForm {
        let f = TextField::new;
        let mut fields = vec![
            f(
                "Company name",
                "The customer's exact legal name: no test names or acronyms.",
            ),
            f(
                "Domain prefix",
                "Letters and digits, up to 27: the customer's .onmicrosoft.com domain.",
            ),
            f("First name", "The customer's contact person."),
            f("Last name", ""),
            f("Email", "The contact's email: not at your own domain."),
            f(
                "Phone",
                "Required in some countries (for example BR, IN, PL).",
            ),
            f("Address line 1", ""),
            f("Address line 2", "").optional(),
            f("City", ""),
            f("State/province", "").optional(),
            f("Postal code", "").optional(),
            f(
                "Country",
                "Two letters, such as US: sets culture and language.",
            ),
            f("Culture", "Such as en-US: filled in from the country."),
            f(
                "Language",
                "Two letters, such as en: filled in from the country.",
            ),
            f(
                "Registration no.",
                "Organization registration number: only where the country requires it.",
            ),
            f(
                "MCA signed by",
                "Who accepted the Microsoft Customer Agreement for the customer.",
            ),
            f("MCA signer email", ""),
            f("MCA date agreed", "YYYY-MM-DD, not in the future."),
        ];
        fields[MCA_DATE] = fields[MCA_DATE]
            .clone()
            .with_value(&today.format("%Y-%m-%d").to_string());
        let mut form = AccountForm {
            fields,
            focus: 0,
            reseller: None,
            reseller_locked: false,
            provider_domain,
            domain_suffix: ".onmicrosoft.com".into(),
            today,
            domain_check: 0,
            domain_taken: None,
        };
        form.revalidate();
        form
    }

    pub fn value(&self, field: usize) -> &str {
        self.fields[field].value().trim()
    }

    fn country(&self) -> String {
        Country::parse(self.value(COUNTRY))
            .map(|c| c.to_string())
            .unwrap_or_default()
    }

    /// Every field's verdict from its text (and the country, and the domain check).
    pub fn revalidate(&mut self) {
        let country = self.country();
        let verdicts: Vec<Verdict> = (0..self.fields.len())
            .map(|i| self.verdict(i, &country))
            .collect();
        for (field, verdict) in self.fields.iter_mut().zip(verdicts) {
            field.judge(verdict);
        }
    }

    fn verdict(&self, field: usize, country: &str) -> Verdict {
        let v = self.value(field);
        let result: Result<Option<String>, String> = match field {
            COMPANY => customer::company_name(v).map(|(_, warning)| warning),
            DOMAIN => customer::domain_prefix(v).and_then(|p| match &self.domain_taken {
                Some((checked, true)) if *checked == p => Err(format!(
                    "{p}{} is already taken: choose another prefix.",
                    self.domain_suffix
                )),
                _ => Ok(None),
            }),
            FIRST_NAME => customer::person_name(v, "first name").map(|_| None),
            LAST_NAME => customer::person_name(v, "last name").map(|_| None),
            EMAIL | MCA_EMAIL => customer::customer_email(v, &self.provider_domain).map(|_| None),
            PHONE => customer::phone(v, country).map(|_| None),
            LINE1 => customer::text_line(v, "address", 200, true).map(|_| None),
            LINE2 => customer::text_line(v, "address", 200, false).map(|_| None),
            CITY => customer::text_line(v, "city", 100, true).map(|_| None),
            STATE => customer::text_line(v, "state", 50, false).map(|_| None),
            POSTAL => customer::text_line(v, "postal code", 20, false).map(|_| None),
            COUNTRY => Country::parse(v).map(|_| None),
            CULTURE => customer::culture(v).map(|_| None),
            LANGUAGE => customer::language(v).map(|_| None),
            REGISTRATION => customer::registration_number(v, country).map(|_| None),
            MCA_NAME => customer::text_line(v, "signer's name", 100, true).map(|_| None),
            MCA_DATE => customer::agreement_date(v, self.today).map(|_| None),
            _ => Ok(None),
        };
        match result {
            Ok(None) => Verdict::Ok,
            Ok(Some(warning)) => Verdict::Warning(warning),
            Err(e) => Verdict::Error(e),
        }
    }

    /// A keystroke in the focused field. A new country fills culture and language; a valid
    /// domain prefix is checked against the database.
    pub fn edit(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect> {
        let field = field_of_row(self.focus)?;
        let country_before = self.country();
        self.fields[field].edit(request);
        self.after_edit(field, &country_before, seq)
    }

    pub fn paste(&mut self, text: &str, seq: &mut u64) -> Option<Effect> {
        let field = field_of_row(self.focus)?;
        let country_before = self.country();
        self.fields[field].paste(text);
        self.after_edit(field, &country_before, seq)
    }

    fn after_edit(&mut self, field: usize, country_before: &str, seq: &mut u64) -> Option<Effect> {
        if field == COUNTRY {
            let country = self.country();
            if !country.is_empty() && country != country_before {
                let old_default = customer::default_culture(country_before);
                // Only a culture the operator did not choose themselves follows the country.
                if self.value(CULTURE).is_empty() || self.value(CULTURE) == old_default {
                    let culture = customer::default_culture(&country);
                    self.fields[CULTURE].input = Input::new(culture.to_owned());
                    self.fields[LANGUAGE].input = Input::new(culture[..2].to_owned());
                }
            }
        }
        self.revalidate();
        if field != DOMAIN {
            return None;
        }
        let prefix = customer::domain_prefix(self.value(DOMAIN)).ok()?;
        *seq += 1;
        self.domain_check = *seq;
        Some(Effect::Db(DbCmd::CheckDomain { seq: *seq, prefix }))
    }

    pub fn domain_checked(&mut self, seq: u64, prefix: String, taken: bool) {
        if seq == self.domain_check {
            self.domain_taken = Some((prefix, taken));
            self.revalidate();
        }
    }

    /// Next: every field checked; focus goes to the first problem. True when all is well.
    pub fn ready(&mut self) -> bool {
        for field in &mut self.fields {
            field.touched = true;
        }
        self.revalidate();
        match self.fields.iter().position(|f| f.verdict.blocks()) {
            Some(bad) => {
                self.focus = row_of_field(bad);
                false
            }
            None => true,
        }
    }

    pub fn next_row(&mut self) {
        self.focus = next(self.focus, ROWS);
    }

    pub fn previous_row(&mut self) {
        self.focus = previous(self.focus, ROWS);
    }

    pub fn full_domain(&self) -> String {
        format!(
            "{}{}",
            self.value(DOMAIN).to_ascii_lowercase(),
            self.domain_suffix
        )
    }
}

/// One offer of the catalog, as the New subscription step shows it.
#[derive(Debug, Clone)]
pub struct OfferLine {
    pub offer: Offer,
    pub selected: bool,
    /// The licenses, as typed.
    pub quantity: Input,
    pub term: usize,
    pub billing_cycle: usize,
    /// The licenses are still the default: the first digit typed replaces them.
    pub fresh: bool,
}

impl OfferLine {
    pub fn quantity_problem(&self) -> Option<String> {
        let o = &self.offer;
        match self.quantity.value().trim().parse::<i64>() {
            Err(_) => Some(format!(
                "Licenses: a number from {} to {}.",
                o.min_quantity, o.max_quantity
            )),
            Ok(n) if !(o.min_quantity..=o.max_quantity).contains(&n) => Some(format!(
                "{n} licenses: {} allows {} to {}.",
                o.name, o.min_quantity, o.max_quantity
            )),
            Ok(_) => None,
        }
    }

    pub fn term(&self) -> &str {
        self.offer
            .terms
            .get(self.term)
            .map_or("P1M", String::as_str)
    }

    pub fn billing_cycle(&self) -> &str {
        self.offer
            .billing_cycles
            .get(self.billing_cycle)
            .map_or("monthly", String::as_str)
    }
}

#[derive(Debug, Clone)]
pub struct OrderForm {
    pub lines: Vec<OfferLine>,
    /// Index into `visible()`.
    pub cursor: usize,
    /// The catalog search, while open.
    pub search: Option<SearchField>,
    pub partner_of_record: Option<ResellerChoice>,
}

impl OrderForm {
    pub fn new(catalog: &[Offer], partner_of_record: Option<ResellerChoice>) -> OrderForm {
        let lines = catalog
            .iter()
            .map(|o| OfferLine {
                offer: o.clone(),
                selected: false,
                quantity: Input::new(o.min_quantity.to_string()),
                term: o.terms.iter().position(|t| t == "P1Y").unwrap_or(0),
                billing_cycle: 0,
                fresh: true,
            })
            .collect();
        OrderForm {
            lines,
            cursor: 0,
            search: None,
            partner_of_record,
        }
    }

    /// The lines the search shows, as indexes into `lines`.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self
            .search
            .as_ref()
            .map(|s| s.input.value().to_lowercase())
            .unwrap_or_default();
        (0..self.lines.len())
            .filter(|i| {
                let o = &self.lines[*i].offer;
                needle.is_empty()
                    || o.name.to_lowercase().contains(&needle)
                    || o.family.to_lowercase().contains(&needle)
            })
            .collect()
    }

    fn current(&mut self) -> Option<&mut OfferLine> {
        let index = *self.visible().get(self.cursor)?;
        self.lines.get_mut(index)
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.visible().len();
        if n > 0 {
            self.cursor = (self.cursor as isize + delta).clamp(0, n as isize - 1) as usize;
        }
    }

    pub fn toggle(&mut self) {
        if let Some(line) = self.current() {
            line.selected = !line.selected;
        }
    }

    /// `+` / `-`: one license more or less, within the offer's limits; selects the offer.
    pub fn step_quantity(&mut self, delta: i64) {
        if let Some(line) = self.current() {
            let now = line
                .quantity
                .value()
                .trim()
                .parse::<i64>()
                .unwrap_or(line.offer.min_quantity);
            let n = (now + delta).clamp(line.offer.min_quantity, line.offer.max_quantity);
            line.quantity = Input::new(n.to_string());
            line.selected = true;
            line.fresh = false;
        }
    }

    /// Digits typed on a line set its licenses (and select it).
    pub fn edit_quantity(&mut self, request: InputRequest) {
        let accept = match request {
            InputRequest::InsertChar(c) => c.is_ascii_digit(),
            InputRequest::DeletePrevChar
            | InputRequest::DeleteNextChar
            | InputRequest::DeleteLine => true,
            _ => false,
        };
        if let Some(line) = self.current().filter(|_| accept) {
            if line.fresh {
                // The first digit replaces the default.
                line.quantity = Input::default();
                line.fresh = false;
            }
            line.selected = true;
            line.quantity.handle(request);
        }
    }

    /// `t`: the next term; the billing cycle falls back to monthly if it no longer fits.
    pub fn cycle_term(&mut self) {
        if let Some(line) = self.current() {
            line.term = (line.term + 1) % line.offer.terms.len().max(1);
            if !cycle_fits(line.term(), line.billing_cycle()) {
                line.billing_cycle = 0;
            }
            line.selected = true;
        }
    }

    /// `b`: the next billing cycle that fits the term.
    pub fn cycle_billing(&mut self) {
        if let Some(line) = self.current() {
            let n = line.offer.billing_cycles.len().max(1);
            for _ in 0..n {
                line.billing_cycle = (line.billing_cycle + 1) % n;
                if cycle_fits(line.term(), line.billing_cycle()) {
                    break;
                }
            }
            line.selected = true;
        }
    }

    pub fn selected(&self) -> impl Iterator<Item = &OfferLine> {
        self.lines.iter().filter(|l| l.selected)
    }

    /// Next: Review is refused, with the reason, unless the order can be placed.
    pub fn check(&mut self) -> Result<(), String> {
        if self.selected().next().is_none() {
            return Err(
                "Select at least one subscription (Space), and enter its number of licenses."
                    .into(),
            );
        }
        if let Some((index, problem)) = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.selected)
            .find_map(|(i, l)| l.quantity_problem().map(|p| (i, p)))
        {
            if let Some(at) = self.visible().iter().position(|v| *v == index) {
                self.cursor = at;
            }
            return Err(problem);
        }
        if let Some(r) = &self.partner_of_record
            && let Some(why) = r.compliance
        {
            return Err(format!(
                "{} can't be the partner of record: {why}. Choose another reseller or none (p).",
                r.name
            ));
        }
        Ok(())
    }

    pub fn order(&self, attestation_accepted: bool) -> NewOrder {
        NewOrder {
            lines: self
                .selected()
                .map(|l| OrderLine {
                    offer_id: l.offer.id.clone(),
                    quantity: l
                        .quantity
                        .value()
                        .trim()
                        .parse()
                        .unwrap_or(l.offer.min_quantity),
                    term: l.term().to_owned(),
                    billing_cycle: l.billing_cycle().to_owned(),
                })
                .collect(),
            partner_of_record: self.partner_of_record.as_ref().map(|r| r.id),
            attestation_accepted,
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
