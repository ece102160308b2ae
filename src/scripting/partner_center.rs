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
use crate::partner_center::endpoints::{Endpoints, http_client};
use crate::partner_center::keystore::{NoKeyring, OsKeyring, RefreshTokenStore};
use crate::partner_center::retry::RetryPolicy;
use crate::partner_center::session::{Kept, Session};

/// `TWOTIER_KEYRING=off` keeps a sign-in for the process only (a machine without a keyring,
/// or one where nothing may be stored).
const KEYRING_VAR: &str = "TWOTIER_KEYRING";

fn endpoints(pc: &PartnerCenterConfig) -> Endpoints {
    Endpoints {
        tenant: pc.tenant.trim().to_owned(),
        client_id: pc.client_id.trim().to_owned(),
        api_url: pc.api_url.clone(),
        authority_url: pc.authority_url.clone(),
    }
}

fn keystore(endpoints: &Endpoints) -> Arc<dyn RefreshTokenStore> {
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
    use std::io::Write;
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
        let code = auth::start_device_flow(&http, &endpoints).await?;
        println!(
            "To sign in to Partner Center ({tenant}), open {} in a browser and enter the code {}",
            escaped(&code.verification_uri),
            escaped(&code.user_code)
        );
        println!(
            "The code is valid for {} minutes; sign in with an account of your partner tenant (MFA happens there). Waiting…",
            code.expires_in.as_secs().div_ceil(60)
        );
        let _ = std::io::stdout().flush();
        let grant = auth::poll_for_token(&http, &endpoints, &code, PollClock::default()).await?;
        let account = grant
            .account
            .as_deref()
            .map(|a| escaped(a).into_owned())
            .unwrap_or_else(|| "your account".to_owned());
        match session.adopt(grant).await {
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
    /// No sync has been built yet: always never (null).
    last_sync: Option<String>,
    pending_changes: u64,
}

pub fn status(config: &Config, config_path: &Path, json: bool) -> anyhow::Result<()> {
    let mut status = Status {
        mode: "offline",
        tenant: None,
        api_url: None,
        signed_in: None,
        account: None,
        keyring_problem: None,
        last_sync: None,
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
    println!("Last sync: never");
    println!("Waiting to be sent: nothing");
    Ok(())
}
