//! The store worker: a thread that owns the connection, so the UI never waits on SQLite.
//! Commands go in over a channel; each reply goes out through a callback with the command's
//! sequence number, and the UI drops replies older than the latest it asked for.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::Store;
use super::list::{ActivityRow, CustomerRow, Listed, Page, PageRequest, ResellerRow, fetch_page};
use super::operators::Operator;
use super::provider::ProviderProfile;

/// The lists the UI pages through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Resellers,
    Customers,
    Activity,
    Users,
}

/// A request to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbCmd {
    LoadProvider,
    Page {
        list: ListId,
        seq: u64,
        req: PageRequest,
    },
}

/// A page of one of the lists.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyPage {
    Resellers(Page<ResellerRow>),
    Customers(Page<CustomerRow>),
    Activity(Page<ActivityRow>),
    Users(Page<Operator>),
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
    /// The command failed. `what` says which task, in words for the error modal.
    Failed {
        what: String,
        message: String,
    },
}

/// The running worker. Dropping it closes the channel; the thread then ends.
pub struct Worker {
    tx: Sender<DbCmd>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    pub fn spawn(store: Store, reply: impl Fn(DbReply) + Send + 'static) -> Worker {
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

    pub fn send(&self, cmd: DbCmd) {
        // The thread only ends when this handle is dropped, so a send cannot fail before then.
        let _ = self.tx.send(cmd);
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

fn serve(store: Store, rx: Receiver<DbCmd>, reply: impl Fn(DbReply)) {
    while let Ok(first) = rx.recv() {
        // Take everything queued, and keep only the newest page request of each list: while
        // someone types a search, the pages for the letters already replaced are never run.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut superseded = vec![false; batch.len()];
        for (i, cmd) in batch.iter().enumerate() {
            if let DbCmd::Page { list, .. } = cmd {
                superseded[i] = batch[i + 1..]
                    .iter()
                    .any(|later| matches!(later, DbCmd::Page { list: l, .. } if l == list));
            }
        }
        for (cmd, skip) in batch.into_iter().zip(superseded) {
            if !skip {
                reply(execute(&store, cmd));
            }
        }
    }
}

/// Runs one command. Public so tests and the CLI can use the store the same way the UI does.
pub fn execute(store: &Store, cmd: DbCmd) -> DbReply {
    let result = match &cmd {
        DbCmd::LoadProvider => store.provider().map(|p| DbReply::Provider(Box::new(p))),
        DbCmd::Page { list, seq, req } => page(store, *list, req).map(|page| DbReply::Page {
            list: *list,
            seq: *seq,
            page,
        }),
    };
    result.unwrap_or_else(|e| {
        tracing::error!(?cmd, error = %e, "store command failed");
        DbReply::Failed {
            what: describe(&cmd),
            message: e.to_string(),
        }
    })
}

fn page(store: &Store, list: ListId, req: &PageRequest) -> rusqlite::Result<AnyPage> {
    fn get<R: Listed>(store: &Store, req: &PageRequest) -> rusqlite::Result<Page<R>> {
        fetch_page(store.conn(), req)
    }
    Ok(match list {
        ListId::Resellers => AnyPage::Resellers(get(store, req)?),
        ListId::Customers => AnyPage::Customers(get(store, req)?),
        ListId::Activity => AnyPage::Activity(get(store, req)?),
        ListId::Users => AnyPage::Users(get(store, req)?),
    })
}

fn describe(cmd: &DbCmd) -> String {
    match cmd {
        DbCmd::LoadProvider => "Loading the company profile".into(),
        DbCmd::Page { list, .. } => format!(
            "Loading the {}",
            match list {
                ListId::Resellers => "indirect resellers",
                ListId::Customers => "customers",
                ListId::Activity => "activity log",
                ListId::Users => "users",
            }
        ),
    }
}
