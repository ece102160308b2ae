//! A fake Partner Center and Microsoft identity platform on 127.0.0.1, started by the tests on
//! port 0 and stopped when dropped. It speaks the JSON of the documented examples
//! (`developer/get-a-list-of-customers.md`, `retrieve-a-list-of-indirect-resellers.md`,
//! `error-codes.md`, `api-throttling-guidance.md`; the identity platform's device-code and token
//! answers), records every request it sees, and plays the faults a test queues.

#![allow(dead_code)]

pub mod client;
pub mod sync_api;
pub mod writes;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

/// The code the fake asks the person to enter.
pub const USER_CODE: &str = "GQ8X-2K4M";
pub const VERIFICATION_URI: &str = "https://microsoft.com/devicelogin";
pub const ACCOUNT: &str = "ava@northwind.onmicrosoft.com";
/// Every token the fake hands out starts with this, so a test can look for leaks.
/// The partner tenant the tests sign in to.
pub const TENANT: &str = "northwind.onmicrosoft.com";
pub const TOKEN_PREFIX: &str = "fakepc-";

/// What the token endpoint answers to the next device-code poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Poll {
    Pending,
    SlowDown,
    Expired,
    Denied,
    Success,
}

/// What the API does to the next request under `/v1` instead of answering it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer this one normally (to place a fault on a later request).
    Pass,
    /// 429 with this `Retry-After` (seconds), as the throttling doc shows.
    Throttle { retry_after: String },
    /// 500 with a Partner Center error body.
    ServerError,
    /// 401 although the token is valid (it was revoked server-side).
    Unauthorized,
    /// An error with Partner Center's body (`code`, `description`).
    Error {
        status: u16,
        code: Value,
        description: String,
    },
    /// 200 and half a body, then the connection is cut.
    DropMidBody,
    /// 200, then the body only after this many milliseconds (longer than the client waits).
    Stall { ms: u64 },
    /// 200 with a body that is not JSON (a proxy's error page).
    NotJson,
}

/// A request the fake saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    pub continuation: Option<String>,
    /// Form fields of identity-platform calls.
    pub form: Vec<(String, String)>,
}

#[derive(Default)]
pub struct FakeState {
    pub polls: VecDeque<Poll>,
    /// Seconds between polls the device-code answer asks for.
    pub interval: u64,
    pub expires_in: u64,
    pub faults: VecDeque<Fault>,
    pub seen: Vec<Seen>,
    pub customers: Vec<Value>,
    /// What the relationships list answers: the documented example's two at the start.
    pub resellers: Vec<Value>,
    pub access_tokens: HashSet<String>,
    pub refresh_tokens: HashSet<String>,
    issued: u64,
    /// Access tokens expire this fast (seconds).
    pub access_lifetime: u64,
    /// Subscriptions (`sync_api.rs`): a customer's list set by a test (by lowercase tenant
    /// ID), else this many generated per generated customer; the audit records; the MPN profile.
    pub subscription_lists: HashMap<String, Vec<Value>>,
    pub subscriptions_per_customer: usize,
    pub audit_records: Vec<Value>,
    pub mpn_profile: Value,
    pub writes: writes::WriteState,
}

impl FakeState {
    fn token(&mut self, kind: &str) -> String {
        self.issued += 1;
        format!(
            "{TOKEN_PREFIX}{kind}-{:04}-{}",
            self.issued,
            uuid::Uuid::new_v4().simple()
        )
    }

    fn grant(&mut self) -> Value {
        let access = self.token("access");
        let refresh = self.token("refresh");
        self.access_tokens.insert(access.clone());
        self.refresh_tokens.insert(refresh.clone());
        json!({
            "token_type": "Bearer",
            "scope": "https://api.partnercenter.microsoft.com/user_impersonation",
            "expires_in": self.access_lifetime,
            "ext_expires_in": self.access_lifetime,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": id_token(ACCOUNT),
        })
    }
}

/// An unsigned JWT with the claims the identity platform puts in an ID token.
pub fn id_token(upn: &str) -> String {
    use base64::Engine;
    let enc = |v: Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    format!(
        "{}.{}.c2lnbmF0dXJl",
        enc(json!({"typ": "JWT", "alg": "RS256"})),
        enc(json!({"aud": "app", "name": "Ava Kim", "preferred_username": upn, "tid": "tenant"}))
    )
}

/// A customer as the list returns it (`get-a-list-of-customers.md`).
pub fn customer(n: usize) -> Value {
    let id = format!("{:08x}-c595-45b0-9e09-{:012x}", n, n);
    json!({
        "id": id,
        "companyProfile": {
            "tenantId": id,
            "domain": format!("customer{n}.onmicrosoft.com"),
            "companyName": format!("Customer {n}"),
            "attributes": {"objectType": "CustomerCompanyProfile"}
        },
        "relationshipToPartner": "reseller",
        "attributes": {"objectType": "Customer"}
    })
}

/// The indirect resellers of `retrieve-a-list-of-indirect-resellers.md`'s example.
pub fn documented_resellers() -> Vec<Value> {
    vec![
        reseller(
            "484e548c-f5f3-4528-93a9-c16c6373cb59",
            "First Up Consultants",
            "4847383",
            "US",
        ),
        reseller(
            "b01b1487-b36e-4e6d-9b5e-0b58974c4b28",
            "ReleCloud",
            "4847433",
            "BR",
        ),
    ]
}

/// An indirect reseller as the relationships list returns it.
pub fn reseller(tenant_id: &str, name: &str, mpn_id: &str, location: &str) -> Value {
    json!({
        "id": tenant_id,
        "name": name,
        "relationshipType": "is_indirect_cloud_solution_provider_of",
        "state": "Active",
        "mpnId": mpn_id,
        "location": location,
        "attributes": {"objectType": "PartnerRelationship"}
    })
}

pub struct FakePartnerCenter {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<FakeState>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakePartnerCenter {
    /// Starts on 127.0.0.1, port 0, on a thread of its own (usable from sync and async tests).
    pub fn start() -> FakePartnerCenter {
        let state = Arc::new(Mutex::new(FakeState {
            interval: 1,
            expires_in: 900,
            access_lifetime: 3600,
            resellers: documented_resellers(),
            mpn_profile: sync_api::documented_mpn_profile(
                "Northwind Cloud Distribution",
                "4120357",
            ),
            ..FakeState::default()
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = router(state.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        FakePartnerCenter {
            addr,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The config file's `[partner_center]` section that points twotier at this server.
    pub fn config_section(&self) -> String {
        format!(
            "[partner_center]\ntenant = \"{TENANT}\"\nclient_id = \"6f1c2a3b-0000-4000-8000-00000000c11e\"\n\
             api_url = \"{url}\"\nauthority_url = \"{url}\"\n",
            url = self.url()
        )
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut FakeState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.with(|s| s.seen.clone())
    }

    /// The requests under `/v1`.
    pub fn api_calls(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path.starts_with("/v1/"))
            .collect()
    }

    /// A refresh token the fake accepts, as a sign-in before this test would have left.
    pub fn issue_refresh_token(&self) -> String {
        self.with(|s| {
            let t = s.token("refresh");
            s.refresh_tokens.insert(t.clone());
            t
        })
    }

    pub fn add_customers(&self, count: usize) {
        self.with(|s| {
            let start = s.customers.len();
            s.customers.extend((start..start + count).map(customer));
        });
    }

    pub fn fault(&self, fault: Fault) {
        self.with(|s| s.faults.push_back(fault));
    }
}

impl Drop for FakePartnerCenter {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type Shared = Arc<Mutex<FakeState>>;

fn router(state: Shared) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device_code))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/v1/customers", get(customers))
        .route("/v1/relationships", get(relationships))
        .route("/v1/customers/{customer_id}", get(sync_api::customer_by_id))
        .route(
            "/v1/customers/{customer_id}/subscriptions",
            get(sync_api::subscriptions),
        )
        .route("/v1/auditrecords", get(sync_api::audit_records))
        .route("/v1/profiles/mpn", get(sync_api::mpn_profile))
        .merge(writes::routes())
        .with_state(state)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn record(
    state: &mut FakeState,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    form: Vec<(String, String)>,
) {
    state.seen.push(Seen {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        request_id: header(headers, "ms-requestid"),
        correlation_id: header(headers, "ms-correlationid"),
        authorization: header(headers, "authorization"),
        accept: header(headers, "accept"),
        continuation: header(headers, "ms-continuationtoken"),
        form,
    });
}

fn oauth_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({
            "error": error,
            "error_description": description,
            "error_codes": [70016],
            "timestamp": "2026-12-04 19:00:00Z",
            "trace_id": uuid::Uuid::new_v4().to_string(),
            "correlation_id": uuid::Uuid::new_v4().to_string(),
        })),
    )
        .into_response()
}

async fn device_code(
    State(state): State<Shared>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut s = state.lock().unwrap();
    record(
        &mut s,
        "POST",
        &format!("/{tenant}/oauth2/v2.0/devicecode"),
        "",
        &headers,
        form,
    );
    let device = s.token("device");
    axum::Json(json!({
        "user_code": USER_CODE,
        "device_code": device,
        "verification_uri": VERIFICATION_URI,
        "expires_in": s.expires_in,
        "interval": s.interval,
        "message": format!("To sign in, use a web browser to open the page {VERIFICATION_URI} and enter the code {USER_CODE} to authenticate."),
    }))
    .into_response()
}

async fn token(
    State(state): State<Shared>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut s = state.lock().unwrap();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let grant_type = field("grant_type").unwrap_or_default();
    let refresh = field("refresh_token");
    record(
        &mut s,
        "POST",
        &format!("/{tenant}/oauth2/v2.0/token"),
        "",
        &headers,
        form,
    );
    match grant_type.as_str() {
        "urn:ietf:params:oauth:grant-type:device_code" => {
            match s.polls.pop_front().unwrap_or(Poll::Success) {
                Poll::Pending => oauth_error(
                    "authorization_pending",
                    "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                ),
                Poll::SlowDown => oauth_error("slow_down", "AADSTS70016: Slow down."),
                Poll::Expired => {
                    oauth_error("expired_token", "AADSTS70019: Verification code expired.")
                }
                Poll::Denied => oauth_error(
                    "access_denied",
                    "AADSTS70000: The user declined the authorization.",
                ),
                Poll::Success => axum::Json(s.grant()).into_response(),
            }
        }
        "refresh_token" => match refresh {
            Some(r) if s.refresh_tokens.remove(&r) => axum::Json(s.grant()).into_response(),
            _ => oauth_error(
                "invalid_grant",
                "AADSTS700082: The refresh token has expired due to inactivity.",
            ),
        },
        other => oauth_error("unsupported_grant_type", &format!("grant_type {other}")),
    }
}

/// The checks and faults every `/v1` call gets; `Some` is the answer instead of the real one.
fn api_gate(s: &mut FakeState, path: &str, query: &str, headers: &HeaderMap) -> Option<Response> {
    record(s, "GET", path, query, headers, Vec::new());
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

fn pc_error(status: StatusCode, code: Value, description: &str) -> Response {
    (
        status,
        axum::Json(
            json!({"code": code, "description": description, "data": [], "source": "PartnerFD"}),
        ),
    )
        .into_response()
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::Pass => unreachable!("answered normally"),
        Fault::Throttle { retry_after } => (
            StatusCode::TOO_MANY_REQUESTS,
            [("Retry-After", retry_after.clone())],
            axum::Json(json!({"statusCode": 429, "message": format!("Rate limit is exceeded. Try again in {retry_after} seconds.")})),
        )
            .into_response(),
        Fault::ServerError => pc_error(StatusCode::INTERNAL_SERVER_ERROR, json!(800003), "Unexpected service error"),
        Fault::Unauthorized => pc_error(StatusCode::UNAUTHORIZED, json!(400), "Access denied"),
        Fault::Error { status, code, description } => {
            pc_error(StatusCode::from_u16(status).unwrap(), code, &description)
        }
        Fault::Stall { ms } => {
            let late = futures::stream::once(async move {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                Ok::<_, std::io::Error>("{\"totalCount\": 0, \"items\": []}")
            });
            Response::builder()
                .status(200)
                .header("Content-Type", "application/json")
                .body(Body::from_stream(late))
                .unwrap()
        }
        Fault::NotJson => (
            StatusCode::OK,
            [("Content-Type", "text/html")],
            "<html><body>Gateway says hello</body></html>",
        )
            .into_response(),
        Fault::DropMidBody => {
            let chunks: Vec<Result<&'static str, std::io::Error>> = vec![
                Ok("{\"totalCount\": 500, \"items\": [{\"id\": \"b44bb1fb-c595"),
                Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut")),
            ];
            Response::builder()
                .status(200)
                .header("Content-Type", "application/json")
                .header("Content-Length", "15650")
                .body(Body::from_stream(futures::stream::iter(chunks)))
                .unwrap()
        }
    }
}

#[derive(serde::Deserialize)]
struct CustomersQuery {
    size: Option<usize>,
    #[serde(rename = "seekOperation")]
    seek_operation: Option<String>,
}

/// `GET /v1/customers?size=N`, then `…&seekOperation=Next` with the `MS-ContinuationToken` the
/// previous page's `links.next` gave (here the offset, base64).
async fn customers(
    State(state): State<Shared>,
    Query(q): Query<CustomersQuery>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    use base64::Engine;
    let mut s = state.lock().unwrap();
    if let Some(answer) = api_gate(
        &mut s,
        "/v1/customers",
        raw.as_deref().unwrap_or(""),
        &headers,
    ) {
        return answer;
    }
    let Some(size) = q.size.filter(|&n| n > 0) else {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(3000),
            "Invalid property: size",
        );
    };
    let start = if q.seek_operation.as_deref() == Some("Next") {
        let token = header(&headers, "ms-continuationtoken").and_then(|t| {
            let bytes = base64::engine::general_purpose::STANDARD.decode(t).ok()?;
            String::from_utf8(bytes).ok()?.parse::<usize>().ok()
        });
        match token {
            Some(start) => start,
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
    let end = (start + size).min(s.customers.len());
    let items: Vec<Value> = s.customers[start.min(end)..end].to_vec();
    let mut links =
        json!({"self": {"uri": format!("/customers?size={size}"), "method": "GET", "headers": []}});
    if end < s.customers.len() {
        let token = base64::engine::general_purpose::STANDARD.encode(end.to_string());
        links["next"] = json!({
            "uri": format!("/customers?size={size}&seekOperation=Next"),
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": token}],
        });
    }
    axum::Json(json!({
        "totalCount": items.len(),
        "items": items,
        "links": links,
        "attributes": {"objectType": "Collection"},
    }))
    .into_response()
}

#[derive(serde::Deserialize)]
struct RelationshipsQuery {
    relationship_type: Option<String>,
}

/// `GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf`: the documented
/// example's two resellers.
async fn relationships(
    State(state): State<Shared>,
    Query(q): Query<RelationshipsQuery>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let mut s = state.lock().unwrap();
    if let Some(answer) = api_gate(
        &mut s,
        "/v1/relationships",
        raw.as_deref().unwrap_or(""),
        &headers,
    ) {
        return answer;
    }
    if q.relationship_type.as_deref() != Some("IsIndirectCloudSolutionProviderOf") {
        return pc_error(
            StatusCode::BAD_REQUEST,
            json!(3000),
            "Invalid property: relationship_type",
        );
    }
    axum::Json(json!({
        "totalCount": s.resellers.len(),
        "items": s.resellers,
        "attributes": {"objectType": "Collection"}
    }))
    .into_response()
}
