//! A reseller's compliance, as far as anyone has checked it: the Microsoft Partner Agreement
//! signed for its region (MPA) and its PartnerID valid as partner of record (POR). A partnership
//! just accepted is checked by nobody yet: both are Unknown until the operator (Compliance) or
//! Partner Center says otherwise. Known failures can't be credited; unknown ones are said first.

/// One check: not done yet, passed or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Check {
    #[default]
    Unknown,
    Yes,
    No,
}

impl Check {
    /// From the book's column: NULL is Unknown.
    pub fn from_known(known: Option<bool>) -> Check {
        match known {
            None => Check::Unknown,
            Some(true) => Check::Yes,
            Some(false) => Check::No,
        }
    }

    /// For the book's column (and `--json`): `None` is Unknown.
    pub fn known(self) -> Option<bool> {
        match self {
            Check::Unknown => None,
            Check::Yes => Some(true),
            Check::No => Some(false),
        }
    }

    /// Space in Compliance: Unknown → Yes → No → Unknown.
    pub fn next(self) -> Check {
        match self {
            Check::Unknown => Check::Yes,
            Check::Yes => Check::No,
            Check::No => Check::Unknown,
        }
    }
}

/// Both checks of one reseller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compliance {
    pub mpa: Check,
    pub por: Check,
}

impl Compliance {
    /// Both checks passed.
    pub const COMPLIANT: Compliance = Compliance {
        mpa: Check::Yes,
        por: Check::Yes,
    };

    pub fn new(mpa_signed: Option<bool>, por_valid: Option<bool>) -> Compliance {
        Compliance {
            mpa: Check::from_known(mpa_signed),
            por: Check::from_known(por_valid),
        }
    }

    /// The MPA check in words.
    pub fn mpa_words(self) -> &'static str {
        match self.mpa {
            Check::Unknown => "Unknown",
            Check::Yes => "Signed",
            Check::No => "Not signed",
        }
    }

    /// The POR check in words.
    pub fn por_words(self) -> &'static str {
        match self.por {
            Check::Unknown => "Unknown",
            Check::Yes => "Valid",
            Check::No => "Invalid",
        }
    }

    /// Both, for the activity log: "MPA signed, POR unknown".
    pub fn describe(self) -> String {
        format!(
            "MPA {}, POR {}",
            self.mpa_words().to_lowercase(),
            self.por_words().to_lowercase()
        )
    }

    /// A known failure: the reseller can't be credited.
    pub fn failure(self) -> Option<&'static str> {
        match (self.mpa, self.por) {
            (Check::No, _) => Some("MPA not signed"),
            (_, Check::No) => Some("POR not valid"),
            _ => None,
        }
    }

    /// What nobody has checked yet, if anything.
    pub fn unknown(self) -> Option<&'static str> {
        match (self.mpa, self.por) {
            (Check::Unknown, Check::Unknown) => Some("MPA/POR unknown"),
            (Check::Unknown, _) => Some("MPA unknown"),
            (_, Check::Unknown) => Some("POR unknown"),
            _ => None,
        }
    }

    /// The short status of a list: a failure first, then what is unknown; `None` when compliant.
    pub fn status(self) -> Option<&'static str> {
        self.failure().or(self.unknown())
    }

    /// An order crediting `name` while a check is unknown says so and asks for the check.
    pub fn unknown_warning(self, name: &str) -> Option<String> {
        if self.failure().is_some() {
            return None;
        }
        let what = match (self.mpa, self.por) {
            (Check::Unknown, Check::Unknown) => "MPA and POR status",
            (Check::Unknown, _) => "MPA status",
            (_, Check::Unknown) => "POR status",
            _ => return None,
        };
        let (verb, it) = if what.contains(" and ") {
            ("are", "them")
        } else {
            ("is", "it")
        };
        Some(format!(
            "{what} of {name} {verb} unknown: check {it} in Compliance (Indirect resellers, c) before crediting it"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_neither_a_pass_nor_a_failure() {
        let c = Compliance::new(None, Some(true));
        assert_eq!(c.failure(), None);
        assert_eq!(c.status(), Some("MPA unknown"));
        assert_eq!(
            c.unknown_warning("Contoso").as_deref(),
            Some(
                "MPA status of Contoso is unknown: check it in Compliance (Indirect resellers, c) before crediting it"
            )
        );
        assert_eq!(c.describe(), "MPA unknown, POR valid");
        // A known failure is refused, not asked about.
        let bad = Compliance::new(None, Some(false));
        assert_eq!(bad.failure(), Some("POR not valid"));
        assert_eq!(bad.unknown_warning("Contoso"), None);
        assert_eq!(Compliance::COMPLIANT.status(), None);
        assert_eq!(Check::Unknown.next().next().next(), Check::Unknown);
    }
}
