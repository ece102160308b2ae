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
//! `update_subscription` run it all in a row. Not signed in, unreachable, or refused: nothing is
//! written (no local-only writes once a book is connected).
//!
//! This file is Add new customer and the list of the rest: `write_check.rs` (errors, the
//! reseller check), `write_order.rs` (Add subscription), `write_subscription.rs` (Subscription
//! details).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::credentials::Secret;
use crate::partner_center::client::Client;
use crate::partner_center::error::Error as RemoteError;
use crate::partner_center::write_model as pc;
use crate::partner_center::writes::Sent;
use crate::store::Store;
use crate::store::customers::{GivenIds, GivenOrder, NewCustomer};
use crate::store::write_through::RemoteReseller;

pub use super::write_check::{
    ResellerCheck, WriteError, check_and_follow, check_reseller, note, record_check,
    rules_then_check,
};
pub use super::write_order::{
    Added, OrderPlan, add_subscriptions, line_items, prepare_order, record_order,
    reseller_for_remote, send_order,
};
pub use super::write_subscription::{
    UpdatePlan, UpdateSent, Updated, prepare_update, record_update, send_update,
    update_subscription,
};

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

/// Step 1 of Add new customer: the book's own checks (rehearsed, rolled back) and the request.
pub fn prepare_customer(
    store: &Store,
    new: &NewCustomer,
    at: DateTime<Utc>,
) -> Result<CustomerPlan, WriteError> {
    store.rehearse(|s| s.create_customer_tx(new, at).map(drop))?;
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
            s.rehearse(|s| s.create_customer_tx(new, at).map(drop))
        })
        .await?;
    }
    let plan = prepare_customer(store, new, at)?;
    let sent = send_customer(client, &plan).await?;
    Ok(record_customer(store, &plan, sent, at))
}
