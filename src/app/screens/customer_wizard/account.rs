//! Account info: the new customer's fields, checked as they are typed.

use chrono::NaiveDate;
use tui_input::{Input, InputRequest};

use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict, next, previous};
use crate::app::outcome::ResellerChoice;
use crate::domain::customer;
use crate::domain::ids::Country;
use crate::store::worker::DbCmd;

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

pub(super) fn row_of_field(field: usize) -> usize {
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

    pub(super) fn country(&self) -> String {
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
        Some(Effect::db(DbCmd::CheckDomain { seq: *seq, prefix }))
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
