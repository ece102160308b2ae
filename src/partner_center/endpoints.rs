//! Where to sign in and which API to call, from the config file's `[partner_center]`, and the
//! HTTP client both use.

use super::error::Error;

/// The delegated permission twotier asks for, and a refresh token with it.
pub const SCOPE: &str = "https://api.partnercenter.microsoft.com/user_impersonation offline_access";

/// Where to sign in and which API to call: from the config file's `[partner_center]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The partner tenant: its ID or a domain.
    pub tenant: String,
    /// The Entra app (client) ID.
    pub client_id: String,
    pub api_url: String,
    pub authority_url: String,
}

impl Endpoints {
    pub fn device_code_url(&self) -> String {
        format!("{}/oauth2/v2.0/devicecode", self.authority())
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v2.0/token", self.authority())
    }

    fn authority(&self) -> String {
        let tenant = percent_encoding::utf8_percent_encode(
            self.tenant.trim(),
            percent_encoding::NON_ALPHANUMERIC,
        );
        format!("{}/{tenant}", self.authority_url.trim_end_matches('/'))
    }

    /// The API's base without a trailing slash.
    pub fn api_base(&self) -> &str {
        self.api_url.trim_end_matches('/')
    }

    /// `path` (from `/v1/…`) on the API.
    pub fn api(&self, path: &str) -> String {
        format!("{}{path}", self.api_base())
    }
}

/// The HTTP client every call shares: rustls (ring), a connect timeout, no redirects (a
/// redirect would carry the bearer token elsewhere).
pub fn http_client(connect_timeout: std::time::Duration) -> Result<reqwest::Client, Error> {
    // Once per process; a provider installed before (by us) is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("twotier/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Setup(e.to_string()))
}
