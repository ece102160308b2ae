//! Add subscription on a connected book (the steps of `write.rs`): the partner-of-record check
//! when the order credits a reseller, then `POST /v1/customers/{id}/orders`, then the order as
//! Partner Center placed it (its order and subscription ids).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::write::{
    ResellerCheck, WriteError, check_reseller, follow_check, line_items, note, record_check,
    reseller_for_remote,
};
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
    store.rehearse(|s| s.add_subscriptions(customer_id, order, at))?;
    let partner_of_record = reseller_for_remote(store, order.partner_of_record, "order")?;
    Ok(OrderPlan {
        customer_id,
        customer_tenant_id: store.customer_tenant_id(customer_id)?,
        lines: line_items(order, partner_of_record.as_ref()),
        order: order.clone(),
        partner_of_record,
    })
}

/// The check (when a reseller is credited), then the order.
pub async fn send_order(
    client: &Client,
    plan: &OrderPlan,
) -> Result<(Option<ResellerCheck>, Sent<pc::Order>), WriteError> {
    let check = match &plan.partner_of_record {
        Some(r) => Some(check_reseller(client, r).await?),
        None => None,
    };
    if let Some(check) = check.as_ref().filter(|c| c.refusal.is_some()) {
        return Err(WriteError::NotCreditable(check.clone()));
    }
    let body = pc::NewOrder {
        reference_customer_id: plan.customer_tenant_id.clone(),
        line_items: plan.lines.clone(),
    };
    let sent = client
        .place_order(&plan.customer_tenant_id, &body)
        .await
        .map_err(WriteError::create)?;
    Ok((check, sent))
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
    let plan = prepare_order(store, customer_id, order, at)?;
    let (check, sent) = send_order(client, &plan)
        .await
        .inspect_err(|e| follow_check(store, e))?;
    if let Some(check) = &check {
        record_check(store, check)?;
    }
    record_order(store, &plan, &sent, at)
}
