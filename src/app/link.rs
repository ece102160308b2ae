//! The Partner Center keys and reports, for `update`: `P` opens the Sign-in room; `Y` starts a
//! background sync (says so when one is running; signs in first when not signed in). The
//! runtime's reports move the Sign-in room on, make the signed-in account the operator, keep
//! the sync's progress for the footer and reload the lists as its pages land. `update` hands in
//! its `carry_out`, so what this answers is carried out like any model's outcome.

use super::action::Command;
use super::effect::Effect;
use super::keys::{Keys, Typing, bind, ch, keys};
use super::nav::To;
use super::outcome::{Open, Outcome};
use super::remote::{RemoteCmd, RemoteEvent, SignInEvent, SyncEvent, SyncProgress};
use super::screens::Modal;
use super::state::{AppState, RemoteLink};
use crate::store::worker::{DbCmd, ListId};

/// `update`'s own: carries out an outcome answered at an address.
pub type CarryOut = fn(&mut AppState, To, Outcome) -> Vec<Effect>;

#[rustfmt::skip]
pub const SIGNED_OUT: Keys = keys(
    "Partner Center",
    &[
        bind(&[ch('P')], Command::SignIn, "sign in", true).important(),
        bind(&[ch('Y')], Command::Sync, "sync", true).important(),
    ],
    Typing::No,
);

#[rustfmt::skip]
pub const SIGNED_IN: Keys = keys(
    "Partner Center",
    &[
        bind(&[ch('Y')], Command::Sync, "sync", true).important(),
        bind(&[ch('P')], Command::SignIn, "sign in again", false),
    ],
    Typing::No,
);

/// The Partner Center keys, read on every screen while `[partner_center]` is configured.
pub fn keys_for(state: &AppState) -> Option<&'static Keys> {
    match state.remote {
        RemoteLink::PartnerCenter { .. } if state.connection.signed_in => Some(&SIGNED_IN),
        RemoteLink::PartnerCenter { .. } => Some(&SIGNED_OUT),
        _ => None,
    }
}

/// `P` or `Y` on a screen.
pub fn on_command(state: &mut AppState, command: Command, carry_out: CarryOut) -> Vec<Effect> {
    let at = To::Screen(state.screen);
    let RemoteLink::PartnerCenter { tenant } = &state.remote else {
        return Vec::new();
    };
    let tenant = tenant.clone();
    let outcome = match (command, &state.connection.sync) {
        (Command::SignIn, _) => Outcome::open(Open::SignIn {
            tenant,
            then_sync: false,
        }),
        (Command::Sync, Some(progress)) => {
            Outcome::toast(format!("A sync is running already: {}", progress.words()))
        }
        (Command::Sync, None) if !state.connection.signed_in => Outcome::open(Open::SignIn {
            tenant,
            then_sync: true,
        }),
        (Command::Sync, None) => start_sync(state),
        _ => Outcome::none(),
    };
    carry_out(state, at, outcome)
}

fn start_sync(state: &mut AppState) -> Outcome {
    state.connection.sync = Some(SyncProgress::default());
    Outcome {
        effects: vec![Effect::Remote(RemoteCmd::Sync {
            operator: state.operator.upn.clone(),
        })],
        toast: Some("Syncing with Partner Center in the background".into()),
        ..Outcome::none()
    }
}

/// A report of the runtime's Partner Center connection.
pub fn on_event(state: &mut AppState, event: RemoteEvent, carry_out: CarryOut) -> Vec<Effect> {
    match event {
        RemoteEvent::SignIn(event) => sign_in_event(state, event, carry_out),
        RemoteEvent::Sync(event) => {
            let outcome = sync_event(state, event);
            carry_out(state, To::Screen(state.screen), outcome)
        }
    }
}

fn sign_in_event(state: &mut AppState, event: SignInEvent, carry_out: CarryOut) -> Vec<Effect> {
    let mut effects = Vec::new();
    let signed_in = matches!(event, SignInEvent::SignedIn { .. });
    if let SignInEvent::SignedIn { operator, .. } = &event {
        // The runtime checked that the account is an active operator of this book.
        state.connection.signed_in = true;
        state.connection.account = Some(operator.upn.clone());
        state.operator = operator.clone();
        effects.push(Effect::Db(
            To::App,
            DbCmd::ActAs {
                upn: operator.upn.clone(),
            },
        ));
    }
    let room = state
        .modals
        .iter_mut()
        .enumerate()
        .rev()
        .find_map(|(depth, m)| match m {
            Modal::SignIn(room) => Some((depth, room)),
            _ => None,
        });
    let mut then_sync = false;
    if let Some((depth, room)) = room {
        then_sync = signed_in && room.then_sync;
        let outcome = room.on_event(event);
        effects.extend(carry_out(state, To::Modal(depth), outcome));
    }
    if then_sync && state.connection.sync.is_none() {
        let outcome = start_sync(state);
        effects.extend(carry_out(state, To::Screen(state.screen), outcome));
    }
    effects
}

/// Progress for the footer; the lists reloaded as pages land; the end in words.
fn sync_event(state: &mut AppState, event: SyncEvent) -> Outcome {
    let pulled = vec![
        ListId::Resellers,
        ListId::Customers,
        ListId::Invitations,
        ListId::Activity,
    ];
    let progress = state.connection.sync.get_or_insert_with(Default::default);
    match event {
        SyncEvent::Resellers { count } => {
            progress.resellers = Some(count);
            Outcome {
                reload: vec![ListId::Resellers],
                ..Outcome::none()
            }
        }
        SyncEvent::Page { number, customers } => {
            progress.pages = number;
            progress.customers = customers;
            progress.step = None;
            Outcome {
                reload: vec![ListId::Customers],
                ..Outcome::none()
            }
        }
        SyncEvent::Step(words) => {
            progress.step = Some(words);
            Outcome::none()
        }
        SyncEvent::Done(summary) => {
            state.connection.sync = None;
            Outcome {
                toast: Some(summary),
                reload: pulled,
                ..Outcome::none()
            }
        }
        SyncEvent::Failed(why) => {
            state.connection.sync = None;
            Outcome {
                reload: pulled,
                ..Outcome::error("Sync with Partner Center stopped", why)
            }
        }
    }
}
