//! Draft email: To, Subject and Body of a partnership request with the personalized link.
//! Open in email (`o`), Copy to clipboard (`c`), edit the body (`e`), Done (`Enter`) records it
//! as Sent; Esc discards it and records nothing.

use chrono::{DateTime, Utc};
use ratatui_textarea::{TextArea, WrapMode};

use crate::app::effect::Effect;
use crate::domain::invitation::{self, Delivery};
use crate::domain::text::clean_multiline;
use crate::store::invitations::InvitationDraft;
use crate::store::worker::DbCmd;

#[derive(Debug, Clone)]
pub struct DraftEmail {
    pub draft: InvitationDraft,
    /// The body as the operator edits it.
    pub body: TextArea<'static>,
    pub editing: bool,
    /// How the email last left twotier, recorded on Done.
    pub delivery: Option<Delivery>,
    /// Why Done was refused, shown above the body until fixed.
    pub problem: Option<String>,
    /// Sending an existing request again.
    pub resend_of: Option<i64>,
    /// Done was pressed and the store has not answered yet.
    pub submitting: bool,
}

impl DraftEmail {
    pub fn new(draft: InvitationDraft, resend_of: Option<i64>) -> DraftEmail {
        let mut body = TextArea::new(
            clean_multiline(&draft.body)
                .lines()
                .map(str::to_owned)
                .collect(),
        );
        body.set_wrap_mode(WrapMode::WordOrGlyph);
        DraftEmail {
            draft,
            body,
            editing: false,
            delivery: None,
            problem: None,
            resend_of,
            submitting: false,
        }
    }

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n")
    }

    /// The draft with the body as edited.
    pub fn current(&self) -> InvitationDraft {
        InvitationDraft {
            body: self.body_text(),
            ..self.draft.clone()
        }
    }

    /// The whole message, for the clipboard.
    pub fn full_message(&self) -> String {
        format!(
            "To: {}\nSubject: {}\n\n{}",
            self.draft.to,
            self.draft.subject,
            self.body_text()
        )
    }

    /// Leaves the editor; says at once if the link is no longer in the body.
    pub fn stop_editing(&mut self) {
        self.editing = false;
        self.problem = invitation::check_body(&self.body_text(), &self.draft.link).err();
    }

    /// Done: refused, with the reason, if the link was removed or altered.
    pub fn done(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        if self.submitting {
            return None;
        }
        let current = self.current();
        if let Err(why) = invitation::check_body(&current.body, &current.link) {
            self.problem = Some(why);
            return None;
        }
        self.problem = None;
        self.submitting = true;
        Some(Effect::Db(DbCmd::RecordInvitation {
            draft: Box::new(current),
            delivery: self.delivery.unwrap_or(Delivery::None),
            resend_of: self.resend_of,
            at,
        }))
    }
}
