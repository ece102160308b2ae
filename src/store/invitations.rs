//! Partnership requests: drafted, recorded as Sent (or as Discarded when the draft was dropped
//! after its link had left twotier), sent again, revoked, and accepted — the acceptance making the
//! reseller an Active partner.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::key::Key;
use super::list::{Filter, ListSpec, Listed};
use super::{CommandResult, Store, audit, db_time, parse_db_time, refuse};
use crate::domain::ids::{Country, Email, PartnerId, TenantId};
use crate::domain::invitation::{self, Delivery, InvitationStatus, TemplateValues};
use crate::domain::permission::Permission;
use crate::domain::text::{clean_multiline, cleaned};

const TEMPLATE: &str = include_str!("../../assets/partnership-request.txt");

/// The email of a partnership request, before it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationDraft {
    pub token: String,
    pub link: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A recorded request, as the ledger shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    pub id: i64,
    pub recipient: String,
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    /// The stored status (`sent`, `accepted`, `revoked`, `discarded`); see [`InvitationRow::status`].
    pub stored_status: String,
    pub delivery: Delivery,
    pub link: String,
    pub token: String,
    pub reseller: Option<String>,
    pub resent_count: i64,
    pub key: Key,
}

impl InvitationRow {
    pub fn status(&self, now: DateTime<Utc>, expiry_days: u32) -> InvitationStatus {
        InvitationStatus::derive(&self.stored_status, self.sent_at, now, expiry_days)
    }
}

pub const COLUMNS: &str =
    "i.id, i.recipient_email, o.upn, i.sent_at, i.status, i.delivery, i.link, i.token,
                           r.name, i.resent_count";
pub const FROM: &str = "invitations i JOIN operators o ON o.id = i.sent_by LEFT JOIN resellers r ON r.id = i.reseller_id";

/// A ledger row; its list position is (sent_at, id), newest first.
pub fn from_row(r: &Row<'_>) -> rusqlite::Result<InvitationRow> {
    let (id, sent_at): (i64, String) = (r.get(0)?, r.get(3)?);
    Ok(InvitationRow {
        id,
        key: Key {
            sort: sent_at.clone().into(),
            id,
        },
        recipient: cleaned(crate::store::text(r, 1)?),
        sent_by: cleaned(crate::store::text(r, 2)?),
        sent_at: parse_db_time(&sent_at)?,
        stored_status: r.get(4)?,
        delivery: Delivery::from_key(&crate::store::text(r, 5)?),
        link: cleaned(crate::store::text(r, 6)?),
        token: cleaned(crate::store::text(r, 7)?),
        reseller: crate::store::opt_text(r, 8)?.map(cleaned),
        resent_count: r.get(9)?,
    })
}

/// What the operator typed when recording that a reseller accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub name: String,
    pub partner_id: PartnerId,
    pub country: Country,
    pub tenant_id: Option<TenantId>,
}

impl Store {
    /// Drafts the email for a new request: a fresh unguessable token from the OS, the link
    /// personalized for this provider, and the template filled in. Nothing is written.
    pub fn prepare_invitation(&self, to: &Email) -> CommandResult<InvitationDraft> {
        self.require(Permission::ManagePartnerships)?;
        let provider = self.provider()?;
        let base = self
            .settings
            .invitation_base_url
            .as_deref()
            .unwrap_or(&provider.invitation_base_url);
        let token = loop {
            let mut bytes = [0u8; 20];
            getrandom::fill(&mut bytes)
                .map_err(|e| super::CommandError::Refused(format!("no OS randomness: {e}")))?;
            let token = invitation::token_from_bytes(bytes);
            let taken: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM invitations WHERE token = ?1)",
                [&token],
                |r| r.get(0),
            )?;
            if !taken {
                break token;
            }
        };
        let link = invitation::link(base, &provider.tenant_id, &token);
        let (subject, body) = invitation::render(
            TEMPLATE,
            &TemplateValues {
                provider: &provider.company_name,
                provider_partner_id: &provider.partner_id,
                link: &link,
                support_email: &provider.support_email,
                support_phone: &provider.support_phone,
            },
        );
        Ok(InvitationDraft {
            token,
            link,
            to: to.to_string(),
            subject,
            body,
        })
    }

    /// Done: records the request as Sent. Refused if the body lost the personalized link.
    pub fn record_invitation(
        &mut self,
        draft: &InvitationDraft,
        delivery: Delivery,
        at: DateTime<Utc>,
    ) -> CommandResult<i64> {
        if let Err(why) = invitation::check_body(&draft.body, &draft.link) {
            return refuse(why);
        }
        let to = invitation::check_recipient(&draft.to).map_err(super::CommandError::Refused)?;
        invitation::check_subject(&draft.subject).map_err(super::CommandError::Refused)?;
        let body = clean_multiline(&draft.body).into_owned();
        self.transact(|s| {
            s.require(Permission::ManagePartnerships)?;
            s.mutate(|tx, by| {
            let Some(by) = by else { return refuse("No operator is signed in.") };
            tx.execute(
                "INSERT INTO invitations (token, recipient_email, subject, body, link, delivery, status, sent_by, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'sent', ?7, ?8)",
                params![draft.token, to.as_str(), cleaned(draft.subject.clone()), body, draft.link, delivery.key(), by.id, db_time(at)],
            )?;
            let id = tx.last_insert_rowid();
            audit(tx, at, Some(by), "Partnership requested", to.as_str(), None, Some(&format!("Sent ({})", delivery.label())))?;
            Ok(id)
            })
        })
    }

    /// Esc on a draft whose link already left twotier (opened in email, copied): recorded as
    /// Discarded with how it had left, so the link is never forgotten. A draft that never left
    /// is not recorded at all (refused here).
    pub fn record_discarded(
        &mut self,
        draft: &InvitationDraft,
        delivery: Delivery,
        at: DateTime<Utc>,
    ) -> CommandResult<i64> {
        if delivery == Delivery::None {
            return refuse("This draft never left twotier: discarding it records nothing.");
        }
        let to = invitation::check_recipient(&draft.to).map_err(super::CommandError::Refused)?;
        let body = clean_multiline(&draft.body).into_owned();
        self.transact(|s| {
            s.require(Permission::ManagePartnerships)?;
            s.mutate(|tx, by| {
            let Some(by) = by else { return refuse("No operator is signed in.") };
            tx.execute(
                "INSERT INTO invitations (token, recipient_email, subject, body, link, delivery, status, sent_by, sent_at, discarded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'discarded', ?7, ?8, ?8)",
                params![draft.token, to.as_str(), cleaned(draft.subject.clone()), body, draft.link, delivery.key(), by.id, db_time(at)],
            )?;
            let id = tx.last_insert_rowid();
            audit(tx, at, Some(by), "Partnership request discarded", to.as_str(), None, Some(&format!("Discarded ({})", delivery.label())))?;
            Ok(id)
            })
        })
    }

    /// The stored email of a request, to send it again with the same link.
    pub fn invitation_draft(&self, id: i64) -> CommandResult<InvitationDraft> {
        let draft = self
            .conn
            .query_row(
                "SELECT token, link, recipient_email, subject, body FROM invitations WHERE id = ?1",
                [id],
                |r| {
                    Ok(InvitationDraft {
                        token: r.get(0)?,
                        link: r.get(1)?,
                        to: cleaned(crate::store::text(r, 2)?),
                        subject: cleaned(crate::store::text(r, 3)?),
                        body: clean_multiline(&crate::store::text(r, 4)?).into_owned(),
                    })
                },
            )
            .optional()?;
        draft.map_or_else(|| refuse("That partnership request no longer exists."), Ok)
    }

    pub fn invitation(&self, id: i64) -> CommandResult<InvitationRow> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id = ?1"),
                [id],
                from_row,
            )
            .optional()?;
        row.map_or_else(|| refuse("That partnership request no longer exists."), Ok)
    }

    fn invitation_by_token(&self, token_or_link: &str) -> CommandResult<InvitationRow> {
        let Some(token) = invitation::token_from(token_or_link) else {
            return refuse("That is not an invitation token or link.");
        };
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM {FROM} WHERE i.token = ?1"),
                [&token],
                from_row,
            )
            .optional()?;
        row.map_or_else(
            || refuse(format!("No partnership request has the token {token}.")),
            Ok,
        )
    }

    /// Sends a Sent, Expired or Discarded request again: it is Sent as of now.
    pub fn resend_invitation(
        &mut self,
        id: i64,
        delivery: Delivery,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        self.transact(|s| s.resend_now(id, None, delivery, at))
    }

    /// [`Store::resend_invitation`] with the email as the operator edited it (recipient, subject,
    /// body); the link must be the request's own and still in the body.
    pub fn resend_edited(
        &mut self,
        id: i64,
        draft: &InvitationDraft,
        delivery: Delivery,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        if let Err(why) = invitation::check_body(&draft.body, &draft.link) {
            return refuse(why);
        }
        invitation::check_recipient(&draft.to).map_err(super::CommandError::Refused)?;
        invitation::check_subject(&draft.subject).map_err(super::CommandError::Refused)?;
        self.transact(|s| s.resend_now(id, Some(draft), delivery, at))
    }

    fn resend_now(
        &self,
        id: i64,
        edited: Option<&InvitationDraft>,
        delivery: Delivery,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        self.require(Permission::ManagePartnerships)?;
        let row = self.invitation(id)?;
        if edited.is_some_and(|d| d.token != row.token) {
            return refuse("That email is not this request's: its link is another one.");
        }
        let status = row.status(at, self.settings.invitation_expiry_days);
        if !status.can_resend() {
            return refuse(format!(
                "This request is {}: it can't be sent again. Request a new partnership instead.",
                status.label()
            ));
        }
        self.mutate(|tx, by| {
            tx.execute(
                "UPDATE invitations SET sent_at = ?1, resent_count = resent_count + 1, delivery = ?2, status = 'sent' WHERE id = ?3",
                params![db_time(at), delivery.key(), id],
            )?;
            let mut recipient = row.recipient.clone();
            if let Some(d) = edited {
                let to = invitation::check_recipient(&d.to).map_err(super::CommandError::Refused)?;
                tx.execute(
                    "UPDATE invitations SET recipient_email = ?1, subject = ?2, body = ?3 WHERE id = ?4",
                    params![to.as_str(), cleaned(d.subject.clone()), clean_multiline(&d.body), id],
                )?;
                recipient = to.to_string();
            }
            audit(tx, at, by, "Partnership request sent again", &recipient, Some(status.label()), Some("Sent"))?;
            Ok(())
        })
    }

    /// Revokes a Sent or Expired request: its link no longer counts.
    pub fn revoke_invitation(&mut self, id: i64, at: DateTime<Utc>) -> CommandResult<()> {
        self.transact(|s| s.revoke_now(id, at))
    }

    fn revoke_now(&self, id: i64, at: DateTime<Utc>) -> CommandResult<()> {
        self.require(Permission::ManagePartnerships)?;
        let row = self.invitation(id)?;
        let status = row.status(at, self.settings.invitation_expiry_days);
        if !status.can_revoke() {
            return refuse(format!(
                "This request is {}: there is nothing to revoke.",
                status.label()
            ));
        }
        self.mutate(|tx, by| {
            tx.execute(
                "UPDATE invitations SET status = 'revoked', revoked_at = ?1, revoked_by = ?2 WHERE id = ?3",
                params![db_time(at), by.map(|o| o.id), id],
            )?;
            audit(tx, at, by, "Partnership request revoked", &row.recipient, Some(status.label()), Some("Revoked"))?;
            Ok(())
        })
    }

    /// Records that the reseller accepted the request with this token (or link): the request
    /// becomes Accepted and the reseller an Active partner. Returns the reseller's id.
    pub fn accept_invitation(
        &mut self,
        token_or_link: &str,
        a: &Acceptance,
        at: DateTime<Utc>,
    ) -> CommandResult<i64> {
        self.transact(|s| {
            s.require(Permission::ManagePartnerships)?;
            let row = s.invitation_by_token(token_or_link)?;
            s.accept(row, a, at)
        })
    }

    pub fn accept_invitation_id(
        &mut self,
        id: i64,
        a: &Acceptance,
        at: DateTime<Utc>,
    ) -> CommandResult<i64> {
        self.transact(|s| {
            s.require(Permission::ManagePartnerships)?;
            let row = s.invitation(id)?;
            s.accept(row, a, at)
        })
    }

    /// Inside the caller's transaction: the request's status was read under the write lock, so
    /// two acceptances of one request at once make one reseller and one refusal.
    fn accept(&self, row: InvitationRow, a: &Acceptance, at: DateTime<Utc>) -> CommandResult<i64> {
        self.require(Permission::ManagePartnerships)?;
        let status = row.status(at, self.settings.invitation_expiry_days);
        if !status.can_accept() {
            let why = match status {
                InvitationStatus::Expired => {
                    "It expired: send it again from the Invitations list, then record the acceptance."
                }
                InvitationStatus::Revoked => "It was revoked: request a new partnership.",
                InvitationStatus::Discarded => {
                    "Its draft was discarded: send it again from the Invitations list, then record the acceptance."
                }
                _ => "It was already accepted.",
            };
            return refuse(format!(
                "This partnership request is {}. {why}",
                status.label().to_lowercase()
            ));
        }
        let name =
            crate::domain::ids::company_name(&a.name).map_err(super::CommandError::Refused)?;
        let provider = self.provider()?;
        if a.partner_id.as_str() == provider.partner_id {
            return refuse(
                "That is your own PartnerID: a reseller's PartnerID is never the indirect provider's (error 2072).",
            );
        }
        self.mutate(|tx, by| {
            let clash: Option<String> = tx
                .query_row(
                    "SELECT name FROM resellers WHERE partner_id = ?1 AND state = 'active'",
                    [a.partner_id.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = clash {
                return refuse(format!("PartnerID {} already belongs to the active reseller {}.", a.partner_id, cleaned(other)));
            }
            if let Some(tenant) = &a.tenant_id {
                let taken: Option<String> = tx
                    .query_row("SELECT name FROM resellers WHERE tenant_id = ?1 AND partner_id <> ?2", params![tenant.as_str(), a.partner_id.as_str()], |r| r.get(0))
                    .optional()?;
                if let Some(other) = taken {
                    return refuse(format!("Tenant ID {tenant} already belongs to the reseller {}.", cleaned(other)));
                }
            }
            // A reseller whose partnership was removed comes back as the same record, with its history.
            let removed: Option<i64> = tx
                .query_row("SELECT id FROM resellers WHERE partner_id = ?1 AND state = 'removed' ORDER BY id DESC LIMIT 1", [a.partner_id.as_str()], |r| r.get(0))
                .optional()?;
            let reseller_id = match removed {
                Some(id) => {
                    tx.execute(
                        "UPDATE resellers SET state = 'active', name = ?1, location = ?2, tenant_id = coalesce(?3, tenant_id),
                                              email = ?4, established_at = ?5, removed_at = NULL, removed_by = NULL,
                                              mpa_signed = NULL, por_valid = NULL
                         WHERE id = ?6",
                        params![name, a.country.as_str(), a.tenant_id.as_ref().map(TenantId::as_str), row.recipient, db_time(at), id],
                    )?;
                    id
                }
                None => {
                    tx.execute(
                        // Nobody has checked its MPA or POR yet: both Unknown (NULL).
                        "INSERT INTO resellers (tenant_id, name, partner_id, location, email, state, mpa_signed, por_valid, established_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, 'active', NULL, NULL, ?6)",
                        params![a.tenant_id.as_ref().map(TenantId::as_str), name, a.partner_id.as_str(), a.country.as_str(), row.recipient, db_time(at)],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            mark_accepted(tx, row.id, &row.recipient, reseller_id, at, by)?;
            audit(
                tx,
                at,
                by,
                "Reseller added",
                &format!("{name} ({})", a.partner_id),
                None,
                Some(&format!("Active, {}", a.country)),
            )?;
            Ok(reseller_id)
        })
    }

    /// Every request, newest first, for the CLI.
    pub fn all_invitations(&self) -> CommandResult<Vec<InvitationRow>> {
        self.require(Permission::ViewResellers)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM {FROM} ORDER BY i.sent_at DESC, i.id DESC"
        ))?;
        let rows = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

impl Listed for InvitationRow {
    fn spec(_: &Filter) -> ListSpec {
        ListSpec {
            columns: COLUMNS,
            from: FROM,
            scope: "1",
            sort: "i.sent_at",
            id: "i.id",
            search: &["i.recipient_email"],
            reseller: None,
            customer: None,
            descending: true,
            ends_by: None,
        }
    }

    fn from_row(r: &Row<'_>, _: Key) -> rusqlite::Result<Self> {
        from_row(r)
    }

    fn key(&self) -> Key {
        self.key.clone()
    }
}

/// The request becomes Accepted by this reseller, logged: inside the caller's transaction.
fn mark_accepted(
    tx: &rusqlite::Connection,
    id: i64,
    recipient: &str,
    reseller_id: i64,
    at: DateTime<Utc>,
    by: Option<&crate::domain::operator::Operator>,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE invitations SET status = 'accepted', accepted_at = ?1, reseller_id = ?2 WHERE id = ?3",
        params![db_time(at), reseller_id, id],
    )?;
    audit(
        tx,
        at,
        by,
        "Partnership request accepted",
        recipient,
        Some("Sent"),
        Some("Accepted"),
    )
}

/// The pull saw this reseller in the relationships list: a Sent request (expired or not: the
/// reseller followed its link all the same) made to its PartnerID or tenant ID is Accepted, in
/// the pull's transaction, and the reseller gets the request's address if it has none. Returns
/// the request's recipient.
pub(super) fn accepted_in_partner_center(
    tx: &rusqlite::Connection,
    reseller: &super::sync_types::PulledReseller,
    reseller_id: i64,
    at: DateTime<Utc>,
    by: Option<&crate::domain::operator::Operator>,
) -> rusqlite::Result<Option<String>> {
    let request: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT id, recipient_email FROM invitations
              WHERE status = 'sent' AND (partner_id = ?1 OR tenant_id = ?2)
              ORDER BY sent_at DESC, id DESC LIMIT 1",
        )?
        .query_row(params![reseller.partner_id, reseller.tenant_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((id, recipient)) = request else {
        return Ok(None);
    };
    mark_accepted(tx, id, &recipient, reseller_id, at, by)?;
    tx.execute(
        "UPDATE resellers SET email = ?1 WHERE id = ?2 AND email IS NULL",
        params![recipient, reseller_id],
    )?;
    Ok(Some(cleaned(recipient)))
}

impl Store {
    /// [`Store::expect_partner`] for the request with this token (or link).
    pub fn expect_partner_by_token(
        &mut self,
        token_or_link: &str,
        partner_id: Option<&PartnerId>,
        tenant_id: Option<&TenantId>,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        let id = self.invitation_by_token(token_or_link)?.id;
        self.expect_partner(id, partner_id, tenant_id, at)
    }

    /// Notes the PartnerID and/or tenant ID of the partner a Sent request went to, so that the
    /// pull marks it Accepted when that partner appears among the indirect resellers.
    pub fn expect_partner(
        &mut self,
        id: i64,
        partner_id: Option<&PartnerId>,
        tenant_id: Option<&TenantId>,
        at: DateTime<Utc>,
    ) -> CommandResult<()> {
        if partner_id.is_none() && tenant_id.is_none() {
            return refuse("Give the partner's PartnerID, its tenant ID, or both.");
        }
        self.transact(|s| {
            s.require(Permission::ManagePartnerships)?;
            let row = s.invitation(id)?;
            if row.stored_status != "sent" {
                return refuse("Only a Sent request waits for a partner.");
            }
            let said = [
                partner_id.map(|p| format!("PartnerID {p}")),
                tenant_id.map(|t| format!("tenant {t}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            s.mutate(|tx, by| {
                tx.execute(
                    "UPDATE invitations SET partner_id = coalesce(?1, partner_id),
                            tenant_id = coalesce(?2, tenant_id) WHERE id = ?3",
                    params![
                        partner_id.map(PartnerId::as_str),
                        tenant_id.map(TenantId::as_str),
                        id
                    ],
                )?;
                audit(
                    tx,
                    at,
                    by,
                    "Partnership request for a known partner",
                    &row.recipient,
                    None,
                    Some(&said),
                )?;
                Ok(())
            })
        })
    }
}
