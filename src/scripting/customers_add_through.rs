//! `customers add` on a connected book: the customer goes to Partner Center first and lands in
//! the book from its answer; the credentials printed are Partner Center's. Also the one printer
//! of credentials both paths use.

use std::io::Write;

use anyhow::{anyhow, bail};
use chrono::Utc;
use serde::Serialize;
use zeroize::Zeroizing;

use super::partner_center;
use crate::domain::credentials::Secret;
use crate::domain::text::escaped;
use crate::store::Store;
use crate::store::customers::NewCustomer;
use crate::sync::write;

/// What `--json` prints. The field names are stable.
#[derive(Serialize)]
struct CredentialsJson<'a> {
    admin_user_name: &'a str,
    temporary_password: &'a str,
    microsoft_id: &'a str,
    primary_domain: &'a str,
    subscriptions: usize,
}

/// A connected book: the customer is made in Partner Center first, and the book records it from
/// the answer; the credentials printed are Partner Center's.
pub fn add_through(
    store: &Store,
    remote: &partner_center::Connected,
    new: &NewCustomer,
    json: bool,
) -> anyhow::Result<()> {
    remote.sign_in().map_err(|e| {
        anyhow!(
            "not added: {e:#}. Nothing was changed: a connected book takes no local-only changes."
        )
    })?;
    let created = remote
        .block_on(write::create_customer(
            store,
            &remote.client,
            new,
            Utc::now(),
        ))
        .map_err(|e| anyhow!("not added: {e}"))?;
    let company = escaped(&created.company_name).into_owned();
    let printed = match &created.password {
        Some(password) => print_credentials(
            &created.admin_user,
            password,
            &created.tenant_id,
            &created.domain,
            created.subscriptions,
            json,
        ),
        None => Ok(()),
    };
    for problem in &created.problems {
        eprintln!("warning: {}", escaped(problem));
    }
    printed.map_err(|e| {
        anyhow!(
            "{company} was added in Partner Center, but its credentials could not be printed ({e}): reset the admin's password in Partner Center."
        )
    })?;
    if created.customer_id.is_none() || created.password.is_none() {
        bail!(
            "{company} was created in Partner Center, but not all of it went as asked (see the warnings above)."
        );
    }
    let noun = if created.subscriptions == 1 {
        "subscription"
    } else {
        "subscriptions"
    };
    eprintln!(
        "Added {company} in Partner Center and the book ({}, Microsoft ID {}) with {} {noun}; Partner Center \
         correlation id {}. The temporary password is shown this once.",
        escaped(&created.domain),
        escaped(&created.tenant_id),
        created.subscriptions,
        created.correlation_id
    );
    Ok(())
}

/// The credentials, one line (or one JSON object) to stdout, and to nothing else.
pub fn print_credentials(
    admin_user_name: &str,
    password: &Secret,
    microsoft_id: &str,
    domain: &str,
    subscriptions: usize,
    json: bool,
) -> std::io::Result<()> {
    // Room for all of it up front: a buffer that grew would leave a copy of the password in the
    // memory it let go of. Wiped when dropped.
    let mut line = Zeroizing::new(Vec::with_capacity(1024));
    if json {
        let credentials = CredentialsJson {
            admin_user_name,
            temporary_password: password.expose(),
            microsoft_id,
            primary_domain: domain,
            subscriptions,
        };
        serde_json::to_writer_pretty(&mut *line, &credentials).map_err(std::io::Error::other)?;
    } else {
        line.extend_from_slice(admin_user_name.as_bytes());
        line.push(b'\t');
        line.extend_from_slice(password.expose().as_bytes());
    }
    line.push(b'\n');
    // Nothing else was written to stdout, so its buffer is empty: a write of whole lines goes
    // straight to the OS, without a copy left in that buffer.
    let mut out = std::io::stdout().lock();
    out.write_all(&line)?;
    out.flush()
}
