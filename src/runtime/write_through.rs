//! The console's changes on a connected book (`[partner_center]` in the config file): Add new
//! customer, Add subscription and Subscription details (with the designated support contact)
//! go to Partner Center first (`crate::sync::write`) and land in the book only from its answer.
//! The store command the app asked for is answered as the store worker would answer it, so the
//! rooms need no second path: the Confirmation shows the admin user name and the temporary
//! password Partner Center sent; a refusal (not signed in, unreachable, 409, Partner Center's
//! error) is a `Refused` in words, and the form keeps the operator's input.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::action::Action;
use crate::app::nav::To;
use crate::partner_center::client::Client;
use crate::partner_center::error::Error as PcError;
use crate::store::customers::{CreatedCustomer, NewCustomer, NewOrder};
use crate::store::subscriptions::SubscriptionChanges;
use crate::store::worker::{DbCmd, DbReply, ListId};
use crate::store::{Settings, Store};
use crate::sync::write::{self, WriteError};

/// A change to send through Partner Center.
enum Change {
    Customer(Box<NewCustomer>),
    Subscriptions {
        customer_id: i64,
        customer: String,
        order: NewOrder,
    },
    Subscription {
        id: i64,
        changes: SubscriptionChanges,
    },
}

/// What the book needs to carry a change out, and who makes it.
pub struct Book {
    pub db: PathBuf,
    pub settings: Settings,
    /// The operator the console acts as (the signed-in account once signed in).
    pub acting: Arc<Mutex<String>>,
}

/// Takes the commands that change Partner Center's resources and sends them there on a blocking
/// thread (the console's runtime drives the HTTP); any other command is handed back for the
/// store worker.
pub fn intercept(
    client: &Arc<Client>,
    book: &Book,
    to: To,
    cmd: DbCmd,
    actions: &UnboundedSender<Action>,
) -> Option<DbCmd> {
    let (change, at) = match cmd {
        DbCmd::CreateCustomer { customer, at } => (Change::Customer(customer), at),
        DbCmd::AddSubscriptions {
            customer_id,
            customer,
            order,
            at,
        } => (
            Change::Subscriptions {
                customer_id,
                customer,
                order,
            },
            at,
        ),
        DbCmd::UpdateSubscription { id, changes, at } => (Change::Subscription { id, changes }, at),
        other => {
            // What Partner Center decides, or has no call for, is not changed in the book alone.
            if let Some((what, instead)) = local_only(&other) {
                let message = format!(
                    "This book is connected to Partner Center, and a connected book takes no local-only changes: {instead}. Nothing was changed."
                );
                let reply = DbReply::Refused {
                    what: what.into(),
                    message,
                };
                let _ = actions.send(Action::Db(to, reply));
                return None;
            }
            return Some(other);
        }
    };
    let runtime = tokio::runtime::Handle::current();
    let client = client.clone();
    let (db, settings, actions) = (book.db.clone(), book.settings.clone(), actions.clone());
    let upn = book
        .acting
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    tokio::task::spawn_blocking(move || {
        let what = change.what();
        let replies = match store_as(&db, &upn, settings) {
            Ok(store) => runtime.block_on(send(&store, &client, change, at)),
            Err(e) => vec![DbReply::Failed {
                what: what.into(),
                message: format!("{e:#}"),
            }],
        };
        for reply in replies {
            let _ = actions.send(Action::Db(to, reply));
        }
    });
    None
}

/// A change a connected book can't make by itself: its task and what to do instead.
fn local_only(cmd: &DbCmd) -> Option<(&'static str, &'static str)> {
    Some(match cmd {
        DbCmd::RemovePartnership { .. } => (
            "Removing the partnership",
            "Partner Center has no call to remove a partnership, so remove it there (Indirect resellers), and a sync (Y) marks it removed here",
        ),
        DbCmd::AcceptInvitation { .. } => (
            "Recording the acceptance",
            "a reseller that accepted is in Partner Center's list of indirect resellers, and a sync (Y) marks its request Accepted",
        ),
        DbCmd::SetCompliance { .. } => (
            "Saving compliance",
            "MPA and partner-of-record status come from Partner Center, asked before each order that credits the reseller, and the book follows its answer",
        ),
        _ => return None,
    })
}

impl Change {
    /// The task, in words (as the store worker names it).
    fn what(&self) -> &'static str {
        match self {
            Change::Customer(_) => "Submitting the new customer",
            Change::Subscriptions { .. } => "Adding the subscriptions",
            Change::Subscription { .. } => "Saving the subscription",
        }
    }
}

/// The change through Partner Center, answered as the store worker answers it (and the problems
/// after a change was made, as a word to the screen).
async fn send(store: &Store, client: &Client, change: Change, at: DateTime<Utc>) -> Vec<DbReply> {
    use ListId::{Activity, Customers, FollowUp, Subscriptions};
    let what = change.what();
    let (reply, problems) = match change {
        Change::Customer(new) => match write::create_customer(store, client, &new, at).await {
            Ok(created) => {
                let reply = match created.password {
                    // Shown once, on Confirmation, exactly as Partner Center sent it.
                    Some(password) => DbReply::CustomerCreated(Box::new(CreatedCustomer {
                        customer_id: created.customer_id.unwrap_or_default(),
                        company_name: created.company_name.clone(),
                        admin_user_name: created.admin_user.clone(),
                        password,
                    })),
                    None => DbReply::Done {
                        message: format!(
                            "{} created in Partner Center, which sent no admin credentials: reset the admin's password in the Microsoft 365 admin center",
                            created.company_name
                        ),
                        reload: vec![Customers, Activity],
                    },
                };
                (Ok(reply), created.problems)
            }
            Err(e) => (Err(e), Vec::new()),
        },
        Change::Subscriptions {
            customer_id,
            customer,
            order,
        } => match write::add_subscriptions(store, client, customer_id, &order, at).await {
            Ok(added) => {
                let n = added.subscriptions;
                let s = if n == 1 { "" } else { "s" };
                let message = format!("{n} subscription{s} added to {customer} in Partner Center");
                let reload = vec![Customers, Subscriptions, Activity];
                (Ok(DbReply::Done { message, reload }), Vec::new())
            }
            Err(e) => (Err(e), Vec::new()),
        },
        Change::Subscription { id, changes } => {
            match write::update_subscription(store, client, id, &changes, at).await {
                Ok(updated) => {
                    let message = if updated.said.is_empty() {
                        "Nothing to save".to_owned()
                    } else {
                        format!("Saved in Partner Center: {}", updated.said.join("; "))
                    };
                    let reload = vec![Customers, Subscriptions, Activity, FollowUp];
                    (Ok(DbReply::Done { message, reload }), updated.problems)
                }
                Err(e) => (Err(e), Vec::new()),
            }
        }
    };
    let mut replies = vec![reply.unwrap_or_else(|e| refused(what, e))];
    if !problems.is_empty() {
        replies.push(DbReply::Refused {
            what: "Partner Center made the change, but a later step".into(),
            message: problems.join("\n"),
        });
    }
    replies
}

/// A change Partner Center did not take, in words; the book is unchanged.
fn refused(what: &str, error: WriteError) -> DbReply {
    let message = match &error {
        WriteError::Remote {
            error: PcError::NotSignedIn,
            ..
        } => "Not signed in to Partner Center: press P to sign in, then submit again (your input is kept). A connected book takes no local-only changes.".to_owned(),
        WriteError::Store(crate::store::CommandError::Db(e)) => {
            tracing::error!(task = what, error = %e, "write-through failed in the book");
            return DbReply::Failed {
                what: what.into(),
                message: e.to_string(),
            };
        }
        other => other.to_string(),
    };
    DbReply::Refused {
        what: what.into(),
        message,
    }
}

/// A connection of its own for the pull or a change, acting as the console's operator.
pub(super) fn store_as(
    db: &std::path::Path,
    upn: &str,
    settings: Settings,
) -> anyhow::Result<Store> {
    use anyhow::Context;
    let (mut store, _) = Store::open(db).context("opening the book for the sync")?;
    let operator = store.resolve_operator(upn)?;
    store.act_as(operator);
    store.configure(settings);
    Ok(store)
}
