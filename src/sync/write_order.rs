//! Add subscription on a connected book (the steps of `write.rs`): the partner-of-record check
//! when the order credits a reseller, then `POST /v1/customers/{id}/orders`, then the order as
//! Partner Center placed it (its order and subscription ids).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::write_check::{WriteError, note, rules_then_check};
use crate::partner_center::client::Client;
use crate::partner_center::write_model as pc;
use crate::partner_center::writes::Sent;
use crate::store::Store;
use crate::store::customers::{GivenOrder, NewOrder};
use crate::store::write_through::RemoteReseller;

/// Add subscription, ready to send.
#[derive(Debug, Clone)]
pub struct OrderPlan {
    pub customer_id: i64,
    pub customer_tenant_id: String,
    pub order: NewOrder,
    pub lines: Vec<pc::NewLineItem>,
    pub partner_of_record: Option<RemoteReseller>,
}

/// What Add subscription made.
#[derive(Debug, Clone)]
pub struct Added {
    pub subscriptions: usize,
    pub correlation_id: Uuid,
}

pub fn prepare_order(
    store: &Store,
    customer_id: i64,
    order: &NewOrder,
    at: DateTime<Utc>,
) -> Result<OrderPlan, WriteError> {
    store.rehearse(|s| s.add_subscriptions_tx(customer_id, order, at))?;
    let partner_of_record = reseller_for_remote(store, order.partner_of_record, "order")?;
    Ok(OrderPlan {
        customer_id,
        customer_tenant_id: store.customer_tenant_id(customer_id)?,
        lines: line_items(order, partner_of_record.as_ref()),
        order: order.clone(),
        partner_of_record,
    })
}

/// The order (a reseller it credits was checked before: `check_and_follow`).
pub async fn send_order(client: &Client, plan: &OrderPlan) -> Result<Sent<pc::Order>, WriteError> {
    let body = pc::NewOrder {
        reference_customer_id: plan.customer_tenant_id.clone(),
        line_items: plan.lines.clone(),
    };
    let sent = client
        .place_order(&plan.customer_tenant_id, &body)
        .await
        .map_err(WriteError::create)?;
    Ok(sent)
}

pub fn record_order(
    store: &Store,
    plan: &OrderPlan,
    sent: &Sent<pc::Order>,
    at: DateTime<Utc>,
) -> Result<Added, WriteError> {
    let mut ids = vec![None; plan.order.lines.len()];
    for item in &sent.value.line_items {
        if let Some(slot) = ids.get_mut(item.line_item_number) {
            *slot = item.subscription_id.clone().map(|s| s.to_ascii_lowercase());
        }
    }
    let given = GivenOrder {
        order_id: sent.value.id.clone(),
        subscription_ids: ids,
    };
    let count = store.record_subscriptions(
        plan.customer_id,
        &plan.order,
        &given,
        &note(&[("order", sent.correlation_id)]),
        at,
    )?;
    Ok(Added {
        subscriptions: count,
        correlation_id: sent.correlation_id,
    })
}

/// Add subscription on a connected book.
pub async fn add_subscriptions(
    store: &Store,
    client: &Client,
    customer_id: i64,
    order: &NewOrder,
    at: DateTime<Utc>,
) -> Result<Added, WriteError> {
    rules_then_check(store, client, order.partner_of_record, |s| {
        s.rehearse(|s| s.add_subscriptions_tx(customer_id, order, at).map(drop))
    })
    .await?;
    let plan = prepare_order(store, customer_id, order, at)?;
    let sent = send_order(client, &plan).await?;
    record_order(store, &plan, &sent, at)
}

pub fn reseller_for_remote(
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

pub fn line_items(order: &NewOrder, por: Option<&RemoteReseller>) -> Vec<pc::NewLineItem> {
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
