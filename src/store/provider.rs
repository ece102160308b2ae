//! The indirect provider's own profile (one row).

use rusqlite::Row;

use super::Store;
use crate::domain::text::cleaned;

/// The provider's company and its entry on Microsoft's official indirect providers list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ProviderProfile {
    pub tenant_id: String,
    pub company_name: String,
    pub partner_id: String,
    pub country: String,
    pub csp_region: String,
    pub website: String,
    pub support_email: String,
    pub support_phone: String,
    pub regions_served: String,
    pub listing_profile: String,
    pub invitation_base_url: String,
    /// A book of demo data (`twotier demo`, or the first run's): the console says so on every
    /// screen, and `twotier demo` may replace it.
    #[serde(default)]
    pub is_demo: bool,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ProviderProfile> {
    Ok(ProviderProfile {
        tenant_id: cleaned(crate::store::text(r, 0)?),
        company_name: cleaned(crate::store::text(r, 1)?),
        partner_id: cleaned(crate::store::text(r, 2)?),
        country: cleaned(crate::store::text(r, 3)?),
        csp_region: cleaned(crate::store::text(r, 4)?),
        website: cleaned(crate::store::text(r, 5)?),
        support_email: cleaned(crate::store::text(r, 6)?),
        support_phone: cleaned(crate::store::text(r, 7)?),
        regions_served: cleaned(crate::store::text(r, 8)?),
        listing_profile: crate::domain::text::clean_multiline(&crate::store::text(r, 9)?)
            .into_owned(),
        invitation_base_url: cleaned(crate::store::text(r, 10)?),
        is_demo: r.get(11)?,
    })
}

impl Store {
    /// True when the book holds demo data; false for a real book and for one with no provider
    /// yet.
    pub fn is_demo(&self) -> rusqlite::Result<bool> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT is_demo FROM provider WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(false))
    }

    pub fn provider(&self) -> rusqlite::Result<ProviderProfile> {
        self.conn.query_row(
            "SELECT tenant_id, company_name, partner_id, country, csp_region, website, support_email,
                    support_phone, regions_served, listing_profile, invitation_base_url, is_demo
             FROM provider WHERE id = 1",
            [],
            from_row,
        )
    }
}

pub fn insert(tx: &rusqlite::Connection, p: &ProviderProfile) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO provider (id, tenant_id, company_name, partner_id, country, csp_region, website,
                               support_email, support_phone, regions_served, listing_profile, invitation_base_url,
                               is_demo)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rusqlite::params![
            p.tenant_id,
            p.company_name,
            p.partner_id,
            p.country,
            p.csp_region,
            p.website,
            p.support_email,
            p.support_phone,
            p.regions_served,
            p.listing_profile,
            p.invitation_base_url,
            p.is_demo
        ],
    )?;
    Ok(())
}

/// True when the file is a twotier book with a provider that is not marked as demo data. Read
/// without writing (the file was checked to be ours, and the caller holds it for replacing, so
/// no twotier writes it meanwhile): as immutable when it is whole in itself, so that not even a
/// -wal or -shm file appears beside a book that is then left as it was; through its write-ahead
/// log when one with content is there.
pub fn holds_a_real_book(db: &std::path::Path) -> anyhow::Result<bool> {
    use rusqlite::OpenFlags;
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let conn = if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        rusqlite::Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    } else {
        super::backup::open_immutable(db)?
    };
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('provider')")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if columns.is_empty() {
        return Ok(false);
    }
    let demo_marker = if columns.iter().any(|c| c == "is_demo") {
        "is_demo = 1"
    } else {
        // A book from before the marker: the demo seed's provider.
        "company_name = 'Northwind Cloud Distribution' AND partner_id = '4120357'"
    };
    let real: bool = conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM provider WHERE NOT ({demo_marker}))"),
        [],
        |r| r.get(0),
    )?;
    Ok(real)
}

impl Store {
    /// The provider's PartnerID and name as Partner Center's profile has them: written to the
    /// book's provider where they differ (Partner Center is the source of truth), logged, in
    /// one transaction. A value that breaks the book's rules is not written and is said so.
    /// Returns what changed, or why not, in words; nothing without a provider row.
    pub fn sync_provider_profile(
        &self,
        partner_id: Option<&str>,
        name: Option<&str>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> super::CommandResult<Vec<String>> {
        use rusqlite::OptionalExtension;
        self.mutate(|tx, by| {
            let book: Option<(String, String)> = tx
                .query_row(
                    "SELECT partner_id, company_name FROM provider WHERE id = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((book_partner_id, book_name)) = book else {
                return Ok(Vec::new());
            };
            let mut said = Vec::new();
            if let Some(p) = partner_id.filter(|p| *p != book_partner_id) {
                match crate::domain::ids::PartnerId::parse(p) {
                    Ok(p) => {
                        tx.execute(
                            "UPDATE provider SET partner_id = ?1 WHERE id = 1",
                            [p.as_str()],
                        )?;
                        said.push(format!("PartnerID {book_partner_id} → {p}"));
                    }
                    Err(e) => said.push(format!(
                        "Partner Center's PartnerID for you is not one ({e}): the book keeps {book_partner_id}"
                    )),
                }
            }
            if let Some(n) = name.filter(|n| *n != book_name) {
                match crate::domain::ids::company_name(n) {
                    Ok(n) => {
                        tx.execute("UPDATE provider SET company_name = ?1 WHERE id = 1", [&n])?;
                        said.push(format!("name {book_name} → {n}"));
                    }
                    Err(e) => said.push(format!(
                        "Partner Center's name for you breaks a rule ({e}): the book keeps {book_name}"
                    )),
                }
            }
            if said.iter().any(|s| s.contains('→')) {
                super::audit(
                    tx,
                    at,
                    by,
                    super::sync_types::ACTION_CHANGED,
                    "Provider profile",
                    Some(&format!("{book_name}, PartnerID {book_partner_id}")),
                    Some(&said.join("; ")),
                )?;
            }
            Ok(said.into_iter().map(cleaned).collect())
        })
    }
}
