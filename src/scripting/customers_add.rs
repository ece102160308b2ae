//! `twotier customers add`: a whole new customer — account, Microsoft Customer Agreement
//! acceptance, order and subscriptions — from a JSON description. Every field is checked by the
//! rules the console's Add new customer form uses (`domain::customer`, `domain::ids`); the store
//! then creates it all in one transaction, with its own permission and consistency checks. The
//! admin user name and the temporary password go to stdout, once, and nowhere else.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, anyhow};
use chrono::{NaiveDate, Utc};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Deserializer};

use super::customers_add_through::{self, print_credentials};
use super::partner_center;
use super::refusal::refused;
use crate::config::Config;
use crate::domain::customer;
use crate::domain::ids::{Country, PartnerId};
use crate::domain::permission::Permission;
use crate::domain::text::{cleaned, escaped, shown_path};
use crate::store::customers::{
    NewCustomer, NewOrder, OrderLine, POR_ATTESTATION, crediting_refusal, cycle_fits,
};
use crate::store::{CommandError, Store};

/// The description `--from` reads. The field names are stable; unknown ones are refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Description {
    company_name: String,
    domain_prefix: String,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    address_line1: String,
    address_line2: Option<String>,
    city: String,
    state: Option<String>,
    postal_code: Option<String>,
    country: String,
    culture: Option<String>,
    language: Option<String>,
    registration_number: Option<String>,
    reseller_partner_id: Option<String>,
    mca: Agreement,
    subscriptions: Vec<Subscription>,
    /// Left out: the reseller, as in the wizard; `null`: none.
    #[serde(default, deserialize_with = "present")]
    partner_of_record_partner_id: Option<Option<String>>,
    attest_partner_of_record: bool,
}

/// The Microsoft Customer Agreement acceptance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Agreement {
    signer_name: String,
    signer_email: String,
    date_agreed: String,
}

/// One line of the order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Subscription {
    offer_id: String,
    quantity: i64,
    term: Option<String>,
    billing_cycle: Option<String>,
}

/// A field that is there, even as `null` (`Some(None)`), against one left out (`None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The fields that need attention, in the order of the description, each with why.
#[derive(Default)]
struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, field: &str, why: impl AsRef<str>) {
        self.0
            .push((field.to_owned(), escaped(why.as_ref()).into_owned()));
    }

    /// The value, or `None` with the problem noted against `field`.
    fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|why| self.add(field, why)).ok()
    }

    fn into_error(self) -> anyhow::Error {
        match self.0.as_slice() {
            [(field, why)] => anyhow!("not added: {field}: {why}"),
            all => {
                let lines: Vec<String> = all
                    .iter()
                    .map(|(field, why)| format!("  {field}: {why}"))
                    .collect();
                anyhow!(
                    "not added: {} fields need attention:\n{}",
                    all.len(),
                    lines.join("\n")
                )
            }
        }
    }
}

/// An active reseller, as a choice of the form: what crediting it needs.
#[derive(Debug, Clone)]
struct Reseller {
    id: i64,
    name: String,
    partner_id: String,
    compliance: crate::domain::compliance::Compliance,
}

pub fn run(store: &mut Store, from: &Path, json: bool, config: &Config) -> anyhow::Result<()> {
    let description = read(from)?;
    store
        .require(Permission::AddCustomer)
        .map_err(refused)
        .context("not added")?;
    if !description.subscriptions.is_empty() {
        store
            .require(Permission::PlaceOrders)
            .map_err(|e| match e {
                CommandError::Refused(why) => anyhow!(
                    "{why} With \"subscriptions\": [] the customer is added without an order; someone \
                     whose role may place orders adds the subscriptions later."
                ),
                other => refused(other),
            })
            .context("not added")?;
    }
    let mut warnings = Vec::new();
    let connected = config.partner_center.is_some();
    let new = check(
        store,
        &description,
        Utc::now().date_naive(),
        connected,
        &mut warnings,
    )?;
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let new = new.map_err(Problems::into_error)?;
    if let Some(remote) = partner_center::connect(config)? {
        return customers_add_through::add_through(store, &remote, &new, json);
    }
    let created = store
        .create_customer(&new, Utc::now())
        .map_err(refused)
        .context("not added")?;
    let (microsoft_id, domain): (String, String) = store
        .conn()
        .query_row(
            "SELECT tenant_id, domain FROM customers WHERE id = ?1",
            [created.customer_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .context("reading the new customer back")?;
    let count = new.order.lines.len();
    let printed = print_credentials(
        &created.admin_user_name,
        &created.password,
        &microsoft_id,
        &domain,
        count,
        json,
    );
    let company = created.company_name.clone();
    // As the Confirmation's Done: the password is dropped and its memory wiped, printed or not.
    drop(created);
    printed.map_err(|e| {
        anyhow!(
            "{} was added, but its credentials could not be printed ({e}): reset the admin's \
             password in Partner Center.",
            escaped(&company)
        )
    })?;
    let noun = if count == 1 {
        "subscription"
    } else {
        "subscriptions"
    };
    eprintln!(
        "Added {} ({domain}, Microsoft ID {microsoft_id}) with {count} {noun}. The temporary \
         password is shown this once.",
        escaped(&company)
    );
    Ok(())
}

/// The description from the file, or from stdin for `-`.
fn read(from: &Path) -> anyhow::Result<Description> {
    let (bytes, source) = if from == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("not added: reading the description from stdin")?;
        (bytes, "the description on stdin".to_owned())
    } else {
        let bytes = std::fs::read(from)
            .with_context(|| format!("not added: reading {}", shown_path(from)))?;
        (bytes, shown_path(from))
    };
    // serde's message quotes field names as they were typed: shown with visible escapes.
    serde_json::from_slice(&bytes).map_err(|e| {
        anyhow!(
            "not added: {source} is not a valid customer description: {}",
            escaped(&e.to_string())
        )
    })
}

/// Every field through the form's own rule. `Ok(Err(problems))` when some need attention.
fn check(
    store: &Store,
    d: &Description,
    today: NaiveDate,
    connected: bool,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Result<NewCustomer, Problems>> {
    let mut p = Problems::default();
    let optional = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
    let non_empty = |v: String| Some(v).filter(|v| !v.is_empty());
    // The provider's own email domain, as the wizard has it: a customer's email is never on it.
    let provider_domain = store
        .provider()
        .context("reading the provider profile")?
        .support_email
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .unwrap_or_default();

    let company_name = match p.check("company_name", customer::company_name(&d.company_name)) {
        Some((name, warning)) => {
            if let Some(w) = warning {
                warnings.push(format!("company_name: {w}"));
            }
            Some(name)
        }
        None => None,
    };
    let domain_prefix = match p.check("domain_prefix", customer::domain_prefix(&d.domain_prefix)) {
        Some(prefix) if store.domain_taken(&prefix).map_err(refused)? => {
            let domain = store.full_domain(&prefix).map_err(refused)?;
            p.add(
                "domain_prefix",
                format!("{domain} is already taken: choose another prefix."),
            );
            None
        }
        other => other,
    };
    let first_name = p.check(
        "first_name",
        customer::person_name(&d.first_name, "first name"),
    );
    let last_name = p.check(
        "last_name",
        customer::person_name(&d.last_name, "last name"),
    );
    let email = p.check(
        "email",
        customer::customer_email(&d.email, &provider_domain).map(|e| e.to_string()),
    );
    // The country first: the phone, the registration number and the defaults depend on it.
    let country = Country::parse(&d.country).map(|c| c.to_string());
    let in_country = country.clone().unwrap_or_default();
    let phone = p.check("phone", customer::phone(&optional(&d.phone), &in_country));
    let address_line1 = p.check(
        "address_line1",
        customer::text_line(&d.address_line1, "address", 200, true),
    );
    let address_line2 = p.check(
        "address_line2",
        customer::text_line(&optional(&d.address_line2), "address", 200, false),
    );
    let city = p.check("city", customer::text_line(&d.city, "city", 100, true));
    let state = p.check(
        "state",
        customer::text_line(&optional(&d.state), "state", 50, false),
    );
    let postal_code = p.check(
        "postal_code",
        customer::text_line(&optional(&d.postal_code), "postal code", 20, false),
    );
    let country = p.check("country", country);
    // As the wizard fills them in when the country is typed.
    let default_culture = customer::default_culture(&in_country);
    let culture = p.check(
        "culture",
        customer::culture(d.culture.as_deref().unwrap_or(default_culture)),
    );
    let language = p.check(
        "language",
        customer::language(d.language.as_deref().unwrap_or(&default_culture[..2])),
    );
    let registration_number = p.check(
        "registration_number",
        customer::registration_number(&optional(&d.registration_number), &in_country),
    );
    let reseller = match &d.reseller_partner_id {
        Some(text) => active_reseller(store, &mut p, "reseller_partner_id", text)?,
        None => None,
    };
    let mca_signer_name = p.check(
        "mca.signer_name",
        customer::text_line(&d.mca.signer_name, "signer's name", 100, true),
    );
    let mca_signer_email = p.check(
        "mca.signer_email",
        customer::customer_email(&d.mca.signer_email, &provider_domain).map(|e| e.to_string()),
    );
    let mca_date_agreed = p.check(
        "mca.date_agreed",
        customer::agreement_date(&d.mca.date_agreed, today),
    );

    let lines = order_lines(store, &mut p, &d.subscriptions)?;
    // The customer's reseller is the default partner of record, as in the wizard.
    let (por_field, partner_of_record) = match &d.partner_of_record_partner_id {
        None => (
            "partner_of_record_partner_id (by default the reseller_partner_id)",
            reseller.clone(),
        ),
        Some(None) => ("partner_of_record_partner_id", None),
        Some(Some(text)) => (
            "partner_of_record_partner_id",
            active_reseller(store, &mut p, "partner_of_record_partner_id", text)?,
        ),
    };
    if !d.subscriptions.is_empty()
        && let Some(r) = &partner_of_record
    {
        if let Some(why) = crediting_refusal(&r.name, "active", r.compliance) {
            p.add(por_field, why);
        } else {
            // A script can't be asked, as the console asks: it is told, on stderr. A connected
            // book asks Partner Center before the order, and its answer decides.
            if let Some(w) = r
                .compliance
                .unknown_warning(&crate::domain::text::clean(&r.name))
                .filter(|_| !connected)
            {
                warnings.push(format!("{por_field}: {w}"));
            }
            if !d.attest_partner_of_record {
                p.add(
                    "attest_partner_of_record",
                    format!(
                        "set it to true to credit {} (PartnerID {}) as partner of record: \
                         \"{POR_ATTESTATION}\".",
                        r.name, r.partner_id
                    ),
                );
            }
        }
    }

    if !p.0.is_empty() {
        return Ok(Err(p));
    }
    let missing = || anyhow!("a checked field has no value");
    let attested = partner_of_record.is_some() && d.attest_partner_of_record;
    Ok(Ok(NewCustomer {
        company_name: company_name.ok_or_else(missing)?,
        domain_prefix: domain_prefix.ok_or_else(missing)?,
        registration_number: registration_number.ok_or_else(missing)?,
        first_name: first_name.ok_or_else(missing)?,
        last_name: last_name.ok_or_else(missing)?,
        email: email.ok_or_else(missing)?,
        phone: phone.ok_or_else(missing)?,
        address_line1: address_line1.ok_or_else(missing)?,
        address_line2: address_line2.and_then(non_empty),
        city: city.ok_or_else(missing)?,
        state: state.and_then(non_empty),
        postal_code: postal_code.and_then(non_empty),
        country: country.ok_or_else(missing)?,
        culture: culture.ok_or_else(missing)?,
        language: language.ok_or_else(missing)?,
        reseller_id: reseller.map(|r| r.id),
        mca_signer_name: mca_signer_name.ok_or_else(missing)?,
        mca_signer_email: mca_signer_email.ok_or_else(missing)?,
        mca_date_agreed: mca_date_agreed.ok_or_else(missing)?,
        order: NewOrder {
            lines,
            partner_of_record: partner_of_record.map(|r| r.id),
            attestation_accepted: attested,
        },
    }))
}

/// The active reseller with the PartnerID typed in `field`, or `None` with the problem noted.
fn active_reseller(
    store: &Store,
    p: &mut Problems,
    field: &str,
    text: &str,
) -> anyhow::Result<Option<Reseller>> {
    let Some(partner_id) = p.check(field, PartnerId::parse(text)) else {
        return Ok(None);
    };
    let found = store
        .conn()
        .query_row(
            "SELECT id, name, mpa_signed, por_valid FROM resellers
             WHERE partner_id = ?1 AND state = 'active'",
            [partner_id.as_str()],
            |r| {
                Ok(Reseller {
                    id: r.get(0)?,
                    name: cleaned(crate::store::text(r, 1)?),
                    partner_id: partner_id.to_string(),
                    compliance: crate::domain::compliance::Compliance::new(r.get(2)?, r.get(3)?),
                })
            },
        )
        .optional()
        .context("looking up the reseller")?;
    if found.is_none() {
        p.add(
            field,
            format!("No active indirect reseller has PartnerID {partner_id}."),
        );
    }
    Ok(found)
}

/// The order's lines against the catalog: one line per offer, its licenses within the offer's
/// limits, a term it offers (P1Y by default, as in the wizard) and a billing cycle that it
/// offers and that fits the term (monthly by default).
fn order_lines(
    store: &Store,
    p: &mut Problems,
    subscriptions: &[Subscription],
) -> anyhow::Result<Vec<OrderLine>> {
    let catalog = store.offers().map_err(refused)?;
    let mut lines: Vec<OrderLine> = Vec::with_capacity(subscriptions.len());
    for (i, s) in subscriptions.iter().enumerate() {
        let field = |name: &str| format!("subscriptions[{i}].{name}");
        let offer_id = s.offer_id.trim();
        let Some(offer) = catalog.iter().find(|o| o.id == offer_id) else {
            p.add(
                &field("offer_id"),
                format!("The offer {offer_id} is not in the catalog."),
            );
            continue;
        };
        if let Some(first) = subscriptions[..i]
            .iter()
            .position(|earlier| earlier.offer_id.trim() == offer_id)
        {
            p.add(
                &field("offer_id"),
                format!(
                    "{} is already subscriptions[{first}]: one line per offer, with all its licenses.",
                    offer.name
                ),
            );
            continue;
        }
        let mut ok = true;
        if !(offer.min_quantity..=offer.max_quantity).contains(&s.quantity) {
            p.add(
                &field("quantity"),
                format!(
                    "{} licenses: {} allows {} to {}.",
                    s.quantity, offer.name, offer.min_quantity, offer.max_quantity
                ),
            );
            ok = false;
        }
        let default_term = offer
            .terms
            .iter()
            .find(|t| *t == "P1Y")
            .or(offer.terms.first())
            .map_or("P1Y", String::as_str);
        let term = s.term.as_deref().map_or(default_term, str::trim);
        if !offer.terms.iter().any(|t| t == term) {
            p.add(
                &field("term"),
                format!(
                    "{} is offered for {} (P1M: a month, P1Y: a year, P3Y: three years), not \"{term}\".",
                    offer.name,
                    or_list(&offer.terms)
                ),
            );
            ok = false;
        }
        let cycle = match s.billing_cycle.as_deref() {
            Some(cycle) => cycle.trim(),
            None => offer
                .billing_cycles
                .iter()
                .find(|c| cycle_fits(term, c))
                .map_or("monthly", String::as_str),
        };
        if !offer.billing_cycles.iter().any(|c| c == cycle) {
            p.add(
                &field("billing_cycle"),
                format!(
                    "{} is billed {}, not \"{cycle}\".",
                    offer.name,
                    or_list(&offer.billing_cycles)
                ),
            );
            ok = false;
        } else if ok && !cycle_fits(term, cycle) {
            p.add(
                &field("billing_cycle"),
                format!(
                    "{cycle} billing is longer than the term {term}: a billing cycle can't be longer than \
                     the term (monthly fits every term)."
                ),
            );
            ok = false;
        }
        if ok {
            lines.push(OrderLine {
                offer_id: offer.id.clone(),
                quantity: s.quantity,
                term: term.to_owned(),
                billing_cycle: cycle.to_owned(),
            });
        }
    }
    Ok(lines)
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
