//! Remove partnership: the confirmation with Partner Center's Important notice, word for word,
//! and what stays pointing at the reseller, by name (the first 200 of each, scrollable, and a
//! count of the rest). Yes removes, then goes to the reseller's Follow-up worklist when
//! subscriptions still name it; No changes nothing.

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{CONFIRM, Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model, settled};
use crate::app::outcome::Outcome;
use crate::store::resellers::RemovalPreview;
use crate::store::worker::{DbCmd, DbReply};

/// The Important notice of "Remove partnership with indirect resellers", as the seed document
/// gives it.
pub const IMPORTANT_NOTICE: [&str; 3] = [
    "Customers associated to the indirect reseller will not be removed. Any delegated admin privileges granted will remain unchanged.",
    "You represent that the decision to discontinue your relationship with partner was made in good faith, for a legitimate business purpose, and in accordance with your agreement with your customer or partner, and you agree to defend and hold Microsoft harmless from and against any third-party claims to the contrary.",
    "You must provide legal notice of termination to your customer or partner if your agreement requires it. This tool does not generate notice to the customer or partner.",
];

/// One line of the impact list, below the notice: what keeps naming the reseller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImpactLine {
    Heading(String),
    Customer(String),
    Subscription {
        customer: String,
        offer: String,
        roles: &'static str,
    },
    /// "and 1 234 more" past the first [`crate::store::resellers::PREVIEW_ROWS`].
    More(i64),
    /// Nothing names the reseller.
    Nothing,
}

/// The movement keys scroll the impact list.
#[rustfmt::skip]
pub const SCROLL: Keys = keys(
    "Impact list",
    &[
        bind(&[key(KeyCode::Up), ch('k')], Command::Up, "scroll", false),
        bind(&[key(KeyCode::Down), ch('j')], Command::Down, "scroll", false),
        bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
        bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
        bind(&[key(KeyCode::Home), ch('g')], Command::Home, "first", false),
        bind(&[key(KeyCode::End), ch('G')], Command::End, "last", false),
    ],
    Typing::No,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveConfirm {
    pub reseller_id: i64,
    pub name: String,
    pub preview: RemovalPreview,
    /// The impact list, built once from the preview.
    pub lines: Vec<ImpactLine>,
    /// The first line of the impact list shown.
    pub scroll: usize,
    /// Which button Enter presses; No is focused first, so Enter alone never removes.
    pub yes_focused: bool,
    pub submitting: bool,
}

/// `1234567` as "1 234 567".
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn impact_lines(p: &RemovalPreview) -> Vec<ImpactLine> {
    let mut lines = Vec::new();
    if p.impact.customers > 0 {
        lines.push(ImpactLine::Heading(format!(
            "Customers associated with this reseller ({})",
            grouped(p.impact.customers)
        )));
        lines.extend(p.customers.iter().map(|c| ImpactLine::Customer(c.company_name.clone())));
        let more = p.impact.customers - p.customers.len() as i64;
        if more > 0 {
            lines.push(ImpactLine::More(more));
        }
    }
    if p.subscriptions_total > 0 {
        lines.push(ImpactLine::Heading(format!(
            "Subscriptions naming this reseller ({})",
            grouped(p.subscriptions_total)
        )));
        lines.extend(p.subscriptions.iter().map(|s| ImpactLine::Subscription {
            customer: s.customer.clone(),
            offer: s.offer.clone(),
            roles: match (s.partner_of_record, s.support_contact) {
                (true, true) => "Partner of record, Support contact",
                (true, false) => "Partner of record",
                _ => "Support contact",
            },
        }));
        let more = p.subscriptions_total - p.subscriptions.len() as i64;
        if more > 0 {
            lines.push(ImpactLine::More(more));
        }
    }
    if lines.is_empty() {
        lines.push(ImpactLine::Nothing);
    }
    lines
}

/// The dialog's height on a terminal this high: the whole terminal up to 24 lines, above that
/// room for the header and footer, and never more than [`MAX_HEIGHT`].
pub fn dialog_height(height: u16) -> u16 {
    height.saturating_sub(2).clamp(height.min(24), MAX_HEIGHT)
}

/// Rows of the impact list on a terminal this high, at least: the view knows exactly (the
/// notice wraps with the width), and scrolling stops where the last line shows.
pub fn pane_rows(height: u16) -> usize {
    (dialog_height(height) as usize).saturating_sub(18).max(1)
}

/// The dialog grows with the terminal up to this height.
pub const MAX_HEIGHT: u16 = 34;

impl RemoveConfirm {
    pub fn new(reseller_id: i64, name: String, preview: RemovalPreview) -> RemoveConfirm {
        RemoveConfirm {
            reseller_id,
            name,
            lines: impact_lines(&preview),
            preview,
            scroll: 0,
            yes_focused: false,
            submitting: false,
        }
    }

    fn scroll_by(&mut self, delta: isize, height: u16) {
        let last = self.lines.len().saturating_sub(pane_rows(height));
        self.scroll = (self.scroll as isize + delta).clamp(0, last as isize) as usize;
    }

    fn remove(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        if self.submitting {
            return None;
        }
        self.submitting = true;
        Some(Effect::db(DbCmd::RemovePartnership {
            reseller_id: self.reseller_id,
            name: self.name.clone(),
            at: now,
        }))
    }
}

impl Model for RemoveConfirm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&CONFIRM, &SCROLL]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        let page = pane_rows(cx.height).saturating_sub(1).max(1) as isize;
        match command {
            Command::SwitchButton => self.yes_focused = !self.yes_focused,
            Command::Yes => return Outcome::effect(self.remove(cx.now)),
            Command::Enter if self.yes_focused => return Outcome::effect(self.remove(cx.now)),
            Command::No | Command::Enter => return Outcome::close(),
            Command::Up => self.scroll_by(-1, cx.height),
            Command::Down => self.scroll_by(1, cx.height),
            Command::PageUp => self.scroll_by(-page, cx.height),
            Command::PageDown => self.scroll_by(page, cx.height),
            Command::Home => self.scroll_by(isize::MIN / 2, cx.height),
            Command::End => self.scroll_by(isize::MAX / 2, cx.height),
            _ => {}
        }
        Outcome::none()
    }

    /// Done or not, the question is answered: it closes (a refusal says why above the screen).
    /// Removed with subscriptions still naming the reseller: on to its Follow-up worklist.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        let follow_up = matches!(reply, DbReply::Done { .. }) && self.preview.subscriptions_total > 0;
        let settled = Outcome {
            close: true,
            ..settled(reply)
        };
        if !follow_up {
            return settled;
        }
        let then = crate::app::screens::follow_up::show(self.reseller_id);
        Outcome {
            effects: then.effects,
            go: then.go,
            ..settled
        }
    }
}
