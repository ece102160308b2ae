//! The rules of the Add new customer form (Partner Center's "validate names and addresses",
//! domain and contact rules), each as a function from typed text to a value or words.

use chrono::NaiveDate;

use super::ids::{Email, Problem};

/// The countries where Partner Center requires a phone number and an organization registration
/// number (errors 600049 and 600051).
pub const PHONE_AND_REGISTRATION_REQUIRED: [&str; 24] = [
    "AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA", "IN", "BR", "ZA", "PL", "AE",
    "SA", "TR", "TH", "VN", "MM", "IQ", "SS", "VE",
];

pub fn requires_phone(country: &str) -> bool {
    PHONE_AND_REGISTRATION_REQUIRED.contains(&country)
}

/// The default culture for a country (Partner Center's supported locales; `en-US` elsewhere).
pub fn default_culture(country: &str) -> &'static str {
    match country {
        "US" => "en-US",
        "CA" => "en-CA",
        "GB" => "en-GB",
        "IE" => "en-IE",
        "AU" => "en-AU",
        "NZ" => "en-NZ",
        "IN" => "en-IN",
        "ZA" => "en-ZA",
        "SG" => "en-SG",
        "MX" => "es-MX",
        "ES" => "es-ES",
        "AR" => "es-AR",
        "CO" => "es-CO",
        "CL" => "es-CL",
        "BR" => "pt-BR",
        "PT" => "pt-PT",
        "FR" => "fr-FR",
        "BE" => "fr-BE",
        "CH" => "de-CH",
        "DE" => "de-DE",
        "AT" => "de-AT",
        "IT" => "it-IT",
        "NL" => "nl-NL",
        "SE" => "sv-SE",
        "NO" => "nb-NO",
        "DK" => "da-DK",
        "FI" => "fi-FI",
        "PL" => "pl-PL",
        "CZ" => "cs-CZ",
        "HU" => "hu-HU",
        "TR" => "tr-TR",
        "JP" => "ja-JP",
        "KR" => "ko-KR",
        "CN" => "zh-CN",
        "TW" => "zh-TW",
        _ => "en-US",
    }
}

/// A domain prefix: letters and digits, 1 to 27 of them; stored lowercase.
pub fn domain_prefix(text: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter the domain prefix: the part before .onmicrosoft.com.".into());
    }
    if let Some(bad) = t.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "Letters and digits only: {bad:?} is not allowed in a domain prefix."
        ));
    }
    if t.len() > 27 {
        return Err(format!("At most 27 characters; this has {}.", t.len()));
    }
    Ok(t.to_ascii_lowercase())
}

/// A customer's primary domain: `PREFIX` + the provider's `suffix` (normally
/// `.onmicrosoft.com`, the prefix by [`domain_prefix`]'s rules), or a verified domain of the
/// customer's own (a valid domain name). Stored lowercase.
pub fn primary_domain(text: &str, suffix: &str) -> Result<String, Problem> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Err(format!(
            "Enter the primary domain, such as contoso{suffix}."
        ));
    }
    if let Some(prefix) = t.strip_suffix(suffix) {
        return domain_prefix(prefix).map(|p| format!("{p}{suffix}"));
    }
    if super::ids::is_domain_name(&t) {
        Ok(t)
    } else {
        Err(format!(
            "\"{}\" is not a domain: PREFIX{suffix} or a verified domain such as contoso.com.",
            super::text::escaped(text.trim())
        ))
    }
}

/// Standalone abbreviations Partner Center rejects as a whole company name.
const RESTRICTED: [&str; 14] = [
    "llc", "inc", "ltd", "corp", "co", "plc", "gmbh", "ag", "sa", "srl", "bv", "nv", "pty",
    "limited",
];
const TLD_SUFFIXES: [&str; 8] = [
    ".com", ".org", ".net", ".biz", ".info", ".io", ".co", ".gov",
];

/// The company name rules (since 2021-09-22): errors refuse it, warnings ask for a second look.
pub fn company_name(text: &str) -> Result<(String, Option<String>), Problem> {
    let name = super::ids::company_name(text)?;
    let lower = name.to_lowercase();
    if RESTRICTED.contains(&lower.trim_end_matches('.')) {
        return Err(format!(
            "\"{name}\" alone is not a company name: use the full legal name."
        ));
    }
    let compact: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let warning = if TLD_SUFFIXES.iter().any(|t| lower.ends_with(t)) {
        Some(
            "Please make sure your company name is correct: it ends like a web address.".to_owned(),
        )
    } else if compact.len() >= 3 && compact.iter().all(|c| *c == compact[0]) {
        Some(
            "Please make sure your company name is correct: it is one character repeated."
                .to_owned(),
        )
    } else if name.split_whitespace().count() >= 2
        && name.split_whitespace().all(|w| w.chars().count() == 1)
    {
        Some(
            "Please make sure your company name is correct: it is single characters with spaces."
                .to_owned(),
        )
    } else {
        None
    };
    Ok((name, warning))
}

/// The customer's contact email: valid, and neither Microsoft's nor the provider's own domain.
pub fn customer_email(text: &str, provider_domain: &str) -> Result<Email, Problem> {
    let email = Email::parse(text)?;
    let domain = email.domain();
    if domain == "microsoft.com" || domain.ends_with(".microsoft.com") {
        return Err("A customer's email can't be at microsoft.com.".into());
    }
    if !provider_domain.is_empty()
        && (domain == provider_domain || domain.ends_with(&format!(".{provider_domain}")))
    {
        return Err(format!(
            "That is your own domain ({provider_domain}): use the customer's email address."
        ));
    }
    Ok(email)
}

/// A person's first or last name: 1 to 50 characters, no control characters.
pub fn person_name(text: &str, what: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    if !super::text::is_clean(t) {
        return Err("No control or invisible characters, please.".into());
    }
    if t.chars().count() > 50 {
        return Err(format!("The {what} has at most 50 characters."));
    }
    Ok(t.to_owned())
}

/// A free text line with a length limit; `required` refuses an empty one.
pub fn text_line(text: &str, what: &str, max: usize, required: bool) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() && required {
        return Err(format!("Enter the {what}."));
    }
    if !super::text::is_clean(t) {
        return Err("No control or invisible characters, please.".into());
    }
    if t.chars().count() > max {
        return Err(format!("The {what} has at most {max} characters."));
    }
    Ok(t.to_owned())
}

/// A phone number: digits with the usual separators, 7 to 15 digits; required in some countries.
pub fn phone(text: &str, country: &str) -> Result<Option<String>, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return if requires_phone(country) {
            Err(format!(
                "A phone number is required for customers in {country}."
            ))
        } else {
            Ok(None)
        };
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err("Digits, spaces and + - ( ) only.".into());
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err("A phone number has 7 to 15 digits.".into());
    }
    Ok(Some(t.to_owned()))
}

/// The organization registration number: required in some countries, refused elsewhere (600002).
pub fn registration_number(text: &str, country: &str) -> Result<Option<String>, Problem> {
    let t = text.trim();
    match (t.is_empty(), requires_phone(country)) {
        (true, true) => Err(format!(
            "An organization registration number is required for customers in {country}."
        )),
        (true, false) => Ok(None),
        (false, false) if !country.is_empty() => Err(format!(
            "Leave it empty: customers in {country} have no organization registration number."
        )),
        (false, _) => text_line(t, "registration number", 30, true).map(Some),
    }
}

/// A culture such as en-US.
pub fn culture(text: &str) -> Result<String, Problem> {
    let t = text.trim();
    let ok = t.len() == 5
        && t.as_bytes()[2] == b'-'
        && t[..2].chars().all(|c| c.is_ascii_lowercase())
        && t[3..].chars().all(|c| c.is_ascii_uppercase());
    if ok {
        Ok(t.to_owned())
    } else {
        Err("A culture looks like en-US: language, dash, country.".into())
    }
}

/// A language: two lowercase letters.
pub fn language(text: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(t.to_owned())
    } else {
        Err("A language is two lowercase letters, such as en.".into())
    }
}

/// The date the customer accepted the Microsoft Customer Agreement: YYYY-MM-DD, not in the future.
pub fn agreement_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| "Enter the date as YYYY-MM-DD, such as 2026-11-26.".to_owned())?;
    if date > today {
        return Err("The agreement date can't be in the future.".into());
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_prefixes() {
        assert_eq!(domain_prefix("Contoso2").unwrap(), "contoso2");
        assert!(domain_prefix("").is_err());
        assert!(domain_prefix("con-toso").unwrap_err().contains("'-'"));
        assert!(domain_prefix(&"a".repeat(28)).unwrap_err().contains("27"));
        assert!(domain_prefix(&"a".repeat(27)).is_ok());
    }

    #[test]
    fn primary_domains() {
        let s = ".onmicrosoft.com";
        assert_eq!(
            primary_domain("Contoso.onmicrosoft.com", s).unwrap(),
            "contoso.onmicrosoft.com"
        );
        assert_eq!(primary_domain("contoso.com", s).unwrap(), "contoso.com");
        assert!(primary_domain("con-toso.onmicrosoft.com", s).is_err());
        assert!(primary_domain("contoso", s).is_err());
        assert!(primary_domain("", s).is_err());
    }

    #[test]
    fn company_name_rules() {
        assert_eq!(
            company_name("Contoso Ltd.").unwrap(),
            ("Contoso Ltd.".into(), None)
        );
        assert!(company_name("LLC").is_err());
        assert!(company_name("inc.").is_err());
        assert!(company_name("contoso.com").unwrap().1.is_some());
        assert!(company_name("999").unwrap().1.is_some());
        assert!(company_name("1 2 3").unwrap().1.is_some());
    }

    #[test]
    fn emails_not_microsoft_nor_ours() {
        assert!(customer_email("it@contoso.example", "northwind.example").is_ok());
        assert!(
            customer_email("a@microsoft.com", "northwind.example")
                .unwrap_err()
                .contains("microsoft")
        );
        assert!(
            customer_email("a@northwind.example", "northwind.example")
                .unwrap_err()
                .contains("own domain")
        );
        assert!(customer_email("a@mail.northwind.example", "northwind.example").is_err());
    }

    #[test]
    fn phone_and_registration_by_country() {
        assert_eq!(phone("", "US").unwrap(), None);
        assert!(phone("", "BR").unwrap_err().contains("BR"));
        assert!(phone("+55 11 5555 0100", "BR").is_ok());
        assert!(phone("call me", "US").is_err());
        assert!(phone("123", "US").is_err());
        assert!(registration_number("", "IN").is_err());
        assert!(registration_number("", "US").unwrap().is_none());
        assert!(registration_number("12345", "US").is_err());
        assert_eq!(
            registration_number("1234567", "PL").unwrap().as_deref(),
            Some("1234567")
        );
    }

    #[test]
    fn cultures_languages_dates() {
        assert_eq!(default_culture("MX"), "es-MX");
        assert_eq!(default_culture("ZZ"), "en-US");
        assert!(culture("en-US").is_ok() && culture("EN-us").is_err());
        assert!(language("en").is_ok() && language("eng").is_err());
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(agreement_date("2026-11-26", today).is_ok());
        assert!(
            agreement_date("2026-11-27", today)
                .unwrap_err()
                .contains("future")
        );
        assert!(agreement_date("26/11/2026", today).is_err());
    }
}
