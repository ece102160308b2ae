//! Write-through for a connected book: every change goes to Partner Center first and lands in
//! the book only from its answer. Each write is three steps, so a caller that keeps the store on
//! one thread and the network on another can run them apart:
//!
//! 1. `prepare_*` (store): the same command the offline book runs, rehearsed and rolled back
//!    (permission, every rule), and what Partner Center needs to be told.
//! 2. `send_*` (network only): the calls, each retried under one `MS-RequestId`.
//! 3. `record_*` (store): Partner Center's answer (its ids) in one transaction, with the calls'
//!    `MS-CorrelationId`s in the activity log entry.
//!
//! Before step 1 of an order that credits a reseller, [`check_and_follow`] asks Partner Center
//! about it and the book follows the answer. `create_customer`, `add_subscriptions`,
//! `update_subscription` run it all in a row. Not
//! signed in, unreachable, or refused: nothing is written (no local-only writes once a book is
//! connected). Before an order credits a reseller, Partner Center is asked whether it has signed
//! the Microsoft Partner Agreement and can be partner of record, and the book follows the answer.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::credentials::Secret;
use crate::partner_center::client::Client;
use crate::partner_center::error::Error as RemoteError;
use crate::partner_center::write_model as pc;
use crate::partner_center::writes::Sent;
use crate::store::customers::{GivenIds, GivenOrder, NewCustomer, NewOrder};
use crate::store::write_through::RemoteReseller;
use crate::store::{CommandError, Store};

pub use super::write_order::{
    Added, OrderPlan, add_subscriptions, prepare_order, record_order, send_order,
};
pub use super::write_subscription::{
    Updated, prepare_update, record_update, send_update, update_subscription,
};

/// Why a change was not made, in words. Nothing was written to the book in any of these.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A rule of the book, or Partner Center's answer to a check, said no before any change was
    /// sent.
    #[error("{0}")]
    Refused(String),
    /// 409: Partner Center is busy with the resource (a subscription renewing, another change in
    /// flight). The operator's input is to be kept and sent again later.
    #[error(
        "Partner Center is busy with {what} and did not take the change (HTTP 409{}): {}. Nothing was changed; \
         your input is kept: send it again in a few minutes (correlation id {correlation_id}).",
        .code.as_deref().map(|c| format!(", error {}", crate::domain::text::escaped(c))).unwrap_or_default(),
        crate::domain::text::escaped(.description)
    )]
    Busy {
        what: String,
        code: Option<String>,
        description: String,
        correlation_id: Uuid,
    },
    /// Not signed in, unreachable, or Partner Center said no: nothing was written to the book.
    #[error("{error}. {}", if *.maybe_made {
        "The book is unchanged (a connected book takes no local-only changes). If Partner Center made it after all, the next `twotier sync` brings it in."
    } else {
        "Nothing was changed: a connected book takes no local-only changes."
    })]
    Remote {
        error: RemoteError,
        /// A create whose answer never came: Partner Center may have made it.
        maybe_made: bool,
    },
    /// Partner Center's check of the reseller said no (the book records what it said).
    #[error("{}", .0.refusal.as_deref().unwrap_or("Partner Center refused to credit the reseller."))]
    NotCreditable(ResellerCheck),
    #[error("{0}")]
    Store(#[from] CommandError),
}

impl WriteError {
    /// The error of a call that changes nothing if it failed (a GET, a PATCH, a PUT).
    pub fn remote(error: RemoteError) -> WriteError {
        match error {
            RemoteError::Api {
                what,
                status: 409,
                code,
                description,
                correlation_id,
            } => WriteError::Busy {
                what,
                code,
                description,
                correlation_id,
            },
            error => WriteError::Remote {
                error,
                maybe_made: false,
            },
        }
    }

    /// The error of a create: one that was sent but never answered may have been made.
    pub fn create(error: RemoteError) -> WriteError {
        let maybe_made = matches!(error, RemoteError::GaveUp { .. });
        match WriteError::remote(error) {
            WriteError::Remote { error, .. } => WriteError::Remote { error, maybe_made },
            other => other,
        }
    }
}

/// What Partner Center said about crediting a reseller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerCheck {
    pub reseller_id: i64,
    pub mpa_signed: Option<bool>,
    pub por_valid: Option<bool>,
    /// Why it can't be credited, in Partner Center's words; `None`: it can.
    pub refusal: Option<String>,
    pub correlation_ids: Vec<Uuid>,
}

/// Asks Partner Center whether `reseller` has signed the Microsoft Partner Agreement
/// (`agreementstatus`) and can be credited as partner of record (`validateresellers`).
pub async fn check_reseller(
    client: &Client,
    reseller: &RemoteReseller,
) -> Result<ResellerCheck, WriteError> {
    use crate::domain::text::escaped;
    let mut check = ResellerCheck {
        reseller_id: reseller.id,
        mpa_signed: None,
        por_valid: None,
        refusal: None,
        correlation_ids: Vec::new(),
    };
    let name = &reseller.name;
    let partner_id = &reseller.partner_id;
    match client.agreement_status(partner_id).await {
        Ok(sent) => {
            check.correlation_ids.push(sent.correlation_id);
            check.mpa_signed = Some(sent.value.is_agreement_signed);
            if !sent.value.is_agreement_signed {
                check.refusal = Some(format!(
                    "Partner Center says {name} ({partner_id}) has not signed the Microsoft Partner Agreement for its region \
                     (error 900123): orders can't credit it until it does. Choose another reseller, or none."
                ));
                return Ok(check);
            }
        }
        // 2200–2206: the reseller can't be told signed; Partner Center says why.
        Err(RemoteError::Api {
            status: 400,
            code,
            description,
            correlation_id,
            ..
        }) => {
            check.correlation_ids.push(correlation_id);
            check.mpa_signed = Some(false);
            check.refusal = Some(format!(
                "Partner Center can't confirm that {name} ({partner_id}) signed the Microsoft Partner Agreement{}: {}. \
                 Orders can't credit it; choose another reseller, or none.",
                code.map(|c| format!(" (error {})", escaped(&c)))
                    .unwrap_or_default(),
                escaped(&description)
            ));
            return Ok(check);
        }
        Err(e) => return Err(WriteError::remote(e)),
    }
    let sent = client
        .validate_resellers(std::slice::from_ref(partner_id))
        .await
        .map_err(WriteError::remote)?;
    check.correlation_ids.push(sent.correlation_id);
    let result = sent
        .value
        .iter()
        .find(|r| r.partner_id.trim() == partner_id.as_str());
    match result {
        Some(r) if r.is_valid_partner_id_on_record => check.por_valid = Some(true),
        Some(r) => {
            check.por_valid = Some(false);
            let code = r.error_code.as_ref().map(|c| match c {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            check.refusal = Some(format!(
                "Partner Center says {name}'s PartnerID {partner_id} is not valid as partner of record{}: {}. Choose \
                 another reseller, or none.",
                code.map(|c| format!(" (error {})", escaped(&c)))
                    .unwrap_or_default(),
                escaped(r.error_description.as_deref().unwrap_or("no reason given"))
            ));
        }
        None => {
            check.refusal = Some(format!(
                "Partner Center's partner-of-record check did not answer for {name} ({partner_id}): nothing was ordered."
            ));
        }
    }
    Ok(check)
}

/// The book follows what Partner Center said of the reseller.
pub fn record_check(store: &Store, check: &ResellerCheck) -> Result<(), WriteError> {
    store.record_compliance(
        check.reseller_id,
        check.mpa_signed,
        check.por_valid,
        Utc::now(),
    )?;
    Ok(())
}

/// Before an order credits a reseller: Partner Center's word on it, recorded in the book before
/// the book's own rules are rehearsed, so a reseller the book had as not signed is asked again
/// and one Partner Center refuses is refused (the book keeps what it said either way).
pub async fn check_and_follow(
    store: &Store,
    client: &Client,
    reseller_id: Option<i64>,
) -> Result<Option<ResellerCheck>, WriteError> {
    let Some(id) = reseller_id else {
        return Ok(None);
    };
    let reseller = store.remote_reseller(id)?;
    let check = check_reseller(client, &reseller).await?;
    record_check(store, &check)?;
    match check.refusal {
        Some(_) => Err(WriteError::NotCreditable(check)),
        None => Ok(Some(check)),
    }
}

/// The book's own rules first (`rehearse`, nothing sent when they refuse), then Partner Center's
/// check of the reseller an order credits. A refusal because the book had the reseller as not
/// compliant is asked again of Partner Center, whose answer then decides.
pub async fn rules_then_check(
    store: &Store,
    client: &Client,
    reseller_id: Option<i64>,
    rehearse: impl Fn(&Store) -> Result<(), CommandError>,
) -> Result<(), WriteError> {
    match rehearse(store) {
        Ok(()) => {}
        Err(CommandError::Refused(why)) => {
            let failed_here = match reseller_id {
                Some(id) => store.remote_reseller(id)?.compliance.failure().is_some(),
                None => false,
            };
            if !failed_here {
                return Err(WriteError::Refused(why));
            }
        }
        Err(e) => return Err(e.into()),
    }
    check_and_follow(store, client, reseller_id).await?;
    Ok(())
}

/// The correlation ids of a write, for the activity log.
pub fn note(calls: &[(&str, Uuid)]) -> String {
    let list: Vec<String> = calls
        .iter()
        .map(|(what, id)| format!("{what} {id}"))
        .collect();
    format!("Partner Center correlation ids: {}", list.join(", "))
}

/// Add new customer, ready to send.
#[derive(Debug, Clone)]
pub struct CustomerPlan {
    pub new: NewCustomer,
    pub domain: String,
    pub body: pc::NewCustomer,
    pub lines: Vec<pc::NewLineItem>,
    /// The reseller the order credits (its PartnerID goes on each line).
    pub partner_of_record: Option<RemoteReseller>,
}

/// Partner Center's answers to Add new customer.
#[derive(Debug)]
pub struct CustomerSent {
    pub customer: Sent<pc::CreatedCustomer>,
    /// The order's answer, or why it was not placed (the customer exists either way).
    pub order: Option<Result<Sent<pc::Order>, RemoteError>>,
}

/// What Add new customer made. `password` is Partner Center's temporary admin password: shown
/// once, never stored or logged (`Debug` shows no password).
#[derive(Debug)]
pub struct Created {
    /// The book's row; `None` when Partner Center made the customer but the book could not
    /// record it (`problems` says why; the next sync brings it in).
    pub customer_id: Option<i64>,
    pub company_name: String,
    pub tenant_id: String,
    pub domain: String,
    pub admin_user: String,
    pub password: Option<Secret>,
    pub correlation_id: Uuid,
    pub order_correlation_id: Option<Uuid>,
    pub subscriptions: usize,
    /// What went wrong after the customer was made (the order refused, the book's record), in
    /// words.
    pub problems: Vec<String>,
}

pub(super) fn reseller_for_remote(
    store: &Store,
    id: Option<i64>,
    role: &str,
) -> Result<Option<RemoteReseller>, WriteError> {
    let Some(id) = id else { return Ok(None) };
    let r = store.remote_reseller(id)?;
    if r.tenant_id.is_none() && role == "customer" {
        return Err(WriteError::Refused(format!(
            "{} ({}) has no tenant ID in the book, and Partner Center needs it to create a customer for the reseller: \
             run `twotier sync` first.",
            r.name, r.partner_id
        )));
    }
    Ok(Some(r))
}

pub(super) fn line_items(order: &NewOrder, por: Option<&RemoteReseller>) -> Vec<pc::NewLineItem> {
    order
        .lines
        .iter()
        .enumerate()
        .map(|(n, l)| pc::NewLineItem {
            line_item_number: n,
            offer_id: l.offer_id.clone(),
            quantity: l.quantity,
            term_duration: l.term.clone(),
            billing_cycle: l.billing_cycle.clone(),
            partner_id_on_record: por.map(|r| r.partner_id.clone()),
        })
        .collect()
}

/// Step 1 of Add new customer: the book's own checks (rehearsed, rolled back) and the request.
pub fn prepare_customer(
    store: &Store,
    new: &NewCustomer,
    at: DateTime<Utc>,
) -> Result<CustomerPlan, WriteError> {
    store.rehearse(|s| s.create_customer(new, at).map(drop))?;
    let domain = store.full_domain(&new.domain_prefix)?;
    let reseller = reseller_for_remote(store, new.reseller_id, "customer")?;
    let partner_of_record = if new.order.lines.is_empty() {
        None
    } else {
        reseller_for_remote(store, new.order.partner_of_record, "order")?
    };
    let body = pc::NewCustomer {
        company_profile: pc::NewCompanyProfile {
            domain: domain.clone(),
            organization_registration_number: new.registration_number.clone(),
        },
        billing_profile: pc::NewBillingProfile {
            email: new.email.clone(),
            culture: new.culture.clone(),
            language: new.language.clone(),
            company_name: new.company_name.clone(),
            default_address: pc::Address {
                country: new.country.clone(),
                city: new.city.clone(),
                state: new.state.clone(),
                address_line1: new.address_line1.clone(),
                address_line2: new.address_line2.clone(),
                postal_code: new.postal_code.clone(),
                first_name: new.first_name.clone(),
                last_name: new.last_name.clone(),
                phone_number: new.phone.clone(),
            },
        },
        associated_partner_id: reseller.and_then(|r| r.tenant_id),
    };
    Ok(CustomerPlan {
        lines: line_items(&new.order, partner_of_record.as_ref()),
        new: new.clone(),
        domain,
        body,
        partner_of_record,
    })
}

/// Step 2: the customer, then its order (a refused order leaves the customer made, said in
/// `order`). An order that credits a reseller is checked before step 1: [`check_and_follow`].
pub async fn send_customer(
    client: &Client,
    plan: &CustomerPlan,
) -> Result<CustomerSent, WriteError> {
    let customer = client
        .create_customer(&plan.body)
        .await
        .map_err(WriteError::create)?;
    let order = if plan.lines.is_empty() {
        None
    } else {
        let order = pc::NewOrder {
            reference_customer_id: customer.value.id.clone(),
            line_items: plan.lines.clone(),
        };
        Some(client.place_order(&customer.value.id, &order).await)
    };
    Ok(CustomerSent { customer, order })
}

/// Step 3: the customer as Partner Center made it, in one transaction.
pub fn record_customer(
    store: &Store,
    plan: &CustomerPlan,
    sent: CustomerSent,
    at: DateTime<Utc>,
) -> Created {
    let made = sent.customer.value;
    let profile = made.company_profile.as_ref();
    let tenant_id = profile
        .and_then(|p| p.tenant_id.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| made.id.clone())
        .to_ascii_lowercase();
    let domain = profile
        .and_then(|p| p.domain.clone())
        .unwrap_or_else(|| plan.domain.clone())
        .to_ascii_lowercase();
    let mut problems = Vec::new();
    let (admin_user, password) = match made.user_credentials {
        Some(c) if c.user_name.contains('@') => (c.user_name.clone(), Some(c.password)),
        Some(c) => (format!("{}@{domain}", c.user_name.trim()), Some(c.password)),
        None => {
            problems.push("Partner Center sent no temporary password: reset the admin's password in Partner Center.".into());
            (format!("admin@{domain}"), None)
        }
    };
    let mut calls = vec![("customer", sent.customer.correlation_id)];
    let mut new = plan.new.clone();
    let mut order_ids = None;
    let mut order_correlation_id = None;
    match sent.order {
        None => {}
        Some(Ok(order)) => {
            calls.push(("order", order.correlation_id));
            order_correlation_id = Some(order.correlation_id);
            let mut ids = vec![None; new.order.lines.len()];
            for item in &order.value.line_items {
                if let Some(slot) = ids.get_mut(item.line_item_number) {
                    *slot = item.subscription_id.clone().map(|s| s.to_ascii_lowercase());
                }
            }
            order_ids = Some(GivenOrder {
                order_id: order.value.id.clone(),
                subscription_ids: ids,
            });
        }
        Some(Err(e)) => {
            problems.push(format!(
                "the customer was created, but Partner Center refused its order: {e}. Add the subscriptions with Add \
                 subscription."
            ));
            new.order.lines.clear();
        }
    }
    let subscriptions = new.order.lines.len();
    let ids = GivenIds {
        tenant_id: tenant_id.clone(),
        admin_user_name: Some(admin_user.clone()),
        order: order_ids,
        note: Some(note(&calls)),
    };
    let customer_id = match store.record_new_customer(&new, &ids, at) {
        Ok((id, _)) => Some(id),
        Err(e) => {
            tracing::warn!(tenant = %tenant_id, error = %e, "Partner Center made a customer the book could not record");
            problems.push(format!(
                "Partner Center created the customer (Microsoft ID {tenant_id}), but the book could not record it: {e}. \
                 The next `twotier sync` brings it in."
            ));
            None
        }
    };
    Created {
        customer_id,
        company_name: plan.new.company_name.clone(),
        tenant_id,
        domain,
        admin_user,
        password,
        correlation_id: sent.customer.correlation_id,
        order_correlation_id,
        subscriptions: if customer_id.is_some() {
            subscriptions
        } else {
            0
        },
        problems,
    }
}

/// Add new customer on a connected book: the three steps in a row.
pub async fn create_customer(
    store: &Store,
    client: &Client,
    new: &NewCustomer,
    at: DateTime<Utc>,
) -> Result<Created, WriteError> {
    if !new.order.lines.is_empty() {
        rules_then_check(store, client, new.order.partner_of_record, |s| {
            s.rehearse(|s| s.create_customer(new, at).map(drop))
        })
        .await?;
    }
    let plan = prepare_customer(store, new, at)?;
    let sent = send_customer(client, &plan).await?;
    Ok(record_customer(store, &plan, sent, at))
}
