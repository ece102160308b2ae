//! Draft email: To, Subject and Body of a partnership request with the personalized link.
//! Open in email (`o`), Copy to clipboard (`c`), edit To (`t`), Subject (`s`) or the body (`e`;
//! `Tab` moves on), Done (`Enter`) records it as Sent. Esc discards it: a draft that never left
//! twotier records nothing; one opened in email or copied asks first, then is recorded as
//! Discarded, so a link that left the app is never forgotten.

use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use ratatui_textarea::{TextArea, WrapMode};

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict};
use crate::app::keys::{Keys, Typing, bind, ch, key, keys};
use crate::app::model::{Cx, Model, Typed, edge_answer, finished};
use crate::app::outcome::{Answer, ConfirmAction, Open, Outcome, Question};
use crate::domain::invitation::{self, Delivery};
use crate::domain::text::{clean, clean_multiline};
use crate::store::invitations::InvitationDraft;
use crate::store::worker::{DbCmd, DbReply};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Draft email",
    &[
        bind(&[ch('o')], Command::OpenInEmail, "Open in email", true),
        bind(&[ch('c')], Command::CopyToClipboard, "Copy to clipboard", true),
        bind(&[ch('e')], Command::EditBody, "edit", true),
        bind(&[ch('t')], Command::EditTo, "edit To", false),
        bind(&[ch('s')], Command::EditSubject, "edit Subject", false),
        bind(&[key(KeyCode::Tab)], Command::NextField, "edit To, then Subject, then Body", false),
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
        bind(&[key(KeyCode::BackTab)], Command::PreviousField, "back to Subject", false),
    ],
    Typing::Body,
);

#[rustfmt::skip]
pub const LINE_KEYS: Keys = keys(
    "Editing To or Subject",
    &[
        bind(&[key(KeyCode::Tab)], Command::NextField, "next field", true),
        bind(&[key(KeyCode::BackTab)], Command::PreviousField, "previous field", false),
        bind(&[key(KeyCode::Enter), key(KeyCode::Esc)], Command::Back, "stop editing", true),
    ],
    Typing::Line,
);

/// The one-line fields of the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    To,
    Subject,
}

#[derive(Debug, Clone)]
pub struct DraftEmail {
    /// The email as drafted (its token and link never change).
    pub draft: InvitationDraft,
    /// The recipient as the operator edits it: one address, checked as it is typed.
    pub to: TextField,
    pub subject: TextField,
    /// The body as the operator edits it.
    pub body: TextArea<'static>,
    /// The body editor has the keys.
    pub editing: bool,
    /// To or Subject has the keys.
    pub line: Option<Line>,
    /// How the email last left twotier, recorded on Done (or on a confirmed discard).
    pub delivery: Option<Delivery>,
    /// The email as it was when it last left twotier (what was opened in email or copied).
    pub left: Option<InvitationDraft>,
    /// The email handed to the mail app or the clipboard, until it says whether it took it.
    pub leaving: Option<InvitationDraft>,
    /// Why Done was refused, shown above the body until fixed.
    pub problem: Option<String>,
    /// Sending an existing request again.
    pub resend_of: Option<i64>,
    /// Done (or the discard) was asked of the store, which has not answered yet.
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
        let field = |label, hint, value: &str| TextField {
            touched: true,
            ..TextField::new(label, hint).with_value(&clean(value))
        };
        let mut d = DraftEmail {
            to: field("To", "One address: the reseller's Global admin.", &draft.to),
            subject: field("Subject", "", &draft.subject),
            draft,
            body,
            editing: false,
            line: None,
            delivery: None,
            left: None,
            leaving: None,
            problem: None,
            resend_of,
            submitting: false,
        };
        d.revalidate();
        d
    }

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n")
    }

    /// Checks To and Subject as they are typed.
    pub fn revalidate(&mut self) {
        let to = Verdict::from_result(&invitation::check_recipient(self.to.value()));
        self.to.judge(to);
        let subject = Verdict::from_result(&invitation::check_subject(self.subject.value()));
        self.subject.judge(subject);
    }

    /// What is wrong with To or Subject, in words; `None` when both are fine.
    pub fn field_problem(&self) -> Option<String> {
        [(&self.to, "To"), (&self.subject, "Subject")]
            .into_iter()
            .find_map(|(field, name)| match &field.verdict {
                Verdict::Error(e) => Some(format!("{name}: {e}")),
                _ => None,
            })
    }

    /// The draft as edited: recipient, subject and body.
    pub fn current(&self) -> InvitationDraft {
        InvitationDraft {
            to: self.to.value().trim().to_owned(),
            subject: clean(self.subject.value()).trim().to_owned(),
            body: self.body_text(),
            ..self.draft.clone()
        }
    }

    /// The whole message, for the clipboard.
    pub fn full_message(&self) -> String {
        let d = self.current();
        format!("To: {}\nSubject: {}\n\n{}", d.to, d.subject, d.body)
    }

    /// Leaves the body editor; says at once if the link is no longer in the body.
    pub fn stop_editing(&mut self) {
        self.editing = false;
        self.line = None;
        self.problem = invitation::check_body(&self.body_text(), &self.draft.link).err();
    }

    /// `Tab` (forward) or `BackTab`: To → Subject → Body, and back (BackTab on To stops).
    fn move_focus(&mut self, forward: bool) {
        let at = match (self.line, self.editing) {
            (Some(Line::To), _) => 1,
            (Some(Line::Subject), _) => 2,
            (None, true) => 3,
            (None, false) => 0,
        };
        let to = if forward { (at + 1).min(3) } else { at.max(1) - 1 };
        self.line = [None, Some(Line::To), Some(Line::Subject), None][to];
        self.editing = to == 3;
        self.problem = None;
    }

    /// Open in email and Copy send the edited email, so it must be addressable first.
    fn leave(&mut self, effect: Effect) -> Outcome {
        if let Some(why) = self.field_problem() {
            return Outcome::toast(format!("Not sent out: {why}"));
        }
        self.leaving = Some(self.current());
        Outcome::effect(Some(effect))
    }

    /// Done: refused, with the reason, if To or Subject is invalid or the link was altered.
    pub fn done(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        if self.submitting {
            return None;
        }
        let current = self.current();
        if let Some(why) = self.field_problem() {
            self.problem = Some(format!("Not done: {why}"));
            return None;
        }
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

    /// Esc: a new draft whose link left twotier asks before it goes; any other closes at once.
    /// (A request sent again is already in the ledger with its link.)
    fn discard(&self) -> Outcome {
        match self.delivery {
            Some(delivery) if self.resend_of.is_none() => {
                let how = match delivery {
                    Delivery::CopiedToClipboard => "copied",
                    Delivery::EmlDraft => "saved as an .eml draft",
                    _ => "opened in email",
                };
                Outcome::open(Open::Question(Question {
                    title: "Discard the draft".into(),
                    message: format!(
                        "The link has left twotier ({how}). Discard it anyway? It will be recorded as Discarded."
                    ),
                    yes_label: "Discard",
                    action: ConfirmAction::DiscardDraftEmail,
                }))
            }
            _ => Outcome::close(),
        }
    }

    /// Yes on the question: the email as it left is recorded as Discarded.
    fn record_discarded(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        let delivery = self.delivery?;
        if self.submitting {
            return None;
        }
        self.submitting = true;
        Some(Effect::db(DbCmd::DiscardInvitation {
            draft: Box::new(self.left.clone().unwrap_or_else(|| self.current())),
            delivery,
            at,
        }))
    }

    /// Quitting over a new draft whose link left twotier records it as Discarded, as Esc's Yes
    /// would: the link is never forgotten.
    fn quit_record(&mut self, at: DateTime<Utc>) -> Vec<Effect> {
        match self.resend_of {
            Some(_) => Vec::new(),
            None => self.record_discarded(at).into_iter().collect(),
        }
    }

    fn line_mut(&mut self) -> Option<&mut TextField> {
        match self.line? {
            Line::To => Some(&mut self.to),
            Line::Subject => Some(&mut self.subject),
        }
    }
}

impl Model for DraftEmail {
    fn on_quit(&mut self, cx: &mut Cx) -> Vec<Effect> {
        self.quit_record(cx.now)
    }

    fn keys(&self) -> Vec<&'static Keys> {
        vec![if self.editing {
            &EDITING_KEYS
        } else if self.line.is_some() {
            &LINE_KEYS
        } else {
            &KEYS
        }]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::Back if self.editing || self.line.is_some() => self.stop_editing(),
            Command::Back => return self.discard(),
            Command::NextField => self.move_focus(true),
            Command::PreviousField => self.move_focus(false),
            Command::EditBody => {
                self.editing = true;
                self.problem = None;
            }
            Command::EditTo => self.line = Some(Line::To),
            Command::EditSubject => self.line = Some(Line::Subject),
            Command::OpenInEmail => {
                let d = self.current();
                return self.leave(Effect::OpenMail {
                    to: d.to,
                    subject: d.subject,
                    body: d.body,
                });
            }
            Command::CopyToClipboard => {
                let text = self.full_message();
                return self.leave(Effect::Copy { text });
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
            Typed::Edit(request) => {
                if let Some(field) = self.line_mut() {
                    field.edit(request);
                }
            }
            Typed::Paste(text) => {
                if let Some(field) = self.line_mut() {
                    field.paste(&text);
                }
            }
            Typed::Body(_) => {}
        }
        self.revalidate();
        Outcome::none()
    }

    fn text_focused(&self) -> bool {
        self.editing || self.line.is_some()
    }

    /// How the email left is what Done (or a confirmed discard) records.
    fn on_answer(&mut self, answer: Answer, cx: &mut Cx) -> Outcome {
        let left = match &answer {
            Answer::Copied(Ok(_)) => Some(Delivery::CopiedToClipboard),
            Answer::Mailed(Ok((delivery, _))) => Some(*delivery),
            Answer::Yes(ConfirmAction::DiscardDraftEmail) => {
                return Outcome::effect(self.record_discarded(cx.now));
            }
            _ => None,
        };
        match left {
            Some(delivery) => {
                self.delivery = Some(delivery);
                self.left = self.leaving.take().or_else(|| Some(self.current()));
            }
            None => self.leaving = None,
        }
        edge_answer(answer)
    }

    /// Recorded: the draft is finished. Refused: it stays, to try again.
    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        self.submitting = false;
        finished(reply)
    }
}
