//! The Partner Center client against the fake Partner Center on 127.0.0.1: the headers of every
//! request, retries (Retry-After, backoff, giving up with the correlation id), one token refresh
//! on 401, error bodies in words, the device-code sign-in and each of its errors, and paging.

mod fake_partner_center;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_partner_center::{ACCOUNT, FakePartnerCenter, Fault, Poll, USER_CODE};
use futures::StreamExt;
use twotier::domain::credentials::Secret;
use twotier::partner_center::auth::{self, PollClock, SignInError};
use twotier::partner_center::client::Client;
use twotier::partner_center::endpoints::{Endpoints, SCOPE, http_client};
use twotier::partner_center::error::Error;
use twotier::partner_center::keystore::{MemoryStore, OsKeyring, RefreshTokenStore, StoredSignIn};
use twotier::partner_center::retry::{RateLimiter, RetryPolicy};
use twotier::partner_center::session::{Kept, Session};

const CLIENT_ID: &str = "6f1c2a3b-0000-4000-8000-00000000c11e";

fn endpoints(fake: &FakePartnerCenter) -> Endpoints {
    Endpoints {
        tenant: "northwind.onmicrosoft.com".into(),
        client_id: CLIENT_ID.into(),
        api_url: fake.url(),
        authority_url: fake.url(),
    }
}

/// Small waits, so the retries of a test take milliseconds.
fn fast() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        refresh_margin: Duration::from_secs(60),
    }
}

/// A store holding a sign-in the fake knows, as a previous `twotier signin` would have left.
fn signed_in(fake: &FakePartnerCenter) -> Arc<MemoryStore> {
    let store = Arc::new(MemoryStore::default());
    store
        .save(&StoredSignIn {
            refresh_token: Secret::new(fake.issue_refresh_token()),
            account: Some(ACCOUNT.into()),
        })
        .unwrap();
    store
}

fn client_with(fake: &FakePartnerCenter, policy: RetryPolicy, limiter: RateLimiter) -> Client {
    let http = http_client(Duration::from_secs(5)).unwrap();
    let session = Session::new(
        endpoints(fake),
        http,
        signed_in(fake),
        policy.refresh_margin,
    );
    Client::new(Arc::new(session), policy, Arc::new(limiter))
}

fn client(fake: &FakePartnerCenter) -> Client {
    client_with(
        fake,
        fast(),
        RateLimiter::new(1000, Duration::from_secs(60)),
    )
}

fn refresh_grants(fake: &FakePartnerCenter) -> usize {
    fake.seen()
        .iter()
        .filter(|s| {
            s.form
                .iter()
                .any(|(k, v)| k == "grant_type" && v == "refresh_token")
        })
        .count()
}

#[tokio::test]
async fn every_request_carries_its_ids_and_a_retry_keeps_them() {
    let fake = FakePartnerCenter::start();
    fake.fault(Fault::ServerError);
    fake.fault(Fault::ServerError);
    let client = client(&fake);
    let resellers = client.indirect_resellers().await.unwrap();
    assert_eq!(resellers.len(), 2);
    assert_eq!(resellers[0].mpn_id.as_deref(), Some("4847383"));
    assert_eq!(resellers[1].location.as_deref(), Some("BR"));
    client.indirect_resellers().await.unwrap();
    let calls = fake.api_calls();
    assert_eq!(calls.len(), 4, "{calls:#?}");
    for call in &calls {
        assert_eq!(call.accept.as_deref(), Some("application/json"));
        assert!(
            call.authorization
                .as_deref()
                .unwrap()
                .starts_with("Bearer fakepc-access-")
        );
        assert_eq!(
            call.query,
            "relationship_type=IsIndirectCloudSolutionProviderOf"
        );
        for id in [&call.request_id, &call.correlation_id] {
            uuid::Uuid::parse_str(id.as_deref().unwrap()).expect("a GUID");
        }
    }
    // The first request and its two retries: one MS-RequestId, one MS-CorrelationId.
    assert!(
        calls[..3]
            .iter()
            .all(|c| c.request_id == calls[0].request_id)
    );
    assert!(
        calls[..3]
            .iter()
            .all(|c| c.correlation_id == calls[0].correlation_id)
    );
    // The next request: new ids.
    assert_ne!(calls[3].request_id, calls[0].request_id);
    assert_ne!(calls[3].correlation_id, calls[0].correlation_id);
}

#[tokio::test]
async fn a_429_waits_its_retry_after_then_succeeds() {
    let fake = FakePartnerCenter::start();
    fake.fault(Fault::Throttle {
        retry_after: "1".into(),
    });
    let client = client(&fake);
    let started = Instant::now();
    client.indirect_resellers().await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    assert!(waited < Duration::from_millis(1900), "waited {waited:?}");
    let calls = fake.api_calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].request_id, calls[1].request_id);
}

#[tokio::test]
async fn server_errors_retry_then_give_up_with_the_correlation_id() {
    let fake = FakePartnerCenter::start();
    for _ in 0..6 {
        fake.fault(Fault::ServerError);
    }
    let client = client(&fake);
    let started = Instant::now();
    let err = client.indirect_resellers().await.unwrap_err();
    let calls = fake.api_calls();
    assert_eq!(calls.len(), 4, "max_attempts tries in all");
    // Backoff 10, 20, 40 ms at most, at least half of each.
    assert!(
        started.elapsed() >= Duration::from_millis(35),
        "{:?}",
        started.elapsed()
    );
    let correlation = calls[0].correlation_id.clone().unwrap();
    let text = err.to_string();
    assert!(matches!(err, Error::GaveUp { attempts: 4, .. }), "{err:?}");
    assert!(
        text.contains(&correlation)
            && text.contains("4 tries")
            && text.contains("HTTP 500")
            && text.contains("Unexpected service error")
            && text.contains("the indirect resellers"),
        "{text}"
    );
}

#[tokio::test]
async fn a_401_refreshes_the_access_token_once() {
    let fake = FakePartnerCenter::start();
    let client = client(&fake);
    client.indirect_resellers().await.unwrap();
    assert_eq!(refresh_grants(&fake), 1, "the first call got a token");
    fake.fault(Fault::Unauthorized);
    client.indirect_resellers().await.unwrap();
    assert_eq!(refresh_grants(&fake), 2, "one refresh for the 401");
    let calls = fake.api_calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[1].request_id, calls[2].request_id);
    assert_ne!(
        calls[1].authorization, calls[2].authorization,
        "a new token"
    );
    // Refused again after the refresh: said in words, no loop of refreshes.
    fake.fault(Fault::Unauthorized);
    fake.fault(Fault::Unauthorized);
    let err = client.indirect_resellers().await.unwrap_err();
    assert_eq!(refresh_grants(&fake), 3);
    assert_eq!(fake.api_calls().len(), 5);
    let text = err.to_string();
    assert!(
        text.contains("HTTP 401") && text.contains("twotier signin"),
        "{text}"
    );
}

#[tokio::test]
async fn access_tokens_are_refreshed_before_they_expire() {
    let fake = FakePartnerCenter::start();
    // Tokens that live 30 s, with a 60 s margin: each call refreshes first.
    fake.with(|s| s.access_lifetime = 30);
    let client = client(&fake);
    client.indirect_resellers().await.unwrap();
    client.indirect_resellers().await.unwrap();
    assert_eq!(refresh_grants(&fake), 2);
    assert_eq!(fake.api_calls().len(), 2, "no call was refused first");
    // Long-lived tokens are reused.
    fake.with(|s| s.access_lifetime = 3600);
    client.indirect_resellers().await.unwrap();
    client.indirect_resellers().await.unwrap();
    assert_eq!(refresh_grants(&fake), 3);
}

#[tokio::test]
async fn partner_center_error_bodies_are_shown_in_words_and_not_retried() {
    let fake = FakePartnerCenter::start();
    fake.fault(Fault::Error {
        status: 400,
        code: serde_json::json!(600050),
        description: "Organization registration ID information is invalid and should be of the format ^(\\d{7}|\\d{10})$\u{1b}[2J".into(),
    });
    let client = client(&fake);
    let err = client.indirect_resellers().await.unwrap_err();
    let text = err.to_string();
    let correlation = fake.api_calls()[0].correlation_id.clone().unwrap();
    assert!(
        text.contains("HTTP 400")
            && text.contains("error 600050")
            && text.contains("Organization registration ID information is invalid")
            && text.contains(&correlation)
            && !text.contains('\u{1b}'),
        "{text}"
    );
    assert_eq!(fake.api_calls().len(), 1);
}

#[tokio::test]
async fn a_timeout_is_retried_and_then_given_up_in_words() {
    let fake = FakePartnerCenter::start();
    let policy = RetryPolicy {
        timeout: Duration::from_millis(200),
        ..fast()
    };
    let client = client_with(
        &fake,
        policy,
        RateLimiter::new(1000, Duration::from_secs(60)),
    );
    fake.fault(Fault::Stall { ms: 1000 });
    let started = Instant::now();
    client.indirect_resellers().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
    let calls = fake.api_calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].request_id, calls[1].request_id);
    for _ in 0..4 {
        fake.fault(Fault::Stall { ms: 1000 });
    }
    let text = client.indirect_resellers().await.unwrap_err().to_string();
    let correlation = fake.api_calls()[2].correlation_id.clone().unwrap();
    assert!(
        text.contains("timed out") && text.contains("4 tries") && text.contains(&correlation),
        "{text}"
    );
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_said_so_with_the_correlation_id() {
    let fake = FakePartnerCenter::start();
    fake.fault(Fault::NotJson);
    let client = client(&fake);
    let err = client.indirect_resellers().await.unwrap_err();
    let correlation = fake.api_calls()[0].correlation_id.clone().unwrap();
    assert!(matches!(err, Error::BadAnswer { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("not understood") && text.contains(&correlation),
        "{text}"
    );
    assert_eq!(fake.api_calls().len(), 1, "not retried");
}

#[tokio::test]
async fn the_limiter_spaces_requests_out() {
    let fake = FakePartnerCenter::start();
    let client = client_with(
        &fake,
        fast(),
        RateLimiter::new(2, Duration::from_millis(200)),
    );
    let started = Instant::now();
    for _ in 0..5 {
        client.indirect_resellers().await.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn not_signed_in_says_how_to() {
    let fake = FakePartnerCenter::start();
    let http = http_client(Duration::from_secs(5)).unwrap();
    let session = Session::new(
        endpoints(&fake),
        http,
        Arc::new(MemoryStore::default()),
        Duration::ZERO,
    );
    let client = Client::new(
        Arc::new(session),
        fast(),
        Arc::new(RateLimiter::partner_center().unwrap()),
    );
    let err = client.indirect_resellers().await.unwrap_err();
    assert!(matches!(err, Error::NotSignedIn));
    assert!(err.to_string().contains("twotier signin"));
    assert!(fake.api_calls().is_empty());
}

/// A sign-in whose refresh token Partner Center no longer takes says to sign in again.
#[tokio::test]
async fn a_refused_refresh_token_asks_to_sign_in_again() {
    let fake = FakePartnerCenter::start();
    let store = Arc::new(MemoryStore::default());
    store
        .save(&StoredSignIn {
            refresh_token: Secret::new("fakepc-refresh-revoked".into()),
            account: None,
        })
        .unwrap();
    let http = http_client(Duration::from_secs(5)).unwrap();
    let session = Session::new(endpoints(&fake), http, store, Duration::ZERO);
    let client = Client::new(
        Arc::new(session),
        fast(),
        Arc::new(RateLimiter::partner_center().unwrap()),
    );
    let text = client.indirect_resellers().await.unwrap_err().to_string();
    assert!(
        text.contains("no longer valid") && text.contains("twotier signin"),
        "{text}"
    );
}

/// Polling is scaled: one second of the server's interval is 10 ms here.
const CLOCK: PollClock = PollClock {
    second: Duration::from_millis(10),
};

async fn sign_in(fake: &FakePartnerCenter, polls: &[Poll]) -> Result<auth::Grant, SignInError> {
    fake.with(|s| s.polls = polls.iter().copied().collect());
    let http = http_client(Duration::from_secs(5)).unwrap();
    let endpoints = endpoints(fake);
    let code = auth::start_device_flow(&http, &endpoints).await?;
    assert_eq!(code.user_code, USER_CODE);
    auth::poll_for_token(&http, &endpoints, &code, CLOCK).await
}

fn polls_made(fake: &FakePartnerCenter) -> usize {
    fake.seen()
        .iter()
        .filter(|s| {
            s.form
                .iter()
                .any(|(_, v)| v == "urn:ietf:params:oauth:grant-type:device_code")
        })
        .count()
}

#[tokio::test]
async fn device_flow_polls_while_pending_then_signs_in() {
    let fake = FakePartnerCenter::start();
    let grant = sign_in(&fake, &[Poll::Pending, Poll::Pending, Poll::Success])
        .await
        .unwrap();
    assert_eq!(grant.account.as_deref(), Some(ACCOUNT));
    assert!(grant.refresh_token.is_some());
    assert!(
        !format!("{grant:?}").contains("fakepc-"),
        "Debug shows no token"
    );
    assert_eq!(polls_made(&fake), 3);
    let seen = fake.seen();
    let start = &seen[0];
    assert_eq!(
        start.path,
        "/northwind.onmicrosoft.com/oauth2/v2.0/devicecode"
    );
    assert!(start.form.contains(&("scope".into(), SCOPE.into())));
    assert!(start.form.contains(&("client_id".into(), CLIENT_ID.into())));
    // The session keeps the refresh token in its store and says so.
    let store = Arc::new(MemoryStore::default());
    let http = http_client(Duration::from_secs(5)).unwrap();
    let session = Session::new(endpoints(&fake), http, store.clone(), Duration::ZERO);
    assert_eq!(session.adopt(grant).await, Kept::InKeyring);
    assert_eq!(
        store.load().unwrap().unwrap().account.as_deref(),
        Some(ACCOUNT)
    );
}

#[tokio::test]
async fn device_flow_slow_down_adds_five_seconds_to_the_interval() {
    let fake = FakePartnerCenter::start();
    let started = Instant::now();
    sign_in(&fake, &[Poll::SlowDown, Poll::Pending, Poll::Success])
        .await
        .unwrap();
    // Waits of 1, then 6 and 6 "seconds" (10 ms each): 130 ms at least.
    assert!(
        started.elapsed() >= Duration::from_millis(130),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(polls_made(&fake), 3);
}

#[tokio::test]
async fn device_flow_errors_are_said_in_words() {
    let fake = FakePartnerCenter::start();
    let expired = sign_in(&fake, &[Poll::Pending, Poll::Expired])
        .await
        .unwrap_err();
    assert_eq!(expired, SignInError::Expired { minutes: 15 });
    assert!(
        expired.to_string().contains("expired") && expired.to_string().contains("twotier signin")
    );
    let denied = sign_in(&fake, &[Poll::Denied]).await.unwrap_err();
    assert_eq!(denied, SignInError::Denied);
    assert!(denied.to_string().contains("declined"), "{denied}");
    // The code runs out here before the server says so: twotier stops polling by itself.
    fake.with(|s| s.expires_in = 3);
    let started = Instant::now();
    let err = sign_in(&fake, &[Poll::Pending; 50]).await.unwrap_err();
    assert!(matches!(err, SignInError::Expired { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // An unreachable identity platform: its address, in words.
    let gone = fake.url();
    drop(fake);
    let http = http_client(Duration::from_secs(2)).unwrap();
    let mut endpoints = endpoints(&FakePartnerCenter::start());
    endpoints.authority_url = gone.clone();
    let err = auth::start_device_flow(&http, &endpoints)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("could not reach") && text.contains(&gone),
        "{text}"
    );
}

#[tokio::test]
async fn customers_page_through_continuation_links_and_a_dropped_page_is_retried() {
    let fake = FakePartnerCenter::start();
    fake.add_customers(2500);
    fake.fault(Fault::Pass);
    fake.fault(Fault::Pass);
    fake.fault(Fault::DropMidBody);
    let client = client(&fake);
    let pages: Vec<_> = client.customers(500).into_stream().collect().await;
    let pages: Vec<_> = pages.into_iter().map(Result::unwrap).collect();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [500; 5]);
    let ids: std::collections::BTreeSet<_> = pages.iter().flatten().map(|c| c.id.clone()).collect();
    assert_eq!(ids.len(), 2500, "every customer once");
    let last = &pages[4][499];
    let profile = last.company_profile.as_ref().unwrap();
    assert_eq!(profile.company_name.as_deref(), Some("Customer 2499"));
    assert_eq!(last.relationship_to_partner.as_deref(), Some("reseller"));
    let calls = fake.api_calls();
    assert_eq!(calls.len(), 6, "five pages and one retry");
    assert_eq!(calls[0].query, "size=500");
    assert_eq!(calls[0].continuation, None);
    for call in &calls[1..] {
        assert_eq!(call.query, "size=500&seekOperation=Next");
        assert!(call.continuation.is_some());
    }
    // Page 3 was cut and asked again: same request id, same continuation token.
    assert_eq!(calls[2].request_id, calls[3].request_id);
    assert_eq!(calls[2].continuation, calls[3].continuation);
    assert_ne!(calls[3].request_id, calls[4].request_id);
}

/// The real keyring of this machine, under a throwaway name: it works, or says why not in
/// words; it never panics.
#[test]
fn the_os_keyring_works_or_fails_in_words() {
    let name = format!("twotier-test-{}", uuid::Uuid::new_v4());
    let keyring = OsKeyring::named(&name, "partner-center/test");
    let sign_in = StoredSignIn {
        refresh_token: Secret::new("fakepc-refresh-keyring-test".into()),
        account: Some(ACCOUNT.into()),
    };
    match keyring.save(&sign_in) {
        Ok(()) => {
            assert_eq!(keyring.load().unwrap(), Some(sign_in));
            assert!(keyring.delete().unwrap());
            assert_eq!(keyring.load().unwrap(), None);
        }
        Err(e) => {
            println!("no keyring here: {e}");
            assert!(e.to_string().contains("keyring"), "{e}");
        }
    }
}
