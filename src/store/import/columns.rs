//! The columns an import reads, per list: the name twotier's own export writes (first), and the
//! other names the same column goes by (Partner Center's exports and their variants). Header
//! names match case-insensitively, with surrounding spaces and a UTF-8 byte order mark ignored,
//! in any order; a column the list does not know is ignored and named in the report.

/// One column of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header twotier's export writes, and the name problems are reported under.
    pub name: &'static str,
    /// Other headers accepted for it.
    pub aliases: &'static [&'static str],
}

const fn col(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases }
}

/// The columns of a resellers file, in the order the export writes them.
pub mod reseller {
    use crate::store::import::columns::{Column, col};
    pub const NAME: usize = 0;
    pub const PARTNER_ID: usize = 1;
    pub const COUNTRY: usize = 2;
    pub const STATUS: usize = 3;
    pub const MPA: usize = 4;
    pub const POR: usize = 5;
    pub const SINCE: usize = 6;
    pub const TENANT_ID: usize = 7;
    pub const REMOVED_AT: usize = 8;
    pub const EMAIL: usize = 9;
    pub const COLUMNS: [Column; 10] = [
        col(
            "Name",
            &[
                "Reseller",
                "Reseller name",
                "Partner name",
                "Company name",
                "Organization name",
            ],
        ),
        col(
            "PartnerID",
            &[
                "Partner ID",
                "PartnerID (MPN ID)",
                "MPN ID",
                "Reseller PartnerID",
                "Reseller MPN ID",
            ],
        ),
        col("Country", &["Location", "Country/region"]),
        col(
            "Status",
            &["Partnership", "Partnership status", "Relationship status"],
        ),
        col("MPA signed", &["MPA", "Microsoft Partner Agreement"]),
        col("POR valid", &["POR", "Partner of record valid"]),
        col(
            "Since",
            &["Partner since", "Established", "Relationship since"],
        ),
        col("Tenant ID", &["Microsoft ID", "Tenant"]),
        col("Removed at", &["Removed"]),
        col("Email", &["Email address", "Contact email"]),
    ];
    /// Required: a file without one of these is refused before any row is read.
    pub const REQUIRED: [&[usize]; 2] = [&[NAME], &[PARTNER_ID]];
}

/// The columns of a customers file: Partner Center's customer export first, then what makes
/// twotier's own export lossless.
pub mod customer {
    use crate::store::import::columns::{Column, col};
    pub const MICROSOFT_ID: usize = 0;
    pub const COMPANY: usize = 1;
    pub const DOMAIN: usize = 2;
    pub const RELATIONSHIP: usize = 3;
    pub const RESELLER: usize = 4;
    pub const RESELLER_PARTNER_ID: usize = 5;
    pub const REGISTRATION: usize = 6;
    pub const DELEGATED_ACCESS: usize = 7;
    pub const FIRST_NAME: usize = 8;
    pub const LAST_NAME: usize = 9;
    pub const EMAIL: usize = 10;
    pub const PHONE: usize = 11;
    pub const ADDRESS1: usize = 12;
    pub const ADDRESS2: usize = 13;
    pub const CITY: usize = 14;
    pub const STATE: usize = 15;
    pub const POSTAL_CODE: usize = 16;
    pub const COUNTRY: usize = 17;
    pub const CULTURE: usize = 18;
    pub const LANGUAGE: usize = 19;
    pub const MCA_NAME: usize = 20;
    pub const MCA_EMAIL: usize = 21;
    pub const MCA_DATE: usize = 22;
    pub const ADMIN: usize = 23;
    pub const CREATED_AT: usize = 24;
    pub const COLUMNS: [Column; 25] = [
        col(
            "Microsoft ID",
            &["Customer ID", "Tenant ID", "Microsoft ID (tenant ID)"],
        ),
        col("Company name", &["Customer name", "Customer", "Name"]),
        col(
            "Primary domain name",
            &["Primary domain", "Domain", "Domain name"],
        ),
        col("Relationship", &["Relationship type"]),
        col("Reseller", &["Reseller name", "Indirect reseller"]),
        col(
            "Reseller PartnerID",
            &[
                "Reseller Partner ID",
                "Reseller MPN ID",
                "Reseller PartnerID (MPN ID)",
            ],
        ),
        col("Registration number", &["Organization registration number"]),
        col(
            "Delegated admin access",
            &["Allow delegated access", "Delegated access"],
        ),
        col("First name", &["Contact first name"]),
        col("Last name", &["Contact last name"]),
        col("Email", &["Email address", "Contact email"]),
        col("Phone", &["Phone number", "Contact phone"]),
        col("Address line 1", &["Address", "Address line1", "Street"]),
        col("Address line 2", &["Address line2"]),
        col("City", &[]),
        col("State", &["State/province", "Province", "Region"]),
        col("Postal code", &["ZIP code", "ZIP", "ZIP/postal code"]),
        col("Country", &["Country/region"]),
        col("Culture", &[]),
        col("Language", &[]),
        col("MCA signer name", &["Agreement signer name"]),
        col("MCA signer email", &["Agreement signer email"]),
        col("MCA date agreed", &["Agreement date", "MCA accepted"]),
        col("Admin user name", &["Admin user", "Global admin"]),
        col("Created at", &["Created", "Date created"]),
    ];
    pub const REQUIRED: [&[usize]; 3] = [&[MICROSOFT_ID], &[COMPANY], &[DOMAIN]];
}

/// The columns of a subscriptions file: Partner Center's subscription export first, then the
/// customer and what makes twotier's own export lossless.
pub mod subscription {
    use crate::store::import::columns::{Column, col};
    pub const SUBSCRIPTION_ID: usize = 0;
    pub const OFFER_NAME: usize = 1;
    pub const QUANTITY: usize = 2;
    pub const STATUS: usize = 3;
    pub const RESELLER: usize = 4;
    pub const OFFER_ID: usize = 5;
    pub const CUSTOMER_ID: usize = 6;
    pub const CUSTOMER: usize = 7;
    pub const RESELLER_PARTNER_ID: usize = 8;
    pub const SUPPORT: usize = 9;
    pub const SUPPORT_PARTNER_ID: usize = 10;
    pub const AUTO_RENEW: usize = 11;
    pub const TERM: usize = 12;
    pub const BILLING_CYCLE: usize = 13;
    pub const FRIENDLY_NAME: usize = 14;
    pub const CREATED_AT: usize = 15;
    pub const TERM_STARTED_AT: usize = 16;
    pub const COMMITMENT_END: usize = 17;
    pub const COLUMNS: [Column; 18] = [
        col("Subscription ID", &["ID"]),
        col(
            "Subscription",
            &["Offer name", "Offer", "Product", "Product name"],
        ),
        col("Quantity", &["Licenses", "Seats"]),
        col("Status", &["Subscription status"]),
        col("Reseller", &["Partner of record", "Reseller name"]),
        col("Offer ID", &["Product ID"]),
        col(
            "Customer Microsoft ID",
            &["Microsoft ID", "Customer ID", "Customer tenant ID"],
        ),
        col("Customer", &["Customer name", "Company name"]),
        col(
            "Reseller PartnerID",
            &[
                "Reseller Partner ID",
                "Reseller MPN ID",
                "Reseller (MPN ID)",
                "Partner of record PartnerID",
            ],
        ),
        col("Support contact", &["Designated support contact"]),
        col(
            "Support contact PartnerID",
            &["Support contact Partner ID", "Support contact MPN ID"],
        ),
        col("Auto renew", &["Auto-renew", "Autorenew", "Auto renewal"]),
        col("Term", &["Term duration"]),
        col("Billing cycle", &["Billing frequency", "Billing"]),
        col("Friendly name", &["Nickname"]),
        col("Created at", &["Created", "Purchase date"]),
        col("Term started at", &["Term start", "Start date"]),
        col(
            "Commitment end date",
            &["Commitment end", "End date", "Term end date"],
        ),
    ];
    /// The offer by its ID or its name; the customer by its Microsoft ID or its name.
    pub const REQUIRED: [&[usize]; 5] = [
        &[SUBSCRIPTION_ID],
        &[OFFER_ID, OFFER_NAME],
        &[QUANTITY],
        &[STATUS],
        &[CUSTOMER_ID, CUSTOMER],
    ];
}

/// A header name as compared: trimmed, without a byte order mark, inner spaces collapsed,
/// lowercase.
pub fn normalised(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where each known column is in a file, and the headers no column goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// For each column of the list (by its index there): its position in the file's records.
    pub positions: Vec<Option<usize>>,
    /// The headers of the file that no column of the list goes by, as written (trimmed).
    pub unknown: Vec<String>,
}

impl Header {
    /// Matches a file's header record against the list's columns. Refused, in words, when a
    /// header names a column twice or a required column is missing.
    pub fn read<'a>(
        columns: &[Column],
        required: &[&[usize]],
        list: &str,
        headers: impl IntoIterator<Item = &'a str>,
    ) -> Result<Header, String> {
        let mut positions = vec![None; columns.len()];
        let mut unknown = Vec::new();
        for (at, header) in headers.into_iter().enumerate() {
            let wanted = normalised(header);
            let found = columns.iter().position(|c| {
                normalised(c.name) == wanted || c.aliases.iter().any(|a| normalised(a) == wanted)
            });
            match found {
                Some(i) if positions[i].is_some() => {
                    return Err(format!(
                        "the header names the column \"{}\" twice (the second time as \"{}\"): keep one.",
                        columns[i].name,
                        crate::domain::text::escaped(header.trim_start_matches('\u{feff}').trim())
                    ));
                }
                Some(i) => positions[i] = Some(at),
                None => unknown.push(
                    crate::domain::text::escaped(header.trim_start_matches('\u{feff}').trim())
                        .into_owned(),
                ),
            }
        }
        let missing: Vec<String> = required
            .iter()
            .filter(|any| any.iter().all(|&i| positions[i].is_none()))
            .map(|any| {
                let names: Vec<String> = any
                    .iter()
                    .map(|&i| format!("\"{}\"", columns[i].name))
                    .collect();
                names.join(" or ")
            })
            .collect();
        if !missing.is_empty() {
            let all: Vec<String> = required
                .iter()
                .map(|any| {
                    any.iter()
                        .map(|&i| columns[i].name)
                        .collect::<Vec<_>>()
                        .join(" or ")
                })
                .collect();
            return Err(format!(
                "missing column{} {}: a {list} file needs the columns {} (in any order, any case).",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                all.join(", ")
            ));
        }
        Ok(Header { positions, unknown })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_any_case_order_and_with_a_bom() {
        let h = Header::read(
            &customer::COLUMNS,
            &customer::REQUIRED,
            "customers",
            [
                "\u{feff}primary DOMAIN name",
                " Microsoft ID ",
                "Notes",
                "company   name",
            ],
        )
        .unwrap();
        assert_eq!(h.positions[customer::DOMAIN], Some(0));
        assert_eq!(h.positions[customer::MICROSOFT_ID], Some(1));
        assert_eq!(h.positions[customer::COMPANY], Some(3));
        assert_eq!(h.unknown, ["Notes"]);
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let err = Header::read(
            &subscription::COLUMNS,
            &subscription::REQUIRED,
            "subscriptions",
            ["Subscription ID", "Subscription", "Quantity", "Status"],
        )
        .unwrap_err();
        assert!(
            err.contains("missing column \"Customer Microsoft ID\" or \"Customer\""),
            "{err}"
        );
    }

    #[test]
    fn no_alias_is_shared_within_a_list() {
        for columns in [
            &reseller::COLUMNS[..],
            &customer::COLUMNS,
            &subscription::COLUMNS,
        ] {
            let mut seen = std::collections::HashSet::new();
            for c in columns {
                for name in std::iter::once(&c.name).chain(c.aliases) {
                    assert!(seen.insert(normalised(name)), "{name} twice");
                }
            }
        }
    }
}
