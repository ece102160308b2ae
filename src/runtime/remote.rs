//! The console's Partner Center edge: carries out `Effect::Remote` with the Partner Center client
//! (`crate::partner_center`) and the pull (`crate::sync`) on the console's tokio runtime, and
//! reports back as `Action::Remote` in the app's plain words, so no remote type reaches `app`
//! or `ui`.
//!
//! - Sign-in: a task asks for a device code, polls at the server's interval (telling the room
//!   each `authorization_pending` and `slow_down`), checks that the account is an active
//!   operator of this book, and only then keeps the sign-in (the keyring, or this process when
//!   there is none). Closing the room ends the task: nothing is kept.
//! - Sync: `crate::sync::pull` on a blocking thread with a connection of its own (SQLite in WAL
//!   lets the console's store worker read meanwhile); its HTTP runs on the console's runtime.
//!   Each committed step is reported as it lands.
//! - Changes (`write_through.rs`): on a connected book the store commands that change Partner
//!   Center's resources go there first.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::app::action::Action;
use crate::app::nav::To;
use crate::app::remote::{Kept, RemoteCmd, RemoteEvent, SignInEvent, SignInFailure, SyncEvent};
use crate::config::PartnerCenterConfig;
use crate::domain::operator::Operator;
use crate::domain::text::escaped;
use crate::partner_center::auth::{self, PollClock, Polled, SignInError};
use crate::partner_center::client::Client;
use crate::partner_center::endpoints::{Endpoints, http_client};
use crate::partner_center::error::Error as PcError;
use crate::partner_center::retry::{PARTNER_CENTER_PACE, RateLimiter, RetryPolicy};
use crate::partner_center::session::{self, Session};
use crate::scripting::partner_center::{counts, endpoints, keystore};
use crate::store::operators::OperatorError;
use crate::store::worker::DbCmd;
use crate::store::{Settings, Store};
use crate::sync::{PAGE_SIZE, Report, Step};

/// The connection of a console whose config file has `[partner_center]`.
struct Link {
    endpoints: Endpoints,
    http: reqwest::Client,
    session: Arc<Session>,
    client: Arc<Client>,
}

pub struct RemoteEdge {
    link: Option<Link>,
    /// The book the console has open (the sync and the changes open their own connection to
    /// it), and who acts.
    book: super::write_through::Book,
    sign_in: Option<JoinHandle<()>>,
    sync: Option<JoinHandle<()>>,
}

impl RemoteEdge {
    pub fn new(
        config: Option<&PartnerCenterConfig>,
        db: PathBuf,
        settings: Settings,
        operator: &str,
    ) -> Self {
        let link = config.and_then(|pc| {
            let endpoints = endpoints(pc);
            let http = http_client(Duration::from_secs(15))
                .inspect_err(|e| tracing::warn!(error = %e, "no Partner Center connection"))
                .ok()?;
            let policy = RetryPolicy::default();
            let session = Arc::new(Session::new(
                endpoints.clone(),
                http.clone(),
                keystore(&endpoints),
                policy.refresh_margin,
            ));
            let client = Arc::new(Client::new(
                session.clone(),
                policy,
                Arc::new(RateLimiter::partner_center().unwrap_or_else(|why| {
                    tracing::warn!("{why} Keeping Partner Center's pace.");
                    RateLimiter::new(PARTNER_CENTER_PACE, Duration::from_secs(60))
                })),
            ));
            Some(Link {
                endpoints,
                http,
                session,
                client,
            })
        });
        RemoteEdge {
            link,
            book: super::write_through::Book {
                db,
                settings,
                acting: Arc::new(Mutex::new(operator.to_owned())),
            },
            sign_in: None,
            sync: None,
        }
    }

    /// The console reopened on another book (set up from the demo), as this operator.
    pub fn reopened(&mut self, db: PathBuf, operator: &str) {
        self.book.db = db;
        self.acting(operator);
    }

    fn acting(&self, operator: &str) {
        *self.book.acting.lock().unwrap_or_else(|p| p.into_inner()) = operator.to_owned();
    }

    /// A store command: on a connected book, a change of Partner Center's resources goes there
    /// first (answered as the store would); anything else is handed back for the store worker.
    pub fn intercept(
        &mut self,
        to: To,
        cmd: DbCmd,
        actions: &UnboundedSender<Action>,
    ) -> Option<DbCmd> {
        // The worker acts as the signed-in account from now on; so do the changes sent here.
        if let DbCmd::ActAs { upn } = &cmd {
            self.acting(upn);
        }
        match &self.link {
            Some(link) => {
                super::write_through::intercept(&link.client, &self.book, to, cmd, actions)
            }
            None => Some(cmd),
        }
    }

    pub fn carry_out(&mut self, cmd: RemoteCmd, actions: &UnboundedSender<Action>) {
        let Some(link) = &self.link else {
            tracing::warn!(?cmd, "a Partner Center request while offline");
            return;
        };
        match cmd {
            RemoteCmd::SignIn => {
                if let Some(task) = self.sign_in.take() {
                    task.abort();
                }
                self.sign_in = Some(tokio::spawn(sign_in(
                    link.http.clone(),
                    link.endpoints.clone(),
                    link.session.clone(),
                    self.book.db.clone(),
                    actions.clone(),
                )));
            }
            RemoteCmd::CancelSignIn => {
                if let Some(task) = self.sign_in.take() {
                    task.abort();
                }
            }
            RemoteCmd::Sync { operator } => {
                // The app says a sync is running; a second one would only wait for the first.
                if self.sync.as_ref().is_some_and(|s| !s.is_finished()) {
                    return;
                }
                self.sync = Some(spawn_sync(
                    link,
                    self.book.db.clone(),
                    self.book.settings.clone(),
                    operator,
                    actions.clone(),
                ));
            }
        }
    }
}

async fn sign_in(
    http: reqwest::Client,
    endpoints: Endpoints,
    session: Arc<Session>,
    db: PathBuf,
    actions: UnboundedSender<Action>,
) {
    let say = |event: SignInEvent| {
        let _ = actions.send(Action::Remote(RemoteEvent::SignIn(event)));
    };
    let code = match auth::start_device_flow(&http, &endpoints).await {
        Ok(code) => code,
        Err(e) => return say(SignInEvent::Failed(failure(e))),
    };
    say(SignInEvent::Code {
        verification_uri: escaped(&code.verification_uri).into_owned(),
        user_code: escaped(&code.user_code).into_owned(),
        expires_minutes: code.expires_in.as_secs().div_ceil(60),
    });
    let mut on_poll = |polled: Polled| {
        say(match polled {
            Polled::Pending => SignInEvent::Pending,
            Polled::SlowDown { interval } => SignInEvent::SlowDown {
                every_secs: interval.as_secs(),
            },
        })
    };
    let polled = auth::poll_for_token_reporting(
        &http,
        &endpoints,
        &code,
        PollClock::default(),
        &mut on_poll,
    )
    .await;
    let grant = match polled {
        Ok(grant) => grant,
        Err(e) => return say(SignInEvent::Failed(failure(e))),
    };
    let Some(account) = grant.account.clone() else {
        return say(SignInEvent::Failed(SignInFailure::NoAccount));
    };
    // Nothing is kept for an account that may not act in this book.
    let checked = tokio::task::spawn_blocking(move || operator_of(&db, &account)).await;
    let operator = match checked {
        Ok(Ok(operator)) => operator,
        Ok(Err(failure)) => return say(SignInEvent::Failed(failure)),
        Err(e) => return say(SignInEvent::Failed(SignInFailure::Other(e.to_string()))),
    };
    let kept = match session.adopt(grant).await {
        session::Kept::InKeyring => Kept::InKeyring,
        session::Kept::ProcessOnly(why) => Kept::ProcessOnly(why.to_string()),
        session::Kept::NoRefreshToken => Kept::NoRefreshToken,
    };
    say(SignInEvent::SignedIn { operator, kept });
}

/// The active operator of the book at `db` with this UPN, or why not.
fn operator_of(db: &std::path::Path, account: &str) -> Result<Operator, SignInFailure> {
    let shown = escaped(account).into_owned();
    let (store, _) = Store::open(db).map_err(|e| {
        SignInFailure::Other(format!("Could not open the book to check {shown}: {e}"))
    })?;
    match store.resolve_operator(account) {
        Ok(operator) => Ok(operator),
        Err(OperatorError::Unknown { .. }) => Err(SignInFailure::NotAnOperator {
            account: shown,
            disabled: false,
        }),
        Err(OperatorError::Disabled(_)) => Err(SignInFailure::NotAnOperator {
            account: shown,
            disabled: true,
        }),
        Err(OperatorError::Db(e)) => Err(SignInFailure::Other(format!(
            "Could not read the book's operators: {e}"
        ))),
    }
}

fn failure(e: SignInError) -> SignInFailure {
    match e {
        SignInError::Expired { minutes } => SignInFailure::Expired { minutes },
        SignInError::Denied => SignInFailure::Denied,
        other => SignInFailure::Other(capitalised(&other.to_string())),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The pull on a blocking thread, driven by the console's runtime (its I/O and timers).
fn spawn_sync(
    link: &Link,
    db: PathBuf,
    settings: Settings,
    operator: String,
    actions: UnboundedSender<Action>,
) -> JoinHandle<()> {
    let runtime = tokio::runtime::Handle::current();
    let (session, client) = (link.session.clone(), link.client.clone());
    tokio::task::spawn_blocking(move || {
        let say = |event: SyncEvent| {
            let _ = actions.send(Action::Remote(RemoteEvent::Sync(event)));
        };
        let store = match super::write_through::store_as(&db, &operator, settings) {
            Ok(store) => store,
            Err(e) => return say(SyncEvent::Failed(format!("{e:#}"))),
        };
        let started = Instant::now();
        let result = runtime.block_on(async {
            session
                .access_token(false)
                .await
                .map_err(|e| SyncStop::SignIn(sign_in_words(e)))?;
            let mut customers = 0;
            let mut on_step = |step: &Step| {
                let event = match step {
                    Step::Resellers(applied) => SyncEvent::Resellers {
                        count: applied.added + applied.changed + applied.unchanged + applied.held,
                    },
                    Step::CustomerPage {
                        number, applied, ..
                    } => {
                        customers += applied.added + applied.changed + applied.unchanged;
                        SyncEvent::Page {
                            number: *number,
                            customers,
                        }
                    }
                    Step::Started { kind, resumed } => SyncEvent::Step(format!(
                        "{} {} pass",
                        if *resumed { "continuing the" } else { "a" },
                        kind.key()
                    )),
                    Step::Profile(_) => SyncEvent::Step("your partner profile".into()),
                    Step::Accepted { recipient } => SyncEvent::Step(format!(
                        "{} accepted your partnership request",
                        escaped(recipient)
                    )),
                    Step::Subscriptions { customers, .. } => SyncEvent::Step(format!(
                        "subscriptions of {} customers",
                        crate::app::remote::thousands(*customers)
                    )),
                    Step::AuditPage { customers, .. } => SyncEvent::Step(format!(
                        "audit records: {} customers changed",
                        crate::app::remote::thousands(*customers)
                    )),
                    Step::Changed { customers_done, .. } => SyncEvent::Step(format!(
                        "{} changed customers fetched",
                        crate::app::remote::thousands(*customers_done)
                    )),
                };
                say(event);
            };
            crate::sync::pull(&store, &client, PAGE_SIZE, &mut on_step)
                .await
                .map_err(|e| SyncStop::Pull(e.to_string()))
        });
        say(match result {
            Ok(report) => SyncEvent::Done(summary(&report, started.elapsed())),
            Err(SyncStop::SignIn(words)) => SyncEvent::Failed(words),
            Err(SyncStop::Pull(why)) => {
                let kept = if store.sync_state().is_ok_and(|s| s.in_progress) {
                    "Every page before it is kept; Y again continues from there."
                } else {
                    "Nothing was changed."
                };
                SyncEvent::Failed(format!("The sync stopped: {why}. {kept}"))
            }
        });
    })
}

enum SyncStop {
    SignIn(String),
    Pull(String),
}

/// Why there is no token to sync with, in the console's words.
fn sign_in_words(e: PcError) -> String {
    match e {
        PcError::NotSignedIn => {
            "Not signed in to Partner Center: press P to sign in, then Y to sync.".into()
        }
        PcError::SignInExpired(why) => format!(
            "The Partner Center sign-in is no longer valid ({}): press P to sign in again.",
            escaped(&why)
        ),
        other => capitalised(&other.to_string()),
    }
}

fn summary(report: &Report, took: Duration) -> String {
    let flagged = match report.flagged.len() {
        0 => String::new(),
        n => format!("; {n} rows break a rule and are kept flagged (`twotier sync` lists them)"),
    };
    let customers = match report.kind {
        crate::store::sync_types::PassKind::Full => format!(
            "customers {} over {} pages; subscriptions {}",
            counts(&report.customers),
            report.pages,
            counts(&report.subscriptions)
        ),
        crate::store::sync_types::PassKind::Incremental => format!(
            "{} changed customers fetched again (customers {}; subscriptions {})",
            report.changed_customers,
            counts(&report.customers),
            counts(&report.subscriptions)
        ),
    };
    format!(
        "Synced with Partner Center ({} pass) in {:.1} s: resellers {}; {customers}{flagged}.",
        report.kind.key(),
        took.as_secs_f64(),
        counts(&report.resellers),
    )
}
