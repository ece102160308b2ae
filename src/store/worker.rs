//! The store worker: a thread that owns the connection, so the UI never waits on SQLite.
//! Commands go in over a channel; each reply goes out through a callback with the command's
//! sequence number, and the UI drops replies older than the latest it asked for.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};

use super::customer_account::CustomerAccount;
use super::customers::{CreatedCustomer, NewCustomer, NewOrder, Offer};
use super::follow_up::{FollowUpRow, RemovedReseller};
use super::invitations::{Acceptance, InvitationDraft, InvitationRow};
use super::list::{ActivityRow, CustomerRow, Listed, Page, PageRequest, ResellerRow, fetch_page};
use super::operators::Operator;
use super::provider::ProviderProfile;
use super::resellers::RemovalPreview;
use super::subscriptions::{SubscriptionChanges, SubscriptionDetail, SubscriptionRow};
use super::{CommandError, CommandResult, Store};
use crate::domain::ids::Email;
use crate::domain::invitation::Delivery;
use crate::domain::role::Role;

/// The lists the UI pages through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Resellers,
    Customers,
    Activity,
    Users,
    Invitations,
    /// One customer's subscriptions (the expanded record).
    Subscriptions,
    /// The reseller picker's list.
    ResellerPicker,
    /// Follow-up: the subscriptions still naming a removed reseller.
    FollowUp,
    Renewals,
}

/// A request to the store. Mutations carry the time they happen at (the UI's clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbCmd {
    LoadProvider,
    Page {
        list: ListId,
        seq: u64,
        req: PageRequest,
    },
    /// Drafts a partnership request to this (valid) address; writes nothing.
    PrepareInvitation {
        to: Email,
    },
    /// The stored email of a request, to send it again.
    LoadInvitationDraft {
        id: i64,
    },
    /// Done: records the request as Sent, or as sent again (`resend_of`).
    RecordInvitation {
        draft: Box<InvitationDraft>,
        delivery: Delivery,
        resend_of: Option<i64>,
        at: DateTime<Utc>,
    },
    RevokeInvitation {
        id: i64,
        at: DateTime<Utc>,
    },
    AcceptInvitation {
        id: i64,
        acceptance: Box<Acceptance>,
        at: DateTime<Utc>,
    },
    /// Which active reseller, if any, already has this PartnerID (checked as the operator types).
    CheckPartnerId {
        seq: u64,
        partner_id: String,
    },
    RemovalImpact {
        reseller_id: i64,
        name: String,
    },
    RemovePartnership {
        reseller_id: i64,
        name: String,
        at: DateTime<Utc>,
    },
    SetCompliance {
        reseller_id: i64,
        /// Either check may be set back to Unknown.
        compliance: crate::domain::compliance::Compliance,
        at: DateTime<Utc>,
    },
    LoadOffers,
    /// Whether a domain prefix is taken (checked as the operator types).
    CheckDomain {
        seq: u64,
        prefix: String,
    },
    CreateCustomer {
        customer: Box<NewCustomer>,
        at: DateTime<Utc>,
    },
    AddSubscriptions {
        customer_id: i64,
        customer: String,
        order: NewOrder,
        at: DateTime<Utc>,
    },
    LoadSubscription {
        id: i64,
    },
    /// A detail pane's record, for the request numbered `seq` (a newer one's reply wins).
    LoadRecord(u64, super::record::RecordId),
    UpdateSubscription {
        id: i64,
        changes: SubscriptionChanges,
        at: DateTime<Utc>,
    },
    AddOperator {
        upn: String,
        name: String,
        role: Role,
        at: DateTime<Utc>,
    },
    SetOperatorDisabled {
        upn: String,
        disabled: bool,
        at: DateTime<Utc>,
    },
    SetOperatorRole {
        upn: String,
        role: Role,
        at: DateTime<Utc>,
    },
    /// A customer's Account (expanded customer record, `a`).
    LoadCustomerAccount {
        id: i64,
    },
    /// Verify on "Indirect reseller not in the list? Enter MPN ID": the reseller with this
    /// PartnerID, or why not (own PartnerID, unknown, removed).
    VerifyPartnerId {
        partner_id: String,
    },
    /// Esc on a draft whose link left twotier: recorded as Discarded with how it left.
    DiscardInvitation {
        draft: Box<InvitationDraft>,
        delivery: Delivery,
        at: DateTime<Utc>,
    },
    /// The removed reseller a Follow-up worklist is about.
    LoadRemovedReseller {
        reseller_id: i64,
    },
    /// Set up your own book: a new file at `path`, as `twotier init` makes it (this store's
    /// own book is not touched).
    CreateBook {
        path: std::path::PathBuf,
        book: super::init::NewBook,
    },
    /// Signed in to Partner Center: act as that account (an active operator) from now on.
    ActAs {
        upn: String,
    },
    /// The Dashboard's figures at this moment.
    LoadDashboard(DateTime<Utc>),
}

/// A page of one of the lists.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyPage {
    Resellers(Page<ResellerRow>),
    Customers(Page<CustomerRow>),
    Activity(Page<ActivityRow>),
    Users(Page<Operator>),
    Invitations(Page<InvitationRow>),
    Subscriptions(Page<SubscriptionRow>),
    FollowUp(Page<FollowUpRow>),
    Renewals(Page<super::renewals::RenewalRow>),
}

/// The store's answer to a [`DbCmd`].
#[derive(Debug, Clone, PartialEq)]
pub enum DbReply {
    Provider(Box<ProviderProfile>),
    Page {
        list: ListId,
        seq: u64,
        page: AnyPage,
    },
    Draft {
        draft: Box<InvitationDraft>,
        resend_of: Option<i64>,
    },
    PartnerIdOwner {
        seq: u64,
        partner_id: String,
        owner: Option<String>,
    },
    Impact {
        reseller_id: i64,
        name: String,
        preview: Box<RemovalPreview>,
    },
    /// A mutation was committed: say so, and reload these lists.
    Done {
        message: String,
        reload: Vec<ListId>,
    },
    /// A rule refused the command; nothing changed. The message says why, in words.
    Refused {
        what: String,
        message: String,
    },
    /// The command failed. `what` says which task, in words for the error modal.
    Failed {
        what: String,
        message: String,
    },
    Offers(Vec<Offer>),
    DomainChecked {
        seq: u64,
        prefix: String,
        taken: bool,
    },
    /// The new customer, with the temporary password to show once.
    CustomerCreated(Box<CreatedCustomer>),
    Subscription(Box<SubscriptionDetail>),
    CustomerAccount(Box<CustomerAccount>),
    Record(u64, super::record::Record),
    /// The answer to [`DbCmd::VerifyPartnerId`]: the active reseller, or the reason in words.
    PartnerIdVerified {
        partner_id: String,
        result: Result<Box<ResellerRow>, String>,
    },
    RemovedReseller(Box<RemovedReseller>),
    /// The new book is at `path`, with `admin_upn` its Global admin.
    BookCreated {
        path: std::path::PathBuf,
        admin_upn: String,
    },
    Dashboard(Box<super::dashboard::Dashboard>),
}

/// The running worker. Dropping it closes the channel; the thread then ends. Each command goes
/// in with an address of the caller's choosing (`A`), and its reply comes out with the same one.
pub struct Worker<A> {
    tx: Sender<(A, DbCmd)>,
    thread: Option<JoinHandle<()>>,
}

impl<A: Send + 'static> Worker<A> {
    pub fn spawn(store: Store, reply: impl Fn(A, DbReply) + Send + 'static) -> Worker<A> {
        let (tx, rx) = channel();
        let thread = std::thread::Builder::new()
            .name("twotier-store".into())
            .spawn(move || serve(store, rx, reply))
            .expect("spawn the store thread");
        Worker {
            tx,
            thread: Some(thread),
        }
    }

    pub fn send(&self, to: A, cmd: DbCmd) {
        // The thread only ends when this handle is dropped, so a send cannot fail before then.
        let _ = self.tx.send((to, cmd));
    }

    /// Closes the channel and waits for the worker to finish the command in hand.
    pub fn shutdown(mut self) {
        let (dead, _) = channel();
        self.tx = dead;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve<A>(mut store: Store, rx: Receiver<(A, DbCmd)>, reply: impl Fn(A, DbReply)) {
    while let Ok(first) = rx.recv() {
        // Take everything queued, and keep only the newest page request of each list: while
        // someone types a search, the pages for the letters already replaced are never run.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut superseded = vec![false; batch.len()];
        for (i, (_, cmd)) in batch.iter().enumerate() {
            if let DbCmd::Page { list, .. } = cmd {
                superseded[i] = batch[i + 1..]
                    .iter()
                    .any(|(_, later)| matches!(later, DbCmd::Page { list: l, .. } if l == list));
            }
        }
        for ((to, cmd), skip) in batch.into_iter().zip(superseded) {
            if !skip {
                reply(to, execute(&mut store, cmd));
            }
        }
    }
}

/// Runs one command. Public so tests can drive the store exactly as the UI does.
pub fn execute(store: &mut Store, cmd: DbCmd) -> DbReply {
    let what = cmd.task();
    match run(store, cmd) {
        Ok(reply) => reply,
        Err(CommandError::Refused(message)) => DbReply::Refused { what, message },
        Err(CommandError::Db(e)) => {
            tracing::error!(task = %what, error = %e, "store command failed");
            DbReply::Failed {
                what,
                message: e.to_string(),
            }
        }
    }
}

fn done(message: String, reload: &[ListId]) -> DbReply {
    DbReply::Done {
        message,
        reload: reload.to_vec(),
    }
}

fn run(store: &mut Store, cmd: DbCmd) -> CommandResult<DbReply> {
    use ListId::{Activity, Customers, Invitations, Resellers, Subscriptions};
    Ok(match cmd {
        DbCmd::LoadProvider => DbReply::Provider(Box::new(store.provider()?)),
        DbCmd::Page { list, seq, req } => DbReply::Page {
            list,
            seq,
            page: page(store, list, &req)?,
        },
        DbCmd::PrepareInvitation { to } => DbReply::Draft {
            draft: Box::new(store.prepare_invitation(&to)?),
            resend_of: None,
        },
        DbCmd::LoadInvitationDraft { id } => DbReply::Draft {
            draft: Box::new(store.invitation_draft(id)?),
            resend_of: Some(id),
        },
        DbCmd::RecordInvitation {
            draft,
            delivery,
            resend_of: None,
            at,
        } => {
            store.record_invitation(&draft, delivery, at)?;
            done(
                format!("Partnership request to {} recorded as Sent", draft.to),
                &[Invitations, Activity],
            )
        }
        DbCmd::RecordInvitation {
            draft,
            delivery,
            resend_of: Some(id),
            at,
        } => {
            store.resend_edited(id, &draft, delivery, at)?;
            done(
                format!("Partnership request to {} sent again", draft.to),
                &[Invitations, Activity],
            )
        }
        DbCmd::RevokeInvitation { id, at } => {
            store.revoke_invitation(id, at)?;
            done(
                "Partnership request revoked".into(),
                &[Invitations, Activity],
            )
        }
        DbCmd::AcceptInvitation { id, acceptance, at } => {
            store.accept_invitation_id(id, &acceptance, at)?;
            done(
                format!(
                    "{} is now an active indirect reseller; MPA and POR unknown: check them (Indirect resellers, c)",
                    acceptance.name.trim()
                ),
                &[Invitations, Resellers, Activity],
            )
        }
        DbCmd::CheckPartnerId { seq, partner_id } => {
            let owner = store.active_reseller_name(&partner_id)?;
            DbReply::PartnerIdOwner {
                seq,
                partner_id,
                owner,
            }
        }
        DbCmd::RemovalImpact { reseller_id, name } => DbReply::Impact {
            reseller_id,
            name,
            preview: Box::new(store.removal_preview(reseller_id)?),
        },
        DbCmd::RemovePartnership {
            reseller_id,
            name,
            at,
        } => {
            store.remove_partnership(reseller_id, at)?;
            done(
                format!("Partnership with {name} removed"),
                &[Resellers, Customers, Activity, ListId::FollowUp],
            )
        }
        DbCmd::SetCompliance {
            reseller_id,
            compliance,
            at,
        } => {
            store.set_compliance(reseller_id, compliance, at)?;
            // Customers: its rows carry their reseller's compliance (Add subscription's default).
            done("Compliance saved".into(), &[Resellers, Customers, Activity])
        }
        DbCmd::LoadOffers => DbReply::Offers(store.offers()?),
        DbCmd::AddOperator {
            upn,
            name,
            role,
            at,
        } => {
            store.add_operator(&upn, &name, role, at)?;
            done(
                format!(
                    "{} added as {}",
                    crate::domain::text::clean(&upn),
                    role.label()
                ),
                &[ListId::Users, Activity],
            )
        }
        DbCmd::SetOperatorDisabled { upn, disabled, at } => {
            store.set_operator_disabled(&upn, disabled, at)?;
            let what = if disabled { "disabled" } else { "enabled" };
            done(
                format!("{} {what}", crate::domain::text::clean(&upn)),
                &[ListId::Users, Activity],
            )
        }
        DbCmd::SetOperatorRole { upn, role, at } => {
            store.set_operator_role(&upn, role, at)?;
            done(
                format!(
                    "{} is now {}",
                    crate::domain::text::clean(&upn),
                    role.label()
                ),
                &[ListId::Users, Activity],
            )
        }
        DbCmd::CheckDomain { seq, prefix } => {
            let taken = store.domain_taken(&prefix)?;
            DbReply::DomainChecked { seq, prefix, taken }
        }
        DbCmd::CreateCustomer { customer, at } => {
            DbReply::CustomerCreated(Box::new(store.create_customer(&customer, at)?))
        }
        DbCmd::AddSubscriptions {
            customer_id,
            customer,
            order,
            at,
        } => {
            let n = store.add_subscriptions(customer_id, &order, at)?;
            let s = if n == 1 { "" } else { "s" };
            done(
                format!("{n} subscription{s} added to {customer}"),
                &[Customers, Subscriptions, Activity],
            )
        }
        DbCmd::LoadSubscription { id } => {
            DbReply::Subscription(Box::new(store.subscription_detail(id)?))
        }
        DbCmd::UpdateSubscription { id, changes, at } => {
            let said = store.update_subscription(id, &changes, at)?;
            let message = if said.is_empty() {
                "Nothing to save".to_owned()
            } else {
                format!("Saved: {}", said.join("; "))
            };
            done(
                message,
                &[Customers, Subscriptions, Activity, ListId::FollowUp],
            )
        }
        DbCmd::LoadRemovedReseller { reseller_id } => {
            DbReply::RemovedReseller(Box::new(store.removed_reseller(reseller_id)?))
        }
        DbCmd::CreateBook { path, book } => {
            let created = super::init::set_up_from_console(&path, &book)?;
            DbReply::BookCreated {
                path,
                admin_upn: created.admin_upn,
            }
        }
        DbCmd::ActAs { upn } => {
            let operator = match store.resolve_operator(&upn) {
                Ok(operator) => operator,
                Err(super::operators::OperatorError::Db(e)) => return Err(e.into()),
                Err(e) => return Err(CommandError::Refused(e.to_string())),
            };
            let said = format!(
                "Signed in to Partner Center: acting as {} ({})",
                operator.upn,
                operator.role.label()
            );
            store.act_as(operator);
            done(said, &[])
        }
        DbCmd::LoadDashboard(now) => DbReply::Dashboard(Box::new(store.dashboard(now)?)),
        DbCmd::LoadCustomerAccount { id } => {
            DbReply::CustomerAccount(Box::new(store.customer_account(id)?))
        }
        DbCmd::LoadRecord(seq, id) => DbReply::Record(seq, store.record(id)?),
        DbCmd::VerifyPartnerId { partner_id } => DbReply::PartnerIdVerified {
            result: store.verify_partner_id(&partner_id)?.map(Box::new),
            partner_id,
        },
        DbCmd::DiscardInvitation {
            draft,
            delivery,
            at,
        } => {
            store.record_discarded(&draft, delivery, at)?;
            done(
                format!(
                    "Partnership request to {} discarded; its link is on record as Discarded",
                    draft.to
                ),
                &[Invitations, Activity],
            )
        }
    })
}

fn page(store: &Store, list: ListId, req: &PageRequest) -> CommandResult<AnyPage> {
    // The resellers' screens need the permission to see them; pickers only name resellers.
    if matches!(list, ListId::Resellers | ListId::Invitations) {
        store.require(crate::domain::permission::Permission::ViewResellers)?;
    }
    fn get<R: Listed>(store: &Store, req: &PageRequest) -> rusqlite::Result<Page<R>> {
        fetch_page(store.conn(), req)
    }
    Ok(match list {
        ListId::Resellers => AnyPage::Resellers(get(store, req)?),
        ListId::Customers => AnyPage::Customers(get(store, req)?),
        ListId::Activity => AnyPage::Activity(get(store, req)?),
        ListId::Users => AnyPage::Users(get(store, req)?),
        ListId::Invitations => AnyPage::Invitations(get(store, req)?),
        ListId::Subscriptions => AnyPage::Subscriptions(get(store, req)?),
        ListId::ResellerPicker => AnyPage::Resellers(get(store, req)?),
        ListId::FollowUp => AnyPage::FollowUp(store.follow_up_page(req)?),
        ListId::Renewals => AnyPage::Renewals(get(store, req)?),
    })
}
