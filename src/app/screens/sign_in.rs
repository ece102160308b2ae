//! Sign in to Partner Center from the console (`P`): the device-code sign-in of `twotier
//! signin`. The room shows where to go and the code to type, says in words how the waiting
//! goes (authorization_pending, slow_down), and how it ended (signed in, where the sign-in is
//! kept; or expired, declined, not an operator of this book). The runtime polls in the
//! background; this model only shows what it reports.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model};
use crate::app::outcome::Outcome;
use crate::app::remote::{Kept, RemoteCmd, SignInEvent, SignInFailure};

#[rustfmt::skip]
pub const WAITING_KEYS: Keys = keys(
    "Sign in to Partner Center",
    &[
        bind(&[ch('c')], Command::CopyToClipboard, "copy the code", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
    ],
    Typing::No,
);

#[rustfmt::skip]
pub const DONE_KEYS: Keys = keys(
    "Sign in to Partner Center",
    &[
        bind(&[key(KeyCode::Enter), key(KeyCode::Esc)], Command::Back, "close", true),
    ],
    Typing::No,
);

#[rustfmt::skip]
pub const FAILED_KEYS: Keys = keys(
    "Sign in to Partner Center",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "try again", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "close", true),
    ],
    Typing::No,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// The partner tenant signed in to (from the config file).
    pub tenant: String,
    pub phase: Phase,
    /// Opened by `Y` (sync) while not signed in: the sync starts once signed in.
    pub then_sync: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Asking the identity platform for a code.
    Asking,
    /// The code is shown; twotier polls until the sign-in is finished in the browser.
    Code {
        verification_uri: String,
        user_code: String,
        expires_minutes: u64,
        waiting: Waiting,
    },
    SignedIn {
        account: String,
        kept: Kept,
    },
    Failed(SignInFailure),
}

/// What the last poll heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Not asked yet.
    First,
    /// `authorization_pending`, this many times.
    Pending { polls: u32 },
    /// `slow_down`: asked every this many seconds now.
    SlowDown { every_secs: u64 },
}

impl SignIn {
    pub fn new(tenant: String, then_sync: bool) -> SignIn {
        SignIn {
            tenant,
            phase: Phase::Asking,
            then_sync,
        }
    }

    /// What the runtime reported.
    pub fn on_event(&mut self, event: SignInEvent) -> Outcome {
        match (event, &mut self.phase) {
            (
                SignInEvent::Code {
                    verification_uri,
                    user_code,
                    expires_minutes,
                },
                _,
            ) => {
                self.phase = Phase::Code {
                    verification_uri,
                    user_code,
                    expires_minutes,
                    waiting: Waiting::First,
                }
            }
            (SignInEvent::Pending, Phase::Code { waiting, .. }) => {
                *waiting = match *waiting {
                    Waiting::Pending { polls } => Waiting::Pending { polls: polls + 1 },
                    // Once asked to slow down, the slower pace is what matters.
                    slow @ Waiting::SlowDown { .. } => slow,
                    Waiting::First => Waiting::Pending { polls: 1 },
                }
            }
            (SignInEvent::SlowDown { every_secs }, Phase::Code { waiting, .. }) => {
                *waiting = Waiting::SlowDown { every_secs }
            }
            (SignInEvent::SignedIn { operator, kept }, _) => {
                self.phase = Phase::SignedIn {
                    account: operator.upn,
                    kept,
                }
            }
            (SignInEvent::Failed(failure), _) => self.phase = Phase::Failed(failure),
            // A poll's word after the room moved on.
            _ => {}
        }
        Outcome::none()
    }

    fn waiting(&self) -> bool {
        matches!(self.phase, Phase::Asking | Phase::Code { .. })
    }
}

impl Model for SignIn {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![match self.phase {
            Phase::Asking | Phase::Code { .. } => &WAITING_KEYS,
            Phase::SignedIn { .. } => &DONE_KEYS,
            Phase::Failed(_) => &FAILED_KEYS,
        }]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match (command, &self.phase) {
            (Command::Back, _) if self.waiting() => Outcome {
                close: true,
                effects: vec![Effect::Remote(RemoteCmd::CancelSignIn)],
                ..Outcome::none()
            },
            (Command::Back, _) => Outcome::close(),
            (Command::CopyToClipboard, Phase::Code { user_code, .. }) => {
                Outcome::effect(Some(Effect::Copy {
                    text: user_code.clone(),
                }))
            }
            (Command::Enter, Phase::Failed(_)) => {
                self.phase = Phase::Asking;
                Outcome::effect(Some(Effect::Remote(RemoteCmd::SignIn)))
            }
            _ => Outcome::none(),
        }
    }
}
