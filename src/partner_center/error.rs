//! Every way a Partner Center call or a sign-in fails, in words a person can act on. Text that
//! came from a server is shown with visible escapes.

use crate::domain::text::escaped;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Partner Center answered with an error (4xx, or 5xx that is not retried).
    #[error("Partner Center refused {what} (HTTP {status}{}): {} (correlation id {correlation_id})",
        .code.as_deref().map(|c| format!(", error {}", escaped(c))).unwrap_or_default(),
        escaped(.description))]
    Api {
        what: String,
        status: u16,
        code: Option<String>,
        description: String,
        correlation_id: uuid::Uuid,
    },
    /// Retried as long as the policy allows, and still no answer.
    #[error("Partner Center did not answer {what} after {attempts} tries (last: {}); correlation id {correlation_id}", escaped(.last))]
    GaveUp {
        what: String,
        attempts: u32,
        last: String,
        correlation_id: uuid::Uuid,
    },
    /// The answer was not the JSON the docs describe.
    #[error("Partner Center's answer to {what} was not understood ({}); correlation id {correlation_id}", escaped(.problem))]
    BadAnswer {
        what: String,
        problem: String,
        correlation_id: uuid::Uuid,
    },
    #[error("not signed in to Partner Center: run `twotier signin`")]
    NotSignedIn,
    /// The refresh token was refused: the sign-in expired or was revoked.
    #[error("the Partner Center sign-in is no longer valid ({}): run `twotier signin` again", escaped(.0))]
    SignInExpired(String),
    /// The sign-in itself failed.
    #[error("{0}")]
    SignIn(#[from] SignInError),
    #[error("could not set up the connection to Partner Center: {0}")]
    Setup(String),
}

/// Why a sign-in did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("the sign-in code expired before the sign-in was finished: run `twotier signin` again and enter the new code within {} minutes", .minutes)]
    Expired { minutes: u64 },
    #[error("the sign-in was declined in the browser (access denied): nothing was stored")]
    Denied,
    /// Any other OAuth error, such as a wrong client ID or tenant.
    #[error("the Microsoft identity platform refused the sign-in: {} ({})", escaped(.error), escaped(.description))]
    Refused { error: String, description: String },
    #[error("could not reach the Microsoft identity platform at {}: {}", escaped(.url), escaped(.reason))]
    Unreachable { url: String, reason: String },
    #[error("the Microsoft identity platform's answer was not understood: {}", escaped(.0))]
    BadAnswer(String),
}
