//! The live Partner Center connection as the app sees it, in plain data: what the console asks
//! (`RemoteCmd`, carried out by the runtime with the Partner Center client and the sync layer),
//! what comes back (`RemoteEvent`), what the header and footer show (`Connection`). A leaf: no
//! type of `partner_center` or `sync` gets here.

/// What the console asks of Partner Center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteCmd {
    /// Start the device-code sign-in; it reports back as `RemoteEvent::SignIn`.
    SignIn,
    /// Stop waiting for the sign-in (its room was closed): nothing is kept.
    CancelSignIn,
    /// Pull the book in the background, its audit entries under this operator's UPN.
    Sync { operator: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteEvent {
    SignIn(SignInEvent),
    Sync(SyncEvent),
}

/// How a sign-in goes, step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInEvent {
    /// Where to go and the code to type there.
    Code {
        verification_uri: String,
        user_code: String,
        expires_minutes: u64,
    },
    /// Asked again: the sign-in is not finished in the browser yet (`authorization_pending`).
    Pending,
    /// The identity platform asked to be asked less often (`slow_down`): every this many seconds.
    SlowDown {
        every_secs: u64,
    },
    /// Signed in, as an active operator of this book: the console acts as them from now on.
    SignedIn {
        operator: crate::domain::operator::Operator,
        kept: Kept,
    },
    Failed(SignInFailure),
}

/// Where the sign-in is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// In the OS keyring: the next twotier is signed in too.
    InKeyring,
    /// No keyring is reachable (the reason): the sign-in lasts while this console runs.
    ProcessOnly(String),
    /// The identity platform sent no refresh token: about an hour, for this console only.
    NoRefreshToken,
}

/// Why a sign-in did not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInFailure {
    /// The code was not used within its time (`expired_token`).
    Expired { minutes: u64 },
    /// Declined in the browser (`access_denied`).
    Denied,
    /// The account is not an active operator of this book: nothing was kept.
    NotAnOperator { account: String, disabled: bool },
    /// The identity platform did not say which account signed in.
    NoAccount,
    /// Anything else, in words (unreachable, a wrong client ID or tenant…).
    Other(String),
}

impl SignInFailure {
    /// The failure in words, with what to do.
    pub fn words(&self) -> String {
        match self {
            SignInFailure::Expired { minutes } => format!(
                "The code expired before the sign-in was finished (expired_token). Press Enter for a new code, and enter it within {minutes} minutes."
            ),
            SignInFailure::Denied => "The sign-in was declined in the browser (access_denied). Nothing was kept. Press Enter to try again.".into(),
            SignInFailure::NotAnOperator { account, disabled: false } => format!(
                "{account} is not an operator of this book; a Global admin adds them with `twotier users add`. Nothing was kept."
            ),
            SignInFailure::NotAnOperator { account, disabled: true } => format!(
                "{account} is a disabled operator of this book; a Global admin or User admin enables them (Users, 5). Nothing was kept."
            ),
            SignInFailure::NoAccount => "The sign-in service did not say which account signed in (no ID token), so twotier can't tell which operator you are. Nothing was kept.".into(),
            SignInFailure::Other(why) => format!("{why}. Press Enter to try again."),
        }
    }
}

/// How a background sync goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    /// The indirect resellers are in the book (this many listed by Partner Center).
    Resellers { count: u64 },
    /// A customer page is committed: its number, and the customers pulled so far.
    Page { number: u64, customers: u64 },
    /// Another step of the pull, in words.
    Step(String),
    /// Finished: what it did, in words.
    Done(String),
    /// Stopped: why, in words (the pages before it are kept).
    Failed(String),
}

/// The Partner Center connection as the console shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// A sign-in is kept (from an earlier run) or was made in this console.
    pub signed_in: bool,
    /// The signed-in account, when the identity platform said it.
    pub account: Option<String>,
    /// A background sync is running, this far.
    pub sync: Option<SyncProgress>,
}

/// How far a running sync got, for the footer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncProgress {
    pub resellers: Option<u64>,
    pub pages: u64,
    pub customers: u64,
    /// The latest other step, in words.
    pub step: Option<String>,
}

impl SyncProgress {
    /// "Syncing · page 3 · 1,500 customers…"
    pub fn words(&self) -> String {
        // The latest step in words (the subscriptions, the audit records…) once the pages
        // are done; a customer page clears it.
        if let Some(step) = &self.step {
            return format!("Syncing · {step}…");
        }
        if self.pages > 0 {
            return format!(
                "Syncing · page {} · {} customers…",
                thousands(self.pages),
                thousands(self.customers)
            );
        }
        match self.resellers {
            Some(n) => format!("Syncing · {} indirect resellers…", thousands(n)),
            None => "Syncing · starting…".to_owned(),
        }
    }
}

/// `1500` as "1,500".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_the_footer_says_it() {
        assert_eq!(thousands(1500), "1,500");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        let p = SyncProgress {
            pages: 3,
            customers: 1500,
            ..SyncProgress::default()
        };
        assert_eq!(p.words(), "Syncing · page 3 · 1,500 customers…");
        assert_eq!(SyncProgress::default().words(), "Syncing · starting…");
    }
}
