//! Draft email: To, Subject and Body of a partnership request with the personalized link.
//! Open in email (`o`), Copy to clipboard (`c`), edit the body (`e`), Done (`Enter`) records it
//! as Sent; Esc discards it and records nothing.

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use ratatui_textarea::{TextArea, WrapMode};

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model, Typed, edge_answer, finished};
use crate::app::outcome::{Answer, Outcome};
use crate::domain::invitation::{self, Delivery};
use crate::domain::text::clean_multiline;
use crate::store::invitations::InvitationDraft;
use crate::store::worker::{DbCmd, DbReply};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Draft email",
    &[
        bind(&[ch('o')], Command::OpenInEmail, "Open in email", true),
        bind(&[ch('c')], Command::CopyToClipboard, "Copy to clipboard", true),
        bind(&[ch('e')], Command::EditBody, "edit", true),
        bind(&[key(KeyCode::Enter)], Command::Enter, "Done", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "discard", true),
    ],
    Typing::No,
);

#[rustfmt::skip]
pub const EDITING_KEYS: Keys = keys(
    "Editing the body",
    &[
        bind(&[key(KeyCode::Esc)], Command::Back, "stop editing", true),
    ],
    Typing::Body,
);

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
        Some(Effect::db(DbCmd::RecordInvitation {
            draft: Box::new(current),
            delivery: self.delivery.unwrap_or(Delivery::None),
            resend_of: self.resend_of,
            at,
        }))
    }
}

impl Model for DraftEmail {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![if self.editing { &EDITING_KEYS } else { &KEYS }]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::Back if self.editing => self.stop_editing(),
            Command::Back => return Outcome::close(),
            Command::EditBody => {
                self.editing = true;
                self.problem = None;
            }
            Command::OpenInEmail => {
                return Outcome::effect(Some(Effect::OpenMail {
                    to: self.draft.to.clone(),
                    subject: self.draft.subject.clone(),
                    body: self.body_text(),
                }));
            }
            Command::CopyToClipboard => {
                return Outcome::effect(Some(Effect::Copy {
                    text: self.full_message(),
                }));
            }
            Command::Enter => return Outcome::effect(self.done(cx.now)),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, _cx: &mut Cx) -> Outcome {
        match typed {
            Typed::Body(input) if self.editing => {
                self.body.input(input);
            }
            Typed::Paste(text) if self.editing => {
                self.body.insert_str(clean_multiline(&text));
            }
            _ => {}
        }
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        self.editing
    }

    /// How the email left is what Done records.
    fn on_answer(&mut self, answer: Answer, _cx: &mut Cx) -> Outcome {
        match &answer {
            Answer::Copied(Ok(_)) => self.delivery = Some(Delivery::CopiedToClipboard),
            Answer::Mailed(Ok((delivery, _))) => self.delivery = Some(*delivery),
            _ => {}
        }
        edge_answer(answer)
    }

    /// Recorded: the draft is finished. Refused: it stays, to try again.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        self.submitting = false;
        finished(reply)
    }
}
