//! What every screen and modal is: a model that answers, in its own file, the commands it
//! understands, the store replies addressed to it and the answers of layers it opened; `update`
//! only routes to it and carries out the `Outcome` it returns.

use chrono::{DateTime, Utc};
use tui_input::InputRequest;

use super::action::Command;
use super::effect::Effect;
use super::keys::Keys;
use super::layout;
use super::list_ops::ListOps;
use super::outcome::{Answer, Outcome};
use crate::domain::permission::{Matrix, Permission};
use crate::store::customers::Offer;
use crate::store::operators::Operator;
use crate::store::provider::ProviderProfile;
use crate::store::worker::{DbReply, ListId};

/// What a model may read of the app around it, and the request counter it bumps.
pub struct Cx<'a> {
    pub now: DateTime<Utc>,
    /// The app-wide request counter: replies to older requests are dropped.
    pub seq: &'a mut u64,
    pub width: u16,
    pub height: u16,
    /// Rows of the list the keys move in, on the screen shown.
    pub viewport: usize,
    pub operator: &'a Operator,
    pub provider: Option<&'a ProviderProfile>,
    pub catalog: &'a [Offer],
    pub matrix: &'a Matrix,
    /// Days after which an unanswered partnership request shows as Expired.
    pub expiry_days: u32,
    /// `[partner_center]` is configured: changes go there first, and it decides compliance.
    pub connected: bool,
}

impl Cx<'_> {
    /// Why the operator's role can't, if it can't.
    pub fn refusal(&self, permission: Permission) -> Option<String> {
        self.matrix.refusal(self.operator.role, permission)
    }
}

/// Text typed into the focused field.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Edit(InputRequest),
    /// A key for the multi-line body editor of the draft email.
    Body(ratatui_textarea::Input),
    /// Bracketed paste.
    Paste(String),
}

pub trait Model {
    /// The keys read now, top first (the footer shows them; the first match wins).
    fn keys(&self) -> Vec<&'static Keys>;

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome;

    /// A store reply to a request this model made.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        settled(reply)
    }

    fn on_text(&mut self, _typed: Typed, _cx: &mut Cx) -> Outcome {
        Outcome::none()
    }

    /// The answer of a layer this model opened, or of the clipboard or mail client.
    fn on_answer(&mut self, answer: Answer, _cx: &mut Cx) -> Outcome {
        edge_answer(answer)
    }

    /// The console quits with this room open: what must still be recorded first (a draft whose
    /// link left twotier). The store finishes it before the process ends.
    fn on_quit(&mut self, _cx: &mut Cx) -> Vec<Effect> {
        Vec::new()
    }

    /// True while a text field of this modal has focus: keys then type instead of running
    /// commands. (A screen's focus is its list's search field, which `AppState` asks directly.)
    fn text_focused(&self) -> bool {
        false
    }

    /// The permission `command` needs here, if any: the footer dims it and `update` refuses it.
    fn permission(&self, _command: Command) -> Option<Permission> {
        None
    }
}

/// A screen of the menu: a model with a place in it.
pub trait ScreenModel: Model {
    /// The list the keys move in, if any.
    fn list(&self) -> Option<&dyn ListOps>;
    fn list_mut(&mut self) -> Option<&mut dyn ListOps>;

    /// The keys help lists for this screen (beside the global ones).
    fn help_keys(&self) -> Vec<&'static Keys> {
        self.keys()
    }

    /// Shown: the first time its list loads; later it refreshes where the operator was (another
    /// session or the CLI may have changed it).
    fn on_enter(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let seq = &mut *cx.seq;
        self.list_mut()
            .map(|l| {
                if l.needs_load() {
                    l.reload(seq)
                } else {
                    l.refresh(seq)
                }
            })
            .into_iter()
            .collect()
    }

    /// Ctrl-R: reload what is shown, keeping the cursor on its row.
    fn refresh(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let seq = &mut *cx.seq;
        self.list_mut()
            .map(|l| l.refresh(seq))
            .into_iter()
            .collect()
    }

    /// These lists changed: reload this screen's now if it is shown, else on its next visit.
    fn reload(&mut self, lists: &[ListId], shown: bool, cx: &mut Cx) -> Vec<Effect> {
        let seq = &mut *cx.seq;
        match self.list_mut() {
            Some(l) if lists.contains(&l.id()) && shown => vec![l.refresh(seq)],
            Some(l) if lists.contains(&l.id()) => {
                l.invalidate();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Rows of the list the keys move in, on a terminal this high.
    fn viewport(&self, height: u16) -> usize {
        layout::list_rows(height)
    }

    /// The terminal changed size.
    fn resize(&mut self, height: u16) {
        if let Some(l) = self.list_mut() {
            l.clamp(layout::list_rows(height));
        }
    }

    /// What the detail pane needs for the selected row (wide enough to show it; see
    /// `app::detail`), asked after a resize; models with a pane ask it themselves as keys move.
    fn follow_selection(&mut self, _cx: &mut Cx) -> Vec<Effect> {
        Vec::new()
    }
}

/// The words a screen is known by, for the menu, help and navigation.
pub trait ScreenInfo {
    const LABEL: &'static str;
    /// For narrow terminals.
    const SHORT_LABEL: &'static str;
    /// The digit that opens it (its parent's, for a page under a menu item).
    const DIGIT: char;
    /// Where `q` and `Esc` go back to; `None` for the menu's own screens (q quits there).
    const PARENT: Option<super::nav::Screen> = None;
    /// The permission it takes to see it.
    const NEEDS: Option<Permission> = None;
}

/// The default answer to a reply: a committed change says so and reloads what changed; a
/// refusal or failure says why.
pub fn settled(reply: DbReply) -> Outcome {
    match reply {
        DbReply::Done { message, reload } => Outcome {
            toast: Some(message),
            reload,
            ..Outcome::none()
        },
        DbReply::Refused { what, message } => refused(&what, message),
        DbReply::Failed { what, message } => failed(&what, &message),
        _ => Outcome::none(),
    }
}

/// A form's answer to the reply to its Submit: done, it closes; refused, it stays to try again.
pub fn finished(reply: DbReply) -> Outcome {
    Outcome {
        close: matches!(reply, DbReply::Done { .. }),
        ..settled(reply)
    }
}

pub fn refused(what: &str, message: String) -> Outcome {
    Outcome::error(format!("{what}: not done"), message)
}

pub fn failed(what: &str, message: &str) -> Outcome {
    Outcome::error(
        format!("{what} failed"),
        format!(
            "{message}\n\nNothing was changed. Try again; if it keeps failing, the log file (see twotier --help) has the details."
        ),
    )
}

/// The default answer to the clipboard and the mail client.
pub fn edge_answer(answer: Answer) -> Outcome {
    match answer {
        Answer::Copied(Ok(how)) => Outcome::toast(format!("Copied to clipboard: {how}")),
        Answer::Copied(Err(why)) => Outcome::error(
            "Copy to clipboard failed",
            format!(
                "{why}\n\nSelect the text on screen and copy it by hand, or use Open in email."
            ),
        ),
        Answer::Mailed(Ok((_, what))) => Outcome::toast(what),
        Answer::Mailed(Err(why)) => Outcome::error(
            "Open in email failed",
            format!("{why}\n\nUse Copy to clipboard instead."),
        ),
        _ => Outcome::none(),
    }
}
