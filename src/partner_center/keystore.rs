//! Where a sign-in outlives the process: the refresh token (and the account's name, to show
//! it) in the OS keyring — Linux kernel keyutils, the macOS Keychain, the Windows Credential
//! Manager — never in a file, the database or the log. [`RefreshTokenStore`] lets tests keep it
//! in memory; [`NoKeyring`] is a machine without one (the sign-in lasts for the process).

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::endpoints::Endpoints;
use crate::domain::credentials::Secret;
use crate::domain::text::escaped;

/// A sign-in kept between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignIn {
    pub refresh_token: Secret,
    /// The UPN, when the identity platform said it.
    pub account: Option<String>,
}

/// The keyring could not be used; the reason is in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no keyring is reachable ({})", escaped(.0))]
pub struct KeyringUnavailable(pub String);

pub trait RefreshTokenStore: Send + Sync {
    fn load(&self) -> Result<Option<StoredSignIn>, KeyringUnavailable>;
    fn save(&self, sign_in: &StoredSignIn) -> Result<(), KeyringUnavailable>;
    /// Removes the sign-in; true when there was one.
    fn delete(&self) -> Result<bool, KeyringUnavailable>;
}

/// The serialized form inside one keyring entry.
#[derive(Serialize, Deserialize)]
struct Entry {
    refresh_token: String,
    #[serde(default)]
    account: Option<String>,
}

fn encode(sign_in: &StoredSignIn) -> Zeroizing<String> {
    let mut entry = Entry {
        refresh_token: sign_in.refresh_token.expose().to_owned(),
        account: sign_in.account.clone(),
    };
    let text = Zeroizing::new(serde_json::to_string(&entry).expect("strings serialize"));
    zeroize::Zeroize::zeroize(&mut entry.refresh_token);
    text
}

fn decode(text: &str) -> Option<StoredSignIn> {
    let entry: Entry = serde_json::from_str(text).ok()?;
    Some(StoredSignIn {
        refresh_token: Secret::new(entry.refresh_token),
        account: entry.account,
    })
}

/// The OS keyring, one entry per tenant and app.
pub struct OsKeyring {
    service: String,
    user: String,
}

impl OsKeyring {
    pub fn for_endpoints(endpoints: &Endpoints) -> OsKeyring {
        OsKeyring {
            service: "twotier".to_owned(),
            user: format!(
                "partner-center/{}/{}",
                endpoints.tenant.trim().to_ascii_lowercase(),
                endpoints.client_id.trim().to_ascii_lowercase()
            ),
        }
    }

    /// A store under another service name (tests, so as not to touch a real sign-in).
    pub fn named(service: &str, user: &str) -> OsKeyring {
        OsKeyring {
            service: service.to_owned(),
            user: user.to_owned(),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, KeyringUnavailable> {
        keyring::Entry::new(&self.service, &self.user).map_err(unavailable)
    }
}

fn unavailable(e: keyring::Error) -> KeyringUnavailable {
    KeyringUnavailable(match e {
        keyring::Error::NoStorageAccess(inner) => format!("the keyring refused access: {inner}"),
        keyring::Error::PlatformFailure(inner) => format!("the keyring failed: {inner}"),
        // From a write (reads treat it as "no sign-in"): the store took nothing lasting.
        keyring::Error::NoEntry => {
            "the keyring could not keep the entry: this login session has no lasting keyring".into()
        }
        other => other.to_string(),
    })
}

impl RefreshTokenStore for OsKeyring {
    fn load(&self) -> Result<Option<StoredSignIn>, KeyringUnavailable> {
        match self.entry()?.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                Ok(decode(&text))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn save(&self, sign_in: &StoredSignIn) -> Result<(), KeyringUnavailable> {
        let entry = self.entry()?;
        entry.set_password(&encode(sign_in)).map_err(unavailable)?;
        // Some stores accept a write they cannot keep: read it back.
        let back = match entry.get_password() {
            Ok(back) => Zeroizing::new(back),
            Err(keyring::Error::NoEntry) => {
                return Err(KeyringUnavailable(
                    "the keyring took the entry but could not read it back: this login session has no lasting keyring".into(),
                ));
            }
            Err(e) => return Err(unavailable(e)),
        };
        if decode(&back).as_ref() == Some(sign_in) {
            Ok(())
        } else {
            Err(KeyringUnavailable(
                "the keyring did not keep the entry".into(),
            ))
        }
    }

    fn delete(&self) -> Result<bool, KeyringUnavailable> {
        match self.entry()?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// Memory only: for tests, and for the one process of a machine without a keyring.
#[derive(Default)]
pub struct MemoryStore {
    kept: Mutex<Option<StoredSignIn>>,
}

impl RefreshTokenStore for MemoryStore {
    fn load(&self) -> Result<Option<StoredSignIn>, KeyringUnavailable> {
        Ok(self.kept.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn save(&self, sign_in: &StoredSignIn) -> Result<(), KeyringUnavailable> {
        *self.kept.lock().unwrap_or_else(|p| p.into_inner()) = Some(sign_in.clone());
        Ok(())
    }

    fn delete(&self) -> Result<bool, KeyringUnavailable> {
        Ok(self
            .kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .is_some())
    }
}

/// No keyring at all (`TWOTIER_KEYRING=off`): every use says why.
pub struct NoKeyring(pub String);

impl RefreshTokenStore for NoKeyring {
    fn load(&self) -> Result<Option<StoredSignIn>, KeyringUnavailable> {
        Err(KeyringUnavailable(self.0.clone()))
    }

    fn save(&self, _: &StoredSignIn) -> Result<(), KeyringUnavailable> {
        Err(KeyringUnavailable(self.0.clone()))
    }

    fn delete(&self) -> Result<bool, KeyringUnavailable> {
        Err(KeyringUnavailable(self.0.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_round_trips_and_its_debug_shows_no_token() {
        let sign_in = StoredSignIn {
            refresh_token: Secret::new("0.AXoA-refresh".into()),
            account: Some("ava@northwind.onmicrosoft.com".into()),
        };
        assert_eq!(decode(&encode(&sign_in)), Some(sign_in.clone()));
        assert!(!format!("{sign_in:?}").contains("0.AXoA"));
        let memory = MemoryStore::default();
        assert_eq!(memory.load().unwrap(), None);
        memory.save(&sign_in).unwrap();
        assert_eq!(memory.load().unwrap(), Some(sign_in));
        assert!(memory.delete().unwrap());
        assert!(!memory.delete().unwrap());
    }
}
