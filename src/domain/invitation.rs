//! Partnership requests ("Request a partnership"): the personalized link, the email, and the
//! status of a request over time. Partner Center keeps no record of these; twotier does.

use chrono::{DateTime, Duration, Utc};

/// Where a partnership request stands. `Expired` is not stored: it is a `Sent` request older
/// than the configured period. `Discarded`: the draft was discarded after its link had left
/// twotier (opened in email or copied), so the link is on record though it was never "Done".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InvitationStatus {
    Sent,
    Accepted,
    Expired,
    Revoked,
    Discarded,
}

impl InvitationStatus {
    /// From the stored status and the clock.
    pub fn derive(
        stored: &str,
        sent_at: DateTime<Utc>,
        now: DateTime<Utc>,
        expiry_days: u32,
    ) -> InvitationStatus {
        match stored {
            "accepted" => InvitationStatus::Accepted,
            "revoked" => InvitationStatus::Revoked,
            "discarded" => InvitationStatus::Discarded,
            _ if now - sent_at > Duration::days(i64::from(expiry_days)) => {
                InvitationStatus::Expired
            }
            _ => InvitationStatus::Sent,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InvitationStatus::Sent => "Sent",
            InvitationStatus::Accepted => "Accepted",
            InvitationStatus::Expired => "Expired",
            InvitationStatus::Revoked => "Revoked",
            InvitationStatus::Discarded => "Discarded",
        }
    }

    /// Sent and expired requests can be sent again, and so can a discarded one (its link already
    /// left twotier; sending it after all makes it Sent); accepted and revoked ones are final.
    pub fn can_resend(self) -> bool {
        matches!(
            self,
            InvitationStatus::Sent | InvitationStatus::Expired | InvitationStatus::Discarded
        )
    }

    pub fn can_revoke(self) -> bool {
        matches!(self, InvitationStatus::Sent | InvitationStatus::Expired)
    }

    pub fn can_accept(self) -> bool {
        self == InvitationStatus::Sent
    }
}

/// How the request email left twotier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    OpenedInEmail,
    CopiedToClipboard,
    EmlDraft,
    /// Done without using either button: the operator sent it some other way.
    None,
}

impl Delivery {
    pub fn key(self) -> &'static str {
        match self {
            Delivery::OpenedInEmail => "opened-in-email",
            Delivery::CopiedToClipboard => "copied-to-clipboard",
            Delivery::EmlDraft => "eml-draft",
            Delivery::None => "none",
        }
    }

    pub fn from_key(key: &str) -> Delivery {
        match key {
            "opened-in-email" => Delivery::OpenedInEmail,
            "copied-to-clipboard" => Delivery::CopiedToClipboard,
            "eml-draft" => Delivery::EmlDraft,
            _ => Delivery::None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::OpenedInEmail => "Opened in email",
            Delivery::CopiedToClipboard => "Copied to clipboard",
            Delivery::EmlDraft => "Saved as .eml draft",
            Delivery::None => "Not recorded",
        }
    }
}

/// A token from 20 random bytes (160 bits): lowercase base32, 32 characters, safe in a URL.
pub fn token_from_bytes(bytes: [u8; 20]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = String::with_capacity(32);
    for b in bytes {
        bits = (bits << 8) | u64::from(b);
        count += 8;
        while count >= 5 {
            count -= 5;
            out.push(ALPHABET[((bits >> count) & 31) as usize] as char);
        }
    }
    out
}

/// The link personalized for this provider: its tenant and the request's own token.
pub fn link(base_url: &str, provider_tenant: &str, token: &str) -> String {
    let sep = if base_url.contains('?') { '&' } else { '?' };
    format!("{base_url}{sep}partnerId={provider_tenant}&token={token}")
}

/// The token in a pasted link, or the text itself when it is a bare token.
pub fn token_from(text: &str) -> Option<String> {
    let t = text.trim();
    let token = match t.find("token=") {
        Some(at) => t[at + 6..].split(['&', '#']).next().unwrap_or(""),
        None => t,
    };
    (!token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| token.to_ascii_lowercase())
}

/// Fills the email template (`assets/partnership-request.txt`): the first line is the subject.
pub struct TemplateValues<'a> {
    pub provider: &'a str,
    pub provider_partner_id: &'a str,
    pub link: &'a str,
    pub support_email: &'a str,
    pub support_phone: &'a str,
}

pub fn render(template: &str, v: &TemplateValues<'_>) -> (String, String) {
    let filled = template
        .replace("{provider_partner_id}", v.provider_partner_id)
        .replace("{provider}", v.provider)
        .replace("{link}", v.link)
        .replace("{support_email}", v.support_email)
        .replace("{support_phone}", v.support_phone);
    let (first, rest) = filled.split_once('\n').unwrap_or((&filled, ""));
    let subject = first
        .strip_prefix("Subject:")
        .unwrap_or(first)
        .trim()
        .to_owned();
    (
        subject,
        rest.trim_start_matches('\n').trim_end().to_owned() + "\n",
    )
}

/// The one recipient of a request (Partner Center's request goes to one reseller contact, who
/// accepts it): a valid address, said in words as it is typed.
pub fn check_recipient(text: &str) -> Result<crate::domain::ids::Email, String> {
    if text.contains([',', ';']) {
        return Err(
            "A partnership request goes to one person, the reseller's Global admin who accepts it: \
             enter one email address."
                .into(),
        );
    }
    crate::domain::ids::Email::parse(text)
}

/// The subject line: not empty.
pub fn check_subject(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Err("Enter a subject for the email.".into())
    } else {
        Ok(())
    }
}

/// Done is refused unless the body still holds the personalized link, unchanged.
pub fn check_body(body: &str, link: &str) -> Result<(), String> {
    if body.contains(link) {
        Ok(())
    } else {
        Err(format!(
            "The email must include the personalized link exactly as it was, because it is personalized for your \
             Partner Center account. Put it back:\n{link}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn status_expires_after_the_period_unless_final() {
        let sent = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let day = |d| sent + Duration::days(d) + Duration::seconds(1);
        assert_eq!(
            InvitationStatus::derive("sent", sent, day(29), 30),
            InvitationStatus::Sent
        );
        assert_eq!(
            InvitationStatus::derive("sent", sent, day(30), 30),
            InvitationStatus::Expired
        );
        assert_eq!(
            InvitationStatus::derive("accepted", sent, day(90), 30),
            InvitationStatus::Accepted
        );
        assert_eq!(
            InvitationStatus::derive("revoked", sent, day(1), 30),
            InvitationStatus::Revoked
        );
        assert!(InvitationStatus::Expired.can_resend() && !InvitationStatus::Expired.can_accept());
        assert!(!InvitationStatus::Accepted.can_revoke());
        assert_eq!(
            InvitationStatus::derive("discarded", sent, day(90), 30),
            InvitationStatus::Discarded
        );
        let d = InvitationStatus::Discarded;
        assert!(d.can_resend() && !d.can_accept() && !d.can_revoke());
    }

    #[test]
    fn one_recipient_checked_in_words() {
        assert_eq!(
            check_recipient(" partners@contoso.example ")
                .unwrap()
                .as_str(),
            "partners@contoso.example"
        );
        for several in ["a@b.example, c@d.example", "a@b.example;c@d.example"] {
            assert!(
                check_recipient(several)
                    .unwrap_err()
                    .contains("one email address")
            );
        }
        assert!(check_recipient("partners@contoso").is_err());
        assert!(
            check_recipient("")
                .unwrap_err()
                .contains("Enter an email address")
        );
        assert!(check_subject("  ").unwrap_err().contains("subject"));
        assert!(check_subject("Hi").is_ok());
    }

    #[test]
    fn tokens_are_32_url_safe_characters() {
        let t = token_from_bytes([0xff; 20]);
        assert_eq!(t, "77777777777777777777777777777777");
        assert_eq!(token_from_bytes([0; 20]), "a".repeat(32));
        assert_eq!(token_from_bytes(*b"abcdefghijklmnopqrst").len(), 32);
    }

    #[test]
    fn links_carry_the_provider_and_the_token_back_out() {
        let l = link("https://pc.example/invite", "9a3c", "abc234");
        assert_eq!(l, "https://pc.example/invite?partnerId=9a3c&token=abc234");
        assert_eq!(token_from(&l).as_deref(), Some("abc234"));
        assert_eq!(token_from(" ABC234 ").as_deref(), Some("abc234"));
        assert_eq!(
            token_from("https://x/?a=1&token=q2#frag").as_deref(),
            Some("q2")
        );
        assert_eq!(token_from("not a token!"), None);
        assert_eq!(
            link("https://pc.example/i?x=1", "t", "k"),
            "https://pc.example/i?x=1&partnerId=t&token=k"
        );
    }

    #[test]
    fn the_template_fills_subject_and_body() {
        let v = TemplateValues {
            provider: "P",
            provider_partner_id: "1",
            link: "L",
            support_email: "e",
            support_phone: "p",
        };
        let (subject, body) = render(
            "Subject: Hi from {provider}\n\nClick {link} ({provider_partner_id})\n",
            &v,
        );
        assert_eq!(subject, "Hi from P");
        assert_eq!(body, "Click L (1)\n");
        assert!(check_body(&body, "L").is_ok());
        assert!(
            check_body("Click (1)", "L")
                .unwrap_err()
                .contains("personalized")
        );
    }
}
