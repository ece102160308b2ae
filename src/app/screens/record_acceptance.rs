//! Record acceptance: the reseller accepted in Partner Center; the operator records who it is.
//! Each field is checked as it is typed; the PartnerID is also checked against the active
//! resellers in the database, which answers asynchronously.

use chrono::{DateTime, Utc};
use tui_input::InputRequest;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::form::{TextField, Verdict, next, previous};
use crate::app::keys::{FORM, Keys};
use crate::app::model::{Cx, Model, Typed, finished};
use crate::app::outcome::Outcome;
use crate::domain::ids::{Country, PartnerId, TenantId, company_name};
use crate::store::invitations::Acceptance;
use crate::store::worker::{DbCmd, DbReply};

pub const NAME: usize = 0;
pub const PARTNER_ID: usize = 1;
pub const COUNTRY: usize = 2;
pub const TENANT: usize = 3;

#[derive(Debug, Clone)]
pub struct AcceptanceForm {
    pub invitation_id: i64,
    pub recipient: String,
    pub fields: [TextField; 4],
    pub focus: usize,
    /// The provider's own PartnerID: never a reseller's.
    pub provider_partner_id: String,
    /// The latest uniqueness check asked for.
    pub check_seq: u64,
    /// The answer for a PartnerID: the active reseller that already has it, if any.
    pub owner: Option<(String, Option<String>)>,
    pub submitting: bool,
}

impl AcceptanceForm {
    pub fn new(
        invitation_id: i64,
        recipient: String,
        provider_partner_id: String,
    ) -> AcceptanceForm {
        AcceptanceForm {
            invitation_id,
            recipient,
            fields: [
                TextField::new(
                    "Company name",
                    "The reseller's legal name, as in Partner Center.",
                ),
                TextField::new(
                    "PartnerID (MPN ID)",
                    "The reseller's location PartnerID (PLA): digits only, usually 6 or 7.",
                ),
                TextField::new(
                    "Location",
                    "Country of the reseller's CSP account: two letters, such as US.",
                ),
                TextField::new(
                    "Tenant ID",
                    "Optional: the reseller's Microsoft Entra tenant (a GUID).",
                )
                .optional(),
            ],
            focus: 0,
            provider_partner_id,
            check_seq: 0,
            owner: None,
            submitting: false,
        }
    }

    pub fn revalidate(&mut self) {
        let name = Verdict::from_result(&company_name(self.fields[NAME].value()));
        self.fields[NAME].judge(name);
        let partner = self.partner_id_verdict();
        self.fields[PARTNER_ID].judge(partner);
        let country = Verdict::from_result(&Country::parse(self.fields[COUNTRY].value()));
        self.fields[COUNTRY].judge(country);
        let tenant = Verdict::from_result(&TenantId::parse(self.fields[TENANT].value()));
        self.fields[TENANT].judge(tenant);
    }

    fn partner_id_verdict(&self) -> Verdict {
        let id = match PartnerId::parse(self.fields[PARTNER_ID].value()) {
            Ok(id) => id,
            Err(e) => return Verdict::Error(e),
        };
        if id.as_str() == self.provider_partner_id {
            return Verdict::Error(
                "That is your own PartnerID: a reseller's is never the indirect provider's.".into(),
            );
        }
        if let Some((checked, Some(owner))) = &self.owner
            && checked == id.as_str()
        {
            return Verdict::Error(format!(
                "PartnerID {id} already belongs to the active reseller {owner}."
            ));
        }
        id.warning().map_or(Verdict::Ok, Verdict::Warning)
    }

    /// A keystroke in the focused field. A complete PartnerID is checked against the database.
    pub fn edit(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect> {
        self.fields[self.focus].edit(request);
        self.after_edit(seq)
    }

    pub fn paste(&mut self, text: &str, seq: &mut u64) -> Option<Effect> {
        self.fields[self.focus].paste(text);
        self.after_edit(seq)
    }

    fn after_edit(&mut self, seq: &mut u64) -> Option<Effect> {
        self.revalidate();
        if self.focus != PARTNER_ID {
            return None;
        }
        let id = PartnerId::parse(self.fields[PARTNER_ID].value()).ok()?;
        *seq += 1;
        self.check_seq = *seq;
        Some(Effect::db(DbCmd::CheckPartnerId {
            seq: *seq,
            partner_id: id.to_string(),
        }))
    }

    /// The store's answer to a uniqueness check; stale answers are dropped.
    pub fn owner_checked(&mut self, seq: u64, partner_id: String, owner: Option<String>) {
        if seq == self.check_seq {
            self.owner = Some((partner_id, owner));
            self.revalidate();
        }
    }

    pub fn next_field(&mut self) {
        self.focus = next(self.focus, self.fields.len());
    }

    pub fn previous_field(&mut self) {
        self.focus = previous(self.focus, self.fields.len());
    }

    /// Enter: records the acceptance if every field is valid, else focuses the first bad one.
    pub fn submit(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        for field in &mut self.fields {
            field.touched = true;
        }
        self.revalidate();
        if let Some(bad) = self.fields.iter().position(|f| f.verdict.blocks()) {
            self.focus = bad;
            return None;
        }
        if self.submitting {
            return None;
        }
        let tenant = self.fields[TENANT].value().trim();
        let acceptance = Acceptance {
            name: self.fields[NAME].value().trim().to_owned(),
            partner_id: PartnerId::parse(self.fields[PARTNER_ID].value()).ok()?,
            country: Country::parse(self.fields[COUNTRY].value()).ok()?,
            tenant_id: if tenant.is_empty() {
                None
            } else {
                Some(TenantId::parse(tenant).ok()?)
            },
        };
        self.submitting = true;
        Some(Effect::db(DbCmd::AcceptInvitation {
            id: self.invitation_id,
            acceptance: Box::new(acceptance),
            at,
        }))
    }
}

impl Model for AcceptanceForm {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&FORM]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::NextField => self.next_field(),
            Command::PreviousField => self.previous_field(),
            Command::Enter => return Outcome::effect(self.submit(cx.now)),
            Command::Back => return Outcome::close(),
            _ => {}
        }
        Outcome::none()
    }

    fn on_text(&mut self, typed: Typed, cx: &mut Cx) -> Outcome {
        Outcome::effect(match typed {
            Typed::Edit(request) => self.edit(request, cx.seq),
            Typed::Paste(text) => self.paste(&text, cx.seq),
            Typed::Body(_) => None,
        })
    }

    fn text_focused(&self) -> bool {
        true
    }

    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::PartnerIdOwner {
                seq,
                partner_id,
                owner,
            } => {
                self.owner_checked(seq, partner_id, owner);
                Outcome::none()
            }
            other => {
                self.submitting = false;
                finished(other)
            }
        }
    }
}
