//! What every write-through shares: why a change was not made ([`WriteError`]), Partner
//! Center's check of a reseller an order credits (`agreementstatus`, `validateresellers`) and the
//! book following its answer, and the correlation ids for the activity log.

use chrono::Utc;
use uuid::Uuid;

use crate::partner_center::client::Client;
use crate::partner_center::error::Error as RemoteError;
use crate::store::write_through::RemoteReseller;
use crate::store::{CommandError, Store};

/// Why a change was not made, in words. Nothing was written to the book in any of these.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A rule of the book, or Partner Center's answer to a check, said no before any change was
    /// sent.
    #[error("{0}")]
    Refused(String),
    /// 409: Partner Center is busy with the resource (a subscription renewing, another change in
    /// flight). The operator's input is to be kept and sent again later.
    #[error(
        "Partner Center is busy with {what} and did not take the change (HTTP 409{}): {}. Nothing was changed; \
         your input is kept: send it again in a few minutes (correlation id {correlation_id}).",
        .code.as_deref().map(|c| format!(", error {}", crate::domain::text::escaped(c))).unwrap_or_default(),
        crate::domain::text::escaped(.description)
    )]
    Busy {
        what: String,
        code: Option<String>,
        description: String,
        correlation_id: Uuid,
    },
    /// Not signed in, unreachable, or Partner Center said no: nothing was written to the book.
    #[error("{error}. {}", if *.maybe_made {
        "The book is unchanged (a connected book takes no local-only changes). If Partner Center made it after all, the next `twotier sync` brings it in."
    } else {
        "Nothing was changed: a connected book takes no local-only changes."
    })]
    Remote {
        error: RemoteError,
        /// A create whose answer never came: Partner Center may have made it.
        maybe_made: bool,
    },
    /// Partner Center's check of the reseller said no (the book records what it said).
    #[error("{}", .0.refusal.as_deref().unwrap_or("Partner Center refused to credit the reseller."))]
    NotCreditable(ResellerCheck),
    #[error("{0}")]
    Store(#[from] CommandError),
}

impl WriteError {
    /// The error of a call that changes nothing if it failed (a GET, a PATCH, a PUT).
    pub fn remote(error: RemoteError) -> WriteError {
        match error {
            RemoteError::Api {
                what,
                status: 409,
                code,
                description,
                correlation_id,
            } => WriteError::Busy {
                what,
                code,
                description,
                correlation_id,
            },
            error => WriteError::Remote {
                error,
                maybe_made: false,
            },
        }
    }

    /// The error of a create: one that was sent but never answered may have been made.
    /// A 409 to a create is a conflict (such as a domain in use), said as Partner Center says it.
    pub fn create(error: RemoteError) -> WriteError {
        let maybe_made = matches!(error, RemoteError::GaveUp { .. });
        WriteError::Remote { error, maybe_made }
    }
}

/// What Partner Center said about crediting a reseller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerCheck {
    pub reseller_id: i64,
    pub mpa_signed: Option<bool>,
    pub por_valid: Option<bool>,
    /// Why it can't be credited, in Partner Center's words; `None`: it can.
    pub refusal: Option<String>,
    pub correlation_ids: Vec<Uuid>,
}

/// Asks Partner Center whether `reseller` has signed the Microsoft Partner Agreement
/// (`agreementstatus`) and can be credited as partner of record (`validateresellers`).
pub async fn check_reseller(
    client: &Client,
    reseller: &RemoteReseller,
) -> Result<ResellerCheck, WriteError> {
    use crate::domain::text::escaped;
    let mut check = ResellerCheck {
        reseller_id: reseller.id,
        mpa_signed: None,
        por_valid: None,
        refusal: None,
        correlation_ids: Vec::new(),
    };
    let name = &reseller.name;
    let partner_id = &reseller.partner_id;
    match client.agreement_status(partner_id).await {
        Ok(sent) => {
            check.correlation_ids.push(sent.correlation_id);
            check.mpa_signed = Some(sent.value.is_agreement_signed);
            if !sent.value.is_agreement_signed {
                check.refusal = Some(format!(
                    "Partner Center says {name} ({partner_id}) has not signed the Microsoft Partner Agreement for its region \
                     (error 900123): orders can't credit it until it does. Choose another reseller, or none."
                ));
                return Ok(check);
            }
        }
        // 2200–2206: the reseller can't be told signed; Partner Center says why.
        Err(RemoteError::Api {
            status: 400,
            code,
            description,
            correlation_id,
            ..
        }) => {
            check.correlation_ids.push(correlation_id);
            check.mpa_signed = Some(false);
            check.refusal = Some(format!(
                "Partner Center can't confirm that {name} ({partner_id}) signed the Microsoft Partner Agreement{}: {}. \
                 Orders can't credit it; choose another reseller, or none.",
                code.map(|c| format!(" (error {})", escaped(&c)))
                    .unwrap_or_default(),
                escaped(&description)
            ));
            return Ok(check);
        }
        Err(e) => return Err(WriteError::remote(e)),
    }
    let sent = client
        .validate_resellers(std::slice::from_ref(partner_id))
        .await
        .map_err(WriteError::remote)?;
    check.correlation_ids.push(sent.correlation_id);
    let result = sent
        .value
        .iter()
        .find(|r| r.partner_id.trim() == partner_id.as_str());
    match result {
        Some(r) if r.is_valid_partner_id_on_record => check.por_valid = Some(true),
        Some(r) => {
            check.por_valid = Some(false);
            let code = r.error_code.as_ref().map(|c| match c {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            check.refusal = Some(format!(
                "Partner Center says {name}'s PartnerID {partner_id} is not valid as partner of record{}: {}. Choose \
                 another reseller, or none.",
                code.map(|c| format!(" (error {})", escaped(&c)))
                    .unwrap_or_default(),
                escaped(r.error_description.as_deref().unwrap_or("no reason given"))
            ));
        }
        None => {
            check.refusal = Some(format!(
                "Partner Center's partner-of-record check did not answer for {name} ({partner_id}): nothing was ordered."
            ));
        }
    }
    Ok(check)
}

/// The book follows what Partner Center said of the reseller.
pub fn record_check(store: &Store, check: &ResellerCheck) -> Result<(), WriteError> {
    store.record_compliance(
        check.reseller_id,
        check.mpa_signed,
        check.por_valid,
        Utc::now(),
    )?;
    Ok(())
}

/// Before an order credits a reseller: Partner Center's word on it, recorded in the book before
/// the book's own rules are rehearsed, so a reseller the book had as not signed is asked again
/// and one Partner Center refuses is refused (the book keeps what it said either way).
pub async fn check_and_follow(
    store: &Store,
    client: &Client,
    reseller_id: Option<i64>,
) -> Result<Option<ResellerCheck>, WriteError> {
    let Some(id) = reseller_id else {
        return Ok(None);
    };
    let reseller = store.remote_reseller(id)?;
    let check = check_reseller(client, &reseller).await?;
    record_check(store, &check)?;
    match check.refusal {
        Some(_) => Err(WriteError::NotCreditable(check)),
        None => Ok(Some(check)),
    }
}

/// The book's own rules first (`rehearse`, nothing sent when they refuse), then Partner Center's
/// check of the reseller an order credits. A refusal because the book had the reseller as not
/// compliant is asked again of Partner Center, whose answer then decides.
pub async fn rules_then_check(
    store: &Store,
    client: &Client,
    reseller_id: Option<i64>,
    rehearse: impl Fn(&Store) -> Result<(), CommandError>,
) -> Result<(), WriteError> {
    match rehearse(store) {
        Ok(()) => {}
        Err(CommandError::Refused(why)) => {
            let failed_here = match reseller_id {
                Some(id) => store.remote_reseller(id)?.compliance.failure().is_some(),
                None => false,
            };
            if !failed_here {
                return Err(WriteError::Refused(why));
            }
        }
        Err(e) => return Err(e.into()),
    }
    check_and_follow(store, client, reseller_id).await?;
    Ok(())
}

/// The correlation ids of a write, for the activity log.
pub fn note(calls: &[(&str, Uuid)]) -> String {
    let list: Vec<String> = calls
        .iter()
        .map(|(what, id)| format!("{what} {id}"))
        .collect();
    format!("Partner Center correlation ids: {}", list.join(", "))
}
