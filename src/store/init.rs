//! `twotier init`: a new, empty book of your own: the provider's profile, one Global admin and
//! the offer catalog, with no resellers and no customers, written in one transaction.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::Utc;

use super::provider::{self, ProviderProfile};
use super::{Opened, Store, audit, catalog, db_time, operators};
use crate::domain::ids::{Country, PartnerId, TenantId, company_name};
use crate::domain::role::Role;
use crate::domain::text::{escaped, is_clean, shown_path};

/// Where Partner Center's indirect-partner invitations point (as in `assets/demo.toml`).
pub const INVITATION_BASE_URL: &str =
    "https://partner.microsoft.com/dashboard/v2/indirectpartners/invitation";

/// What `twotier init` was given, as typed: [`create_book`] checks every field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewBook {
    pub company: String,
    pub partner_id: String,
    pub tenant_id: String,
    pub country: String,
    pub admin_upn: String,
    /// The admin's display name; empty: the UPN.
    pub admin_name: String,
}

/// What [`create_book`] wrote.
#[derive(Debug, Clone)]
pub struct CreatedBook {
    pub provider: ProviderProfile,
    pub admin_upn: String,
    pub admin_name: String,
    pub offers: usize,
}

/// One field of a new book: `twotier init`'s options and the console's set-up form are checked
/// by the same rules, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Company,
    PartnerId,
    TenantId,
    Country,
    Admin,
    AdminName,
}

impl Field {
    /// The `twotier init` option it is given with.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Company => "--company",
            Field::PartnerId => "--partner-id",
            Field::TenantId => "--tenant-id",
            Field::Country => "--country",
            Field::Admin => "--admin",
            Field::AdminName => "--admin-name",
        }
    }
}

/// Checks one field as typed: the value as it is stored, or what is wrong, in words.
pub fn check_field(field: Field, value: &str) -> Result<String, String> {
    match field {
        Field::Company => company_name(value),
        Field::PartnerId => PartnerId::parse(value).map(|p| p.to_string()),
        Field::TenantId => TenantId::parse(value).map(|t| t.to_string()),
        Field::Country => Country::parse(value).map(|c| c.to_string()),
        Field::Admin => {
            let typed = value.trim();
            if typed.is_empty() {
                return Err("enter the Global admin's UPN, such as name@company.com.".into());
            }
            // A plain account name is an operator elsewhere, but not the book's first admin.
            if !typed.contains('@') {
                return Err(format!(
                    "the Global admin's UPN looks like name@company.com ('{}' has no domain).",
                    escaped(typed)
                ));
            }
            Ok(operators::operator_upn(typed)?.to_ascii_lowercase())
        }
        Field::AdminName => {
            let name = value.trim();
            if !is_clean(name) {
                return Err(
                    "the name holds control or invisible characters; type it again.".into(),
                );
            }
            Ok(name.to_owned())
        }
    }
}

/// The checked fields: the profile (with defaults for what the command does not take) and the
/// admin.
fn checked(new: &NewBook) -> anyhow::Result<(ProviderProfile, String, String)> {
    let field = |field: Field, value: &str| {
        check_field(field, value).map_err(|e| anyhow::anyhow!("{}: {e}", field.flag()))
    };
    let company = field(Field::Company, &new.company)?;
    let partner_id = field(Field::PartnerId, &new.partner_id)?;
    let tenant_id = field(Field::TenantId, &new.tenant_id)?;
    let country = field(Field::Country, &new.country)?;
    let admin_upn = field(Field::Admin, &new.admin_upn)?;
    let domain = admin_upn
        .split_once('@')
        .map(|(_, d)| d.to_owned())
        .unwrap_or_default();
    let admin_name = field(Field::AdminName, &new.admin_name)?;
    let admin_name = if admin_name.is_empty() {
        admin_upn.clone()
    } else {
        admin_name
    };
    let profile = ProviderProfile {
        tenant_id,
        company_name: company,
        partner_id,
        csp_region: csp_region(&country).to_owned(),
        regions_served: country.clone(),
        country,
        website: format!("https://{domain}"),
        support_email: format!("support@{domain}"),
        support_phone: String::new(),
        listing_profile: String::new(),
        invitation_base_url: INVITATION_BASE_URL.to_owned(),
        is_demo: false,
    };
    Ok((profile, admin_upn, admin_name))
}

/// Partner Center's CSP region of a country, for the few regions told apart here; empty when
/// not known.
fn csp_region(country: &str) -> &'static str {
    const EUROPE: &str = "AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GI GR HR HU IE IM IS IT \
                          JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS SE SI SK SM UA VA";
    const LATAM: &str = "AR BO BR CL CO CR DO EC GT HN MX NI PA PE PR PY SV UY VE";
    const APAC: &str = "AU BD CN HK ID IN JP KR LK MY NZ PH PK SG TH TW VN";
    match country {
        "US" | "CA" => "North America",
        c if EUROPE.split(' ').any(|e| e == c) => "Europe",
        c if LATAM.split(' ').any(|e| e == c) => "Latin America",
        c if APAC.split(' ').any(|e| e == c) => "Asia Pacific",
        _ => "",
    }
}

/// The console's Set up your own book: [`create_book`], refused in the console's words when
/// something is at `path` already (made since the console started: by `twotier init`, or
/// another console).
pub fn set_up_from_console(path: &Path, new: &NewBook) -> super::CommandResult<CreatedBook> {
    if std::fs::symlink_metadata(path).is_ok() {
        return super::refuse(format!(
            "{} exists already (made since this console started?), so nothing was changed. \
             Quit and open it: twotier --db {} --operator YOUR_UPN.",
            shown_path(path),
            shown_path(path)
        ));
    }
    create_book(path, new).map_err(|e| super::CommandError::Refused(format!("{e:#}")))
}

/// Creates a new book at `path`: refused when anything is there already (even an empty file),
/// and refused before any file is made when a field is invalid. The provider, the Global admin,
/// the catalog and the activity-log entry are written in one transaction under the write lock;
/// on failure the new file is removed.
pub fn create_book(path: &Path, new: &NewBook) -> anyhow::Result<CreatedBook> {
    let (profile, admin_upn, admin_name) = checked(new)?;
    let offers = catalog::catalog()?;
    if std::fs::symlink_metadata(path).is_ok() {
        bail!(
            "{} already exists: twotier init makes a new book and never touches an existing file \
             (nothing was changed). Choose another path with --db.",
            shown_path(path)
        );
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", shown_path(dir)))?;
    }
    // Claims the path: another init (or console) starting at the same moment finds it taken.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", shown_path(path)))?;
    let filled = Store::open_or_fill(path, |store| {
        store.mutate(|tx, _| {
            let now = Utc::now();
            provider::insert(tx, &profile)?;
            catalog::insert_catalog(tx, &offers)?;
            // Not through operators::insert: the book's one activity entry is "Book created".
            tx.execute(
                "INSERT INTO operators (upn, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    admin_upn,
                    admin_name,
                    Role::GlobalAdmin.key(),
                    db_time(now)
                ],
            )?;
            let admin = tx.query_row(
                &format!(
                    "SELECT {} FROM operators o WHERE o.id = ?1",
                    operators::COLUMNS
                ),
                [tx.last_insert_rowid()],
                operators::from_row,
            )?;
            audit(
                tx,
                now,
                Some(&admin),
                "Book created",
                &profile.company_name,
                None,
                Some(&format!(
                    "PartnerID {}, tenant {}, country {}; Global admin {}; {} offers",
                    profile.partner_id,
                    profile.tenant_id,
                    profile.country,
                    admin_upn,
                    offers.len()
                )),
            )?;
            Ok(())
        })?;
        Ok(())
    });
    match filled {
        Ok((store, Opened::Created)) => {
            store.close()?;
            Ok(CreatedBook {
                provider: profile,
                admin_upn,
                admin_name,
                offers: offers.len(),
            })
        }
        Ok((_, Opened::Existing)) => bail!(
            "{} was filled by another twotier at the same moment; it was left as that one made it.",
            shown_path(path)
        ),
        Err(e) => {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                let _ = std::fs::remove_file(std::path::PathBuf::from(name));
            }
            Err(e.context(format!("creating the book at {}", shown_path(path))))
        }
    }
}
