//! A signed-in session: the access token in memory, refreshed before it expires (or when
//! Partner Center says 401), and the refresh token in the [`RefreshTokenStore`], replaced by the
//! newer one the identity platform sends with each refresh.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::auth::{self, Grant, SignInError};
use super::endpoints::Endpoints;
use super::error::Error;
use super::keystore::{KeyringUnavailable, RefreshTokenStore, StoredSignIn};
use crate::domain::credentials::Secret;

pub struct Session {
    endpoints: Endpoints,
    http: reqwest::Client,
    store: Arc<dyn RefreshTokenStore>,
    state: tokio::sync::Mutex<Tokens>,
    /// An access token this close to expiry is refreshed first.
    refresh_margin: Duration,
}

#[derive(Default)]
struct Tokens {
    access: Option<(Secret, Instant)>,
    /// Kept here too, so a machine without a keyring still refreshes within the process.
    refresh: Option<Secret>,
    account: Option<String>,
}

/// What happened to the refresh token after a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    InKeyring,
    /// No keyring: the sign-in lasts while this process runs.
    ProcessOnly(KeyringUnavailable),
    /// The identity platform sent no refresh token (`offline_access` not granted).
    NoRefreshToken,
}

impl Session {
    /// A session over the sign-in in `store` (or none yet).
    pub fn new(
        endpoints: Endpoints,
        http: reqwest::Client,
        store: Arc<dyn RefreshTokenStore>,
        refresh_margin: Duration,
    ) -> Session {
        Session {
            endpoints,
            http,
            store,
            state: tokio::sync::Mutex::new(Tokens::default()),
            refresh_margin,
        }
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Takes a fresh grant (from the device flow) and keeps its refresh token.
    pub async fn adopt(&self, grant: Grant) -> Kept {
        let mut tokens = self.state.lock().await;
        let kept = self.keep(&mut tokens, grant);
        tracing::info!(tenant = %self.endpoints.tenant, account = ?tokens.account, kept = ?kept, "signed in to Partner Center");
        kept
    }

    /// The signed-in account, when known.
    pub async fn account(&self) -> Option<String> {
        self.state.lock().await.account.clone()
    }

    /// An access token valid for at least the margin; `stale` (after a 401) forces a refresh.
    pub async fn access_token(&self, stale: bool) -> Result<Secret, Error> {
        let mut tokens = self.state.lock().await;
        if !stale
            && let Some((token, expires)) = &tokens.access
            && Instant::now() + self.refresh_margin < *expires
        {
            return Ok(token.clone());
        }
        tokens.access = None;
        let refresh = match tokens.refresh.clone() {
            Some(r) => r,
            None => {
                let stored = self.store.load().ok().flatten().ok_or(Error::NotSignedIn)?;
                if tokens.account.is_none() {
                    tokens.account = stored.account.clone();
                }
                stored.refresh_token
            }
        };
        let grant = match auth::refresh(&self.http, &self.endpoints, &refresh).await {
            Ok(grant) => grant,
            Err(SignInError::Refused { error, description }) if error == "invalid_grant" => {
                tracing::warn!(tenant = %self.endpoints.tenant, "the refresh token was refused");
                return Err(Error::SignInExpired(description));
            }
            Err(e) => return Err(Error::SignIn(e)),
        };
        let grant = Grant {
            // A refresh that sends no new refresh token keeps the old one.
            refresh_token: grant.refresh_token.or(Some(refresh)),
            ..grant
        };
        let token = grant.access_token.clone();
        self.keep(&mut tokens, grant);
        Ok(token)
    }

    fn keep(&self, tokens: &mut Tokens, grant: Grant) -> Kept {
        tokens.access = Some((grant.access_token, Instant::now() + grant.expires_in));
        if grant.account.is_some() {
            tokens.account = grant.account;
        }
        let Some(refresh) = grant.refresh_token else {
            return Kept::NoRefreshToken;
        };
        tokens.refresh = Some(refresh.clone());
        let stored = StoredSignIn {
            refresh_token: refresh,
            account: tokens.account.clone(),
        };
        match self.store.save(&stored) {
            Ok(()) => Kept::InKeyring,
            Err(e) => Kept::ProcessOnly(e),
        }
    }
}
