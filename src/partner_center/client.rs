//! One Partner Center request, done properly (`developer/headers.md`): every try carries
//! `Authorization: Bearer`, `Accept: application/json`, `MS-Contract-Version: v1`, an
//! `MS-RequestId` that stays the same on each retry of that request (so a retried create is
//! not made twice) and its `MS-CorrelationId`. 429 waits `Retry-After`; 5xx, 408, timeouts and
//! broken connections retry with capped exponential backoff and jitter, then fail with the
//! correlation id; 401 refreshes the access token once; the rate limiter keeps under 500 a
//! minute. What is logged: method, path, ids, status, never a header or a body.

use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::auth::transport_reason;
use super::error::Error;
use super::model::ErrorBody;
use super::retry::{RateLimiter, RetryPolicy, parse_retry_after};
use super::session::Session;

/// A call to make: `path` is from `/v1/…` on the configured API; `what` names it in messages
/// ("the customer list").
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub what: String,
    pub body: Option<serde_json::Value>,
    /// Extra headers, such as `MS-ContinuationToken` from a next link.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn get(path: impl Into<String>, what: impl Into<String>) -> Request {
        Request {
            method: Method::GET,
            path: path.into(),
            what: what.into(),
            body: None,
            headers: Vec::new(),
        }
    }
}

/// A successful answer, with the ids it was sent under.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    pub request_id: Uuid,
    pub correlation_id: Uuid,
}

pub struct Client {
    session: Arc<Session>,
    policy: RetryPolicy,
    limiter: Arc<RateLimiter>,
}

/// The outcome of one try.
enum Try {
    Done(Answer),
    Unauthorized,
    /// A transient failure; `throttled` with the `Retry-After` a 429 asked for.
    Retry {
        throttled: Option<Option<std::time::Duration>>,
        last: String,
    },
    Fail(Error),
}

impl Client {
    pub fn new(session: Arc<Session>, policy: RetryPolicy, limiter: Arc<RateLimiter>) -> Client {
        Client {
            session,
            policy,
            limiter,
        }
    }

    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// GETs `path` and reads its JSON.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str, what: &str) -> Result<T, Error> {
        let answer = self.send(Request::get(path, what)).await?;
        parse(&answer, what)
    }

    /// Sends `request`, retrying as the policy says.
    pub async fn send(&self, request: Request) -> Result<Answer, Error> {
        let request_id = Uuid::new_v4();
        let correlation_id = Uuid::new_v4();
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let token = self.session.access_token(false).await?;
            let outcome = self
                .try_once(&request, &token, request_id, correlation_id)
                .await;
            drop(token);
            match outcome {
                Try::Done(answer) => return Ok(answer),
                // A token the server no longer takes (revoked, or expired early): once.
                Try::Unauthorized if !refreshed => {
                    refreshed = true;
                    attempt -= 1;
                    self.session.access_token(true).await?;
                }
                Try::Unauthorized => {
                    return Err(Error::Api {
                        what: request.what.clone(),
                        status: 401,
                        code: None,
                        description: "the signed-in account is not authorized, even after a new access token; run `twotier signin` (with an account that has a Partner Center role)".into(),
                        correlation_id,
                    });
                }
                Try::Retry { last, .. } if attempt >= self.policy.max_attempts => {
                    return Err(Error::GaveUp {
                        what: request.what.clone(),
                        attempts: attempt,
                        last,
                        correlation_id,
                    });
                }
                Try::Retry { throttled, last } => {
                    let wait = match throttled {
                        Some(retry_after) => self.policy.throttled(retry_after, attempt),
                        None => self.policy.backoff(attempt),
                    };
                    tracing::info!(path = %request.path, %request_id, %correlation_id, attempt, wait_ms = wait.as_millis() as u64, %last, "retrying a Partner Center request");
                    tokio::time::sleep(wait).await;
                }
                Try::Fail(e) => return Err(e),
            }
        }
    }

    async fn try_once(
        &self,
        request: &Request,
        token: &crate::domain::credentials::Secret,
        request_id: Uuid,
        correlation_id: Uuid,
    ) -> Try {
        self.limiter.acquire().await;
        let url = self.session.endpoints().api(&request.path);
        let mut builder = self
            .session
            .http()
            .request(request.method.clone(), &url)
            .timeout(self.policy.timeout)
            .bearer_auth(token.expose())
            .header("Accept", "application/json")
            .header("MS-RequestId", request_id.to_string())
            .header("MS-CorrelationId", correlation_id.to_string())
            .header("MS-Contract-Version", "v1")
            .header("MS-PartnerCenter-Application", "twotier");
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let transient = |last: String| Try::Retry {
            throttled: None,
            last,
        };
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) if e.is_builder() => {
                return Try::Fail(Error::Setup(format!("{}: {e}", request.what)));
            }
            Err(e) => return transient(transport_reason(&e)),
        };
        let status = response.status();
        let headers = response.headers().clone();
        // A broken connection while the body comes in is retried like one before it.
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return transient(transport_reason(&e)),
        };
        tracing::debug!(method = %request.method, path = %request.path, %request_id, %correlation_id, status = status.as_u16(), "Partner Center answered");
        if status.is_success() {
            return Try::Done(Answer {
                status: status.as_u16(),
                headers,
                body,
                request_id,
                correlation_id,
            });
        }
        let described = describe_error(&body);
        match status.as_u16() {
            401 => Try::Unauthorized,
            429 => {
                let retry_after =
                    parse_retry_after(headers.get("retry-after").and_then(|v| v.to_str().ok()));
                Try::Retry {
                    throttled: Some(retry_after),
                    last: format!("HTTP 429 too many requests{}", suffix(&described.1)),
                }
            }
            408 | 500..=599 => {
                transient(format!("HTTP {}{}", status.as_u16(), suffix(&described.1)))
            }
            code => Try::Fail(Error::Api {
                what: request.what.clone(),
                status: code,
                code: described.0,
                description: described
                    .1
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned()),
                correlation_id,
            }),
        }
    }
}

fn suffix(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// Partner Center's error body as (code, description); a body that isn't one gives nothing.
fn describe_error(body: &[u8]) -> (Option<String>, Option<String>) {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(e) => {
            let text = e.description.clone().or(e.message.clone());
            (e.code_text(), text.filter(|t| !t.trim().is_empty()))
        }
        Err(_) => (None, None),
    }
}

/// Reads an answer's JSON, or says it was not understood.
pub fn parse<T: DeserializeOwned>(answer: &Answer, what: &str) -> Result<T, Error> {
    serde_json::from_slice(&answer.body).map_err(|e| Error::BadAnswer {
        what: what.to_owned(),
        problem: e.to_string(),
        correlation_id: answer.correlation_id,
    })
}
