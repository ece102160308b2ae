//! Invitations: the ledger of partnership requests, newest first, with their status over time.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, LIST, Typing, bind, ch, key, keys};
use crate::app::list::ListModel;
use crate::app::list_keys::list_keys;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, edge_answer, settled};
use crate::app::nav::Screen;
use crate::app::outcome::{Answer, ConfirmAction, Open, Outcome, Question};
use crate::domain::permission::Permission;
use crate::store::invitations::InvitationRow;
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct InvitationsScreen {
    pub list: ListModel<InvitationRow>,
}

impl Default for InvitationsScreen {
    fn default() -> Self {
        InvitationsScreen {
            list: ListModel::new(ListId::Invitations),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Invitations",
    &[
        bind(&[ch('a')], Command::RecordAcceptance, "Record acceptance", true),
        bind(&[ch('s')], Command::ResendInvitation, "send again", true),
        bind(&[ch('x')], Command::RevokeInvitation, "revoke", true),
        bind(&[ch('r')], Command::RequestPartnership, "Request a partnership", false),
        bind(&[key(KeyCode::Esc)], Command::Back, "back", false),
        // Not a top-level screen: q goes back to Indirect resellers rather than quitting.
        bind(&[ch('q')], Command::Quit, "back", true),
    ],
    Typing::No,
);

impl ScreenInfo for InvitationsScreen {
    const LABEL: &'static str = "Invitations";
    const SHORT_LABEL: &'static str = "Invitations";
    const DIGIT: char = '1';
    const PARENT: Option<Screen> = Some(Screen::Resellers);
    const NEEDS: Option<Permission> = Some(Permission::ViewResellers);
}

impl InvitationsScreen {
    /// `a` on a Sent request: the acceptance form.
    fn record_acceptance(&self, cx: &Cx) -> Outcome {
        let Some(row) = self.list.selected_row() else {
            return Outcome::none();
        };
        let status = row.status(cx.now, cx.expiry_days);
        if !status.can_accept() {
            let why = match status.label() {
                "Expired" => "it expired; send it again first (s)",
                "Revoked" => "it was revoked; request a new partnership (r)",
                "Discarded" => "its draft was discarded; send it again first (s)",
                _ => "it was already accepted",
            };
            return Outcome::toast(format!("Can't record acceptance: {why}"));
        }
        Outcome::open(Open::RecordAcceptance {
            invitation_id: row.id,
            recipient: row.recipient.clone(),
        })
    }

    fn resend(&self, cx: &Cx) -> Outcome {
        match self.list.selected_row() {
            Some(row) if row.status(cx.now, cx.expiry_days).can_resend() => {
                Outcome::effect(Some(Effect::db(DbCmd::LoadInvitationDraft { id: row.id })))
            }
            Some(row) => Outcome::toast(format!(
                "This request is {}: it can't be sent again",
                row.status(cx.now, cx.expiry_days).label()
            )),
            None => Outcome::none(),
        }
    }

    fn revoke(&self, cx: &Cx) -> Outcome {
        match self.list.selected_row() {
            Some(row) if row.status(cx.now, cx.expiry_days).can_revoke() => {
                Outcome::open(Open::Question(Question {
                    title: "Revoke partnership request".into(),
                    message: format!(
                        "Revoke the partnership request sent to {}? The reseller can no longer be recorded as accepting it; \
                         you can request a new partnership at any time.",
                        row.recipient
                    ),
                    yes_label: "Revoke",
                    action: ConfirmAction::RevokeInvitation { id: row.id },
                }))
            }
            Some(row) => Outcome::toast(format!(
                "This request is {}: there is nothing to revoke",
                row.status(cx.now, cx.expiry_days).label()
            )),
            None => Outcome::none(),
        }
    }
}

impl Model for InvitationsScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS, &LIST]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::RecordAcceptance => self.record_acceptance(cx),
            Command::ResendInvitation => self.resend(cx),
            Command::RevokeInvitation => self.revoke(cx),
            Command::RequestPartnership => Outcome::open(Open::RequestPartnership),
            command => list_keys(&mut self.list, command, cx),
        }
    }


    fn on_answer(&mut self, answer: Answer, cx: &mut Cx) -> Outcome {
        match answer {
            Answer::Yes(ConfirmAction::RevokeInvitation { id }) => {
                Outcome::effect(Some(Effect::db(DbCmd::RevokeInvitation { id, at: cx.now })))
            }
            other => edge_answer(other),
        }
    }

    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Invitations(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            // Sending again opens the stored email as a draft.
            DbReply::Draft { draft, resend_of } => {
                Outcome::open(Open::DraftEmail { draft, resend_of })
            }
            other => settled(other),
        }
    }

    fn permission(&self, command: Command) -> Option<Permission> {
        match command {
            Command::RequestPartnership
            | Command::RecordAcceptance
            | Command::ResendInvitation
            | Command::RevokeInvitation => Some(Permission::ManagePartnerships),
            _ => None,
        }
    }
}

impl ScreenModel for InvitationsScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        Some(&mut self.list)
    }
}
