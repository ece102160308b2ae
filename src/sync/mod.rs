//! The pull from Partner Center into the book (`twotier sync`): the remote room's resources
//! mapped with the domain rules into the local room's commands. One pass: the indirect
//! resellers (complete, one transaction), then the customer list page by page, each page and
//! the cursor of the next one committed together, so a kill or a network failure loses no
//! committed page and the next sync continues from the cursor. A row that breaks a rule is
//! kept and flagged (or held aside when the schema can't take it), never dropped.

pub mod write;
mod write_check;
mod write_order;
mod write_subscription;

use chrono::Utc;

use crate::domain::ids::{self, Country, PartnerId, TenantId};
use crate::partner_center::client::{Client, Request};
use crate::partner_center::error::Error as RemoteError;
use crate::partner_center::model::{Customer, PartnerRelationship};
use crate::partner_center::pages::Pages;
use crate::store::sync::{Applied, Cursor, Flagged, Held, Pulled, PulledCustomer, PulledReseller};
use crate::store::{CommandError, Store};

/// The customer list's page size: the most Partner Center serves at once.
pub const PAGE_SIZE: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Remote(#[from] RemoteError),
    #[error("{0}")]
    Store(#[from] CommandError),
}

/// What a pull did, for the operator.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// It continued a pass a previous sync had not finished.
    pub resumed: bool,
    pub resellers: Applied,
    pub customers: Applied,
    /// Customer pages committed by this run.
    pub pages: u64,
    /// Every row of the book a pull flagged or held, as it stands after this run.
    pub flagged: Vec<Flagged>,
}

/// Progress, as each step is committed.
#[derive(Debug, Clone)]
pub enum Step {
    Resellers(Applied),
    /// A committed customer page: its number in this run, what it changed, whether more follow.
    CustomerPage {
        number: u64,
        applied: Applied,
        more: bool,
    },
}

/// Runs one pull to the end, or to the first failure (what was committed before it stays, and
/// the next pull continues from there).
pub async fn pull(
    store: &Store,
    client: &Client,
    page_size: u32,
    on_step: &mut dyn FnMut(&Step),
) -> Result<Report, SyncError> {
    let state = store.sync_state()?;
    let mut report = Report {
        resumed: state.in_progress,
        ..Report::default()
    };
    let cursor = if state.in_progress {
        state.cursor
    } else {
        let resellers = client.indirect_resellers().await?;
        let mapped: Vec<_> = resellers.iter().map(map_reseller).collect();
        report.resellers = store.sync_begin_with_resellers(&mapped, Utc::now())?;
        on_step(&Step::Resellers(report.resellers.clone()));
        None
    };
    let first_page = Request::get(format!("/v1/customers?size={page_size}"), CUSTOMER_LIST);
    let resuming = cursor.is_some();
    let mut pages: Pages<'_, Customer> =
        Pages::new(client, cursor.map_or(first_page.clone(), resume_request));
    let mut first = true;
    loop {
        let items = match pages.next_page().await {
            Ok(Some(items)) => items,
            Ok(None) => break,
            // A continuation token kept from an earlier run may have expired: the pass goes
            // on from the first page (the pages already committed are unchanged rows then).
            Err(RemoteError::Api { status: 400, .. }) if first && resuming => {
                tracing::info!(
                    "the kept continuation token was refused; paging from the first page"
                );
                pages = Pages::new(client, first_page.clone());
                first = false;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        first = false;
        let mapped: Vec<_> = items.iter().map(map_customer).collect();
        let next = pages.next_request().map(cursor_of);
        let applied = store.sync_customer_page(&mapped, next.as_ref(), Utc::now())?;
        report.pages += 1;
        report.customers.add(&applied);
        on_step(&Step::CustomerPage {
            number: report.pages,
            applied,
            more: next.is_some(),
        });
        if next.is_none() {
            break;
        }
    }
    report.flagged = store.sync_flagged()?;
    Ok(report)
}

const CUSTOMER_LIST: &str = "the customer list";

fn resume_request(cursor: Cursor) -> Request {
    let mut request = Request::get(cursor.path, CUSTOMER_LIST);
    if let Some(token) = cursor.continuation {
        request
            .headers
            .push(("MS-ContinuationToken".to_owned(), token));
    }
    request
}

fn cursor_of(request: &Request) -> Cursor {
    Cursor {
        path: request.path.clone(),
        continuation: request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("MS-ContinuationToken"))
            .map(|(_, v)| v.clone()),
    }
}

/// A reseller: its tenant ID, PartnerID and country must be valid to be placed (the schema
/// checks them); otherwise it is held, with the rule it breaks.
pub fn map_reseller(r: &PartnerRelationship) -> Pulled<PulledReseller> {
    let name = r.name.clone().unwrap_or_default();
    let held = |problem: String| {
        Pulled::Held(Held {
            kind: "reseller".into(),
            remote_id: r.id.clone(),
            name: if name.trim().is_empty() {
                r.id.clone()
            } else {
                name.clone()
            },
            problem,
            payload: serde_json::json!({
                "id": r.id, "name": r.name, "mpnId": r.mpn_id, "location": r.location,
                "state": r.state, "relationshipType": r.relationship_type,
            })
            .to_string(),
        })
    };
    let tenant = match TenantId::parse(&r.id) {
        Ok(t) => t,
        Err(e) => return held(format!("its id is not a tenant ID: {e}")),
    };
    let partner_id = match PartnerId::parse(r.mpn_id.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return held(format!("its mpnId is not a PartnerID: {e}")),
    };
    let location = match Country::parse(r.location.as_deref().unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return held(format!("its location is not a country: {e}")),
    };
    let name = match ids::company_name(&name) {
        Ok(n) => n,
        Err(e) => return held(format!("its name breaks a rule: {e}")),
    };
    Pulled::Row(PulledReseller {
        tenant_id: tenant.as_str().to_owned(),
        name,
        partner_id: partner_id.as_str().to_owned(),
        location: location.as_str().to_owned(),
    })
}

/// A customer: without a tenant ID or a domain it can't be placed (held); a name or domain
/// that breaks a rule, or a relationship twotier doesn't know, is kept and flagged.
pub fn map_customer(c: &Customer) -> Pulled<PulledCustomer> {
    let profile = c.company_profile.as_ref();
    let raw_tenant = profile
        .and_then(|p| p.tenant_id.clone())
        .unwrap_or_else(|| c.id.clone());
    let raw_name = profile
        .and_then(|p| p.company_name.clone())
        .unwrap_or_default();
    let raw_domain = profile.and_then(|p| p.domain.clone()).unwrap_or_default();
    let held = |problem: String| {
        Pulled::Held(Held {
            kind: "customer".into(),
            remote_id: c.id.clone(),
            name: if raw_name.trim().is_empty() {
                c.id.clone()
            } else {
                raw_name.clone()
            },
            problem,
            payload: serde_json::json!({
                "id": c.id,
                "companyProfile": profile.map(|p| serde_json::json!({
                    "tenantId": p.tenant_id, "domain": p.domain, "companyName": p.company_name,
                })),
                "relationshipToPartner": c.relationship_to_partner,
                "associatedPartnerId": c.associated_partner_id,
            })
            .to_string(),
        })
    };
    let tenant = match TenantId::parse(&raw_tenant) {
        Ok(t) => t,
        Err(e) => return held(format!("its tenantId is not a tenant ID: {e}")),
    };
    let domain = raw_domain.trim().to_ascii_lowercase();
    if domain.is_empty() {
        return held("it has no domain".into());
    }
    let mut problems = Vec::new();
    if !ids::is_domain_name(&domain) {
        problems.push(format!("its domain {domain:?} is not a domain name"));
    }
    let name = match ids::company_name(&raw_name) {
        Ok(n) => n,
        Err(e) => {
            problems.push(format!("its company name breaks a rule: {e}"));
            if raw_name.trim().is_empty() {
                domain.clone()
            } else {
                raw_name.trim().to_owned()
            }
        }
    };
    let relationship = match c
        .relationship_to_partner
        .as_deref()
        .map(str::to_ascii_lowercase)
    {
        None => "reseller".to_owned(),
        Some(r) if ["none", "reseller", "advisor"].contains(&r.as_str()) => r,
        Some(other) => {
            problems.push(format!(
                "its relationshipToPartner {other:?} is not none, reseller or advisor"
            ));
            "none".to_owned()
        }
    };
    let reseller_tenant_id = c
        .associated_partner_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase);
    Pulled::Row(PulledCustomer {
        tenant_id: tenant.as_str().to_owned(),
        company_name: name,
        domain,
        relationship,
        reseller_tenant_id,
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
    })
}
