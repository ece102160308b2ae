//! The fake's calls that change Partner Center, answering the JSON of their docs' examples:
//! `create-a-customer-for-an-indirect-reseller.md` (a customer with `userCredentials`),
//! `create-an-order-for-a-customer-of-an-indirect-reseller.md` (each line gets a subscription),
//! `get-a-subscription-by-id.md` and `update-a-subscription-by-id.md` (GET, PATCH of the whole
//! resource), `update-a-subscription-s-support-contact.md`, `transition-a-subscription.md`
//! (upgrades), `verify-indirect-reseller-mpa-status.md` and `validateresellers`. What is made is
//! kept, so the customer list and a later GET see it. A create sent again with the same
//! `MS-RequestId` answers what the first one made, as Partner Center's idempotency does.

use std::collections::{HashMap, HashSet};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use super::{FakeState, Fault, Shared, fault_response, header, pc_error, record};

/// What the write calls keep, and the faults and answers a test sets for them.
#[derive(Default)]
pub struct WriteState {
    /// The JSON body of each call that sent one: (method, path, body).
    pub bodies: Vec<(String, String, Value)>,
    /// Answers by `MS-RequestId`: a request sent again gets the same answer, nothing new made.
    pub answered: HashMap<String, (u16, Value)>,
    /// This many creates are made but their answer is lost (503).
    pub lose_answers: usize,
    /// Every temporary password handed out.
    pub passwords: Vec<String>,
    /// Support contacts by subscription id (lowercase).
    pub support_contacts: HashMap<String, Value>,
    /// PartnerIDs that have not signed the MPA (2203) or can't be partner of record (900400).
    pub mpa_unsigned: HashSet<String>,
    pub por_invalid: HashSet<String>,
}

pub fn routes() -> Router<Shared> {
    let one = "/v1/customers/{customer_id}/subscriptions/{subscription_id}";
    Router::new()
        .route("/v1/customers", post(create_customer))
        .route("/v1/customers/{customer_id}/orders", post(create_order))
        .route(one, get(get_subscription).patch(patch_subscription))
        .route(&format!("{one}/supportcontact"), put(put_support_contact))
        .route(&format!("{one}/upgrades"), post(upgrade))
        .route("/v1/compliance/csp/agreementstatus", get(agreement_status))
        .route("/v1/partners/validateresellers", post(validate_resellers))
}

/// The checks and faults of a call that changes something (the method is recorded as sent).
fn gate(
    s: &mut FakeState,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: Option<&Value>,
) -> Option<Response> {
    record(s, method, path, query, headers, Vec::new());
    if let Some(body) = body {
        s.writes
            .bodies
            .push((method.to_owned(), path.to_owned(), body.clone()));
    }
    if let Some(fault) = s.faults.pop_front().filter(|f| *f != Fault::Pass) {
        return Some(fault_response(fault));
    }
    let bearer =
        header(headers, "authorization").and_then(|a| a.strip_prefix("Bearer ").map(str::to_owned));
    if !bearer.is_some_and(|t| s.access_tokens.contains(&t)) {
        return Some(pc_error(
            StatusCode::UNAUTHORIZED,
            json!(800001),
            "Partner Token missing in request context",
        ));
    }
    None
}

/// An answer made before, for a request sent again under the same `MS-RequestId`.
fn replay(s: &FakeState, headers: &HeaderMap) -> Option<Response> {
    let id = header(headers, "ms-requestid")?;
    let (status, body) = s.writes.answered.get(&id)?;
    Some(
        (
            StatusCode::from_u16(*status).unwrap(),
            axum::Json(body.clone()),
        )
            .into_response(),
    )
}

/// Keeps the answer under the request's id; when `lose_answers` asks, the change is made but
/// the answer is lost (a 503, as a gateway that timed out would send).
fn answer(s: &mut FakeState, headers: &HeaderMap, status: StatusCode, body: Value) -> Response {
    if let Some(id) = header(headers, "ms-requestid") {
        s.writes
            .answered
            .insert(id, (status.as_u16(), body.clone()));
    }
    if s.writes.lose_answers > 0 {
        s.writes.lose_answers -= 1;
        return pc_error(
            StatusCode::SERVICE_UNAVAILABLE,
            json!(800003),
            "The gateway timed out",
        );
    }
    (status, axum::Json(body)).into_response()
}

fn field<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut at = v;
    for key in path {
        at = field(at, key)?;
    }
    at.as_str().map(str::to_owned)
}

/// A temporary password as Partner Center makes them: 8 characters, every class.
fn password() -> String {
    let u = uuid::Uuid::new_v4().simple().to_string();
    format!("Q{}*{}", &u[..5], &u[5..6].to_ascii_uppercase()).replace('0', "7")
}

/// `POST /v1/customers`.
pub async fn create_customer(
    State(state): State<Shared>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = gate(&mut s, "POST", "/v1/customers", "", &headers, Some(&body)) {
        return answer;
    }
    if let Some(again) = replay(&s, &headers) {
        return again;
    }
    let Some(domain) = text(&body, &["companyProfile", "domain"]) else {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(2000),
            "Invalid property: companyProfile.domain",
        );
    };
    let taken = s.customers.iter().any(|c| {
        text(c, &["companyProfile", "domain"]).is_some_and(|d| d.eq_ignore_ascii_case(&domain))
    });
    if taken {
        return pc_error(
            StatusCode::CONFLICT,
            json!(1000),
            &format!("The domain {domain} is already in use."),
        );
    }
    let reseller = text(&body, &["associatedPartnerId"]);
    if let Some(r) = &reseller
        && !s
            .resellers
            .iter()
            .any(|x| text(x, &["id"]).is_some_and(|id| id.eq_ignore_ascii_case(r)))
    {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(600064),
            "The indirect reseller has no relationship with the partner.",
        );
    }
    let id = uuid::Uuid::new_v4().to_string();
    let company = text(&body, &["billingProfile", "companyName"]).unwrap_or_default();
    let password = password();
    s.writes.passwords.push(password.clone());
    let listed = json!({
        "id": id,
        "companyProfile": {"tenantId": id, "domain": domain, "companyName": company,
                           "attributes": {"objectType": "CustomerCompanyProfile"}},
        "relationshipToPartner": "reseller",
        "associatedPartnerId": reseller,
        "attributes": {"objectType": "Customer"}
    });
    s.customers.push(listed);
    let made = json!({
        "id": id,
        "commerceId": id,
        "companyProfile": {
            "tenantId": id, "domain": domain, "companyName": company,
            "links": {"self": {"uri": format!("/customers/{id}/profiles/company"), "method": "GET", "headers": []}},
            "attributes": {"objectType": "CustomerCompanyProfile"}
        },
        "billingProfile": field(&body, "billingProfile").cloned().unwrap_or(Value::Null),
        "relationshipToPartner": "reseller",
        "allowDelegatedAccess": true,
        "userCredentials": {"userName": "admin", "password": password},
        "associatedPartnerId": reseller,
        "attributes": {"objectType": "Customer"}
    });
    answer(&mut s, &headers, StatusCode::CREATED, made)
}

/// `POST /v1/customers/{customer_id}/orders`: a subscription per line.
pub async fn create_order(
    State(state): State<Shared>,
    Path(customer): Path<String>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut s = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/orders");
    if let Some(answer) = gate(&mut s, "POST", &path, "", &headers, Some(&body)) {
        return answer;
    }
    if let Some(again) = replay(&s, &headers) {
        return again;
    }
    if !s
        .customers
        .iter()
        .any(|c| text(c, &["id"]).is_some_and(|id| id.eq_ignore_ascii_case(&customer)))
    {
        return pc_error(
            StatusCode::NOT_FOUND,
            json!(600001),
            "The customer was not found.",
        );
    }
    let lines = field(&body, "lineItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if lines.is_empty() {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(2000),
            "An order needs at least one line item.",
        );
    }
    let order_id = uuid::Uuid::new_v4().to_string();
    let mut answered = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let sid = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
        let offer = text(line, &["offerId"]).unwrap_or_default();
        let quantity = field(line, "quantity").and_then(Value::as_i64).unwrap_or(1);
        let partner = text(line, &["partnerIdOnRecord"]);
        super::sync_api::materialized(&mut s, &customer).push(subscription(
            &sid, &offer, quantity, line, &partner, &order_id,
        ));
        answered.push(json!({
            "lineItemNumber": n, "offerId": offer, "subscriptionId": sid, "quantity": quantity,
            "termDuration": text(line, &["termDuration"]), "billingCycle": text(line, &["billingCycle"]),
            "partnerIdOnRecord": partner,
            "links": {"subscription": {"uri": format!("/customers/{customer}/subscriptions/{sid}"), "method": "GET", "headers": []}}
        }));
    }
    let made = json!({
        "id": order_id,
        "referenceCustomerId": customer,
        "billingCycle": "monthly",
        "lineItems": answered,
        "creationDate": "2026-12-04T20:00:00Z",
        "status": "completed",
        "links": {"self": {"uri": format!("/customers/{customer}/orders/{order_id}"), "method": "GET", "headers": []}},
        "attributes": {"etag": "eyJ2ZXJzaW9uIjoxfQ==", "objectType": "Order"}
    });
    answer(&mut s, &headers, StatusCode::CREATED, made)
}

/// A subscription as `get-a-subscription-by-id.md` shows one.
fn subscription(
    id: &str,
    offer: &str,
    quantity: i64,
    line: &Value,
    partner: &Option<String>,
    order: &str,
) -> Value {
    json!({
        "id": id,
        "offerId": offer,
        "offerName": offer,
        "friendlyName": offer,
        "quantity": quantity,
        "unitType": "Licenses",
        "creationDate": "2026-12-04T20:00:00Z",
        "effectiveStartDate": "2026-12-04T20:00:00Z",
        "commitmentEndDate": "2027-12-03T00:00:00Z",
        "status": "active",
        "autoRenewEnabled": true,
        "isTrial": false,
        "billingType": "license",
        "billingCycle": text(line, &["billingCycle"]).unwrap_or_else(|| "monthly".into()),
        "termDuration": text(line, &["termDuration"]).unwrap_or_else(|| "P1Y".into()),
        "partnerId": partner.clone().unwrap_or_default(),
        "contractType": "subscription",
        "orderId": order,
        "attributes": {"etag": "1", "objectType": "Subscription"}
    })
}

fn find<'s>(s: &'s mut FakeState, customer: &str, subscription: &str) -> Option<&'s mut Value> {
    super::sync_api::materialized(s, customer)
        .iter_mut()
        .find(|v| text(v, &["id"]).is_some_and(|id| id.eq_ignore_ascii_case(subscription)))
}

fn not_found() -> Response {
    pc_error(
        StatusCode::NOT_FOUND,
        json!(800002),
        "The subscription was not found.",
    )
}

/// `GET /v1/customers/{customer_id}/subscriptions/{subscription_id}`.
pub async fn get_subscription(
    State(state): State<Shared>,
    Path((customer, sid)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = gate(
        &mut s,
        "GET",
        &format!("/v1/customers/{customer}/subscriptions/{sid}"),
        "",
        &headers,
        None,
    ) {
        return answer;
    }
    match find(&mut s, &customer, &sid) {
        Some(v) => axum::Json(v.clone()).into_response(),
        None => not_found(),
    }
}

/// `PATCH` the whole subscription: quantity, status, auto-renew and partnerId are taken.
pub async fn patch_subscription(
    State(state): State<Shared>,
    Path((customer, sid)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = gate(
        &mut s,
        "PATCH",
        &format!("/v1/customers/{customer}/subscriptions/{sid}"),
        "",
        &headers,
        Some(&body),
    ) {
        return answer;
    }
    let Some(v) = find(&mut s, &customer, &sid) else {
        return not_found();
    };
    if field(&body, "quantity")
        .and_then(Value::as_i64)
        .is_some_and(|q| q < 1)
    {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(900275),
            "The quantity is outside the allowed range.",
        );
    }
    for key in ["quantity", "status", "autoRenewEnabled", "partnerId"] {
        if let Some(value) = field(&body, key) {
            v[key] = value.clone();
        }
    }
    let etag = v["attributes"]["etag"]
        .as_str()
        .and_then(|e| e.parse::<u64>().ok())
        .unwrap_or(1);
    v["attributes"]["etag"] = json!((etag + 1).to_string());
    axum::Json(v.clone()).into_response()
}

/// `PUT …/supportcontact`: the contact must be a reseller of the partner (or the partner).
pub async fn put_support_contact(
    State(state): State<Shared>,
    Path((customer, sid)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut s = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/subscriptions/{sid}/supportcontact");
    if let Some(answer) = gate(&mut s, "PUT", &path, "", &headers, Some(&body)) {
        return answer;
    }
    if find(&mut s, &customer, &sid).is_none() {
        return not_found();
    }
    let contact = json!({
        "supportTenantId": text(&body, &["supportTenantId"]),
        "supportMpnId": text(&body, &["supportMpnId"]),
        "name": text(&body, &["name"]),
        "links": {"self": {"uri": path.trim_start_matches("/v1"), "method": "Get", "headers": []}},
        "attributes": {"objectType": "SupportContact"}
    });
    s.writes
        .support_contacts
        .insert(sid.to_ascii_lowercase(), contact.clone());
    axum::Json(contact).into_response()
}

/// `POST …/upgrades`: a new subscription of the target offer; the source one is suspended.
pub async fn upgrade(
    State(state): State<Shared>,
    Path((customer, sid)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut s = state.lock().unwrap();
    let path = format!("/v1/customers/{customer}/subscriptions/{sid}/upgrades");
    if let Some(answer) = gate(&mut s, "POST", &path, "", &headers, Some(&body)) {
        return answer;
    }
    let target_offer = text(&body, &["targetOffer", "id"]).unwrap_or_default();
    let Some(source) = find(&mut s, &customer, &sid) else {
        return not_found();
    };
    source["status"] = json!("suspended");
    let mut target = source.clone();
    let tid = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
    target["id"] = json!(tid);
    target["offerId"] = json!(target_offer);
    target["status"] = json!("active");
    super::sync_api::materialized(&mut s, &customer).push(target);
    axum::Json(json!({
        "sourceSubscriptionId": sid, "targetSubscriptionId": tid, "upgradeType": "upgrade_only",
        "upgradeErrors": [], "licenseUpgradeErrors": [], "attributes": {"objectType": "UpgradeResult"}
    }))
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct AgreementQuery {
    #[serde(rename = "mpnId", alias = "mpnid")]
    mpn_id: Option<String>,
}

/// `GET /v1/compliance/csp/agreementstatus?mpnId=`: signed, unless the test says otherwise
/// (`mpa_unsigned`: code 2203) or the PartnerID is no reseller of the partner (2204).
pub async fn agreement_status(
    State(state): State<Shared>,
    Query(q): Query<AgreementQuery>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = gate(
        &mut s,
        "GET",
        "/v1/compliance/csp/agreementstatus",
        raw.as_deref().unwrap_or(""),
        &headers,
        None,
    ) {
        return answer;
    }
    let Some(mpn) = q.mpn_id.filter(|m| !m.is_empty()) else {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(2001),
            "Both MPN Id and Tenant Id cannot be empty.",
        );
    };
    if !mpn.bytes().all(|b| b.is_ascii_digit()) {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(2000),
            "MPN Id must be numeric.",
        );
    }
    if s.writes.mpa_unsigned.contains(&mpn) {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(2203),
            &format!(
                "MPN Id {mpn} has not signed Microsoft Partner Agreement (MPA) for the CSP region where the order is being placed. Please advise your reseller to sign MPA to continue with the order."
            ),
        );
    }
    if !s
        .resellers
        .iter()
        .any(|r| text(r, &["mpnId"]).as_deref() == Some(mpn.as_str()))
    {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(2204),
            &format!(
                "Requested MPN Id {mpn} is not associated with any CSP Indirect Reseller account in Partner Center."
            ),
        );
    }
    axum::Json(json!({"isAgreementSigned": true})).into_response()
}

/// `POST /v1/partners/validateresellers`.
pub async fn validate_resellers(
    State(state): State<Shared>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = gate(
        &mut s,
        "POST",
        "/v1/partners/validateresellers",
        "",
        &headers,
        Some(&body),
    ) {
        return answer;
    }
    let ids: Vec<String> = field(&body, "partnerIds")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let results: Vec<Value> = ids
        .iter()
        .map(|id| {
            if s.writes.por_invalid.contains(id) {
                json!({"partnerId": id, "isValidPartnerIdOnRecord": false, "errorCode": 900400,
                       "errorDescription": "The PartnerID is not valid as partner of record: its location account is inactive."})
            } else {
                json!({"partnerId": id, "isValidPartnerIdOnRecord": true, "errorCode": null, "errorDescription": null})
            }
        })
        .collect();
    axum::Json(json!({"validationResults": results})).into_response()
}
