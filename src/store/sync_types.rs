//! The pull's shapes on the store's side (what the `sync` module hands the store, where a pass
//! stands, what a step changed), apart from the code that writes them so that every room of the
//! pull can name them without importing another.

use chrono::{DateTime, Utc};

/// An indirect reseller as Partner Center lists it, checked against twotier's rules.
#[derive(Debug, Clone)]
pub struct PulledReseller {
    pub tenant_id: String,
    pub name: String,
    pub partner_id: String,
    pub location: String,
}

/// A customer as the list sends it (company profile only: the billing profile, the admin and
/// the address are not in the list, so a new row gets them empty until they are pulled).
#[derive(Debug, Clone)]
pub struct PulledCustomer {
    pub tenant_id: String,
    pub company_name: String,
    pub domain: String,
    /// 'none', 'reseller' or 'advisor'.
    pub relationship: String,
    /// The indirect reseller's tenant ID, if it is a customer of one.
    pub reseller_tenant_id: Option<String>,
    /// A rule the row breaks, kept with it.
    pub problem: Option<String>,
}

/// A row that can't be placed in the book: kept in `sync_held` as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// "reseller" or "customer".
    pub kind: String,
    pub remote_id: String,
    pub name: String,
    pub problem: String,
    /// The JSON as Partner Center sent it.
    pub payload: String,
}

/// One item of a page: placed, or held with why.
#[derive(Debug, Clone)]
pub enum Pulled<T> {
    Row(T),
    Held(Held),
}

/// Where the next customer page is asked: the link's path and its continuation token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub path: String,
    pub continuation: Option<String>,
}

/// A full pass pulls every customer and every customer's subscriptions; an incremental one
/// only the customers the audit records name as changed since the last pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassKind {
    Full,
    Incremental,
}

impl PassKind {
    pub fn key(self) -> &'static str {
        match self {
            PassKind::Full => "full",
            PassKind::Incremental => "incremental",
        }
    }

    pub(super) fn from_key(key: &str) -> PassKind {
        if key == "incremental" {
            PassKind::Incremental
        } else {
            PassKind::Full
        }
    }
}

/// Where a pass stands: `Customers` pages the customer list (full), `Subscriptions` walks the
/// book's customers for theirs (full), `Audit` pages the audit records and `Changed` fetches the
/// customers they named (incremental).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Customers,
    Subscriptions,
    Audit,
    Changed,
}

impl Phase {
    pub(super) fn from_key(key: &str) -> Phase {
        match key {
            "customers" => Phase::Customers,
            "subscriptions" => Phase::Subscriptions,
            "audit" => Phase::Audit,
            "changed" => Phase::Changed,
            _ => Phase::Idle,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub pass: i64,
    /// A pass is under way: its resellers are in, then its phase.
    pub in_progress: bool,
    pub phase: Phase,
    /// The pass under way (or the last one).
    pub kind: PassKind,
    /// The next page (customers or audit records) of the pass under way; `None` with
    /// `in_progress` means from the first page.
    pub cursor: Option<Cursor>,
    /// In the subscriptions phase: the customers up to this `customers.id` are done.
    pub after_customer: i64,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The kind of the last complete pass.
    pub last_kind: Option<PassKind>,
    /// When the last complete pass started: an incremental pass asks what changed since then.
    pub changes_since: Option<DateTime<Utc>>,
}

/// What one page (or the resellers) changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub held: u64,
}

impl Applied {
    pub fn add(&mut self, other: &Applied) {
        self.added += other.added;
        self.changed += other.changed;
        self.unchanged += other.unchanged;
        self.removed += other.removed;
        self.held += other.held;
    }
}

/// A row of the book flagged by a pull: what it is and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flagged {
    pub kind: String,
    pub name: String,
    pub id: String,
    pub problem: String,
    /// Kept aside in `sync_held` (not in the book's lists) rather than flagged in place.
    pub held: bool,
}

pub(super) const ACTION_PULLED: &str = "Pulled from Partner Center";
pub(super) const ACTION_CHANGED: &str = "Changed in Partner Center";
pub(super) const ACTION_GONE: &str = "Removed in Partner Center";

/// What starting a pass did: the resellers, and the partnership requests found accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Begun {
    pub applied: Applied,
    /// The recipients of the requests the relationships list showed accepted.
    pub accepted: Vec<String>,
}
