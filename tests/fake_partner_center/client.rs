//! A Partner Center client for library tests, pointed at a fake: quick retries, a sign-in kept
//! in memory (or none), and the pace the test asks for.

use std::sync::Arc;
use std::time::Duration;

use twotier::domain::credentials::Secret;
use twotier::partner_center::client::Client;
use twotier::partner_center::endpoints::{Endpoints, http_client};
use twotier::partner_center::keystore::{MemoryStore, RefreshTokenStore, StoredSignIn};
use twotier::partner_center::retry::{RateLimiter, RetryPolicy};
use twotier::partner_center::session::Session;

use super::{ACCOUNT, FakePartnerCenter};

impl FakePartnerCenter {
    /// A client of this fake, signed in as [`ACCOUNT`] (or not), at most `per_minute` requests a
    /// minute.
    pub fn test_client(&self, signed_in: bool, per_minute: usize) -> Client {
        let policy = RetryPolicy {
            max_attempts: 3,
            base_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            refresh_margin: Duration::from_secs(60),
        };
        let keys = Arc::new(MemoryStore::default());
        if signed_in {
            keys.save(&StoredSignIn {
                refresh_token: Secret::new(self.issue_refresh_token()),
                account: Some(ACCOUNT.into()),
            })
            .unwrap();
        }
        let endpoints = Endpoints {
            tenant: "northwind.onmicrosoft.com".into(),
            client_id: "6f1c2a3b-0000-4000-8000-00000000c11e".into(),
            api_url: self.url(),
            authority_url: self.url(),
        };
        let session = Session::new(
            endpoints,
            http_client(Duration::from_secs(5)).unwrap(),
            keys,
            policy.refresh_margin,
        );
        Client::new(
            Arc::new(session),
            policy,
            Arc::new(RateLimiter::new(per_minute, Duration::from_secs(60))),
        )
    }
}
