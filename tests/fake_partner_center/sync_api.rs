//! The fake's answers for the rest of the pull: a customer by ID (`get-a-customer-by-id.md`),
//! a customer's subscriptions (`get-all-of-a-customer-s-subscriptions.md`, the shape of its
//! second example), the audit records with paging (`get-a-record-of-partner-center-activity-by-user.md`)
//! and the partner's MPN profile (`get-partner-network-profile.md`).
//!
//! Subscriptions are generated on request from the customer's number (a generated customer's
//! ID encodes it), so a fake of 100,000 customers and 1,000,000 subscriptions holds only the
//! customers; a test sets a customer's list outright with `set_subscriptions`.

use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{FakePartnerCenter, Shared, api_gate, header, pc_error};

/// Offers of the catalog (`assets/offers.toml`) the generated subscriptions use, with
/// new-commerce offer IDs (`PRODUCT:SKU:AVAILABILITY`): (product, name, term, billing cycle).
const OFFERS: [(&str, &str, &str, &str); 5] = [
    (
        "CFQ7TTC0LH18",
        "Microsoft 365 Business Basic",
        "P1Y",
        "monthly",
    ),
    (
        "CFQ7TTC0LDPB",
        "Microsoft 365 Business Standard",
        "P1Y",
        "annual",
    ),
    ("CFQ7TTC0LF8Q", "Office 365 E3", "P1M", "monthly"),
    ("CFQ7TTC0LFLX", "Microsoft 365 E3", "P3Y", "triennial"),
    ("CFQ7TTC0LHSV", "Microsoft Entra ID P1", "P1Y", "annual"),
];

/// The number of a generated customer (`customer(n)`'s ID), if it is one.
pub fn customer_number(tenant_id: &str) -> Option<usize> {
    let n = usize::from_str_radix(tenant_id.get(..8)?, 16).ok()?;
    (tenant_id.eq_ignore_ascii_case(&format!("{n:08x}-c595-45b0-9e09-{n:012x}"))).then_some(n)
}

/// Subscription `k` of generated customer `n`, as the list returns it.
pub fn subscription(n: usize, k: usize) -> Value {
    let (product, name, term, cycle) = OFFERS[(n + k) % OFFERS.len()];
    let id = format!("{n:08x}-{k:04x}-4b0c-8000-{:012x}", n * 16 + k);
    json!({
        "id": id,
        "offerId": format!("{product}:0001:{product}"),
        "offerName": name,
        "friendlyName": name,
        "productType": {"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"},
        "quantity": 1 + (n * 7 + k) % 25,
        "unitType": "Licenses",
        "hasPurchasableAddons": false,
        "creationDate": "2026-01-15T21:28:19.3058617Z",
        "effectiveStartDate": "2026-01-15T00:00:00Z",
        "commitmentEndDate": match term { "P1M" => "2027-01-14T00:00:00Z", "P3Y" => "2029-01-14T00:00:00Z", _ => "2027-01-14T00:00:00Z" },
        "cancellationAllowedUntilDate": "2026-01-22T23:59:00Z",
        "status": "active",
        "autoRenewEnabled": true,
        "isTrial": false,
        "billingType": "license",
        "billingCycle": cycle,
        "termDuration": term,
        "renewalTermDuration": "",
        "isMicrosoftProduct": true,
        "partnerId": "",
        "attentionNeeded": false,
        "actionTaken": false,
        "contractType": "subscription",
        "links": {"self": {"uri": format!("/customers/{}/subscriptions/{id}", super::customer(n)["id"].as_str().unwrap_or("")), "method": "GET", "headers": []}},
        "publisherName": "Microsoft",
        "orderId": format!("{n}{k:02}"),
        "attributes": {"objectType": "Subscription"}
    })
}

/// An audit record of `get-a-record-of-partner-center-activity-by-user.md`'s example, about
/// this customer.
pub fn audit_record(
    customer_id: &str,
    resource_type: &str,
    operation_type: &str,
    at: &str,
) -> Value {
    json!({
        "partnerId": "3b33e682-00c3-41ee-9dd2-a548adf56438",
        "customerId": customer_id,
        "customerName": "Relecloud",
        "userPrincipalName": "admin@domain.onmicrosoft.com",
        "resourceType": resource_type,
        "resourceNewValue": "{}",
        "operationType": operation_type,
        "operationDate": at,
        "operationStatus": "succeeded",
        "customizedData": [],
        "attributes": {"objectType": "AuditRecord"}
    })
}

impl FakePartnerCenter {
    /// This customer's list from now on is exactly `items`.
    pub fn set_subscriptions(&self, tenant_id: &str, items: Vec<Value>) {
        self.with(|s| {
            s.subscription_lists
                .insert(tenant_id.to_ascii_lowercase(), items)
        });
    }

    /// The list the fake answers for this customer now.
    pub fn subscriptions_of(&self, tenant_id: &str) -> Vec<Value> {
        self.with(|s| list_of(s, tenant_id))
    }

    /// Records, as Partner Center would, that something of this customer changed just now.
    pub fn audit_change(&self, customer_id: &str, resource_type: &str, operation_type: &str) {
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        self.with(|s| {
            s.audit_records.push(audit_record(
                customer_id,
                resource_type,
                operation_type,
                &at,
            ))
        });
    }
}

/// This customer's list, kept from now on (a generated one made real), so the write calls
/// (`writes.rs`) and the list answer the same subscriptions.
pub fn materialized<'s>(s: &'s mut super::FakeState, tenant_id: &str) -> &'s mut Vec<Value> {
    let key = tenant_id.to_ascii_lowercase();
    if !s.subscription_lists.contains_key(&key) {
        let list = list_of(s, tenant_id);
        s.subscription_lists.insert(key.clone(), list);
    }
    s.subscription_lists.get_mut(&key).expect("just inserted")
}

fn list_of(s: &super::FakeState, tenant_id: &str) -> Vec<Value> {
    if let Some(list) = s.subscription_lists.get(&tenant_id.to_ascii_lowercase()) {
        return list.clone();
    }
    match customer_number(tenant_id) {
        Some(n) if n < s.customers.len() => (0..s.subscriptions_per_customer)
            .map(|k| subscription(n, k))
            .collect(),
        _ => Vec::new(),
    }
}

fn known(s: &super::FakeState, tenant_id: &str) -> Option<Value> {
    s.customers
        .iter()
        .find(|c| {
            c["id"]
                .as_str()
                .is_some_and(|id| id.eq_ignore_ascii_case(tenant_id))
        })
        .cloned()
}

fn not_found() -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        json!(600008),
        "The requested customer was not found.",
    )
}

/// `GET /v1/customers/{customer-tenant-id}`.
pub async fn customer_by_id(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = api_gate(&mut s, &format!("/v1/customers/{id}"), "", &headers) {
        return answer;
    }
    match known(&s, &id) {
        Some(c) => axum::Json(c).into_response(),
        None => not_found(),
    }
}

/// `GET /v1/customers/{customer-tenant-id}/subscriptions`: the whole list in one collection.
pub async fn subscriptions(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut s = state.lock().unwrap();
    let path = format!("/v1/customers/{id}/subscriptions");
    if let Some(answer) = api_gate(&mut s, &path, "", &headers) {
        return answer;
    }
    let generated = customer_number(&id).is_some_and(|n| n < s.customers.len());
    if !generated
        && !s.subscription_lists.contains_key(&id.to_ascii_lowercase())
        && known(&s, &id).is_none()
    {
        return not_found();
    }
    let items = list_of(&s, &id);
    axum::Json(json!({
        "totalCount": items.len(),
        "items": items,
        "links": {"self": {"uri": format!("/customers/{id}/subscriptions"), "method": "GET", "headers": []}},
        "attributes": {"objectType": "Collection"}
    }))
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    #[serde(rename = "startDate")]
    start_date: Option<String>,
    size: Option<usize>,
    #[serde(rename = "seekOperation")]
    seek_operation: Option<String>,
}

/// `GET /v1/auditrecords?startDate=YYYY-MM-DD`: the records of that day and after, oldest
/// first, `size` (default 500) a page, the next page behind `links.next` with a continuation
/// token. A start date more than 90 days back is refused (400), as the docs say.
pub async fn audit_records(
    State(state): State<Shared>,
    Query(q): Query<AuditQuery>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    use base64::Engine;
    let mut s = state.lock().unwrap();
    if let Some(answer) = api_gate(
        &mut s,
        "/v1/auditrecords",
        raw.as_deref().unwrap_or(""),
        &headers,
    ) {
        return answer;
    }
    let today = chrono::Utc::now().date_naive();
    let start = match q
        .start_date
        .as_deref()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d"))
    {
        None => today - chrono::Duration::days(30),
        Some(Ok(d)) => d,
        Some(Err(_)) => return pc_error(StatusCode::BAD_REQUEST, json!(400), "Invalid startDate"),
    };
    if today - start > chrono::Duration::days(90) {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(400),
            "startDate is more than 90 days ago",
        );
    }
    let from = start.format("%Y-%m-%d").to_string();
    let matching: Vec<&Value> = s
        .audit_records
        .iter()
        .filter(|r| {
            r["operationDate"]
                .as_str()
                .is_some_and(|d| d.get(..10).is_some_and(|day| day >= from.as_str()))
        })
        .collect();
    let size = q.size.unwrap_or(500).max(1);
    let offset = if q.seek_operation.as_deref() == Some("Next") {
        match header(&headers, "ms-continuationtoken")
            .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
            .and_then(|b| String::from_utf8(b).ok()?.parse::<usize>().ok())
        {
            Some(o) => o,
            None => {
                return pc_error(
                    StatusCode::BAD_REQUEST,
                    json!(800002),
                    "Invalid request input: continuation token",
                );
            }
        }
    } else {
        0
    };
    let end = (offset + size).min(matching.len());
    let items: Vec<Value> = matching[offset.min(end)..end]
        .iter()
        .map(|v| (*v).clone())
        .collect();
    let mut links = json!({"self": {"uri": format!("/auditrecords?startDate={from}&size={size}"), "method": "GET", "headers": []}});
    if end < matching.len() {
        links["next"] = json!({
            "uri": format!("/auditrecords?startDate={from}&size={size}&seekOperation=Next"),
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": base64::engine::general_purpose::STANDARD.encode(end.to_string())}],
        });
    }
    axum::Json(json!({
        "totalCount": items.len(),
        "items": items,
        "links": links,
        "attributes": {"objectType": "Collection"}
    }))
    .into_response()
}

/// `GET /v1/profiles/mpn`: the signed-in partner's profile.
pub async fn mpn_profile(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = api_gate(&mut s, "/v1/profiles/mpn", "", &headers) {
        return answer;
    }
    axum::Json(s.mpn_profile.clone()).into_response()
}

/// The documented example's shape, for the provider of the tests' demo books.
pub fn documented_mpn_profile(name: &str, mpn_id: &str) -> Value {
    json!({
        "partnerName": name,
        "mpnId": mpn_id,
        "profileType": "mpn_profile",
        "links": {"self": {"uri": format!("/profiles/mpn?mpnId={mpn_id}"), "method": "GET", "headers": []}},
        "attributes": {"objectType": "MpnProfile"}
    })
}
