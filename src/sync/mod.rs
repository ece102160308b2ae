//! The pull from Partner Center into the book (`twotier sync`): the remote room's resources
//! mapped with the domain rules (`map.rs`) into the local room's commands.
//!
//! Every pass starts with the provider's profile and the indirect resellers (complete, one
//! transaction, where accepted partnership requests are detected). A full pass then pages the
//! customer list, each page and the cursor of the next committed together, then walks the book's
//! customers for their subscriptions, a batch of customers per transaction with the last one
//! done as the cursor. An incremental pass (after a complete one, unless `--full`) pages the
//! audit records since the last pass's start into a queue of changed customers, then fetches
//! only those (the customer and its subscriptions), each batch leaving the queue in the
//! transaction that applies it. So a kill or a network failure loses nothing committed and the
//! next sync continues the same pass. A row that breaks a rule is kept and flagged (or held
//! aside when the schema can't take it), never dropped.

pub mod map;
pub mod write;
mod write_check;
mod write_order;
mod write_subscription;

use chrono::{DateTime, Utc};
use futures::StreamExt;

use crate::partner_center::client::{Client, Request};
use crate::partner_center::error::Error as RemoteError;
use crate::partner_center::model::{AuditRecord, Customer};
use crate::partner_center::pages::{AUDIT_RECORDS, Pages};
use crate::store::sync::{Applied, Cursor, Flagged, PassKind, Phase, SyncState};
use crate::store::sync_subscriptions::{ChangedCustomer, CustomerSubscriptions};
use crate::store::{CommandError, Store};
pub use map::{map_customer, map_reseller, map_subscription};

/// The customer list's page size: the most Partner Center serves at once.
pub const PAGE_SIZE: u32 = 500;
/// Customers whose subscriptions are applied in one transaction.
pub const CUSTOMER_BATCH: usize = 50;
/// Subscription lists asked at once (the client's rate limiter still paces them).
const IN_FLIGHT: usize = 8;
/// How many flagged rows a report carries (the count is of all of them).
pub const FLAGGED_SHOWN: usize = 200;
/// Partner Center keeps the audit records 90 days: a last pass older than this is followed by a
/// full one.
const AUDIT_DAYS: i64 = 89;
/// Records this much older than the last pass's start are still read (clocks differ).
const AUDIT_SLACK_MINUTES: i64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Remote(#[from] RemoteError),
    #[error("{0}")]
    Store(#[from] CommandError),
}

/// How to pull.
#[derive(Debug, Clone)]
pub struct Options {
    pub page_size: u32,
    /// A full pass even when an incremental one could do (`twotier sync --full`).
    pub full: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            page_size: PAGE_SIZE,
            full: false,
        }
    }
}

/// The provider's profile as Partner Center has it, and what the pull changed in the book's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileCheck {
    pub partner_id: Option<String>,
    pub name: Option<String>,
    /// The book's fields written from it ("PartnerID 1 → 2"), empty when they agreed.
    pub changed: Vec<String>,
    /// Why it could not be read (the pass went on without it).
    pub unread: Option<String>,
}

/// What a pull did, for the operator.
#[derive(Debug, Clone)]
pub struct Report {
    pub kind: PassKind,
    /// It continued a pass a previous sync had not finished.
    pub resumed: bool,
    pub profile: Option<ProfileCheck>,
    pub resellers: Applied,
    /// Partnership requests found accepted (their recipients).
    pub accepted: Vec<String>,
    pub customers: Applied,
    pub subscriptions: Applied,
    /// Customer pages committed by this run (full pass).
    pub pages: u64,
    /// Customers the audit records named and this run fetched again (incremental pass).
    pub changed_customers: u64,
    /// How many rows of the book a pull flagged or held, as it stands after this run, and the
    /// first [`FLAGGED_SHOWN`] of them.
    pub flagged_total: u64,
    pub flagged: Vec<Flagged>,
}

impl Report {
    fn new(kind: PassKind, resumed: bool) -> Report {
        Report {
            kind,
            resumed,
            profile: None,
            resellers: Applied::default(),
            accepted: Vec::new(),
            customers: Applied::default(),
            subscriptions: Applied::default(),
            pages: 0,
            changed_customers: 0,
            flagged_total: 0,
            flagged: Vec::new(),
        }
    }
}

/// Progress, as each step is committed.
#[derive(Debug, Clone)]
pub enum Step {
    /// The pass that runs: full or incremental, new or continued.
    Started {
        kind: PassKind,
        resumed: bool,
    },
    Profile(ProfileCheck),
    Resellers(Applied),
    /// A Sent partnership request whose partner now appears among the resellers.
    Accepted {
        recipient: String,
    },
    /// A committed customer page: its number in this run, what it changed, whether more follow.
    CustomerPage {
        number: u64,
        applied: Applied,
        more: bool,
    },
    /// A committed batch of customers' subscriptions: customers done by this run so far.
    Subscriptions {
        customers: u64,
        applied: Applied,
    },
    /// A committed page of audit records: the customers it named as changed.
    AuditPage {
        number: u64,
        customers: u64,
        more: bool,
    },
    /// A committed batch of changed customers, fetched again.
    Changed {
        customers_done: u64,
        customers: Applied,
        subscriptions: Applied,
    },
}

/// Runs one pull (incremental when it can be) to the end, or to the first failure (what was
/// committed before it stays, and the next pull continues from there).
pub async fn pull(
    store: &Store,
    client: &Client,
    page_size: u32,
    on_step: &mut dyn FnMut(&Step),
) -> Result<Report, SyncError> {
    let options = Options {
        page_size,
        full: false,
    };
    pull_with(store, client, &options, on_step).await
}

/// Which pass a pull runs: the one under way, else a full one when asked, when no complete
/// pass is kept, or when the last is older than the audit records go back.
fn next_kind(state: &SyncState, full: bool, now: DateTime<Utc>) -> (PassKind, bool) {
    if state.in_progress && !(full && state.kind == PassKind::Incremental) {
        return (state.kind, true);
    }
    let recent = state
        .changes_since
        .is_some_and(|since| now - since < chrono::Duration::days(AUDIT_DAYS));
    if full || !recent {
        (PassKind::Full, false)
    } else {
        (PassKind::Incremental, false)
    }
}

pub async fn pull_with(
    store: &Store,
    client: &Client,
    options: &Options,
    on_step: &mut dyn FnMut(&Step),
) -> Result<Report, SyncError> {
    let state = store.sync_state()?;
    let (kind, resumed) = next_kind(&state, options.full, Utc::now());
    let mut report = Report::new(kind, resumed);
    on_step(&Step::Started { kind, resumed });
    if !resumed {
        let profile = check_profile(store, client).await?;
        on_step(&Step::Profile(profile.clone()));
        report.profile = Some(profile);
        let resellers = client.indirect_resellers().await?;
        let mapped: Vec<_> = resellers.iter().map(map_reseller).collect();
        let begun = store.sync_begin_with_resellers(&mapped, kind, Utc::now())?;
        report.resellers = begun.applied;
        on_step(&Step::Resellers(report.resellers.clone()));
        for recipient in begun.accepted {
            on_step(&Step::Accepted {
                recipient: recipient.clone(),
            });
            report.accepted.push(recipient);
        }
    }
    let state = store.sync_state()?;
    match kind {
        PassKind::Full => {
            if state.phase == Phase::Customers {
                customer_pages(
                    store,
                    client,
                    options.page_size,
                    state.cursor,
                    &mut report,
                    on_step,
                )
                .await?;
            }
            subscriptions_phase(store, client, &mut report, on_step).await?;
        }
        PassKind::Incremental => {
            if state.phase == Phase::Audit {
                let since = state.changes_since.unwrap_or_else(Utc::now);
                audit_pages(store, client, since, state.cursor, on_step).await?;
            }
            changed_phase(store, client, &mut report, on_step).await?;
        }
    }
    store.sync_finish(Utc::now())?;
    let (total, flagged) = store.sync_flagged(FLAGGED_SHOWN)?;
    report.flagged_total = total;
    report.flagged = flagged;
    Ok(report)
}

/// `GET /v1/profiles/mpn` against the book's provider: Partner Center's PartnerID and name are
/// written to it (it is the source of truth). A refusal (a role that may not read the profile)
/// or a book without a provider leaves the book's as it is and says so.
async fn check_profile(store: &Store, client: &Client) -> Result<ProfileCheck, SyncError> {
    let profile = match client.mpn_profile().await {
        Ok(p) => p,
        Err(RemoteError::Api {
            status,
            description,
            ..
        }) => {
            return Ok(ProfileCheck {
                unread: Some(format!("HTTP {status}: {description}")),
                ..ProfileCheck::default()
            });
        }
        Err(e) => return Err(e.into()),
    };
    let partner_id = profile.mpn_id.map(|p| p.trim().to_owned());
    let name = profile.partner_name.map(|n| n.trim().to_owned());
    let changed =
        store.sync_provider_profile(partner_id.as_deref(), name.as_deref(), Utc::now())?;
    Ok(ProfileCheck {
        partner_id,
        name,
        changed,
        unread: None,
    })
}

async fn customer_pages(
    store: &Store,
    client: &Client,
    page_size: u32,
    cursor: Option<Cursor>,
    report: &mut Report,
    on_step: &mut dyn FnMut(&Step),
) -> Result<(), SyncError> {
    let first_page = Request::get(format!("/v1/customers?size={page_size}"), CUSTOMER_LIST);
    let resuming = cursor.is_some();
    let mut pages: Pages<'_, Customer> = Pages::new(
        client,
        cursor.map_or(first_page.clone(), |c| resume_request(c, CUSTOMER_LIST)),
    );
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
    Ok(())
}

/// Every customer of the book after the cursor, a batch at a time: their lists asked a few at
/// once, then applied together with the cursor after the batch.
async fn subscriptions_phase(
    store: &Store,
    client: &Client,
    report: &mut Report,
    on_step: &mut dyn FnMut(&Step),
) -> Result<(), SyncError> {
    let mut after = store.sync_state()?.after_customer;
    let mut done = 0u64;
    loop {
        let batch = store.sync_customers_after(after, CUSTOMER_BATCH)?;
        let Some(&(last, _)) = batch.last() else {
            break;
        };
        let fetched: Vec<Result<Option<CustomerSubscriptions>, RemoteError>> =
            futures::stream::iter(batch)
                .map(|(customer_id, tenant_id)| async move {
                    match client.subscriptions_of(&tenant_id).await {
                        Ok(list) => Ok(Some(CustomerSubscriptions {
                            customer_id,
                            items: list
                                .iter()
                                .map(|s| map_subscription(&tenant_id, s))
                                .collect(),
                            tenant_id,
                        })),
                        // Gone from Partner Center since its page: the next full pass marks it.
                        Err(RemoteError::Api { status: 404, .. }) => Ok(None),
                        Err(e) => Err(e),
                    }
                })
                .buffered(IN_FLIGHT)
                .collect()
                .await;
        let mut lists = Vec::with_capacity(fetched.len());
        for f in fetched {
            if let Some(list) = f? {
                lists.push(list);
            }
        }
        let applied = store.sync_subscriptions_batch(&lists, last, Utc::now())?;
        done += lists.len() as u64;
        report.subscriptions.add(&applied);
        on_step(&Step::Subscriptions {
            customers: done,
            applied,
        });
        after = last;
    }
    Ok(())
}

/// The audit records since the last pass started, page by page: the customers they name join
/// the queue, with the cursor of the next page.
async fn audit_pages(
    store: &Store,
    client: &Client,
    since: DateTime<Utc>,
    cursor: Option<Cursor>,
    on_step: &mut dyn FnMut(&Step),
) -> Result<(), SyncError> {
    let mut pages: Pages<'_, AuditRecord> = match cursor {
        Some(c) => Pages::new(client, resume_request(c, AUDIT_RECORDS)),
        None => client.audit_records(since.date_naive()),
    };
    let from = since - chrono::Duration::minutes(AUDIT_SLACK_MINUTES);
    let mut number = 0;
    loop {
        let Some(records) = pages.next_page().await? else {
            break;
        };
        let tenants = changed_customers(&records, from);
        let next = pages.next_request().map(cursor_of);
        store.sync_audit_page(&tenants, next.as_ref())?;
        number += 1;
        on_step(&Step::AuditPage {
            number,
            customers: tenants.len() as u64,
            more: next.is_some(),
        });
        if next.is_none() {
            break;
        }
    }
    Ok(())
}

/// The customers the records name, once each: a record about a customer (any resource of it,
/// an order, a subscription, the customer itself) that did not fail, at or after `from`. The
/// start date is a day, so the records of that day before the last pass are skipped here.
pub fn changed_customers(records: &[AuditRecord], from: DateTime<Utc>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in records {
        if r.operation_status.as_deref() == Some("failed") {
            continue;
        }
        let at = r
            .operation_date
            .as_deref()
            .and_then(|d| DateTime::parse_from_rfc3339(d.trim()).ok());
        if at.is_some_and(|t| t < from) {
            continue;
        }
        let Some(tenant) = r
            .customer_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_ascii_lowercase)
        else {
            continue;
        };
        if !out.contains(&tenant) {
            out.push(tenant);
        }
    }
    out
}

/// The queue of changed customers, a batch at a time: each fetched again with its
/// subscriptions and applied, leaving the queue in the same transaction.
async fn changed_phase(
    store: &Store,
    client: &Client,
    report: &mut Report,
    on_step: &mut dyn FnMut(&Step),
) -> Result<(), SyncError> {
    loop {
        let queue = store.sync_changed_queue(CUSTOMER_BATCH)?;
        if queue.is_empty() {
            break;
        }
        let fetched: Vec<Result<ChangedCustomer, RemoteError>> = futures::stream::iter(queue)
            .map(|tenant_id| async move {
                let Some(customer) = client.customer(&tenant_id).await? else {
                    return Ok(ChangedCustomer {
                        tenant_id,
                        customer: None,
                        subscriptions: Vec::new(),
                    });
                };
                let subscriptions = match client.subscriptions_of(&tenant_id).await {
                    Ok(list) => list
                        .iter()
                        .map(|s| map_subscription(&tenant_id, s))
                        .collect(),
                    Err(RemoteError::Api { status: 404, .. }) => Vec::new(),
                    Err(e) => return Err(e),
                };
                Ok(ChangedCustomer {
                    customer: Some(map_customer(&customer)),
                    tenant_id,
                    subscriptions,
                })
            })
            .buffered(IN_FLIGHT / 2)
            .collect()
            .await;
        let batch: Vec<ChangedCustomer> = fetched.into_iter().collect::<Result<_, _>>()?;
        let (customers, subscriptions) = store.sync_changed_batch(&batch, Utc::now())?;
        report.changed_customers += batch.len() as u64;
        report.customers.add(&customers);
        report.subscriptions.add(&subscriptions);
        on_step(&Step::Changed {
            customers_done: report.changed_customers,
            customers,
            subscriptions,
        });
    }
    Ok(())
}

const CUSTOMER_LIST: &str = "the customer list";

fn resume_request(cursor: Cursor, what: &str) -> Request {
    let mut request = Request::get(cursor.path, what);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(customer: Option<&str>, at: &str, status: &str) -> AuditRecord {
        serde_json::from_value(serde_json::json!({
            "customerId": customer, "operationDate": at, "operationStatus": status,
            "resourceType": "subscription", "operationType": "update_subscription",
        }))
        .unwrap()
    }

    #[test]
    fn the_changed_customers_are_those_named_since_the_last_pass_once_each() {
        let from = DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let records = [
            record(Some("AAA"), "2026-12-04T11:00:00Z", "succeeded"),
            record(Some("aaa"), "2026-12-04T12:00:00Z", "progress"),
            record(Some("bbb"), "2026-12-04T09:59:00Z", "succeeded"),
            record(Some("ccc"), "2026-12-04T11:00:00Z", "failed"),
            record(None, "2026-12-04T11:00:00Z", "succeeded"),
            record(Some("ddd"), "not a date", "succeeded"),
        ];
        assert_eq!(changed_customers(&records, from), ["aaa", "ddd"]);
    }
}
