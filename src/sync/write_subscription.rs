//! Subscription details on a connected book (the steps of `write.rs`): an upgrade is
//! `POST …/upgrades`; quantity, status, auto-renew and the partner of record are one PATCH of the
//! whole resource as a GET just returned it (`update-a-subscription-by-id.md`: a PATCH without
//! `autoRenewEnabled` would turn auto-renew off); the designated support contact is
//! `PUT …/supportcontact`. A 409 (the subscription is renewing) changes nothing and says so.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::write_check::{WriteError, note, rules_then_check};
use crate::partner_center::client::Client;
use crate::partner_center::write_model as pc;
use crate::store::Store;
use crate::store::subscriptions::{SubscriptionChanges, SubscriptionDetail};
use crate::store::write_through::{RecordedSubscription, RemoteReseller, RemoteSubscription};

/// Subscription details' Submit, ready to send.
#[derive(Debug, Clone)]
pub struct UpdatePlan {
    pub id: i64,
    pub changes: SubscriptionChanges,
    /// The change in words, as the book's own rules described it.
    pub said: Vec<String>,
    pub before: SubscriptionDetail,
    pub remote: RemoteSubscription,
    /// The new partner of record, to check with Partner Center first.
    pub new_reseller: Option<RemoteReseller>,
    /// `partnerId` to PATCH (empty: none) when the partner of record changes.
    pub partner_id: Option<String>,
    pub support: Option<pc::SupportContact>,
    pub upgrade_to: Option<String>,
    /// Quantity, status, auto-renew or partner of record changed.
    pub patch: bool,
    /// The provider's PartnerID: a support contact with it is "you".
    pub provider_partner_id: String,
}

/// Partner Center's answers to the update.
#[derive(Debug, Clone)]
pub struct UpdateSent {
    /// The subscription after an upgrade (the one the licenses moved to).
    pub subscription_id: String,
    pub upgraded: bool,
    pub patched: Option<Value>,
    pub support: Option<pc::SupportContact>,
    pub calls: Vec<(&'static str, Uuid)>,
    /// A later call failed after an earlier one changed Partner Center: said, and what was
    /// changed is recorded.
    pub problem: Option<String>,
}

/// What Subscription details changed.
#[derive(Debug, Clone, Default)]
pub struct Updated {
    /// The change in words (empty: nothing changed, nothing was sent).
    pub said: Vec<String>,
    pub correlation_ids: Vec<Uuid>,
    pub problems: Vec<String>,
}

/// Step 1: the book's own rules (rehearsed, rolled back) and what to send. `None`: nothing
/// changes.
pub fn prepare_update(
    store: &Store,
    id: i64,
    changes: &SubscriptionChanges,
    at: DateTime<Utc>,
) -> Result<Option<UpdatePlan>, WriteError> {
    let said = store.rehearse(|s| s.update_subscription_tx(id, changes, at))?;
    if said.is_empty() {
        return Ok(None);
    }
    let before = store.subscription_detail(id)?;
    let remote = store.remote_subscription(id)?;
    let (provider_tenant, provider_partner_id, provider_name) = store.provider_remote()?;
    let reseller_changed = changes.reseller_id != before.reseller.as_ref().map(|r| r.id);
    let new_reseller = match changes.reseller_id {
        Some(rid) if reseller_changed => Some(store.remote_reseller(rid)?),
        _ => None,
    };
    let support = if changes.support_reseller_id != before.support_contact.as_ref().map(|r| r.id) {
        Some(match changes.support_reseller_id {
            None => pc::SupportContact {
                support_tenant_id: provider_tenant,
                support_mpn_id: provider_partner_id.clone(),
                name: Some(provider_name),
            },
            Some(rid) => {
                let r = store.remote_reseller(rid)?;
                let Some(tenant) = r.tenant_id.clone() else {
                    return Err(WriteError::Refused(format!(
                        "{} ({}) has no tenant ID in the book, and Partner Center needs it for a support contact: run \
                         `twotier sync` first.",
                        r.name, r.partner_id
                    )));
                };
                pc::SupportContact {
                    support_tenant_id: tenant,
                    support_mpn_id: r.partner_id,
                    name: Some(r.name),
                }
            }
        })
    } else {
        None
    };
    let patch = changes.quantity != before.quantity
        || changes.status != before.status
        || changes.auto_renew != before.auto_renew
        || reseller_changed;
    Ok(Some(UpdatePlan {
        id,
        said,
        partner_id: reseller_changed.then(|| {
            new_reseller
                .as_ref()
                .map(|r| r.partner_id.clone())
                .unwrap_or_default()
        }),
        upgrade_to: (changes.offer_id != before.offer.id).then(|| changes.offer_id.clone()),
        changes: changes.clone(),
        before,
        remote,
        new_reseller,
        support,
        patch,
        provider_partner_id,
    }))
}

/// Sets `key` in a Partner Center object, whichever case its field has there.
fn set(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        let existing = map.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned();
        map.insert(existing.unwrap_or_else(|| key.to_owned()), value);
    }
}

fn field<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Step 2 (a new partner of record was checked before: `check_and_follow`): the upgrade, the PATCH, the support contact, in that order. The first
/// call that fails stops the rest: before any change, as an error; after one, as `problem`.
pub async fn send_update(client: &Client, plan: &UpdatePlan) -> Result<UpdateSent, WriteError> {
    let mut sent = UpdateSent {
        subscription_id: plan.remote.subscription_id.clone(),
        upgraded: false,
        patched: None,
        support: None,
        calls: Vec::new(),
        problem: None,
    };
    let customer = plan.remote.customer_tenant_id.as_str();
    // Once something changed in Partner Center, a failure is a problem to say, not an error.
    let fail = |sent: &mut UpdateSent, e: WriteError| -> Result<(), WriteError> {
        if sent.upgraded || sent.patched.is_some() {
            sent.problem = Some(format!("{e} (the earlier changes were made)"));
            Ok(())
        } else {
            Err(e)
        }
    };
    if let Some(offer) = &plan.upgrade_to {
        let upgrade = pc::NewUpgrade {
            target_offer: pc::TargetOffer { id: offer.clone() },
            upgrade_type: "upgrade_only".into(),
            quantity: plan.before.quantity,
        };
        let answer = client
            .upgrade_subscription(customer, &sent.subscription_id, &upgrade)
            .await
            .map_err(WriteError::remote)?;
        sent.calls.push(("upgrade", answer.correlation_id));
        if !answer.value.upgrade_errors.is_empty() {
            let why: Vec<String> = answer
                .value
                .upgrade_errors
                .iter()
                .map(|e| {
                    crate::domain::text::escaped(
                        e.description.as_deref().unwrap_or("no reason given"),
                    )
                    .into_owned()
                })
                .collect();
            return Err(WriteError::Refused(format!(
                "Partner Center refused the upgrade: {} (correlation id {}). Nothing was changed.",
                why.join("; "),
                answer.correlation_id
            )));
        }
        if let Some(target) = answer
            .value
            .target_subscription_id
            .filter(|t| !t.trim().is_empty())
        {
            sent.subscription_id = target.to_ascii_lowercase();
        }
        sent.upgraded = true;
    }
    if plan.patch {
        match patch(client, customer, &sent.subscription_id, plan).await {
            Ok((whole, ids)) => {
                sent.calls.extend(ids);
                sent.patched = Some(whole);
            }
            Err(e) => {
                fail(&mut sent, e)?;
                return Ok(sent);
            }
        }
    }
    if let Some(contact) = &plan.support {
        match client
            .set_support_contact(customer, &sent.subscription_id, contact)
            .await
        {
            Ok(answer) => {
                sent.calls.push(("support contact", answer.correlation_id));
                sent.support = Some(answer.value);
            }
            Err(e) => fail(&mut sent, WriteError::remote(e))?,
        }
    }
    Ok(sent)
}

/// GET the whole subscription, change what the operator changed, PATCH it back.
async fn patch(
    client: &Client,
    customer: &str,
    subscription: &str,
    plan: &UpdatePlan,
) -> Result<(Value, Vec<(&'static str, Uuid)>), WriteError> {
    let got = client
        .subscription(customer, subscription)
        .await
        .map_err(WriteError::remote)?;
    let mut whole = got.value;
    let c = &plan.changes;
    set(&mut whole, "quantity", c.quantity.into());
    set(&mut whole, "status", c.status.clone().into());
    // Suspending a new-commerce subscription turns auto-renew off, as the book says.
    set(
        &mut whole,
        "autoRenewEnabled",
        (c.auto_renew && c.status == "active").into(),
    );
    if let Some(partner_id) = &plan.partner_id {
        set(&mut whole, "partnerId", partner_id.clone().into());
    }
    let answer = client
        .patch_subscription(customer, subscription, &whole)
        .await
        .map_err(WriteError::remote)?;
    Ok((
        answer.value,
        vec![
            ("subscription read", got.correlation_id),
            ("subscription change", answer.correlation_id),
        ],
    ))
}

/// Step 3: the subscription as Partner Center answered, in one transaction.
pub fn record_update(
    store: &Store,
    plan: &UpdatePlan,
    sent: &UpdateSent,
    at: DateTime<Utc>,
) -> Result<Updated, WriteError> {
    let before = &plan.before;
    let mut now = RecordedSubscription {
        quantity: before.quantity,
        status: before.status.clone(),
        auto_renew: before.auto_renew,
        reseller_id: before.reseller.as_ref().map(|r| r.id),
        support_reseller_id: before.support_contact.as_ref().map(|r| r.id),
        offer_id: if sent.upgraded {
            plan.changes.offer_id.clone()
        } else {
            before.offer.id.clone()
        },
        subscription_id: sent.subscription_id.clone(),
    };
    if let Some(whole) = &sent.patched {
        now.quantity = field(whole, "quantity")
            .and_then(Value::as_i64)
            .unwrap_or(plan.changes.quantity);
        now.status = field(whole, "status")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            .unwrap_or_else(|| plan.changes.status.clone());
        now.auto_renew = field(whole, "autoRenewEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(plan.changes.auto_renew && plan.changes.status == "active");
        if plan.partner_id.is_some() {
            let answered = field(whole, "partnerId")
                .and_then(Value::as_str)
                .map(str::trim);
            now.reseller_id = match answered {
                Some("") => None,
                Some(partner_id) => store
                    .active_reseller_with_partner_id(partner_id)?
                    .or(plan.changes.reseller_id),
                None => plan.changes.reseller_id,
            };
        }
    }
    if let Some(contact) = &sent.support {
        let mpn = contact.support_mpn_id.trim();
        now.support_reseller_id = if mpn == plan.provider_partner_id.trim() {
            None
        } else {
            store
                .active_reseller_with_partner_id(mpn)?
                .or(plan.changes.support_reseller_id)
        };
    }
    let mut problems = Vec::new();
    if let Some(problem) = &sent.problem {
        problems.push(problem.clone());
    }
    let mut said = plan.said.clone();
    if !problems.is_empty() {
        said.push(format!("not all of it was made: {}", problems.join("; ")));
    }
    store.record_subscription(plan.id, &now, &said, &note(&sent.calls), at)?;
    Ok(Updated {
        said,
        correlation_ids: sent.calls.iter().map(|(_, id)| *id).collect(),
        problems,
    })
}

/// Subscription details' Submit on a connected book.
pub async fn update_subscription(
    store: &Store,
    client: &Client,
    id: i64,
    changes: &SubscriptionChanges,
    at: DateTime<Utc>,
) -> Result<Updated, WriteError> {
    let before = store.subscription_detail(id)?;
    if changes.reseller_id.is_some() && changes.reseller_id != before.reseller.map(|r| r.id) {
        rules_then_check(store, client, changes.reseller_id, |s| {
            s.rehearse(|s| s.update_subscription_tx(id, changes, at).map(drop))
        })
        .await?;
    }
    let Some(plan) = prepare_update(store, id, changes, at)? else {
        return Ok(Updated::default());
    };
    let sent = send_update(client, &plan).await?;
    record_update(store, &plan, &sent, at)
}
