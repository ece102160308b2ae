//! The event loop: terminal events, store replies and the clock in one `select!`; keys go
//! through the keymap to `update`; effects are carried out here, at the edge; one draw per batch.
//! The terminal is restored on every way out: return, error, panic, SIGTERM, SIGHUP and SIGINT,
//! and as far as it can be when the terminal itself is gone (its writes then fail, quietly).
//! Ended by a signal, or with the terminal gone (as SIGHUP), the exit status is 128 + the signal:
//! see [`exit_status`].

use std::io::{IsTerminal, Stdout, stdin, stdout};
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

mod remote;
mod write_through;

use anyhow::Context;
use chrono::{Local, Offset, Utc};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, Event, EventStream,
    KeyEventKind,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::keymap;
use crate::app::nav::To;
use crate::app::screens::set_up_book::OwnBook;
use crate::app::state::{AppState, Toast};
use crate::app::update::{init, update};
use crate::domain::credentials::Secret;
use crate::domain::invitation::Delivery;
use crate::domain::permission::Matrix;
use crate::domain::text::shown_path;
use crate::platform::clipboard::{Clipboard, ClipboardKind};
use crate::platform::mail;
use crate::store::operators::Operator;
use crate::store::worker::Worker;
use crate::store::{Settings, Store};
use crate::ui::{self, Theme};

/// How often the clock ticks (toasts expire on ticks).
const TICK: Duration = Duration::from_millis(500);

/// How often the terminal is checked for being still there. A hung-up terminal is not reported
/// by crossterm's event stream (its reader thread retries the failing read), so this is how a
/// lost terminal is noticed when no SIGHUP comes.
const TERMINAL_CHECK: Duration = Duration::from_millis(200);

/// Ended by a signal or with the terminal gone, how long the store may take to finish the
/// command in hand before the process exits anyway (SQLite rolls back an unfinished write).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

const SIGHUP: u8 = 1;
const SIGINT: u8 = 2;
const SIGTERM: u8 = 15;
/// What a read or write on a hung-up terminal fails with.
const EIO: i32 = 5;

/// 128 + the signal that ended the console, once it has; 0 while it has not.
static EXIT_STATUS: AtomicU8 = AtomicU8::new(0);

/// The exit status the console ended with when not by quitting: 128 + the signal (SIGINT 130,
/// SIGTERM 143, SIGHUP 129; a lost terminal counts as SIGHUP). `None` after a quit or an error.
pub fn exit_status() -> Option<u8> {
    match EXIT_STATUS.load(Ordering::SeqCst) {
        0 => None,
        status => Some(status),
    }
}

/// Why the event loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// `q` or `Ctrl-C`.
    Quit,
    /// This signal came.
    Signal(u8),
    /// The terminal is gone: end of file or EIO reading it, or it is no terminal any more.
    TerminalLost,
}

impl End {
    fn status(self) -> Option<u8> {
        match self {
            End::Quit => None,
            End::Signal(signal) => Some(128 + signal),
            End::TerminalLost => Some(128 + SIGHUP),
        }
    }
}

/// True when stdin or stdout is no longer a terminal: a hung-up tty fails every ioctl (EIO).
fn terminal_gone() -> bool {
    !stdin().is_terminal() || !stdout().is_terminal()
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Raw mode and the alternate screen for as long as it lives.
struct TerminalGuard {
    /// Never dropped: ratatui's `Drop` reports a failure to show the cursor with `eprintln!`,
    /// which panics when stderr is a terminal that is gone. [`restore_terminal`] shows the cursor
    /// instead, ignoring errors; what the terminal holds is only memory, reclaimed at exit.
    terminal: ManuallyDrop<Terminal<CrosstermBackend<Stdout>>>,
}

impl TerminalGuard {
    fn enter() -> anyhow::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            tracing::error!(%info, "panic");
            previous(info);
        }));
        enable_raw_mode().context("cannot put the terminal in raw mode")?;
        let guard = TerminalGuard {
            terminal: ManuallyDrop::new(Terminal::new(CrosstermBackend::new(stdout()))?),
        };
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// What the runtime needs from the config and the file layout.
#[derive(Debug, Clone)]
pub struct Options {
    /// Opens `mailto:` URLs instead of the system opener.
    pub mail_command: Option<String>,
    /// Where an email draft is saved when no mail client can be opened.
    pub eml_dir: PathBuf,
    pub expiry_days: u32,
    pub matrix: Matrix,
    /// Your own book beside the demo: where `S` sets it up, or where it is.
    pub own_book: OwnBook,
    /// The config file: set-up records its admin there as `operator` when there is none yet.
    pub config_file: PathBuf,
    /// Offline, or the Partner Center tenant of the config file (shown in the header).
    pub remote: crate::app::state::RemoteLink,
    /// The config file's `[partner_center]`: sign-in and sync from the console.
    pub partner_center: Option<crate::config::PartnerCenterConfig>,
    /// The account of the sign-in kept from an earlier run (the console acts as it).
    pub signed_in_as: Option<String>,
    /// The book opened (a sync opens a connection of its own to it).
    pub db: PathBuf,
}

/// Your own book at `path` (the default path): nothing there, so the demo's `S` can set one up;
/// a real book there, whose way in `S` tells; or something else (a demo book, a file that is
/// not a book), where the console offers nothing.
pub fn own_book_at(path: &std::path::Path) -> OwnBook {
    if std::fs::symlink_metadata(path).is_err() {
        return OwnBook::Missing(path.to_owned());
    }
    match crate::store::provider::holds_a_real_book(path) {
        Ok(true) => OwnBook::Exists(path.to_owned()),
        _ => OwnBook::Unknown,
    }
}

/// Runs the TUI until the operator quits.
pub fn run_tui(store: Store, operator: Operator, options: Options) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let end = runtime.block_on(event_loop(store, operator, options));
    match end {
        // Leaving by a signal: a mail client still starting does not hold the exit up.
        Ok(End::Signal(_) | End::TerminalLost) => runtime.shutdown_background(),
        _ => drop(runtime),
    }
    if let Some(status) = end?.status() {
        EXIT_STATUS.store(status, Ordering::SeqCst);
    }
    Ok(())
}

/// One thing to handle: a terminal event is mapped to an action only when its turn comes, so a
/// key typed after `/` goes to the search field that key opened.
enum Input {
    Terminal(Event),
    Action(Action),
}

/// What carries effects out: the store worker, the one clipboard, and the mail client.
struct Edge {
    worker: Worker<To>,
    clipboard: Clipboard,
    actions: UnboundedSender<Action>,
    options: Options,
    from: String,
    /// A secret on the clipboard, which clipboard, and when to clear it if it is still there.
    pending_clear: Option<(tokio::time::Instant, Secret, ClipboardKind)>,
    /// The console is to reopen on this book, as this operator, once the batch is handled.
    reopen: Option<(PathBuf, String)>,
    /// Partner Center: the sign-in and the background sync.
    remote: remote::RemoteEdge,
}

/// How long a copied password may stay on the clipboard.
const SECRET_ON_CLIPBOARD: Duration = Duration::from_secs(30);

impl Edge {
    /// Takes the copied secret back: the system clipboard is emptied if it still holds it; the
    /// terminal's clipboard (OSC 52, which can't be read back) is overwritten through stdout, the
    /// terminal the copy went to. (Something copied there since is lost too; better than leaving
    /// a password behind.)
    fn clear_secret(&mut self) {
        if let Some((_, secret, kind)) = self.pending_clear.take() {
            self.clipboard
                .clear_secret(kind, secret.expose(), &mut stdout());
        }
    }
}

/// A worker for `store` whose replies come in on a channel of their own: replies the old worker
/// still sends after a reopen go to a channel nobody reads, never to the new book's screens.
fn spawn_worker(
    store: Store,
) -> (
    Worker<To>,
    UnboundedSender<Action>,
    UnboundedReceiver<Action>,
) {
    let (action_tx, replies) = unbounded_channel();
    let reply_tx = action_tx.clone();
    let worker = Worker::spawn(store, move |to, reply| {
        let _ = reply_tx.send(Action::Db(to, reply));
    });
    (worker, action_tx, replies)
}

/// The state a console starts with, on a terminal of `size`.
fn new_state(operator: Operator, options: &Options, size: ratatui::layout::Size) -> AppState {
    let mut state = AppState::new(operator, Utc::now(), size.width, size.height);
    state.utc_offset = Local::now().offset().fix();
    state.expiry_days = options.expiry_days;
    state.matrix = options.matrix.clone();
    state.own_book = options.own_book.clone();
    state.remote = options.remote.clone();
    state.connection.signed_in = options.signed_in_as.is_some();
    state.connection.account = options.signed_in_as.clone();
    state
}

/// How long the word that your book is set up stays.
const SET_UP_TOAST: chrono::Duration = chrono::Duration::seconds(12);

/// Set up from the demo: the demo's worker is shut down (its book closed), and the console opens
/// on the new book as its Global admin, with the same settings and terminal. A book that can't
/// be opened is an error: the console ends and the terminal is restored.
fn reopen(
    edge: &mut Edge,
    path: &std::path::Path,
    upn: &str,
    settings: &Settings,
) -> anyhow::Result<(Operator, UnboundedReceiver<Action>)> {
    // The new book was just made; one that is gone again is not made anew here.
    anyhow::ensure!(
        path.is_file(),
        "your new book {} is gone: set it up again with twotier init",
        shown_path(path)
    );
    let (mut store, _) =
        Store::open(path).with_context(|| format!("opening your new book {}", shown_path(path)))?;
    let operator = store.resolve_operator(upn)?;
    store.act_as(operator.clone());
    store.configure(settings.clone());
    let (worker, actions, replies) = spawn_worker(store);
    let demo = std::mem::replace(&mut edge.worker, worker);
    demo.shutdown();
    edge.actions = actions;
    edge.from = mail::mailbox(&operator.display_name, &operator.upn);
    edge.options.own_book = OwnBook::Unknown;
    edge.remote.reopened(path.to_owned(), &operator.upn);
    tracing::info!(db = %shown_path(path), operator = %operator.upn, "reopened the console on the new book");
    Ok((operator, replies))
}

async fn event_loop(store: Store, operator: Operator, options: Options) -> anyhow::Result<End> {
    // Before the terminal is taken over: a signal from now on ends the loop, which restores it.
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let settings = store.settings().clone();
    let (worker, action_tx, mut replies) = spawn_worker(store);
    // The draft's From: the operator's name and UPN, not the OS account.
    let from = mail::mailbox(&operator.display_name, &operator.upn);
    let remote = remote::RemoteEdge::new(
        options.partner_center.as_ref(),
        options.db.clone(),
        settings.clone(),
        &operator.upn,
    );
    let mut edge = Edge {
        remote,
        worker,
        clipboard: Clipboard::new(),
        actions: action_tx,
        options,
        from,
        pending_clear: None,
        reopen: None,
    };
    let mut guard = TerminalGuard::enter()?;
    let theme = Theme::from_env();
    let mut state = new_state(operator, &edge.options, guard.terminal.size()?);
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut check = tokio::time::interval(TERMINAL_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    carry_out(init(&mut state), &mut edge);
    let mut drawn = draw(&mut guard, &state, &theme)?;
    let end = loop {
        if let Some(end) = drawn {
            break end;
        }
        let clear_at = edge.pending_clear.as_ref().map(|(at, _, _)| *at);
        let first = tokio::select! {
            _ = tokio::time::sleep_until(clear_at.unwrap_or_else(tokio::time::Instant::now)), if clear_at.is_some() => {
                edge.clear_secret();
                continue;
            }
            event = events.next() => match event {
                Some(Ok(event)) => Input::Terminal(event),
                // The stream ends, or fails, once: either way the loop ends here, it never
                // polls a failing terminal again.
                None => break End::TerminalLost,
                Some(Err(e)) if e.raw_os_error() == Some(EIO) || terminal_gone() => {
                    break End::TerminalLost
                }
                Some(Err(e)) => return Err(e).context("reading the terminal"),
            },
            Some(action) = replies.recv() => Input::Action(action),
            _ = tick.tick() => Input::Action(Action::Tick(Utc::now())),
            _ = check.tick() => {
                if terminal_gone() {
                    break End::TerminalLost;
                }
                continue;
            }
            _ = sigterm.recv() => break End::Signal(SIGTERM),
            _ = sighup.recv() => break End::Signal(SIGHUP),
            _ = sigint.recv() => break End::Signal(SIGINT),
        };
        // Store replies already waiting are handled before the next draw. Terminal events are
        // not drained here: polling EventStream outside `select!` loses its wake-up.
        let mut batch = vec![first];
        while let Ok(action) = replies.try_recv() {
            batch.push(Input::Action(action));
        }
        for input in batch {
            let action = match input {
                Input::Action(action) => Some(action),
                Input::Terminal(event) => action_for_event(&state, event),
            };
            if let Some(action) = action {
                carry_out(update(&mut state, action), &mut edge);
            }
            // What is left of the batch was meant for the book being left.
            if state.quitting || edge.reopen.is_some() {
                break;
            }
        }
        if state.quitting {
            break End::Quit;
        }
        if let Some((path, upn)) = edge.reopen.take() {
            edge.clear_secret();
            let (operator, new_replies) = reopen(&mut edge, &path, &upn, &settings)?;
            replies = new_replies;
            state = new_state(operator, &edge.options, guard.terminal.size()?);
            // Plain `twotier` opens this book next time; it should act as its admin.
            let next_time = match crate::config::remember_operator(&edge.options.config_file, &upn)
            {
                Ok(remembered) => remembered.advice(&edge.options.config_file, &upn),
                Err(e) => {
                    tracing::warn!(error = %e, "could not write the config file");
                    format!("Next time open it with: twotier --operator {upn}")
                }
            };
            state.toasts.push(Toast {
                text: format!(
                    "Your own book is set up: {}. {next_time}",
                    shown_path(&path)
                ),
                until: state.now + SET_UP_TOAST,
            });
            carry_out(init(&mut state), &mut edge);
        }
        drawn = draw(&mut guard, &state, &theme)?;
    };
    tracing::info!(?end, "the console ends");
    // A password copied less than 30 s ago does not outlive the session on the clipboard.
    edge.clear_secret();
    drop(events);
    drop(guard);
    if end == End::Quit {
        edge.worker.shutdown();
    } else {
        shut_down_promptly(edge.worker);
    }
    Ok(end)
}

/// Draws a frame. A terminal that is gone ends the loop (`Some`); another failure is an error.
fn draw(guard: &mut TerminalGuard, state: &AppState, theme: &Theme) -> anyhow::Result<Option<End>> {
    match guard.terminal.draw(|f| ui::view(state, theme, f)) {
        Ok(_) => Ok(None),
        Err(e) if e.raw_os_error() == Some(EIO) || terminal_gone() => Ok(Some(End::TerminalLost)),
        Err(e) => Err(e).context("drawing on the terminal"),
    }
}

/// Lets the store finish the command in hand, for at most [`SHUTDOWN_GRACE`].
fn shut_down_promptly(worker: Worker<To>) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        worker.shutdown();
        let _ = done.send(());
    });
    if finished.recv_timeout(SHUTDOWN_GRACE).is_err() {
        tracing::warn!("the store did not finish within {SHUTDOWN_GRACE:?}; exiting anyway");
    }
}

fn action_for_event(state: &AppState, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => keymap::action_for(state, &key),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    }
}

fn carry_out(effects: Vec<Effect>, edge: &mut Edge) {
    for effect in effects {
        match effect {
            Effect::Db(to, cmd) => {
                if let Some(cmd) = edge.remote.intercept(to, cmd, &edge.actions) {
                    edge.worker.send(to, cmd)
                }
            }
            Effect::Copy { text } => {
                let result = edge
                    .clipboard
                    .copy(&text, &mut stdout())
                    .map(|kind| kind.label().to_owned())
                    .map_err(|e| format!("{e:#}"));
                let _ = edge.actions.send(Action::Copied(result));
            }
            Effect::CopySecret { text } => {
                let copied = edge.clipboard.copy_secret(text.expose(), &mut stdout());
                if let Ok(kind) = &copied {
                    edge.pending_clear = Some((
                        tokio::time::Instant::now() + SECRET_ON_CLIPBOARD,
                        text,
                        *kind,
                    ));
                }
                let result = copied
                    .map(|kind| kind.label().to_owned())
                    .map_err(|e| format!("{e:#}"));
                let _ = edge.actions.send(Action::Copied(result));
            }
            Effect::OpenMail { to, subject, body } => {
                // Starting a mail client can take a second: off the UI thread.
                let draft = mail::Draft { to, subject, body };
                let (options, from, actions) = (
                    edge.options.clone(),
                    edge.from.clone(),
                    edge.actions.clone(),
                );
                tokio::task::spawn_blocking(move || {
                    let result = mail::open_in_email(
                        &draft,
                        options.mail_command.as_deref(),
                        &options.eml_dir,
                        &from,
                        Utc::now(),
                    )
                    .map(|delivery| {
                        let kind = match delivery {
                            mail::Delivery::EmlDraft(_) => Delivery::EmlDraft,
                            _ => Delivery::OpenedInEmail,
                        };
                        (kind, delivery.describe())
                    })
                    .map_err(|e| format!("{e:#}"));
                    let _ = actions.send(Action::MailOpened(result));
                });
            }
            Effect::Remote(cmd) => edge.remote.carry_out(cmd, &edge.actions),
            // `update` already marked the state as quitting; the loop ends after this batch.
            Effect::Quit => {}
            // Carried out once this batch is handled: see `reopen`.
            Effect::Reopen { path, upn } => edge.reopen = Some((path, upn)),
        }
    }
}
