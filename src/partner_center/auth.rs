//! Sign-in as App + User with the OAuth 2.0 device authorization grant (RFC 8628) on the
//! Microsoft identity platform: `POST {authority}/{tenant}/oauth2/v2.0/devicecode` gives a code
//! for the person to enter at the verification URL, while twotier polls `/token` at the server's
//! interval. MFA happens in the browser; twotier never sees a password. The refresh-token grant
//! on the same `/token` keeps the sign-in going.

use std::time::Duration;

use serde::Deserialize;

use super::endpoints::{Endpoints, SCOPE};
pub use super::error::SignInError;
use crate::domain::credentials::Secret;

/// What the device-code endpoint answers: the code to show and how to poll.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    /// Sent back while polling; never shown.
    pub device_code: Secret,
    /// What the person types at `verification_uri`.
    pub user_code: String,
    pub verification_uri: String,
    /// How long the code is valid.
    pub expires_in: Duration,
    /// How long to wait between polls (5 s when the server doesn't say).
    pub interval: Duration,
}

#[derive(Deserialize)]
struct DeviceCodeBody {
    device_code: String,
    user_code: String,
    verification_uri: String,
    expires_in: u64,
    #[serde(default)]
    interval: Option<u64>,
}

/// A successful token answer.
#[derive(Debug, Clone)]
pub struct Grant {
    pub access_token: Secret,
    pub expires_in: Duration,
    /// The identity platform may send a new refresh token with each refresh: keep the newest.
    pub refresh_token: Option<Secret>,
    /// The signed-in account (UPN), read from the ID token when there is one.
    pub account: Option<String>,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
}

/// The identity platform's error answer: `{"error", "error_description", …}`.
#[derive(Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// How polling waits: `second` is one second in production; tests shorten it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollClock {
    pub second: Duration,
}

impl Default for PollClock {
    fn default() -> PollClock {
        PollClock {
            second: Duration::from_secs(1),
        }
    }
}

/// Step 1: asks for a device code.
pub async fn start_device_flow(
    http: &reqwest::Client,
    endpoints: &Endpoints,
) -> Result<DeviceCode, SignInError> {
    let url = endpoints.device_code_url();
    let form = [
        ("client_id", endpoints.client_id.as_str()),
        ("scope", SCOPE),
    ];
    let (status, body) = post_form(http, &url, &form).await?;
    if !status.is_success() {
        return Err(oauth_error(&body, status));
    }
    let parsed: DeviceCodeBody =
        serde_json::from_slice(&body).map_err(|e| SignInError::BadAnswer(e.to_string()))?;
    Ok(DeviceCode {
        device_code: Secret::new(parsed.device_code),
        user_code: parsed.user_code,
        verification_uri: parsed.verification_uri,
        expires_in: Duration::from_secs(parsed.expires_in),
        interval: Duration::from_secs(parsed.interval.unwrap_or(5).max(1)),
    })
}

/// What a poll heard while the sign-in is not finished, for whoever shows the waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    /// `authorization_pending`: not finished in the browser yet.
    Pending,
    /// `slow_down`: polling every `interval` from now on.
    SlowDown { interval: Duration },
}

/// Step 2: polls until the person has signed in, declined, or the code expired.
/// `authorization_pending` polls again after the interval; `slow_down` adds 5 s to it for good.
pub async fn poll_for_token(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    code: &DeviceCode,
    clock: PollClock,
) -> Result<Grant, SignInError> {
    poll_for_token_reporting(http, endpoints, code, clock, &mut |_| {}).await
}

/// [`poll_for_token`], telling `on_poll` what each unfinished poll heard.
pub async fn poll_for_token_reporting(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    code: &DeviceCode,
    clock: PollClock,
    on_poll: &mut (dyn FnMut(Polled) + Send),
) -> Result<Grant, SignInError> {
    let url = endpoints.token_url();
    let minutes = code.expires_in.as_secs().div_ceil(60);
    let deadline = tokio::time::Instant::now() + scaled(code.expires_in, clock);
    let mut interval = code.interval;
    loop {
        tokio::time::sleep(scaled(interval, clock)).await;
        if tokio::time::Instant::now() >= deadline {
            return Err(SignInError::Expired { minutes });
        }
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", endpoints.client_id.as_str()),
            ("device_code", code.device_code.expose()),
        ];
        let (status, body) = post_form(http, &url, &form).await?;
        if status.is_success() {
            return grant_from(&body);
        }
        let error = serde_json::from_slice::<OAuthError>(&body)
            .map(|e| e.error)
            .unwrap_or_default();
        match error.as_str() {
            "authorization_pending" => on_poll(Polled::Pending),
            "slow_down" => {
                interval += Duration::from_secs(5);
                on_poll(Polled::SlowDown { interval });
            }
            "expired_token" | "code_expired" => return Err(SignInError::Expired { minutes }),
            "access_denied" | "authorization_declined" => return Err(SignInError::Denied),
            _ => return Err(oauth_error(&body, status)),
        }
    }
}

/// A new access token for the refresh token. `invalid_grant` means the sign-in is over.
pub async fn refresh(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    refresh_token: &Secret,
) -> Result<Grant, SignInError> {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", endpoints.client_id.as_str()),
        ("refresh_token", refresh_token.expose()),
        ("scope", SCOPE),
    ];
    let (status, body) = post_form(http, &endpoints.token_url(), &form).await?;
    if !status.is_success() {
        return Err(oauth_error(&body, status));
    }
    grant_from(&body)
}

fn scaled(d: Duration, clock: PollClock) -> Duration {
    clock.second.mul_f64(d.as_secs_f64())
}

async fn post_form(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<(reqwest::StatusCode, Vec<u8>), SignInError> {
    let unreachable = |e: reqwest::Error| SignInError::Unreachable {
        url: url.to_owned(),
        reason: transport_reason(&e),
    };
    let response = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .timeout(Duration::from_secs(60))
        .form(form)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    let body = response.bytes().await.map_err(unreachable)?;
    Ok((status, body.to_vec()))
}

/// A transport error in words, without the URL (which the caller names).
pub fn transport_reason(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the connection broke during the answer"
    } else {
        "the request failed"
    };
    // The innermost cause says the most (such as "connection refused").
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    format!("{what}: {source}")
}

fn oauth_error(body: &[u8], status: reqwest::StatusCode) -> SignInError {
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(e) => SignInError::Refused {
            description: e
                .error_description
                .map(|d| d.lines().next().unwrap_or("").to_owned())
                .unwrap_or_else(|| format!("HTTP {status}")),
            error: e.error,
        },
        Err(_) => SignInError::Refused {
            error: format!("HTTP {status}"),
            description: "no error details in the answer".to_owned(),
        },
    }
}

fn grant_from(body: &[u8]) -> Result<Grant, SignInError> {
    let parsed: TokenBody =
        serde_json::from_slice(body).map_err(|e| SignInError::BadAnswer(e.to_string()))?;
    Ok(Grant {
        account: parsed.id_token.as_deref().and_then(account_from_id_token),
        access_token: Secret::new(parsed.access_token),
        expires_in: Duration::from_secs(parsed.expires_in.unwrap_or(3600)),
        refresh_token: parsed.refresh_token.map(Secret::new),
    })
}

/// The account's UPN from an ID token's claims (`preferred_username`, else `upn`, else
/// `email`). The token came straight from the identity platform over TLS, so its signature is
/// not checked: the name is shown, never trusted for access.
pub fn account_from_id_token(id_token: &str) -> Option<String> {
    use base64::Engine;
    let payload = id_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    ["preferred_username", "upn", "email"]
        .iter()
        .find_map(|k| claims.get(k)?.as_str().map(str::to_owned))
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_comes_from_the_id_token_claims() {
        use base64::Engine;
        let claims =
            br#"{"aud":"x","preferred_username":"ava@northwind.onmicrosoft.com","upn":"other"}"#;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims);
        let token = format!("eyJhbGciOiJub25lIn0.{payload}.sig");
        assert_eq!(
            account_from_id_token(&token).as_deref(),
            Some("ava@northwind.onmicrosoft.com")
        );
        assert_eq!(account_from_id_token("not a token"), None);
        assert_eq!(account_from_id_token("a.!!!.c"), None);
    }
}
