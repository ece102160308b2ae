//! Identifiers and addresses as Partner Center defines them, each parsed from what a person
//! typed into a value that is known to be valid — or into words saying what is wrong.

use std::fmt;

use super::text::escaped;

/// What is wrong with a field, in words for the person who typed it.
pub type Problem = String;

/// A reseller's or provider's PartnerID (formerly MPN ID; a PLA, "Partner Location Account").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartnerId(String);

impl PartnerId {
    /// Digits only, 1 to 10 of them. Partner Center's own IDs are 6 or 7 digits; others get a
    /// [`PartnerId::warning`], not an error.
    pub fn parse(text: &str) -> Result<PartnerId, Problem> {
        let t = text.trim();
        if t.is_empty() {
            return Err(
                "Enter the PartnerID (MPN ID): digits only, usually 6 or 7 of them.".into(),
            );
        }
        if !t.chars().all(|c| c.is_ascii_digit()) {
            return Err("A PartnerID has digits only (no letters, spaces or dashes).".into());
        }
        if t.len() > 10 {
            return Err(format!(
                "A PartnerID has at most 10 digits; this one has {}.",
                t.len()
            ));
        }
        Ok(PartnerId(t.to_owned()))
    }

    /// A valid but unusual ID: worth a second look before it is used.
    pub fn warning(&self) -> Option<String> {
        (!(6..=7).contains(&self.0.len())).then(|| {
            format!(
                "PartnerIDs are usually 6 or 7 digits; this one has {}. Check it is the reseller's location PartnerID (PLA), not its global one (PGA).",
                self.0.len()
            )
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PartnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Entra tenant ID (a GUID): stored lowercase, without braces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantId(String);

impl TenantId {
    pub fn parse(text: &str) -> Result<TenantId, Problem> {
        let t = text.trim();
        let inner = t
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(t);
        let groups: Vec<&str> = inner.split('-').collect();
        let shape_ok = groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
        if !shape_ok {
            return Err("A tenant ID is a GUID like 484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1.".into());
        }
        Ok(TenantId(inner.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// ISO 3166-1 alpha-2 country codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT \
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO \
FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE \
KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW \
MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE \
SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE \
VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A country, as its ISO 3166-1 alpha-2 code (uppercase).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Country(String);

impl Country {
    pub fn parse(text: &str) -> Result<Country, Problem> {
        let t = text.trim().to_ascii_uppercase();
        if t.len() != 2 || !t.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(
                "Enter the country as its two-letter ISO code, such as US, CA or MX.".into(),
            );
        }
        if !COUNTRIES.split_ascii_whitespace().any(|c| c == t) {
            return Err(format!("{t} is not an ISO 3166 country code."));
        }
        Ok(Country(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address (the addr-spec of RFC 5322, without comments or quoted local parts). A
/// refusal that quotes what was typed shows its control, bidi and zero-width characters as
/// visible escapes (`\u{202e}`), never raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, Problem> {
        let t = text.trim();
        if t.is_empty() {
            return Err("Enter an email address.".into());
        }
        if let Some(c) = t.chars().find(|&c| c.is_control() || c.is_whitespace()) {
            let which = match c {
                ' ' => "a space".to_owned(),
                // Named by its code point: the character itself may be invisible or act on the
                // terminal.
                _ => c.escape_unicode().to_string(),
            };
            return Err(format!(
                "An email address has no spaces or control characters; \"{}\" has {which}.",
                escaped(t)
            ));
        }
        let Some((local, domain)) = t.rsplit_once('@') else {
            return Err("An email address has an @, as in name@company.com.".into());
        };
        if local.is_empty() || local.contains('@') {
            return Err("Put exactly one name before the @, as in name@company.com.".into());
        }
        if local.len() > 64 {
            return Err("The part before the @ is longer than 64 characters.".into());
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(format!(
                "\"{}\" is not a valid name before the @.",
                escaped(local)
            ));
        }
        if !is_domain_name(domain) {
            return Err(format!(
                "\"{}\" is not a valid email domain (such as company.com).",
                escaped(domain)
            ));
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A domain name such as `company.com`: two labels or more of letters, digits and inner
/// hyphens, a top-level label of letters.
pub fn is_domain_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// A company name as Partner Center accepts it (since 2021-09-22): not a single character, not
/// only punctuation or spaces, at most 255 characters, no control characters.
pub fn company_name(text: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter the company's legal name.".into());
    }
    if !super::text::is_clean(t) {
        return Err("The name holds control or invisible characters; type it again.".into());
    }
    if t.chars().count() == 1 {
        return Err("A company name is more than one character.".into());
    }
    if !t.chars().any(char::is_alphanumeric) {
        return Err("A company name needs letters or digits, not only punctuation.".into());
    }
    if t.chars().count() > 255 {
        return Err("A company name has at most 255 characters.".into());
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_ids() {
        assert_eq!(PartnerId::parse(" 4847383 ").unwrap().as_str(), "4847383");
        assert!(PartnerId::parse("4847383").unwrap().warning().is_none());
        assert!(
            PartnerId::parse("12345")
                .unwrap()
                .warning()
                .unwrap()
                .contains("5")
        );
        assert!(PartnerId::parse("").unwrap_err().contains("Enter"));
        assert!(
            PartnerId::parse("48-47")
                .unwrap_err()
                .contains("digits only")
        );
        assert!(
            PartnerId::parse("12345678901")
                .unwrap_err()
                .contains("at most 10")
        );
    }

    #[test]
    fn tenant_ids() {
        let t = TenantId::parse("{484E548C-6AE5-4D12-B6A2-3B7AB5C5E2F1}").unwrap();
        assert_eq!(t.as_str(), "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1");
        assert!(TenantId::parse("484e548c6ae54d12b6a23b7ab5c5e2f1").is_err());
        assert!(TenantId::parse("484e548c-6ae5-4d12-b6a2-3b7ab5c5e2fz").is_err());
    }

    #[test]
    fn countries() {
        assert_eq!(Country::parse("us").unwrap().as_str(), "US");
        assert!(Country::parse("USA").is_err());
        assert!(Country::parse("XX").unwrap_err().contains("not an ISO"));
        assert_eq!(COUNTRIES.split_ascii_whitespace().count(), 249);
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("Partners@Adatum.Example").unwrap().as_str(),
            "Partners@adatum.example"
        );
        for bad in [
            "",
            "adatum.example",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b..com",
            ".a@b.com",
            "a@-b.com",
            "a@b.c0m",
            "a\u{1b}@b.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} passed");
        }
    }

    #[test]
    fn email_refusals_show_hostile_characters_escaped() {
        for (bad, shown) in [
            (
                "a\u{1b}]0;x\u{7}@b.com",
                "\"a\\u{1b}]0;x\\u{7}@b.com\" has \\u{1b}.",
            ),
            ("a\u{9b}@b.com", "\\u{9b}"),
            ("a\r@b.com", "\\u{d}"),
            ("a\u{a0}@b.com", "\\u{a0}"),
            ("a b@c.com", "\"a b@c.com\" has a space."),
            ("a\u{202e}b@c.com", "\"a\\u{202e}b\""),
            ("ab@c\u{200b}d.com", "\"c\\u{200b}d.com\""),
            ("ab@c.com\u{feff}", "\\u{feff}"),
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert!(err.contains(shown), "{bad:?}: {err}");
            assert!(
                super::super::text::is_clean(&err),
                "{bad:?}: the refusal holds the raw character: {err:?}"
            );
        }
    }

    #[test]
    fn company_names() {
        assert_eq!(
            company_name("  Adatum IT Services ").unwrap(),
            "Adatum IT Services"
        );
        assert!(company_name("A").is_err());
        assert!(company_name("...").is_err());
        assert!(company_name("   ").is_err());
        assert!(company_name("Evil\u{202e}Corp").is_err());
    }
}
