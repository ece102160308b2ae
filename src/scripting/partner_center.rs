//! `twotier signin`, `signout` and `status`: the Partner Center sign-in from the command line.
//! What is printed: the verification URL and the code to enter, the account, where the sign-in
//! is kept; never a token.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Serialize;

use crate::config::{Config, PartnerCenterConfig};
use crate::domain::text::{escaped, shown_path};
use crate::partner_center::auth::{self, PollClock};
use crate::partner_center::client::Client;
use crate::partner_center::endpoints::{Endpoints, http_client};
use crate::partner_center::error::Error as PcError;
use crate::partner_center::keystore::{NoKeyring, OsKeyring, RefreshTokenStore};
use crate::partner_center::retry::{RateLimiter, RetryPolicy};
use crate::partner_center::session::{Kept, Session};
use crate::store::Store;
use crate::store::sync::{Applied, PassKind, SyncState};
use crate::sync::{Options, PAGE_SIZE, Step};

/// `TWOTIER_KEYRING=off` keeps a sign-in for the process only (a machine without a keyring,
/// or one where nothing may be stored).
const KEYRING_VAR: &str = "TWOTIER_KEYRING";

pub fn endpoints(pc: &PartnerCenterConfig) -> Endpoints {
    Endpoints {
        tenant: pc.tenant.trim().to_owned(),
        client_id: pc.client_id.trim().to_owned(),
        api_url: pc.api_url.clone(),
        authority_url: pc.authority_url.clone(),
    }
}

pub fn keystore(endpoints: &Endpoints) -> Arc<dyn RefreshTokenStore> {
    match std::env::var(KEYRING_VAR) {
        Ok(v) if v.eq_ignore_ascii_case("off") => {
            Arc::new(NoKeyring(format!("{KEYRING_VAR}=off: nothing is stored")))
        }
        _ => Arc::new(OsKeyring::for_endpoints(endpoints)),
    }
}

fn configured<'c>(
    config: &'c Config,
    config_path: &Path,
) -> anyhow::Result<&'c PartnerCenterConfig> {
    match &config.partner_center {
        Some(pc) => Ok(pc),
        None => bail!(
            "twotier is offline: there is no [partner_center] section in {} (tenant and client_id; see \"Connect to Partner Center\" in the README).",
            shown_path(config_path)
        ),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the network runtime")
}

pub fn signin(config: &Config, config_path: &Path) -> anyhow::Result<()> {
    let endpoints = endpoints(configured(config, config_path)?);
    let http = http_client(Duration::from_secs(15))?;
    let session = Session::new(
        endpoints.clone(),
        http.clone(),
        keystore(&endpoints),
        RetryPolicy::default().refresh_margin,
    );
    let tenant = escaped(&endpoints.tenant).into_owned();
    runtime()?.block_on(async {
        let (account, kept) = device_sign_in(&session, &http, &endpoints).await?;
        match kept {
            Kept::InKeyring => println!(
                "Signed in to Partner Center as {account} ({tenant}). The sign-in is kept in the OS keyring; `twotier signout` removes it."
            ),
            Kept::ProcessOnly(why) => println!(
                "Signed in to Partner Center as {account} ({tenant}), but {why}: the sign-in lasts only while this twotier runs, so `twotier sync` will ask you to sign in itself."
            ),
            Kept::NoRefreshToken => println!(
                "Signed in to Partner Center as {account} ({tenant}), but the identity platform sent no refresh token (is offline_access allowed for the app?): the sign-in lasts about an hour, for this process only."
            ),
        }
        Ok::<(), anyhow::Error>(())
    })
}

/// The device flow: prints where to go and the code, waits for the sign-in, keeps the grant in
/// the session. Returns the account (escaped) and where the refresh token went.
async fn device_sign_in(
    session: &Session,
    http: &reqwest::Client,
    endpoints: &Endpoints,
) -> anyhow::Result<(String, Kept)> {
    device_sign_in_to(session, http, endpoints, Say::Stdout).await
}

/// Where the sign-in's instructions go: stdout, or stderr for a command whose stdout is its
/// answer (`customers add` prints the credentials there).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Say {
    Stdout,
    Stderr,
}

impl Say {
    fn line(self, text: &str) {
        use std::io::Write;
        match self {
            Say::Stdout => {
                println!("{text}");
                let _ = std::io::stdout().flush();
            }
            Say::Stderr => eprintln!("{text}"),
        }
    }
}

async fn device_sign_in_to(
    session: &Session,
    http: &reqwest::Client,
    endpoints: &Endpoints,
    say: Say,
) -> anyhow::Result<(String, Kept)> {
    let tenant = escaped(&endpoints.tenant).into_owned();
    let code = auth::start_device_flow(http, endpoints).await?;
    say.line(&format!(
        "To sign in to Partner Center ({tenant}), open {} in a browser and enter the code {}",
        escaped(&code.verification_uri),
        escaped(&code.user_code)
    ));
    say.line(&format!(
        "The code is valid for {} minutes; sign in with an account of your partner tenant (MFA happens there). Waiting…",
        code.expires_in.as_secs().div_ceil(60)
    ));
    let grant = auth::poll_for_token(http, endpoints, &code, PollClock::default()).await?;
    let account = grant
        .account
        .as_deref()
        .map(|a| escaped(a).into_owned())
        .unwrap_or_else(|| "your account".to_owned());
    let kept = session.adopt(grant).await;
    Ok((account, kept))
}

/// A connected book's link for a command that writes through Partner Center: its client and a
/// runtime to run the calls on.
pub struct Connected {
    pub client: Client,
    pub tenant: String,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl Connected {
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// Signed in before the first change: the kept sign-in, or (none kept) the device code,
    /// its instructions on stderr. Not signed in: the error says so in words.
    pub fn sign_in(&self) -> anyhow::Result<()> {
        let session = self.client.session();
        self.block_on(async {
            match session.access_token(false).await {
                Ok(_) => Ok(()),
                Err(PcError::NotSignedIn) => {
                    eprintln!("No Partner Center sign-in is kept on this machine: signing in for this change.");
                    let (account, _) =
                        device_sign_in_to(session, &self.http, session.endpoints(), Say::Stderr).await?;
                    eprintln!("Signed in to Partner Center as {account} ({}).", self.tenant);
                    Ok(())
                }
                Err(e) => Err(e.into()),
            }
        })
    }
}

/// The link to Partner Center when the config has `[partner_center]`; `None`: offline.
pub fn connect(config: &Config) -> anyhow::Result<Option<Connected>> {
    let Some(pc) = &config.partner_center else {
        return Ok(None);
    };
    let endpoints = endpoints(pc);
    let http = http_client(Duration::from_secs(15))?;
    let policy = RetryPolicy::default();
    let session = Arc::new(Session::new(
        endpoints.clone(),
        http.clone(),
        keystore(&endpoints),
        policy.refresh_margin,
    ));
    Ok(Some(Connected {
        client: Client::new(session, policy, Arc::new(rate_limiter()?)),
        tenant: escaped(&endpoints.tenant).into_owned(),
        http,
        runtime: runtime()?,
    }))
}

/// Refuses, before the book is opened, a change a connected book can't make by itself.
/// `instead`: what to do there.
pub fn refuse_local_only(config: &Config, what: &str, instead: &str) -> anyhow::Result<()> {
    if let Some(pc) = &config.partner_center {
        bail!(
            "{what}: this book is connected to Partner Center ({}), and a connected book takes no local-only changes: {instead}. Nothing was changed.",
            escaped(pc.tenant.trim())
        );
    }
    Ok(())
}

/// `twotier sync [--full]`: pulls the provider's profile, the indirect resellers, the
/// customers and their subscriptions into the book, a page or a batch per transaction (after a
/// complete pass, only the customers the audit records name); signs in first (device code)
/// when no sign-in is kept.
pub fn sync(config: &Config, config_path: &Path, store: &Store, full: bool) -> anyhow::Result<()> {
    let endpoints = endpoints(configured(config, config_path)?);
    let http = http_client(Duration::from_secs(15))?;
    let policy = RetryPolicy::default();
    let session = Arc::new(Session::new(
        endpoints.clone(),
        http.clone(),
        keystore(&endpoints),
        policy.refresh_margin,
    ));
    let client = Client::new(session.clone(), policy, Arc::new(rate_limiter()?));
    let tenant = escaped(&endpoints.tenant).into_owned();
    runtime()?.block_on(async {
        match session.access_token(false).await {
            Ok(_) => {}
            Err(PcError::NotSignedIn) => {
                println!("No Partner Center sign-in is kept on this machine: signing in for this sync.");
                let (account, _) = device_sign_in(&session, &http, &endpoints).await?;
                println!("Signed in to Partner Center as {account} ({tenant}).");
            }
            Err(e) => return Err(e.into()),
        }
        let started = std::time::Instant::now();
        let mut on_step = |step: &Step| print_step(step);
        let options = Options { page_size: PAGE_SIZE, full };
        let report = match crate::sync::pull_with(store, &client, &options, &mut on_step).await {
            Ok(report) => report,
            Err(e) => {
                let state = store.sync_state().ok();
                let again = if state.is_some_and(|s| s.in_progress) {
                    " Everything before it is kept; `twotier sync` again continues from there."
                } else {
                    " Nothing was changed."
                };
                bail!("the sync stopped: {e}.{again}");
            }
        };
        if report.resumed {
            println!("(Continued the sync an earlier run had not finished.)");
        }
        let customers = match report.kind {
            PassKind::Full => format!("customers {} over {} pages", counts(&report.customers), report.pages),
            PassKind::Incremental => format!(
                "{} changed customers fetched again: customers {}",
                report.changed_customers,
                counts(&report.customers)
            ),
        };
        println!(
            "Synced with Partner Center ({tenant}), {} sync, in {:.1} s: resellers {}; {customers}; subscriptions {}.",
            kind_word(report.kind),
            started.elapsed().as_secs_f64(),
            counts(&report.resellers),
            counts(&report.subscriptions),
        );
        if report.flagged_total > 0 {
            println!(
                "Kept as Partner Center sent them, but breaking a rule ({}):",
                report.flagged_total
            );
            for f in report.flagged.iter().take(SHOWN_FLAGGED) {
                println!(
                    "  {} {} ({}){}: {}",
                    f.kind,
                    escaped(&f.name),
                    escaped(&f.id),
                    if f.held { ", held aside" } else { "" },
                    escaped(&f.problem)
                );
            }
            if report.flagged_total > SHOWN_FLAGGED as u64 {
                println!("  … and {} more.", report.flagged_total - SHOWN_FLAGGED as u64);
            }
        }
        Ok(())
    })
}

fn kind_word(kind: PassKind) -> &'static str {
    match kind {
        PassKind::Full => "a full",
        PassKind::Incremental => "an incremental",
    }
}

fn print_step(step: &Step) {
    match step {
        Step::Started { kind, resumed } => println!(
            "{} {} sync{}.",
            if *resumed { "Continuing" } else { "Starting" },
            kind_word(*kind),
            match kind {
                PassKind::Full => " (every customer and subscription)",
                PassKind::Incremental => " (what the audit records say changed since the last one)",
            }
        ),
        Step::Profile(p) => match (&p.unread, p.changed.is_empty()) {
            (Some(why), _) => println!(
                "Your partner profile could not be read ({}): the book's is kept.",
                escaped(why)
            ),
            (None, true) => println!("Your partner profile agrees with the book's."),
            (None, false) => println!(
                "Your partner profile, from Partner Center: {}.",
                p.changed.join("; ")
            ),
        },
        Step::Resellers(a) => println!("Indirect resellers: {}.", counts(a)),
        Step::Accepted { recipient } => println!(
            "The partnership request to {} was accepted: its partner is now an indirect reseller.",
            escaped(recipient)
        ),
        Step::CustomerPage {
            number,
            applied,
            more,
        } => println!(
            "Customers, page {number}{}: {}.",
            if *more { "" } else { " (the last)" },
            counts(applied)
        ),
        // A line per thousand customers or so: a batch is 50.
        Step::Subscriptions { customers, applied } => {
            tracing::info!(
                customers,
                added = applied.added,
                "subscriptions batch committed"
            );
            if customers % 1000 < crate::sync::CUSTOMER_BATCH as u64 {
                println!("Subscriptions: {customers} customers done.");
            }
        }
        Step::AuditPage {
            number,
            customers,
            more,
        } => println!(
            "Audit records, page {number}{}: {customers} customers changed.",
            if *more { "" } else { " (the last)" },
        ),
        Step::Changed { customers_done, .. } => {
            tracing::info!(customers_done, "changed customers batch committed")
        }
    }
}

fn rate_limiter() -> anyhow::Result<RateLimiter> {
    RateLimiter::partner_center().map_err(|why| anyhow::anyhow!(why))
}

/// How many flagged rows `sync` lists.
const SHOWN_FLAGGED: usize = 50;

pub fn counts(a: &Applied) -> String {
    let mut parts = vec![
        format!("{} new", a.added),
        format!("{} changed", a.changed),
        format!("{} unchanged", a.unchanged),
    ];
    if a.removed > 0 {
        parts.push(format!("{} marked removed", a.removed));
    }
    if a.held > 0 {
        parts.push(format!("{} held aside", a.held));
    }
    parts.join(", ")
}

/// The account of the sign-in kept on this machine: `None` offline, not signed in, without a
/// keyring, or when the sign-in named no account. When there is one, twotier acts as it.
pub fn kept_account(config: &Config) -> Option<String> {
    let pc = config.partner_center.as_ref()?;
    let keystore = keystore(&endpoints(pc));
    // A process without a session keyring of its own (a test runner, a cron job) links the
    // persistent keyring on first use, and that first search can miss the entry: ask again.
    let loaded = match keystore.load() {
        Ok(None) => keystore.load(),
        other => other,
    };
    match loaded {
        Ok(Some(kept)) => kept.account.filter(|a| !a.trim().is_empty()),
        Ok(None) => None,
        Err(why) => {
            tracing::debug!(%why, "no kept Partner Center sign-in");
            None
        }
    }
}

/// The operator a session acts as. The signed-in Partner Center account must be an active
/// operator of the book: else the refusal says who adds them.
pub fn acting_as(
    store: &Store,
    upn: &str,
    signed_in: bool,
) -> anyhow::Result<crate::store::operators::Operator> {
    use crate::store::operators::OperatorError;
    match store.resolve_operator(upn) {
        Ok(operator) => Ok(operator),
        Err(OperatorError::Unknown { upn }) if signed_in => bail!(
            "{upn} (signed in to Partner Center) is not an operator of this book; a Global admin adds them with `twotier users add {upn} --role …` (or `twotier signout` to act as --operator)"
        ),
        Err(OperatorError::Disabled(upn)) if signed_in => bail!(
            "{upn} (signed in to Partner Center) is a disabled operator of this book; a Global admin or User admin enables them with `twotier users enable {upn}` (or `twotier signout` to act as --operator)",
            upn = escaped(&upn)
        ),
        Err(e) => Err(e.into()),
    }
}

pub fn signout(config: &Config, config_path: &Path) -> anyhow::Result<()> {
    let endpoints = endpoints(configured(config, config_path)?);
    let tenant = escaped(&endpoints.tenant);
    match keystore(&endpoints).delete() {
        Ok(true) => {
            tracing::info!(tenant = %endpoints.tenant, "signed out of Partner Center");
            println!(
                "Signed out of Partner Center ({tenant}): the sign-in was removed from the OS keyring."
            );
        }
        Ok(false) => println!("Not signed in to Partner Center ({tenant}): nothing to remove."),
        Err(why) => println!("{why}, so no sign-in was kept on this machine: nothing to remove."),
    }
    Ok(())
}

/// What `status --json` prints.
#[derive(Serialize)]
struct Status {
    /// "offline" or "partner_center".
    mode: &'static str,
    tenant: Option<String>,
    api_url: Option<String>,
    /// None when no keyring could be asked.
    signed_in: Option<bool>,
    account: Option<String>,
    /// Why the sign-in can't be known (no keyring), if so.
    keyring_problem: Option<String>,
    /// The last complete sync (RFC 3339), or null: never.
    last_sync: Option<String>,
    /// "full" or "incremental": the kind of the last complete sync.
    last_sync_kind: Option<&'static str>,
    /// A sync was started and not finished (`twotier sync` continues it).
    sync_unfinished: bool,
    pending_changes: u64,
}

/// `book`: where the last sync stands, from the book (`None`: no book, or it could not be read).
pub fn status(
    config: &Config,
    config_path: &Path,
    json: bool,
    book: Option<SyncState>,
) -> anyhow::Result<()> {
    let mut status = Status {
        mode: "offline",
        tenant: None,
        api_url: None,
        signed_in: None,
        account: None,
        keyring_problem: None,
        last_sync: book
            .as_ref()
            .and_then(|b| b.last_sync_at)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        last_sync_kind: book.as_ref().and_then(|b| b.last_kind).map(PassKind::key),
        sync_unfinished: book.as_ref().is_some_and(|b| b.in_progress),
        pending_changes: 0,
    };
    if let Some(pc) = &config.partner_center {
        let endpoints = endpoints(pc);
        status.mode = "partner_center";
        status.tenant = Some(escaped(&endpoints.tenant).into_owned());
        status.api_url = Some(escaped(&endpoints.api_url).into_owned());
        match keystore(&endpoints).load() {
            Ok(Some(kept)) => {
                status.signed_in = Some(true);
                status.account = kept.account.map(|a| escaped(&a).into_owned());
            }
            Ok(None) => status.signed_in = Some(false),
            Err(why) => status.keyring_problem = Some(why.to_string()),
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(());
    }
    let Some(tenant) = &status.tenant else {
        println!(
            "Partner Center: offline (no [partner_center] section in {}): the book is local only.",
            shown_path(config_path)
        );
        return Ok(());
    };
    println!("Partner Center: tenant {tenant}");
    let account = status
        .account
        .as_deref()
        .unwrap_or("an account whose name was not given");
    match (status.signed_in, &status.keyring_problem) {
        (Some(true), _) => println!("Account: {account} (signed in; kept in the OS keyring)"),
        (Some(false), _) => println!("Account: not signed in (`twotier signin`)"),
        (None, Some(why)) => {
            println!("Account: unknown, {why}: a sign-in lasts for one process only")
        }
        (None, None) => {}
    }
    let unfinished = if status.sync_unfinished {
        " (a later sync was stopped halfway: `twotier sync` continues it)"
    } else {
        ""
    };
    match &status.last_sync {
        Some(at) => println!(
            "Last sync: {at}, {}{unfinished}",
            status.last_sync_kind.unwrap_or("full")
        ),
        None => println!("Last sync: never{unfinished}"),
    }
    println!("Waiting to be sent: nothing");
    Ok(())
}

/// `twotier invitations expect TOKEN [--partner-id ID] [--tenant-id GUID]`: whom a Sent request
/// went to, so that `sync` marks it Accepted when that partner appears among the resellers.
pub fn expect(
    store: &mut Store,
    token: &str,
    partner_id: Option<String>,
    tenant_id: Option<String>,
) -> anyhow::Result<()> {
    use crate::domain::ids::{PartnerId, TenantId};
    let invalid = |field: &str, e: String| anyhow::anyhow!("--{field}: {e}");
    let partner_id = partner_id
        .map(|p| PartnerId::parse(&p).map_err(|e| invalid("partner-id", e)))
        .transpose()?;
    let tenant_id = tenant_id
        .map(|t| TenantId::parse(&t).map_err(|e| invalid("tenant-id", e)))
        .transpose()?;
    store
        .expect_partner_by_token(
            token,
            partner_id.as_ref(),
            tenant_id.as_ref(),
            chrono::Utc::now(),
        )
        .map_err(super::refusal::refused)
        .context("not recorded")?;
    println!(
        "Noted: `twotier sync` marks this request Accepted when that partner appears among your indirect resellers."
    );
    Ok(())
}
